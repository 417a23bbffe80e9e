//! The local API started in-process on a free port, with its own table (on an in-memory
//! dynoxide, or on the DynamoDB that `DYNAMODB_ENDPOINT` names), and a real HTTP client. Nothing
//! is written to disk, but by a start in a `DataDir`, which removes itself.

use std::path::PathBuf;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use reqwest::Method;
use serde_json::{json, Value};
use shared::config::Config;
use shared::domain::instance::FirstAdmin;

use crate::fault_proxy::FaultProxy;

pub const ZITADEL_SCOPE: &str = "openid urn:zitadel:iam:org:project:id:zitadel:aud";

/// The running API and an HTTP client for it. Dropping it stops the server (see `Drop`), so a
/// test ends its API by ending, also when it panics; `stop` is for a test that starts another
/// API after this one (on the same port or data directory) and needs this one gone first.
pub struct Api {
    /// `None` only once `stop` or `drop` has taken it.
    running: Option<local::Running>,
    pub http: reqwest::Client,
}

/// An answer: status and JSON body (Null when the body is not JSON).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    /// Asserts ZITADEL's error: HTTP status, gRPC code and the id in the message.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: i64, id: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.body["code"], code, "{}", self.body);
        let message = self.body["message"].as_str().unwrap_or_default();
        assert!(
            message.ends_with(&format!("({id})")),
            "expected id {id} in {message:?}"
        );
        assert_eq!(self.body["details"][0]["id"], id, "{}", self.body);
    }

    /// Asserts a Connect error: HTTP status, Connect code, and the id in the message and in
    /// the ErrorDetail (protobuf `{1: id, 2: message}`, base64) when `id` is given.
    #[track_caller]
    pub fn assert_connect_error(&self, status: u16, code: &str, id: Option<&str>) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.body["code"], code, "{}", self.body);
        let Some(id) = id else {
            assert!(self.body.get("details").is_none(), "{}", self.body);
            return;
        };
        let message = self.body["message"].as_str().unwrap_or_default();
        assert!(message.ends_with(&format!("({id})")), "{message:?}");
        let detail = &self.body["details"][0];
        assert_eq!(detail["type"], "zitadel.v1.ErrorDetail", "{}", self.body);
        let value = detail["value"].as_str().expect("a base64 value");
        let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(value.trim_end_matches('='))
            .expect("base64");
        assert_eq!(bytes[0], 0x0a, "field 1, length-delimited");
        assert_eq!(&bytes[2..2 + bytes[1] as usize], id.as_bytes());
    }

    #[track_caller]
    pub fn assert_ok(&self) -> &Value {
        assert_eq!(self.status, 200, "{}", self.body);
        &self.body
    }

    pub fn sequence(&self) -> u64 {
        self.body["details"]["sequence"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_default()
    }
}

/// A data directory of a test's own under the system's temp dir, and a table name to go with it
/// (for a `DYNAMODB_ENDPOINT` that other runs share). Dropping it removes the directory and all
/// that a start kept there (database, key, admin.json), also when the test fails half-way.
pub struct DataDir {
    pub path: PathBuf,
    table: String,
}

