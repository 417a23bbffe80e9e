//! Machine keys in tests: a key file from AddMachineKey (`Api::machine_key`), assertions signed
//! with it as an SDK signs them (`KeyFile::assertion`, any claims changed or removed), and the
//! JWT-profile grant (`Api::jwt_profile_request`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

use crate::api::{Answer, Api};

pub const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// ZITADEL's key file, as AddMachineKey answers it (base64 in `keyDetails`).
#[derive(Debug, Clone)]
pub struct KeyFile {
    pub key_id: String,
    pub user_id: String,
    /// The PKCS#1 PEM.
    pub key: String,
    pub json: Value,
}

impl KeyFile {
    /// From the base64 of a key file (`keyDetails`, `keyContent`).
    pub fn from_base64(encoded: &str) -> KeyFile {
        let bytes = STANDARD.decode(encoded).expect("base64 key file");
        let json: Value = serde_json::from_slice(&bytes).expect("a JSON key file");
        KeyFile {
            key_id: json["keyId"].as_str().expect("keyId").to_string(),
            user_id: json["userId"].as_str().expect("userId").to_string(),
            key: json["key"].as_str().expect("key").to_string(),
            json,
        }
    }

    /// The claims an SDK sends: `iss` = `sub` = the user, `aud` the issuer, an hour's life.
    pub fn claims(&self, issuer: &str) -> Value {
        let now = now();
        json!({"iss": self.user_id, "sub": self.user_id, "aud": issuer, "iat": now, "exp": now + 3600})
    }

    /// An RS256 assertion under the key's id with `claims`.
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_as(&self.key_id, Algorithm::RS256, claims)
    }

    /// An assertion under any `kid` and algorithm (RS256, PS256).
    pub fn sign_as(&self, kid: &str, algorithm: Algorithm, claims: &Value) -> String {
        let mut header = Header::new(algorithm);
        header.kid = Some(kid.to_string());
        let key = EncodingKey::from_rsa_pem(self.key.as_bytes()).expect("a PKCS#1 PEM");
        jsonwebtoken::encode(&header, claims, &key).expect("signed")
    }

    /// The assertion an SDK makes for `issuer`.
    pub fn assertion(&self, issuer: &str) -> String {
        self.sign(&self.claims(issuer))
    }
}

/// Seconds since the epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

impl Api {
    /// The issuer assertions must name.
    pub fn issuer(&self) -> String {
        self.app()
            .config
            .issuer
            .clone()
            .expect("local::start sets the issuer")
    }

    /// A generated key of `user_id` (v1 AddMachineKey, in the token's org): its key file.
    pub async fn machine_key(&self, token: &str, user_id: &str) -> KeyFile {
        let path = format!("/management/v1/users/{user_id}/keys");
        let answer = self
            .post(&path, token, json!({"type": "KEY_TYPE_JSON"}))
            .await;
        KeyFile::from_base64(
            answer.assert_ok()["keyDetails"]
                .as_str()
                .expect("keyDetails"),
        )
    }

    /// The JWT-profile grant with `assertion` (none: the field is left out).
    pub async fn jwt_profile_request(&self, assertion: Option<&str>, scope: &str) -> Answer {
        let mut form = vec![("grant_type", JWT_BEARER), ("scope", scope)];
        if let Some(assertion) = assertion {
            form.push(("assertion", assertion));
        }
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let request = self
            .http
            .post(self.url("/oauth/v2/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    /// A token by the JWT-profile grant, which must be issued.
    pub async fn jwt_profile_token(&self, key: &KeyFile, scope: &str) -> String {
        let answer = self
            .jwt_profile_request(Some(&key.assertion(&self.issuer())), scope)
            .await;
        answer.assert_ok()["access_token"]
            .as_str()
            .expect("access_token")
            .to_string()
    }
}
