//! API apps with `private_key_jwt` in tests: such an app (`Api::key_jwt_app`), a key file from
//! AddAppKey (`Api::app_key`, read as a `KeyFile` whose subject is the client id), and
//! introspection authenticated by a client assertion (`Api::introspect_with_assertion`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use crate::api::{Answer, Api};
use crate::keys::KeyFile;

/// RFC 7523's client assertion type.
pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A `private_key_jwt` API app: its ids.
#[derive(Debug, Clone)]
pub struct KeyJwtApp {
    pub project_id: String,
    pub app_id: String,
    pub client_id: String,
}

impl KeyJwtApp {
    pub fn keys_path(&self) -> String {
        format!(
            "/management/v1/projects/{}/apps/{}/keys",
            self.project_id, self.app_id
        )
    }
}

/// An application key file (base64 in AddAppKey's `keyDetails`) as a `KeyFile` that signs as
/// the app: its `user_id` (the assertion's `iss` and `sub`) is the client id.
pub fn app_key_file(encoded: &str) -> KeyFile {
    let bytes = STANDARD.decode(encoded).expect("base64 key file");
    let json: Value = serde_json::from_slice(&bytes).expect("a JSON key file");
    KeyFile {
        key_id: json["keyId"].as_str().expect("keyId").to_string(),
        user_id: json["clientId"].as_str().expect("clientId").to_string(),
        key: json["key"].as_str().expect("key").to_string(),
        json,
    }
}

impl Api {
    /// A `private_key_jwt` API app of `project` (AddAPIApp as the token's caller).
    pub async fn key_jwt_app(&self, token: &str, project: &str) -> KeyJwtApp {
        let body =
            json!({"name": "key-api", "authMethodType": "API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT"});
        let path = format!("/management/v1/projects/{project}/apps/api");
        let answer = self.post(&path, token, body).await;
        let app = answer.assert_ok();
        KeyJwtApp {
            project_id: project.to_string(),
            app_id: app["appId"].as_str().expect("appId").to_string(),
            client_id: app["clientId"].as_str().expect("clientId").to_string(),
        }
    }

    /// A key of `app` (AddAppKey): its key file.
    pub async fn app_key(&self, token: &str, app: &KeyJwtApp) -> KeyFile {
        let answer = self
            .post(&app.keys_path(), token, json!({"type": "KEY_TYPE_JSON"}))
            .await;
        app_key_file(
            answer.assert_ok()["keyDetails"]
                .as_str()
                .expect("keyDetails"),
        )
    }

    /// Introspection of `token`, the app authenticated by `assertion`.
    pub async fn introspect_with_assertion(&self, assertion: &str, token: &str) -> Answer {
        let request = self.http.post(self.url("/oauth/v2/introspect")).form(&[
            ("client_assertion_type", CLIENT_ASSERTION_TYPE),
            ("client_assertion", assertion),
            ("token", token),
        ]);
        self.send(request).await
    }
}
