//! Machine users, their secrets and their state.

pub mod v1 {
    //! Machine users and their secrets on v1.

    use serde_json::{json, Value};

    use crate::api::body::EnumField;
    use crate::api::route::HttpRoute;
    use crate::api::v1::{Rest, RestV1};
    use crate::api::{json, validate};
    use crate::domain::user::{
        AccessTokenType, AddMachineUser, DeactivateUser, GenerateMachineSecret, GetUserById,
        NewSecret, ReactivateUser, RemoveMachineSecret, RemoveUser, UpdateMachine, UpdateUserName,
        User,
    };
    use crate::domain::{Details, UserId};
    use crate::error::Result;

    #[derive(Debug)]
    pub struct AddMachineUserRequest {
        user_name: String,
        name: String,
        description: String,
        access_token_type: EnumField<AccessTokenType>,
        user_id: Option<UserId>,
    }

    impl RestV1 for AddMachineUserRequest {
        type Op = AddMachineUser;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/users/machine");
        const REQUEST: &'static str = "AddMachineUserRequest";

        fn decode(request: &Rest) -> Result<Self> {
            let body = &request.body;
            Ok(AddMachineUserRequest {
                access_token_type: EnumField::read(body, "accessTokenType")?,
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
            self.access_token_type
                .validate(Self::REQUEST, "AccessTokenType")?;
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
                access_token_type: self.access_token_type.value().unwrap_or_default(),
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

    /// UpdateMachine: the machine fields of a user (name, description, accessTokenType).
    #[derive(Debug)]
    pub struct UpdateMachineRequest {
        user_id: UserId,
        name: String,
        description: String,
        access_token_type: EnumField<AccessTokenType>,
    }

    impl RestV1 for UpdateMachineRequest {
        type Op = UpdateMachine;
        const ROUTE: HttpRoute = HttpRoute::put("/management/v1/users/{userId}/machine");
        const REQUEST: &'static str = "UpdateMachineRequest";

        fn decode(request: &Rest) -> Result<Self> {
            let body = &request.body;
            Ok(UpdateMachineRequest {
                user_id: UserId(request.path("userId")),
                name: body.string("name")?,
                description: body.string("description")?,
                access_token_type: EnumField::read(body, "accessTokenType")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)?;
            validate::length(
                Self::REQUEST,
                "Description",
                &self.description,
                0,
                Some(500),
            )?;
            validate::required(Self::REQUEST, "Name", &self.name)?;
            self.access_token_type
                .validate(Self::REQUEST, "AccessTokenType")
        }

        fn operation(&self) -> UpdateMachine {
            UpdateMachine {
                user_id: self.user_id.clone(),
                name: self.name.clone(),
                description: self.description.clone(),
                access_token_type: self.access_token_type.value().unwrap_or_default(),
            }
        }

        fn encode(details: Details) -> Value {
            json::details_only(&details)
        }
    }

    /// UpdateUserName: a new userName (and so a new client id) for a user.
    #[derive(Debug)]
    pub struct UpdateUserNameRequest {
        user_id: UserId,
        user_name: String,
    }

    impl RestV1 for UpdateUserNameRequest {
        type Op = UpdateUserName;
        const ROUTE: HttpRoute = HttpRoute::put("/management/v1/users/{userId}/username");
        const REQUEST: &'static str = "UpdateUserNameRequest";

        fn decode(request: &Rest) -> Result<Self> {
            Ok(UpdateUserNameRequest {
                user_id: UserId(request.path("userId")),
                user_name: request.body.string("userName")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)?;
            validate::required(Self::REQUEST, "UserName", &self.user_name)
        }

        fn operation(&self) -> UpdateUserName {
            UpdateUserName {
                user_id: self.user_id.clone(),
                user_name: self.user_name.clone(),
            }
        }

        fn encode(details: Details) -> Value {
            json::details_only(&details)
        }
    }
}

pub mod v2 {
    //! zitadel.user.v2.UserService: machine users and their secrets, and their state.

    use serde_json::{json, Value};

    use crate::api::body::{EnumField, JsonBody};
    use crate::api::route::HttpRoute;
    use crate::api::v2::{date, ActsIn, V2};
    use crate::api::{json, validate};
    use crate::domain::id::user_key;
    use crate::domain::user::{
        AccessTokenType, AddMachineUser, DeactivateUser, ForeignAsUnknown, GenerateMachineSecret,
        GetUserById, NewSecret, ReactivateUser, RemoveMachineSecret, RemoveUser, UpdateUser, User,
    };
    use crate::domain::{Details, UserId};
    use crate::error::{Error, Result};

    /// CreateUser for machine users; the org is the message's `organizationId`. A user without a
    /// username gets its id as username, as ZITADEL gives it.
    #[derive(Debug)]
    pub struct CreateUserRequest {
        organization_id: String,
        user_id: Option<UserId>,
        /// `None`: the user's id becomes its username (`AddMachineUser`).
        username: Option<String>,
        /// The oneof `userType`: `machine` is what this API makes; `human` is refused.
        has_machine: bool,
        has_human: bool,
        name: String,
        description: String,
        access_token_type: EnumField<AccessTokenType>,
    }

    impl V2 for CreateUserRequest {
        type Op = AddMachineUser;
        const PROCEDURE: &'static str = "/zitadel.user.v2.UserService/CreateUser";
        const REST: Option<HttpRoute> = Some(HttpRoute::post("/v2/users/new"));
        const REQUEST: &'static str = "CreateUserRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            message.oneof(
                "zitadel.user.v2.CreateUserRequest.user_type",
                &["human", "machine"],
            )?;
            let machine = message.object("machine")?;
            Ok(CreateUserRequest {
                access_token_type: EnumField::read(&machine, "accessTokenType")?,
                organization_id: message.string("organizationId")?,
                user_id: message.optional_string("userId")?.map(UserId),
                username: message.optional_string("username")?,
                has_machine: message.has("machine"),
                has_human: message.has("human"),
                name: machine.string("name")?,
                description: machine.string("description")?,
            })
        }

        fn validate(&self) -> Result<()> {
            let request = Self::REQUEST;
            if self.has_human {
                return Err(Error::invalid(
                    "USERv2-H0man",
                    "Errors.User.HumanNotSupported: this API has machine users only",
                ));
            }
            if !self.has_machine {
                return Err(Error::validation(format!(
                    "invalid {request}.UserType: value is required"
                )));
            }
            validate::required(request, "OrganizationId", &self.organization_id)?;
            if let Some(id) = &self.user_id {
                validate::required(request, "UserId", id)?;
                validate::path_segment(request, "UserId", id)?;
            }
            if let Some(username) = &self.username {
                validate::required(request, "Username", username)?;
            }
            validate::required("Machine", "Name", &self.name)?;
            validate::length("Machine", "Description", &self.description, 0, Some(500))?;
            self.access_token_type
                .validate("Machine", "AccessTokenType")
        }

        fn acts_in(&self) -> ActsIn {
            ActsIn::Org(self.organization_id.clone())
        }

        fn operation(&self) -> AddMachineUser {
            AddMachineUser {
                user_id: self.user_id.clone(),
                user_name: self.username.clone().unwrap_or_default(),
                name: self.name.clone(),
                description: self.description.clone(),
                access_token_type: self.access_token_type.value().unwrap_or_default(),
            }
        }

        fn encode((id, details): (UserId, Details)) -> Value {
            json!({ "id": id.0, "creationDate": date(&details) })
        }
    }

    /// The requests that name a user alone (`{userId}`), acting in the user's org (a user may make
    /// them about itself without a role, as ZITADEL's checks on a user let the user itself pass);
    /// each with its procedure, REST route, operation and answer. A user of an org the caller
    /// holds no role in answers as an unknown user (`ForeignAsUnknown`).
    macro_rules! user_by_id {
        ($($(#[$doc:meta])* $request:ident: $procedure:literal, $rest:expr, $operation:ident,
            |$output:ident: $ty:ty| $encode:expr;)*) => {$(
            $(#[$doc])*
            #[derive(Debug)]
            pub struct $request {
                user_id: UserId,
            }

            impl V2 for $request {
                type Op = ForeignAsUnknown<$operation>;
                const PROCEDURE: &'static str =
                    concat!("/zitadel.user.v2.UserService/", $procedure);
                const REST: Option<HttpRoute> = Some($rest);
                const REQUEST: &'static str = concat!($procedure, "Request");

                fn decode(message: &JsonBody) -> Result<Self> {
                    Ok($request {
                        user_id: UserId(message.string("userId")?),
                    })
                }

                fn validate(&self) -> Result<()> {
                    validate::required(Self::REQUEST, "UserId", &self.user_id)
                }

                fn acts_in(&self) -> ActsIn {
                    ActsIn::OwnerOf(user_key(&self.user_id))
                }

                fn is_about(&self, user_id: &str) -> bool {
                    self.user_id.0 == user_id
                }

                fn operation(&self) -> ForeignAsUnknown<$operation> {
                    ForeignAsUnknown($operation {
                        user_id: self.user_id.clone(),
                    })
                }

                fn encode($output: $ty) -> Value {
                    $encode
                }
            }
        )*};
    }

    user_by_id! {
        GetUserByIdRequest: "GetUserByID", HttpRoute::get("/v2/users/{userId}"),
            GetUserById, |user: User| {
                json!({ "details": json::details(&user.details), "user": json::user_v2(&user) })
            };
        /// AddSecret: the secret, once; the client id is the username (no `clientId` in v2).
        AddSecretRequest: "AddSecret", HttpRoute::post("/v2/users/{userId}/secret"),
            GenerateMachineSecret, |secret: NewSecret| {
                json!({
                    "creationDate": date(&secret.details),
                    "clientSecret": secret.client_secret,
                })
            };
        RemoveSecretRequest: "RemoveSecret", HttpRoute::delete("/v2/users/{userId}/secret"),
            RemoveMachineSecret, |details: Details| json!({ "deletionDate": date(&details) });
        DeleteUserRequest: "DeleteUser", HttpRoute::delete("/v2/users/{userId}"),
            RemoveUser, |details: Details| json::details_only(&details);
        DeactivateUserRequest: "DeactivateUser", HttpRoute::post("/v2/users/{userId}/deactivate"),
            DeactivateUser, |details: Details| json::details_only(&details);
        ReactivateUserRequest: "ReactivateUser", HttpRoute::post("/v2/users/{userId}/reactivate"),
            ReactivateUser, |details: Details| json::details_only(&details);
    }

    /// UpdateUser for a machine user: a new username and the machine's fields, each optional;
    /// in the user's org (a user may update itself). REST: `PATCH /v2/users/{userId}`, as
    /// ZITADEL's.
    #[derive(Debug)]
    pub struct UpdateUserRequest {
        user_id: UserId,
        username: Option<String>,
        has_human: bool,
        name: Option<String>,
        description: Option<String>,
        access_token_type: Option<EnumField<AccessTokenType>>,
    }

    impl V2 for UpdateUserRequest {
        type Op = UpdateUser;
        const PROCEDURE: &'static str = "/zitadel.user.v2.UserService/UpdateUser";
        const REST: Option<HttpRoute> = Some(HttpRoute::patch("/v2/users/{userId}"));
        const REQUEST: &'static str = "UpdateUserRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            message.oneof(
                "zitadel.user.v2.UpdateUserRequest.user_type",
                &["human", "machine"],
            )?;
            let machine = message.object("machine")?;
            let access_token_type = match machine.has("accessTokenType") {
                true => Some(EnumField::read(&machine, "accessTokenType")?),
                false => None,
            };
            Ok(UpdateUserRequest {
                user_id: UserId(message.string("userId")?),
                username: message.optional_string("username")?,
                has_human: message.has("human"),
                name: machine.optional_string("name")?,
                description: machine.optional_string("description")?,
                access_token_type,
            })
        }

        fn validate(&self) -> Result<()> {
            let request = Self::REQUEST;
            validate::required(request, "UserId", &self.user_id)?;
            if let Some(username) = &self.username {
                validate::required(request, "Username", username)?;
            }
            if self.has_human {
                return Err(Error::invalid(
                    "USERv2-H0man",
                    "Errors.User.HumanNotSupported: this API has machine users only",
                ));
            }
            if let Some(name) = &self.name {
                validate::required("Machine", "Name", name)?;
            }
            if let Some(description) = &self.description {
                validate::length("Machine", "Description", description, 0, Some(500))?;
            }
            match &self.access_token_type {
                Some(token_type) => token_type.validate("Machine", "AccessTokenType"),
                None => Ok(()),
            }
        }

        fn acts_in(&self) -> ActsIn {
            ActsIn::OwnerOf(user_key(&self.user_id))
        }

        fn is_about(&self, user_id: &str) -> bool {
            self.user_id.0 == user_id
        }

        fn operation(&self) -> UpdateUser {
            UpdateUser {
                user_id: self.user_id.clone(),
                user_name: self.username.clone(),
                name: self.name.clone(),
                description: self.description.clone(),
                access_token_type: self
                    .access_token_type
                    .as_ref()
                    .map(|t| t.value().unwrap_or_default()),
            }
        }

        fn encode(details: Details) -> Value {
            json!({ "changeDate": date(&details) })
        }
    }
}
