//! zitadel.user.v2.UserService: machine users and their secrets, and their state.

use serde_json::{json, Value};

use super::{date, ActsIn, V2};
use crate::api::body::JsonBody;
use crate::api::{json, validate};
use crate::domain::id::user_key;
use crate::domain::user::{
    AccessTokenType, AddMachineUser, DeactivateUser, GenerateMachineSecret, GetUserById, NewSecret,
    ReactivateUser, RemoveMachineSecret, RemoveUser, User,
};
use crate::domain::{Details, UserId};
use crate::error::{Error, Result};

fn organization_id(message: &JsonBody) -> Result<String> {
    message.string("organizationId")
}

/// The user a request names: its org is the one the request acts in.
fn owner_of(user_id: &str) -> ActsIn {
    ActsIn::OwnerOf(user_key(user_id))
}

/// CreateUser for machine users; the org is the message's `organizationId`. A user without a
/// username gets its id as username, as ZITADEL gives it.
impl V2 for AddMachineUser {
    const REQUEST: &'static str = "CreateUserRequest";

    fn decode(message: &JsonBody) -> Result<Self> {
        let machine = message.object("machine")?;
        let names: Vec<&str> = AccessTokenType::ALL.iter().map(|t| t.name()).collect();
        let token_type = machine.enumeration("accessTokenType", &names)?;
        organization_id(message)?;
        Ok(AddMachineUser {
            user_id: message.optional_string("userId")?.map(UserId),
            // None: the user's id becomes its username (`AddMachineUser`).
            user_name: message.optional_string("username")?.unwrap_or_default(),
            name: machine.string("name")?,
            description: machine.string("description")?,
            access_token_type: i32::try_from(token_type)
                .ok()
                .and_then(AccessTokenType::from_number)
                .unwrap_or_default(),
        })
    }

    fn validate(&self, message: &JsonBody) -> Result<()> {
        let request = Self::REQUEST;
        if message.has("human") {
            return Err(Error::invalid(
                "USERv2-H0man",
                "Errors.User.HumanNotSupported: this API has machine users only",
            ));
        }
        if !message.has("machine") {
            return Err(Error::validation(format!(
                "invalid {request}.UserType: value is required"
            )));
        }
        validate::required(request, "OrganizationId", &organization_id(message)?)?;
        if let Some(id) = &self.user_id {
            validate::required(request, "UserId", id)?;
            validate::path_segment(request, "UserId", id)?;
        }
        if message.has("username") {
            validate::required(request, "Username", &self.user_name)?;
        }
        validate::required("Machine", "Name", &self.name)?;
        validate::length("Machine", "Description", &self.description, 0, Some(500))
    }

    fn acts_in(&self, message: &JsonBody) -> ActsIn {
        ActsIn::Org(organization_id(message).unwrap_or_default())
    }

    fn encode((id, details): (UserId, Details)) -> Value {
        json!({ "id": id.0, "creationDate": date(&details) })
    }
}

/// The requests that name a user alone (`{userId}`), acting in the user's org (a user may make
/// them about itself without a role, as ZITADEL's checks on a user let the user itself pass);
/// each with its answer.
macro_rules! user_by_id {
    ($($(#[$doc:meta])* $operation:ident: $request:literal, |$output:ident: $ty:ty| $encode:expr;)*) => {$(
        $(#[$doc])*
        impl V2 for $operation {
            const REQUEST: &'static str = $request;

            fn decode(message: &JsonBody) -> Result<Self> {
                Ok($operation {
                    user_id: UserId(message.string("userId")?),
                })
            }

            fn validate(&self, _: &JsonBody) -> Result<()> {
                validate::required(Self::REQUEST, "UserId", &self.user_id)
            }

            fn acts_in(&self, _: &JsonBody) -> ActsIn {
                owner_of(&self.user_id)
            }

            fn is_about(&self, user_id: &str) -> bool {
                self.user_id.0 == user_id
            }

            fn encode($output: $ty) -> Value {
                $encode
            }
        }
    )*};
}

user_by_id! {
    GetUserById: "GetUserByIDRequest", |user: User| {
        json!({ "details": json::details(&user.details), "user": json::user_v2(&user) })
    };
    /// AddSecret: the secret, once; the client id is the username (no `clientId` in v2).
    GenerateMachineSecret: "AddSecretRequest", |secret: NewSecret| {
        json!({ "creationDate": date(&secret.details), "clientSecret": secret.client_secret })
    };
    RemoveMachineSecret: "RemoveSecretRequest", |details: Details| {
        json!({ "deletionDate": date(&details) })
    };
    RemoveUser: "DeleteUserRequest", |details: Details| json::details_only(&details);
    DeactivateUser: "DeactivateUserRequest", |details: Details| json::details_only(&details);
    ReactivateUser: "ReactivateUserRequest", |details: Details| json::details_only(&details);
}
