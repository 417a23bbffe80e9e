//! A machine user's authentication keys (JWT profile), v1 and v2 side by side.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value};

use crate::api::body::JsonBody;
use crate::api::json;
use crate::domain::machine_key::AuthNKey;
use crate::error::{excerpt, Code, Error, Result, MAX_QUOTED_CHARS};
use crate::time::Timestamp;

/// A `google.protobuf.Timestamp` field: absent, or an RFC 3339 date in any of its forms (the
/// Python SDK sends `+00:00`); anything else is refused as protojson refuses it.
pub(super) fn timestamp(body: &JsonBody, name: &str) -> Result<Option<Timestamp>> {
    let Some(text) = body.optional_string(name)? else {
        return Ok(None);
    };
    Timestamp::parse_rfc3339(&text).map(Some).ok_or_else(|| {
        Error::plain(
            Code::InvalidArgument,
            format!(
                "proto: invalid value for google.protobuf.Timestamp type: {:?}",
                excerpt(&text, MAX_QUOTED_CHARS)
            ),
        )
    })
}

/// A `bytes` field: base64, standard or URL-safe, padded or not (as protojson reads it).
fn bytes(body: &JsonBody, name: &str) -> Result<Option<Vec<u8>>> {
    let Some(text) = body.optional_string(name)? else {
        return Ok(None);
    };
    [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(&text).ok())
        .map(Some)
        .ok_or_else(|| {
            Error::plain(
                Code::InvalidArgument,
                format!(
                    "proto: invalid value for bytes type: {:?}",
                    excerpt(&text, MAX_QUOTED_CHARS)
                ),
            )
        })
}

/// A key as ZITADEL's `zitadel.authn.v1.Key` (v1).
fn key_v1(key: &AuthNKey) -> Value {
    json::object(json!({
        "id": key.id,
        "details": json::details(&key.details),
        "type": key.key_type.name(),
        "expirationDate": key.expiration.to_rfc3339(),
    }))
}

/// The key file of an answer (base64, a `bytes` field), when there is one.
fn key_file(file: &Option<String>) -> Value {
    json!(file.as_ref().map(|file| STANDARD.encode(file)))
}

pub mod v1 {
    //! AddMachineKey, ListMachineKeys, GetMachineKeyByIDs, RemoveMachineKey.

    use serde_json::{json, Value};

    use super::{bytes, key_file, key_v1, timestamp};
    use crate::api::body::{EnumField, Page};
    use crate::api::route::HttpRoute;
    use crate::api::v1::{Rest, RestV1};
    use crate::api::{json, validate};
    use crate::domain::machine_key::{
        AddMachineKey, AuthNKey, GetMachineKeyById, KeyPage, KeyType, ListMachineKeys,
        NewMachineKey, RemoveMachineKey,
    };
    use crate::domain::{Details, UserId};
    use crate::error::{Error, Result};
    use crate::time::Timestamp;

    /// AddMachineKey: a generated key (answered once, in `keyDetails`) or an uploaded public
    /// key (`publicKey`, base64 of a PKIX PEM; no `keyDetails` then).
    #[derive(Debug)]
    pub struct AddMachineKeyRequest {
        user_id: UserId,
        key_type: EnumField<KeyType>,
        expiration: Option<Timestamp>,
        public_key: Option<Vec<u8>>,
    }

    impl RestV1 for AddMachineKeyRequest {
        type Op = AddMachineKey;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/users/{userId}/keys");
        const REQUEST: &'static str = "AddMachineKeyRequest";

        fn decode(request: &Rest) -> Result<Self> {
            let body = &request.body;
            Ok(AddMachineKeyRequest {
                user_id: UserId(request.path("userId")),
                key_type: EnumField::read(body, "type")?,
                expiration: timestamp(body, "expirationDate")?,
                public_key: bytes(body, "publicKey")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)?;
            self.key_type.validate(Self::REQUEST, "Type")?;
            if self.key_type.value() == Some(KeyType::Unspecified) {
                return Err(Error::validation(format!(
                    "invalid {}.Type: value must not be in list [0]",
                    Self::REQUEST
                )));
            }
            Ok(())
        }

        fn operation(&self) -> AddMachineKey {
            AddMachineKey {
                user_id: self.user_id.clone(),
                key_type: self.key_type.value().unwrap_or(KeyType::Json),
                expiration: self.expiration,
                public_key: self.public_key.clone(),
            }
        }

        fn encode(key: NewMachineKey) -> Value {
            json::object(json!({
                "details": json::details(&key.details),
                "keyId": key.key_id,
                "keyDetails": key_file(&key.key_file),
            }))
        }
    }

    /// ListMachineKeys: a machine user's keys, paged by ZITADEL's ListQuery.
    #[derive(Debug)]
    pub struct ListMachineKeysRequest {
        user_id: UserId,
        page: Page,
    }

    impl RestV1 for ListMachineKeysRequest {
        type Op = ListMachineKeys;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/users/{userId}/keys/_search");
        const REQUEST: &'static str = "ListMachineKeysRequest";

        fn decode(request: &Rest) -> Result<Self> {
            Ok(ListMachineKeysRequest {
                user_id: UserId(request.path("userId")),
                page: request.body.page("query")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)
        }

        fn operation(&self) -> ListMachineKeys {
            ListMachineKeys {
                user_id: self.user_id.clone(),
                offset: self.page.offset,
                limit: self.page.limit,
                ascending: self.page.ascending,
            }
        }

        fn encode(page: KeyPage) -> Value {
            json::object(json!({
                "details": {
                    "totalResult": page.total.to_string(),
                    "viewTimestamp": Timestamp::now().to_rfc3339(),
                },
                "result": page.keys.iter().map(key_v1).collect::<Vec<_>>(),
            }))
        }
    }

