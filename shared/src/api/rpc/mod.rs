//! ZITADEL's RPCs, one file per area; in each, `pub mod v1` and `pub mod v2` hold ZITADEL's
//! request messages of that area for each API (both have a `GetUserByIDRequest`), the twins side
//! by side. The traits they implement are `api::v1::RestV1` and `api::v2::V2`; a Lambda binary
//! names the pair it serves (`v1_and_v2::<v1::RemoveUserRequest, v2::DeleteUserRequest>`).

/// v1 requests that name a user and one of its credentials by path
/// (`/management/v1/users/{userId}/<credentials>/{<id>}`: machine keys, personal access tokens),
/// each decoded, validated and turned into its operation alike: `$id` is the credential's field
/// (in the request and the operation), `$param` its path parameter, `$field` its name in
/// validation errors. Used where `Rest`, `RestV1`, `HttpRoute`, `validate`, `UserId`, `Value`
/// and `Result` are in scope.
macro_rules! user_credential_by_ids {
    ($id:ident: $param:literal, $field:literal;
     $($(#[$doc:meta])* $request:ident: $name:literal, $route:expr, $operation:ident,
       |$output:ident: $ty:ty| $encode:expr;)*) => {$(
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $request {
            user_id: UserId,
            $id: String,
        }

        impl RestV1 for $request {
            type Op = $operation;
            const ROUTE: HttpRoute = $route;
            const REQUEST: &'static str = $name;

            fn decode(request: &Rest) -> Result<Self> {
                Ok($request {
                    user_id: UserId(request.path("userId")),
                    $id: request.path($param),
                })
            }

            fn validate(&self) -> Result<()> {
                validate::required(Self::REQUEST, "UserId", &self.user_id)?;
                validate::required(Self::REQUEST, $field, &self.$id)
            }

            fn operation(&self) -> $operation {
                $operation {
                    user_id: self.user_id.clone(),
                    $id: self.$id.clone(),
                }
            }

            fn encode($output: $ty) -> Value {
                $encode
            }
        }
    )*};
}

/// v2 requests that remove one credential of a user (RemoveKey, RemovePersonalAccessToken):
/// `userId` and `$id` (`$param` in the message and the REST path, `$field` in validation
/// errors), acting in the user's org, which a user may also do for itself; answered with the
/// deletion date. Used where `JsonBody`, `V2`, `ActsIn`, `HttpRoute`, `validate`, `user_key`,
/// `date`, `Details`, `UserId`, `Value`, `json!` and `Result` are in scope.
macro_rules! v2_user_credential_removal {
    ($(#[$doc:meta])* $request:ident: $procedure:literal, $rest:expr, $operation:ident,
     $id:ident: $param:literal, $field:literal) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $request {
            user_id: UserId,
            $id: String,
        }

        impl V2 for $request {
            type Op = $operation;
            const PROCEDURE: &'static str = $procedure;
            const REST: Option<HttpRoute> = Some($rest);
            const REQUEST: &'static str = stringify!($request);

            fn decode(message: &JsonBody) -> Result<Self> {
                Ok($request {
                    user_id: UserId(message.string("userId")?),
                    $id: message.string($param)?,
                })
            }

            fn validate(&self) -> Result<()> {
                validate::required(Self::REQUEST, "UserId", &self.user_id)?;
                validate::required(Self::REQUEST, $field, &self.$id)
            }

            fn acts_in(&self) -> ActsIn {
                ActsIn::OwnerOf(user_key(&self.user_id))
            }

            fn is_about(&self, user_id: &str) -> bool {
                self.user_id.0 == user_id
            }

            fn operation(&self) -> $operation {
                $operation {
                    user_id: self.user_id.clone(),
                    $id: self.$id.clone(),
                }
            }

            fn encode(details: Details) -> Value {
                json!({ "deletionDate": date(&details) })
            }
        }
    };
}

pub mod app_keys;
pub mod auth;
pub mod grants;
pub mod machine_keys;
pub mod orgs;
pub mod pats;
pub mod projects;
pub mod user_lists;
pub mod users;
