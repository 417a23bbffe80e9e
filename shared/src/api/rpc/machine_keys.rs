//! A machine user's authentication keys (JWT profile), v1 and v2 side by side.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value};

use crate::api::body::JsonBody;
use crate::api::json;
use crate::domain::machine_key::AuthNKey;
use crate::error::{excerpt, Code, Error, Result, MAX_QUOTED_CHARS};

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

    use super::{bytes, key_file, key_v1};
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
                expiration: body.optional_timestamp("expirationDate")?,
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

    // The requests that name a user's key in the path (`{userId}`, `{keyId}`).
    user_credential_by_ids! {
        key_id: "keyId", "KeyId";
        GetMachineKeyByIdsRequest: "GetMachineKeyByIDsRequest",
            HttpRoute::get("/management/v1/users/{userId}/keys/{keyId}"),
            GetMachineKeyById, |key: AuthNKey| json!({ "key": key_v1(&key) });
        RemoveMachineKeyRequest: "RemoveMachineKeyRequest",
            HttpRoute::delete("/management/v1/users/{userId}/keys/{keyId}"),
            RemoveMachineKey, |details: Details| json::details_only(&details);
    }
}

pub mod v2 {
    //! zitadel.user.v2.UserService: AddKey, ListKeys, RemoveKey (a user may manage its own
    //! keys).

    use serde_json::{json, Value};

    use super::{bytes, key_file};
    use crate::api::body::{EnumField, JsonBody, Page};
    use crate::api::route::HttpRoute;
    use crate::api::v2::{date, date_of, ActsIn, V2};
    use crate::api::{json, validate};
    use crate::domain::id::user_key;
    use crate::domain::machine_key::{
        AddMachineKey, KeyField, KeyFilter, KeyPage, KeyType, ListKeys, NewMachineKey,
        RemoveMachineKey, TimestampMethod,
    };
    use crate::domain::{Details, UserId};
    use crate::error::{Error, Result};
    use crate::time::Timestamp;

    /// How many filters ListKeys reads (ZITADEL's lists take 20 queries too).
    const MAX_FILTERS: usize = 20;