impl DataDir {
    pub fn new(name: &str) -> DataDir {
        let unique = uuid::Uuid::new_v4().simple().to_string();
        DataDir {
            path: std::env::temp_dir().join(format!("zitadel-lite-{name}-{unique}")),
            table: format!("{name}-{unique}"),
        }
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        // Absent when no start got as far as creating it.
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

impl Api {
    /// The API on storage and a key of its own, in memory: nothing is written to disk.
    pub async fn start() -> Api {
        let running = local::start_ephemeral().await.expect("local API starts");
        Api::new(running)
    }

    /// `start`, and an access token of the first admin (IAM_OWNER): most tests' opening.
    pub async fn start_with_admin() -> (Api, String) {
        let api = Api::start().await;
        let admin_token = api.admin_token().await;
        (api, admin_token)
    }

    /// The API keeping its database, key and admin.json in `data_dir`, as `make run` does: a
    /// second start on the same directory finds them again.
    pub async fn start_in(data_dir: &DataDir) -> Api {
        Api::start_in_with(data_dir, |_| {}).await
    }

    /// `start_in`, with the configuration changed by `change` first.
    pub async fn start_in_with(data_dir: &DataDir, change: impl FnOnce(&mut Config)) -> Api {
        let mut config = Config::from_env().expect("configuration from the environment");
        change(&mut config);
        config.table_name = data_dir.table.clone();
        let running = local::start(config, 0, Some(&data_dir.path))
            .await
            .expect("local API starts");
        Api::new(running)
    }

    /// The API on a DynamoDB behind a `FaultProxy` (DynamoDB Local when `DYNAMODB_ENDPOINT`
    /// names it, else an in-memory dynoxide of the test's own).
    pub async fn start_behind_fault_proxy() -> (Api, FaultProxy) {
        let mut config = Config::from_env().expect("configuration from the environment");
        let upstream = match config.dynamodb_endpoint.clone() {
            Some(endpoint) => endpoint,
            None => {
                let embedded = local::embedded::EmbeddedDynamo::start(None)
                    .await
                    .expect("dynoxide starts");
                // Lives as long as the test process.
                Box::leak(Box::new(embedded)).endpoint.clone()
            }
        };
        let proxy = FaultProxy::start(upstream).await;
        config.dynamodb_endpoint = Some(proxy.url.clone());
        config.table_name = format!("faults-{}", uuid::Uuid::new_v4().simple());
        let running = local::start(config, 0, None)
            .await
            .expect("local API starts");
        (Api::new(running), proxy)
    }

    /// The API as some test started it.
    pub fn from_running(running: local::Running) -> Api {
        Api::new(running)
    }

    fn new(running: local::Running) -> Api {
        Api {
            running: Some(running),
            http: reqwest::Client::new(),
        }
    }

    /// What `local::start` gave: the URL, the app (config, store, keys) and the first admin.
    pub fn running(&self) -> &local::Running {
        self.running
            .as_ref()
            .expect("an Api runs until stop or drop takes it")
    }

    /// What a process of the API keeps: config, store client, keys.
    pub fn app(&self) -> &'static shared::App {
        self.running().app
    }

    pub fn admin(&self) -> &FirstAdmin {
        self.running()
            .admin
            .as_ref()
            .expect("a fresh start creates the first admin")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.running().url)
    }

    /// DynamoDB round trips so far.
    pub fn dynamo_calls(&self) -> u64 {
        self.app().store.metrics().calls()
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.expect("the local API answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        Answer {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            headers,
        }
    }

    /// A management call with a bearer token, an optional org and an optional JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        org: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut request = self.http.request(method, self.url(path)).bearer_auth(token);
        if let Some(org) = org {
            request = request.header("x-zitadel-orgid", org);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        self.send(request).await
    }

