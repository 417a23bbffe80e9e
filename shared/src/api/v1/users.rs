//! Machine users and their secrets on v1.

use serde_json::{json, Value};

use super::{Rest, RestV1};
use crate::api::{json, validate};
use crate::domain::user::{
    AccessTokenType, AddMachineUser, DeactivateUser, GenerateMachineSecret, GetUserById, NewSecret,
    ReactivateUser, RemoveMachineSecret, RemoveUser, User,
};
use crate::domain::{Details, UserId};
use crate::error::Result;

const TOKEN_TYPE: &str = "accessTokenType";

fn token_type_names() -> Vec<&'static str> {
    AccessTokenType::ALL.iter().map(|t| t.name()).collect()
}

impl RestV1 for AddMachineUser {
    const REQUEST: &'static str = "AddMachineUserRequest";

    fn decode(request: &Rest) -> Result<Self> {
        let body = &request.body;
        let token_type = body.enumeration(TOKEN_TYPE, &token_type_names())?;
        Ok(AddMachineUser {
            user_name: body.string("userName")?,
            name: body.string("name")?,
            description: body.string("description")?,
            // An undefined number is refused by `validate`.
            access_token_type: i32::try_from(token_type)
                .ok()
                .and_then(AccessTokenType::from_number)
                .unwrap_or_default(),
            user_id: body.optional_string("userId")?.map(UserId),
        })
    }

    fn validate(&self, request: &Rest) -> Result<()> {
        validate::required(Self::REQUEST, "UserName", &self.user_name)?;
        validate::required(Self::REQUEST, "Name", &self.name)?;
        validate::length(
            Self::REQUEST,
            "Description",
            &self.description,
            0,
            Some(500),
        )?;
        let token_type = request.body.enumeration(TOKEN_TYPE, &token_type_names())?;
        validate::defined_enum(
            Self::REQUEST,
            "AccessTokenType",
            token_type,
            AccessTokenType::ALL.len(),
        )?;
        if let Some(id) = &self.user_id {
            validate::required(Self::REQUEST, "UserId", id)?;
            validate::path_segment(Self::REQUEST, "UserId", id)?;
        }
        Ok(())
    }

    fn encode((id, details): (UserId, Details)) -> Value {
        json!({ "userId": id.0, "details": json::details(&details) })
    }
}

impl RestV1 for GetUserById {
    const REQUEST: &'static str = "GetUserByIDRequest";

    fn decode(request: &Rest) -> Result<Self> {
        Ok(GetUserById {
            user_id: UserId(request.path("userId")),
        })
    }

    fn validate(&self, _: &Rest) -> Result<()> {
        validate::required(Self::REQUEST, "Id", &self.user_id)
    }

    fn encode(user: User) -> Value {
        json!({ "user": json::user(&user) })
    }
}

impl RestV1 for GenerateMachineSecret {
    const REQUEST: &'static str = "GenerateMachineSecretRequest";

    fn decode(request: &Rest) -> Result<Self> {
        Ok(GenerateMachineSecret {
            user_id: UserId(request.path("userId")),
        })
    }

    fn validate(&self, _: &Rest) -> Result<()> {
        // ZITADEL sets no upper bound here; ours is every id's (a longer one is no id).
        validate::required(Self::REQUEST, "UserId", &self.user_id)
    }

    fn encode(secret: NewSecret) -> Value {
        json!({
            "clientId": secret.client_id,
            "clientSecret": secret.client_secret,
            "details": json::details(&secret.details),
        })
    }
}

impl RestV1 for RemoveMachineSecret {
    const REQUEST: &'static str = "RemoveMachineSecretRequest";

    fn decode(request: &Rest) -> Result<Self> {
        Ok(RemoveMachineSecret {
            user_id: UserId(request.path("userId")),
        })
    }

    fn validate(&self, _: &Rest) -> Result<()> {
        validate::required(Self::REQUEST, "UserId", &self.user_id)
    }

    fn encode(details: Details) -> Value {
        json::details_only(&details)
    }
}

/// RemoveUser, DeactivateUser, ReactivateUser: `{id}` in the path, `details` back.
macro_rules! user_by_id {
    ($($operation:ident: $request:literal),*) => {$(
        impl RestV1 for $operation {
            const REQUEST: &'static str = $request;

            fn decode(request: &Rest) -> Result<Self> {
                Ok($operation {
                    user_id: UserId(request.path("userId")),
                })
            }

            fn validate(&self, _: &Rest) -> Result<()> {
                validate::required(Self::REQUEST, "Id", &self.user_id)
            }

            fn encode(details: Details) -> Value {
                json::details_only(&details)
            }
        }
    )*};
}

user_by_id!(
    RemoveUser: "RemoveUserRequest",
    DeactivateUser: "DeactivateUserRequest",
    ReactivateUser: "ReactivateUserRequest"
);