    /// The requests that name a user's key in the path (`{userId}`, `{keyId}`).
    macro_rules! key_by_ids {
        ($($(#[$doc:meta])* $request:ident: $name:literal, $route:expr, $operation:ident,
            |$output:ident: $ty:ty| $encode:expr;)*) => {$(
            $(#[$doc])*
            #[derive(Debug)]
            pub struct $request {
                user_id: UserId,
                key_id: String,
            }

            impl RestV1 for $request {
                type Op = $operation;
                const ROUTE: HttpRoute = $route;
                const REQUEST: &'static str = $name;

                fn decode(request: &Rest) -> Result<Self> {
                    Ok($request {
                        user_id: UserId(request.path("userId")),
                        key_id: request.path("keyId"),
                    })
                }

                fn validate(&self) -> Result<()> {
                    validate::required(Self::REQUEST, "UserId", &self.user_id)?;
                    validate::required(Self::REQUEST, "KeyId", &self.key_id)
                }

                fn operation(&self) -> $operation {
                    $operation {
                        user_id: self.user_id.clone(),
                        key_id: self.key_id.clone(),
                    }
                }

                fn encode($output: $ty) -> Value {
                    $encode
                }
            }
        )*};
    }

    key_by_ids! {
        GetMachineKeyByIdsRequest: "GetMachineKeyByIDsRequest",
            HttpRoute::get("/management/v1/users/{userId}/keys/{keyId}"),
            GetMachineKeyById, |key: AuthNKey| json!({ "key": key_v1(&key) });
        RemoveMachineKeyRequest: "RemoveMachineKeyRequest",
            HttpRoute::delete("/management/v1/users/{userId}/keys/{keyId}"),
            RemoveMachineKey, |details: Details| json::details_only(&details);
    }
}

pub mod v2 {
    //! zitadel.user.v2.UserService: AddKey, RemoveKey (a user may manage its own keys).

    use serde_json::{json, Value};

    use super::{bytes, key_file, timestamp};
    use crate::api::body::JsonBody;
    use crate::api::route::HttpRoute;
    use crate::api::v2::{date, ActsIn, V2};
    use crate::api::{json, validate};
    use crate::domain::id::user_key;
    use crate::domain::machine_key::{AddMachineKey, KeyType, NewMachineKey, RemoveMachineKey};
    use crate::domain::{Details, UserId};
    use crate::error::{Error, Result};
    use crate::time::Timestamp;

    /// AddKey: as v1's AddMachineKey, with `expirationDate` required; in the user's org.
    #[derive(Debug)]
    pub struct AddKeyRequest {
        user_id: UserId,
        expiration: Option<Timestamp>,
        public_key: Option<Vec<u8>>,
    }

    impl V2 for AddKeyRequest {
        type Op = AddMachineKey;
        const PROCEDURE: &'static str = "/zitadel.user.v2.UserService/AddKey";
        const REST: Option<HttpRoute> = Some(HttpRoute::post("/v2/users/{userId}/keys"));
        const REQUEST: &'static str = "AddKeyRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            Ok(AddKeyRequest {
                user_id: UserId(message.string("userId")?),
                expiration: timestamp(message, "expirationDate")?,
                public_key: bytes(message, "publicKey")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)?;
            if self.expiration.is_none() {
                return Err(Error::validation(format!(
                    "invalid {}.ExpirationDate: value is required",
                    Self::REQUEST
                )));
            }
            Ok(())
        }

        fn acts_in(&self) -> ActsIn {
            ActsIn::OwnerOf(user_key(&self.user_id))
        }

        fn is_about(&self, user_id: &str) -> bool {
            self.user_id.0 == user_id
        }

        fn operation(&self) -> AddMachineKey {
            AddMachineKey {
                user_id: self.user_id.clone(),
                key_type: KeyType::Json,
                expiration: self.expiration,
                public_key: self.public_key.clone(),
            }
        }

        fn encode(key: NewMachineKey) -> Value {
            json::object(json!({
                "creationDate": date(&key.details),
                "keyId": key.key_id,
                "keyContent": key_file(&key.key_file),
            }))
        }
    }

    /// RemoveKey: in the user's org.
    #[derive(Debug)]
    pub struct RemoveKeyRequest {
        user_id: UserId,
        key_id: String,
    }

    impl V2 for RemoveKeyRequest {
        type Op = RemoveMachineKey;
        const PROCEDURE: &'static str = "/zitadel.user.v2.UserService/RemoveKey";
        const REST: Option<HttpRoute> = Some(HttpRoute::delete("/v2/users/{userId}/keys/{keyId}"));
        const REQUEST: &'static str = "RemoveKeyRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            Ok(RemoveKeyRequest {
                user_id: UserId(message.string("userId")?),
                key_id: message.string("keyId")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)?;
            validate::required(Self::REQUEST, "KeyId", &self.key_id)
        }

        fn acts_in(&self) -> ActsIn {
            ActsIn::OwnerOf(user_key(&self.user_id))
        }

        fn is_about(&self, user_id: &str) -> bool {
            self.user_id.0 == user_id
        }

        fn operation(&self) -> RemoveMachineKey {
            RemoveMachineKey {
                user_id: self.user_id.clone(),
                key_id: self.key_id.clone(),
            }
        }

        fn encode(details: Details) -> Value {
            json!({ "deletionDate": date(&details) })
        }
    }
}