    /// A Connect call (`zitadel.user.v2.UserService/AddSecret`) with a JSON message.
    pub async fn connect(&self, procedure: &str, token: &str, message: Value) -> Answer {
        let request = self
            .http
            .post(self.url(&format!("/{procedure}")))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(message.to_string());
        self.send(request).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, token, None, None).await
    }
    pub async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::POST, path, token, None, Some(body)).await
    }
    pub async fn put(&self, path: &str, token: &str) -> Answer {
        self.call(Method::PUT, path, token, None, None).await
    }
    pub async fn delete(&self, path: &str, token: &str) -> Answer {
        self.call(Method::DELETE, path, token, None, None).await
    }

    /// The token endpoint with HTTP Basic client authentication.
    pub async fn token_request(&self, client_id: &str, secret: &str, scope: &str) -> Answer {
        let basic = STANDARD.encode(format!("{client_id}:{secret}"));
        let form = format!(
            "grant_type=client_credentials&scope={}",
            scope.replace(' ', "+").replace(':', "%3A")
        );
        let request = self
            .http
            .post(self.url("/oauth/v2/token"))
            .header("authorization", format!("Basic {basic}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form);
        self.send(request).await
    }

    pub async fn token(&self, client_id: &str, secret: &str, scope: &str) -> String {
        let answer = self.token_request(client_id, secret, scope).await;
        answer.assert_ok()["access_token"]
            .as_str()
            .expect("access_token")
            .to_string()
    }

    pub async fn admin_token(&self) -> String {
        let admin = self.admin();
        self.token(&admin.client_id, &admin.client_secret, ZITADEL_SCOPE)
            .await
    }

    /// A machine user in the token's org (or `org`); its id.
    pub async fn machine_user(&self, token: &str, org: Option<&str>, user_name: &str) -> String {
        let body = json!({"userName": user_name, "name": user_name});
        let answer = self
            .call(
                Method::POST,
                "/management/v1/users/machine",
                token,
                org,
                Some(body),
            )
            .await;
        answer.assert_ok()["userId"]
            .as_str()
            .expect("userId")
            .to_string()
    }

    /// A new secret for a machine user; the secret.
    pub async fn secret(&self, token: &str, org: Option<&str>, user_id: &str) -> String {
        let path = format!("/management/v1/users/{user_id}/secret");
        let answer = self.call(Method::PUT, &path, token, org, None).await;
        answer.assert_ok()["clientSecret"]
            .as_str()
            .expect("clientSecret")
            .to_string()
    }

    /// A machine user with a secret and, if `roles` is not empty, those roles in the admin's org;
    /// its id and a management token.
    pub async fn member(
        &self,
        admin_token: &str,
        user_name: &str,
        roles: &[&str],
    ) -> (String, String) {
        let id = self.machine_user(admin_token, None, user_name).await;
        let secret = self.secret(admin_token, None, &id).await;
        if !roles.is_empty() {
            let body = json!({"userId": id, "roles": roles});
            self.post("/management/v1/orgs/me/members", admin_token, body)
                .await
                .assert_ok();
        }
        let token = self.token(user_name, &secret, ZITADEL_SCOPE).await;
        (id, token)
    }

    /// A new org (the caller becomes its owner); its id.
    pub async fn org(&self, token: &str, name: &str) -> String {
        let answer = self
            .post("/management/v1/orgs", token, json!({"name": name}))
            .await;
        answer.assert_ok()["id"].as_str().expect("id").to_string()
    }

    pub async fn project(&self, token: &str, name: &str, roles: &[&str]) -> String {
        let answer = self
            .post("/management/v1/projects", token, json!({"name": name}))
            .await;
        let id = answer.assert_ok()["id"].as_str().expect("id").to_string();
        for role in roles {
            let body = json!({"roleKey": role, "displayName": role});
            self.post(&format!("/management/v1/projects/{id}/roles"), token, body)
                .await
                .assert_ok();
        }
        id
    }

    pub async fn grant(
        &self,
        token: &str,
        user_id: &str,
        project_id: &str,
        roles: &[&str],
    ) -> String {
        let body = json!({"projectId": project_id, "roleKeys": roles});
        let answer = self
            .post(
                &format!("/management/v1/users/{user_id}/grants"),
                token,
                body,
            )
            .await;
        answer.assert_ok()["userGrantId"]
            .as_str()
            .expect("userGrantId")
            .to_string()
    }

    /// A machine user in the token's org, a project "App" with `roles`, and a grant of those
    /// roles to the user; the user's, the project's and the grant's ids.
    pub async fn granted_user(
        &self,
        token: &str,
        user_name: &str,
        roles: &[&str],
    ) -> (String, String, String) {
        let user = self.machine_user(token, None, user_name).await;
        let project = self.project(token, "App", roles).await;
        let grant = self.grant(token, &user, &project, roles).await;
        (user, project, grant)
    }

    /// The user's history as (sequence, event type) pairs, oldest first.
    pub async fn history(&self, token: &str, user_id: &str) -> Vec<(u64, String)> {
        let path = format!("/management/v1/users/{user_id}/changes/_search");
        let answer = self
            .post(&path, token, json!({"query": {"asc": true}}))
            .await;
        answer.assert_ok()["result"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|c| {
                let seq = c["sequence"].as_str().unwrap().parse().unwrap();
                let key = c["eventType"]["key"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("EventTypes.")
                    .to_string();
                (seq, key)
            })
            .collect()
    }

    /// Stops the server and its dynoxide and waits until both are gone (the port and the data
    /// directory free for the next start). A test that ends with its API needs no call: `drop`.
    pub async fn stop(mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await;
        }
    }
}

impl Drop for Api {
    /// The synchronous stop, at the test's end or in its panic. `local::Running::stop` is
    /// async: it signals shutdown to the server and to its dynoxide, then awaits both tasks.
    /// Dropping `Running` drops those shutdown senders, which is the same signal: each stops
    /// accepting when next polled. Their tasks cannot be awaited or aborted from here
    /// (`Running` keeps the handles); the test's runtime, dropped as the test ends, aborts what
    /// is left of them.
    fn drop(&mut self) {
        drop(self.running.take());
    }
}

/// The payload of a JWT, unverified.
pub fn claims(token: &str) -> Value {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = token.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}
