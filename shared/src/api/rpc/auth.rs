//! ZITADEL's auth API (`zitadel.auth.v1.AuthService`): what a token's own user asks about
//! itself. It has no v2 twin here (v2 asks UserService with the caller's own id).

pub mod v1 {
    //! The auth API on v1 (REST).

    use serde_json::{json, Value};

    use crate::api::json;
    use crate::api::route::HttpRoute;
    use crate::api::v1::{Rest, RestV1};
    use crate::domain::user::{GetMyUser, User};
    use crate::error::Result;

    /// GetMyUser: the caller's user, as GetUserByID shows a user. `lastLogin` is left out: a
    /// machine user logs in by token requests, which are not recorded.
    #[derive(Debug)]
    pub struct GetMyUserRequest;

    impl RestV1 for GetMyUserRequest {
        type Op = GetMyUser;
        const ROUTE: HttpRoute = HttpRoute::get("/auth/v1/users/me");
        const REQUEST: &'static str = "GetMyUserRequest";

        fn decode(_: &Rest) -> Result<Self> {
            Ok(GetMyUserRequest)
        }

        fn validate(&self) -> Result<()> {
            Ok(())
        }

        fn operation(&self) -> GetMyUser {
            GetMyUser
        }

        fn encode(user: User) -> Value {
            json!({ "user": json::user(&user) })
        }
    }
}