    /// One of ListKeys' filters as sent: which, and its value (a timestamp filter's method may
    /// name no value, which `validate` refuses).
    #[derive(Debug)]
    enum SentFilter {
        Id(&'static str, String),
        Date(&'static str, Option<Timestamp>, EnumField<TimestampMethod>),
        /// A filter with none of the oneof's members.
        Empty,
    }

    /// ListKeys: one user's keys (its `userIdFilter` is required here), filtered by key id,
    /// org, creation or expiration date, sorted and paged.
    #[derive(Debug)]
    pub struct ListKeysRequest {
        page: Page,
        sorting_column: EnumField<KeyField>,
        filters: Vec<SentFilter>,
    }

    impl ListKeysRequest {
        /// The user the first user filter names.
        fn user_id(&self) -> Option<&str> {
            self.filters.iter().find_map(|filter| match filter {
                SentFilter::Id("userIdFilter", id) => Some(id.as_str()),
                _ => None,
            })
        }
    }

    impl V2 for ListKeysRequest {
        type Op = ListKeys;
        const PROCEDURE: &'static str = "/zitadel.user.v2.UserService/ListKeys";
        const REST: Option<HttpRoute> = Some(HttpRoute::post("/v2/users/keys/search"));
        const REQUEST: &'static str = "ListKeysRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            let mut filters = Vec::new();
            for filter in message.objects("filters", MAX_FILTERS)? {
                filter.oneof(
                    "zitadel.user.v2.KeysSearchFilter.filter",
                    &[
                        "createdDateFilter",
                        "expirationDateFilter",
                        "keyIdFilter",
                        "userIdFilter",
                        "organizationIdFilter",
                    ],
                )?;
                let mut sent = SentFilter::Empty;
                for name in ["keyIdFilter", "userIdFilter", "organizationIdFilter"] {
                    if filter.has(name) {
                        sent = SentFilter::Id(name, filter.object(name)?.string("id")?);
                    }
                }
                for name in ["createdDateFilter", "expirationDateFilter"] {
                    if filter.has(name) {
                        let date = filter.object(name)?;
                        sent = SentFilter::Date(
                            name,
                            date.optional_timestamp("timestamp")?,
                            EnumField::read(&date, "method")?,
                        );
                    }
                }
                filters.push(sent);
            }
            Ok(ListKeysRequest {
                page: message.page("pagination")?,
                sorting_column: EnumField::read(message, "sortingColumn")?,
                filters,
            })
        }

        fn validate(&self) -> Result<()> {
            self.sorting_column
                .validate(Self::REQUEST, "SortingColumn")?;
            for filter in &self.filters {
                match filter {
                    SentFilter::Empty => {
                        return Err(Error::invalid("GRPC-vR9nC", "List.Query.Invalid"))
                    }
                    SentFilter::Id(_, id) => validate::required("IDFilter", "Id", id)?,
                    SentFilter::Date(_, _, method) => {
                        method.validate("TimestampFilter", "Method")?
                    }
                }
            }
            if self.user_id().is_none() {
                return Err(Error::invalid(
                    "USERv2-KeyUsr",
                    "Errors.User.Machine.Key.UserFilterRequired: ListKeys lists one user's keys, \
                     named by a userIdFilter",
                ));
            }
            Ok(())
        }

        fn acts_in(&self) -> ActsIn {
            ActsIn::OwnerOf(self.user_id().and_then(user_key))
        }

        fn is_about(&self, user_id: &str) -> bool {
            self.user_id() == Some(user_id)
        }

        fn operation(&self) -> ListKeys {
            let filters = self
                .filters
                .iter()
                .filter_map(|filter| match filter {
                    SentFilter::Id("keyIdFilter", id) => Some(KeyFilter::KeyId(id.clone())),
                    SentFilter::Id("userIdFilter", id) => Some(KeyFilter::UserId(id.clone())),
                    SentFilter::Id(_, id) => Some(KeyFilter::OrganizationId(id.clone())),
                    SentFilter::Date(name, at, method) => {
                        // An absent timestamp is protobuf's zero: the epoch.
                        let at = at.unwrap_or_default();
                        let method = method.value().unwrap_or(TimestampMethod::Equals);
                        Some(match *name {
                            "createdDateFilter" => KeyFilter::Created(method, at),
                            _ => KeyFilter::Expiration(method, at),
                        })
                    }
                    SentFilter::Empty => None,
                })
                .collect();
            ListKeys {
                user_id: UserId(self.user_id().unwrap_or_default().to_string()),
                filters,
                sort: self.sorting_column.value().unwrap_or_default(),
                offset: self.page.offset,
                limit: self.page.limit,
                ascending: self.page.ascending,
            }
        }

        fn encode(page: KeyPage) -> Value {
            let result: Vec<Value> = page
                .keys
                .iter()
                .map(|key| {
                    json::object(json!({
                        "creationDate": date_of(key.details.creation_date),
                        "changeDate": date_of(key.details.change_date),
                        "id": key.id,
                        "userId": key.user_id,
                        "organizationId": key.org_id,
                        "expirationDate": key.expiration.to_rfc3339(),
                    }))
                })
                .collect();
            json::object(json!({
                "pagination": {
                    "totalResult": page.total.to_string(),
                    "appliedLimit": page.limit.to_string(),
                },
                "result": result,
            }))
        }
    }

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
                expiration: message.optional_timestamp("expirationDate")?,
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

    v2_user_credential_removal! {
        /// RemoveKey: in the user's org.
        RemoveKeyRequest: "/zitadel.user.v2.UserService/RemoveKey",
            HttpRoute::delete("/v2/users/{userId}/keys/{keyId}"), RemoveMachineKey,
            key_id: "keyId", "KeyId"
    }
}
