//! An API app's authentication keys (`private_key_jwt`), management v1 only (ZITADEL has no v2
//! twins): AddAppKey, ListAppKeys, GetAppKey, RemoveAppKey.

pub mod v1 {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use serde_json::{json, Value};

    use crate::api::body::{EnumField, Page};
    use crate::api::route::HttpRoute;
    use crate::api::v1::{Rest, RestV1};
    use crate::api::{json, validate};
    use crate::domain::app_key::{
        AddAppKey, AppKey, AppKeyPage, GetAppKey, KeyType, ListAppKeys, NewAppKey, RemoveAppKey,
    };
    use crate::domain::{Details, ProjectId};
    use crate::error::{Error, Result};
    use crate::time::Timestamp;

    /// A key as ZITADEL's `zitadel.authn.v1.Key`.
    fn key_v1(key: &AppKey) -> Value {
        json::object(json!({
            "id": key.id,
            "details": json::details(&key.details),
            "type": key.key_type.name(),
            "expirationDate": key.expiration.to_rfc3339(),
        }))
    }

    /// AddAppKey: a generated key, answered once in `keyDetails` (base64 of the key file).
    #[derive(Debug)]
    pub struct AddAppKeyRequest {
        project_id: ProjectId,
        app_id: String,
        key_type: EnumField<KeyType>,
        expiration: Option<Timestamp>,
    }

    impl RestV1 for AddAppKeyRequest {
        type Op = AddAppKey;
        const ROUTE: HttpRoute =
            HttpRoute::post("/management/v1/projects/{projectId}/apps/{appId}/keys");
        const REQUEST: &'static str = "AddAppKeyRequest";

        fn decode(request: &Rest) -> Result<Self> {
            let body = &request.body;
            Ok(AddAppKeyRequest {
                project_id: ProjectId(request.path("projectId")),
                app_id: request.path("appId"),
                key_type: EnumField::read(body, "type")?,
                expiration: body.optional_timestamp("expirationDate")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "ProjectId", &self.project_id)?;
            validate::required(Self::REQUEST, "AppId", &self.app_id)?;
            self.key_type.validate(Self::REQUEST, "Type")?;
            if self.key_type.value() == Some(KeyType::Unspecified) {
                return Err(Error::validation(format!(
                    "invalid {}.Type: value must not be in list [0]",
                    Self::REQUEST
                )));
            }
            Ok(())
        }

        fn operation(&self) -> AddAppKey {
            AddAppKey {
                project_id: self.project_id.clone(),
                app_id: self.app_id.clone(),
                key_type: self.key_type.value().unwrap_or(KeyType::Json),
                expiration: self.expiration,
            }
        }

        fn encode(key: NewAppKey) -> Value {
            json::object(json!({
                "id": key.key_id,
                "details": json::details(&key.details),
                "keyDetails": STANDARD.encode(&key.key_file),
            }))
        }
    }

    /// ListAppKeys: an app's keys, paged by ZITADEL's ListQuery.
    #[derive(Debug)]
    pub struct ListAppKeysRequest {
        project_id: ProjectId,
        app_id: String,
        page: Page,
    }

    impl RestV1 for ListAppKeysRequest {
        type Op = ListAppKeys;
        const ROUTE: HttpRoute =
            HttpRoute::post("/management/v1/projects/{projectId}/apps/{appId}/keys/_search");
        const REQUEST: &'static str = "ListAppKeysRequest";

        fn decode(request: &Rest) -> Result<Self> {
            Ok(ListAppKeysRequest {
                project_id: ProjectId(request.path("projectId")),
                app_id: request.path("appId"),
                page: request.body.page("query")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "ProjectId", &self.project_id)?;
            validate::required(Self::REQUEST, "AppId", &self.app_id)
        }

        fn operation(&self) -> ListAppKeys {
            ListAppKeys {
                project_id: self.project_id.clone(),
                app_id: self.app_id.clone(),
                offset: self.page.offset,
                limit: self.page.limit,
                ascending: self.page.ascending,
            }
        }

        fn encode(page: AppKeyPage) -> Value {
            json::object(json!({
                "details": {
                    "totalResult": page.total.to_string(),
                    "viewTimestamp": Timestamp::now().to_rfc3339(),
                },
                "result": page.keys.iter().map(key_v1).collect::<Vec<_>>(),
            }))
        }
    }

    /// The requests that name an app's key in the path (`{projectId}`, `{appId}`, `{keyId}`).
    macro_rules! app_key_by_ids {
        ($($(#[$doc:meta])* $request:ident: $name:literal, $route:expr, $operation:ident,
            |$output:ident: $ty:ty| $encode:expr;)*) => {$(
            $(#[$doc])*
            #[derive(Debug)]
            pub struct $request {
                project_id: ProjectId,
                app_id: String,
                key_id: String,
            }

            impl RestV1 for $request {
                type Op = $operation;
                const ROUTE: HttpRoute = $route;
                const REQUEST: &'static str = $name;

                fn decode(request: &Rest) -> Result<Self> {
                    Ok($request {
                        project_id: ProjectId(request.path("projectId")),
                        app_id: request.path("appId"),
                        key_id: request.path("keyId"),
                    })
                }

                fn validate(&self) -> Result<()> {
                    validate::required(Self::REQUEST, "ProjectId", &self.project_id)?;
                    validate::required(Self::REQUEST, "AppId", &self.app_id)?;
                    validate::required(Self::REQUEST, "KeyId", &self.key_id)
                }

                fn operation(&self) -> $operation {
                    $operation {
                        project_id: self.project_id.clone(),
                        app_id: self.app_id.clone(),
                        key_id: self.key_id.clone(),
                    }
                }

                fn encode($output: $ty) -> Value {
                    $encode
                }
            }
        )*};
    }

    app_key_by_ids! {
        /// GetAppKey: one key's public data.
        GetAppKeyRequest: "GetAppKeyRequest",
            HttpRoute::get("/management/v1/projects/{projectId}/apps/{appId}/keys/{keyId}"),
            GetAppKey, |key: AppKey| json!({ "key": key_v1(&key) });
        /// RemoveAppKey: the key stops working at once.
        RemoveAppKeyRequest: "RemoveAppKeyRequest",
            HttpRoute::delete("/management/v1/projects/{projectId}/apps/{appId}/keys/{keyId}"),
            RemoveAppKey, |details: Details| json::details_only(&details);
    }
}
