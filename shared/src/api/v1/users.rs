//! Machine users and their secrets on v1.

use serde_json::{json, Value};

use super::{Rest, RestV1};
use crate::api::endpoint::HttpRoute;
use crate::api::{json, validate};
use crate::domain::user::{
    AccessTokenType, AddMachineUser, DeactivateUser, GenerateMachineSecret, GetUserById, NewSecret,
    ReactivateUser, RemoveMachineSecret, RemoveUser, User,
};
use crate::domain::{Details, UserId};
use crate::error::Result;

fn token_type_names() -> Vec<&'static str> {
    AccessTokenType::ALL.iter().map(|t| t.name()).collect()
}

#[derive(Debug)]
pub struct AddMachineUserRequest {
    user_name: String,
    name: String,
    description: String,
    /// As sent: a number that names no type is refused by `validate`, after authentication.
    access_token_type: i64,
    user_id: Option<UserId>,
}

impl RestV1 for AddMachineUserRequest {
    type Op = AddMachineUser;
    const ROUTE: HttpRoute = HttpRoute::post("/management/v1/users/machine");
    const REQUEST: &'static str = "AddMachineUserRequest";

    fn decode(request: &Rest) -> Result<Self> {
        let body = &request.body;
        Ok(AddMachineUserRequest {
            access_token_type: body.enumeration("accessTokenType", &token_type_names())?,
            user_name: body.string("userName")?,
            name: body.string("name")?,
            description: body.string("description")?,
            user_id: body.optional_string("userId")?.map(UserId),
        })
    }

    fn validate(&self) -> Result<()> {
        validate::required(Self::REQUEST, "UserName", &self.user_name)?;
        validate::required(Self::REQUEST, "Name", &self.name)?;
        validate::length(
            Self::REQUEST,
            "Description",
            &self.description,
            0,
            Some(500),
        )?;
        validate::defined_enum(
            Self::REQUEST,
            "AccessTokenType",
            self.access_token_type,
            AccessTokenType::ALL.len(),
        )?;
        if let Some(id) = &self.user_id {
            validate::required(Self::REQUEST, "UserId", id)?;
            validate::path_segment(Self::REQUEST, "UserId", id)?;
        }
        Ok(())
    }

    fn operation(&self) -> AddMachineUser {
        AddMachineUser {
            user_name: self.user_name.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            access_token_type: i32::try_from(self.access_token_type)
                .ok()
                .and_then(AccessTokenType::from_number)
                .unwrap_or_default(),
            user_id: self.user_id.clone(),
        }
    }

    fn encode((id, details): (UserId, Details)) -> Value {
        json!({ "userId": id.0, "details": json::details(&details) })
    }
}

/// The requests that name a user alone, in the path (`{userId}`): their route, the field name
/// their validation quotes, the operation and the answer.
macro_rules! user_by_id {
    ($($(#[$doc:meta])* $request:ident: $name:literal, $route:expr, $field:literal,
        $operation:ident, |$output:ident: $ty:ty| $encode:expr;)*) => {$(
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $request {
            user_id: UserId,
        }

        impl RestV1 for $request {
            type Op = $operation;
            const ROUTE: HttpRoute = $route;
            const REQUEST: &'static str = $name;

            fn decode(request: &Rest) -> Result<Self> {
                Ok($request {
                    user_id: UserId(request.path("userId")),
                })
            }

            fn validate(&self) -> Result<()> {
                // ZITADEL sets no upper bound on some of these; ours is every id's.
                validate::required(Self::REQUEST, $field, &self.user_id)
            }

            fn operation(&self) -> $operation {
                $operation {
                    user_id: self.user_id.clone(),
                }
            }

            fn encode($output: $ty) -> Value {
                $encode
            }
        }
    )*};
}

user_by_id! {
    GetUserByIdRequest: "GetUserByIDRequest",
        HttpRoute::get("/management/v1/users/{userId}"), "Id",
        GetUserById, |user: User| json!({ "user": json::user(&user) });
    /// The secret, once, with its client id (the userName).
    GenerateMachineSecretRequest: "GenerateMachineSecretRequest",
        HttpRoute::put("/management/v1/users/{userId}/secret"), "UserId",
        GenerateMachineSecret, |secret: NewSecret| json!({
            "clientId": secret.client_id,
            "clientSecret": secret.client_secret,
            "details": json::details(&secret.details),
        });
    RemoveMachineSecretRequest: "RemoveMachineSecretRequest",
        HttpRoute::delete("/management/v1/users/{userId}/secret"), "UserId",
        RemoveMachineSecret, |details: Details| json::details_only(&details);
    RemoveUserRequest: "RemoveUserRequest",
        HttpRoute::delete("/management/v1/users/{userId}"), "Id",
        RemoveUser, |details: Details| json::details_only(&details);
    DeactivateUserRequest: "DeactivateUserRequest",
        HttpRoute::post("/management/v1/users/{userId}/_deactivate"), "Id",
        DeactivateUser, |details: Details| json::details_only(&details);
    ReactivateUserRequest: "ReactivateUserRequest",
        HttpRoute::post("/management/v1/users/{userId}/_reactivate"), "Id",
        ReactivateUser, |details: Details| json::details_only(&details);
}
