//! What each function is asked in the benchmark: `count` requests that each do the endpoint's
//! real work (a fresh user to remove, a fresh grant to deactivate, ...), with the state they
//! need prepared beforehand through the domain layer.

use std::collections::HashMap;
use std::future::Future;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use shared::config::Argon2Params;
use shared::domain::app::AddApiApp;
use shared::domain::grant::{AddUserGrant, DeactivateUserGrant};
use shared::domain::instance::FirstAdmin;
use shared::domain::machine_key::{AddMachineKey, KeyType};
use shared::domain::member::AddOrgMember;
use shared::domain::pat::{AddPersonalAccessToken, V1_SCOPES};
use shared::domain::project::{AddProject, AddProjectRole};
use shared::domain::user::{AddMachineUser, DeactivateUser, GenerateMachineSecret};
use shared::domain::{run_as, Actor, Operation};
use shared::routes::{match_route, Matched, Route};
use shared::App;

use local::event::{api_gateway_event, HttpRequest};

/// Cheap hashing for preparing secrets that are only removed, never checked.
const SETUP_ARGON2: Argon2Params = Argon2Params {
    memory_kib: 8,
    iterations: 1,
    parallelism: 1,
};

/// How many preparation steps run at once: the embedded DynamoDB and the SDK overlap their
/// work, which makes preparing thousands of users and grants several times faster.
const PREPARATION_CONCURRENCY: usize = 16;

/// One HTTP request, as a client sends it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: &'static str,
    pub path: String,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The API Gateway event for this request, as API Gateway would route it.
    pub fn event(&self, routes: &[Route]) -> Value {
        let (route_key, params) = match match_route(routes, self.method, &self.path) {
            Matched::Route(route, params) => (format!("{} {}", route.method, route.path), params),
            _ => ("$default".to_string(), HashMap::new()),
        };
        let http = HttpRequest {
            method: self.method,
            path: &self.path,
            query: "",
            headers: self.headers.clone(),
            body: self.body.as_bytes(),
            source_ip: "127.0.0.1",
        };
        api_gateway_event(&http, &route_key, &params)
    }
}

/// Runs an operation as `actor`, straight through the domain (no HTTP, no token), with cheap
/// hashing for the secrets it makes.
async fn run<Op: Operation>(app: &App, actor: &Actor, operation: Op) -> Op::Output {
    let mut config = app.config.clone();
    config.argon2 = SETUP_ARGON2;
    run_as(&app.store, &config, actor, operation)
        .await
        .expect("prepared")
}

pub struct Fixtures {
    pub app: &'static App,
    pub admin: FirstAdmin,
    pub token: String,
    pub actor: Actor,
}

impl Fixtures {
    /// A request to `binary`'s first declared route (its v1 route) with `params` in its path.
    fn call(&self, binary: &str, params: &[(&str, &str)], body: Value) -> Request {
        let (method, path) = route(binary, params);
        self.request(method, path, body)
    }

    fn request(&self, method: &'static str, path: String, body: Value) -> Request {
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        Request {
            method,
            path,
            body,
            headers: vec![
                ("authorization".into(), format!("Bearer {}", self.token)),
                ("content-type".into(), "application/json".into()),
                ("host".into(), "bench.local".into()),
            ],
        }
    }

    /// `each` for every item, `PREPARATION_CONCURRENCY` at a time, with the app and the
    /// admin as actor; the outputs in no given order.
    async fn in_parallel<I, T, F, Fut>(&self, items: impl IntoIterator<Item = I>, each: F) -> Vec<T>
    where
        T: Send + 'static,
        F: Fn(&'static App, Actor, I) -> Fut,
        Fut: Future<Output = T> + Send + 'static,
    {
        let mut running = tokio::task::JoinSet::new();
        let mut done = Vec::new();
        for item in items {
            if running.len() >= PREPARATION_CONCURRENCY {
                done.push(
                    running
                        .join_next()
                        .await
                        .expect("a task")
                        .expect("prepared"),
                );
            }
            running.spawn(each(self.app, self.actor.clone(), item));
        }
        while let Some(output) = running.join_next().await {
            done.push(output.expect("prepared"));
        }
        done
    }

    async fn users(&self, count: usize) -> Vec<String> {
        self.in_parallel(0..count, |app, actor, _| async move {
            let new = AddMachineUser {
                user_name: format!("u-{}", uuid::Uuid::new_v4().simple()),
                name: "Bench".into(),
                ..Default::default()
            };
            run(app, &actor, new).await.0 .0
        })
        .await
    }

    async fn project_with_role(&self) -> String {
        let new = AddProject {
            name: format!("p-{}", uuid::Uuid::new_v4().simple()),
            ..Default::default()
        };
        let (id, _) = run(self.app, &self.actor, new).await;
        let role = AddProjectRole {
            project_id: id.clone(),
            key: "reader".into(),
            display_name: "Reader".into(),
            group: String::new(),
        };
        run(self.app, &self.actor, role).await;
        id.0
    }

    /// An API app of a fresh project (its secret hashed with the configured, real cost: the
    /// introspection verifies it) and an active token of the admin for that project.
    async fn introspection_fixture(&self) -> (String, String, String) {
        let project = self.project_with_role().await;
        let new = AddApiApp {
            project_id: project.clone().into(),
            name: "api".into(),
            ..Default::default()
        };
        let app = run_as(&self.app.store, &self.app.config, &self.actor, new)
            .await
            .expect("prepared");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        let mut claims = shared::auth::jwt::verify(
            &self.token,
            &self.app.keys,
            self.app.config.issuer.as_deref().unwrap_or_default(),
            &self.app.config.zitadel_project_id,
        )
        .expect("the admin's token");
        claims.aud = vec![project];
        claims.exp = now + 3600;
        let signer = self.app.signer.as_ref().expect("the bench signs");
        let token = shared::auth::jwt::sign(&claims, signer).expect("signed");
        let secret = app.client_secret.expect("a Basic app has a secret");
        (app.client_id, secret, token)
    }

    /// `count` users with one grant each: (user, grant).
    async fn grants(&self, count: usize) -> Vec<(String, String)> {
        let project = self.project_with_role().await;
        let users = self.users(count).await;
        self.in_parallel(users, |app, actor, user_id| {
            let project = project.clone();
            async move {
                let new = AddUserGrant {
                    user_id: user_id.clone().into(),
                    project_id: project.into(),
                    role_keys: vec!["reader".to_string()],
                    ..Default::default()
                };
                let (grant_id, _) = run(app, &actor, new).await;
                (user_id, grant_id.0)
            }
        })
        .await
    }

    /// `count` requests for `binary`, each doing the endpoint's work once; `None` for a binary
    /// that has no scenario yet (the bench reports it as not measured).
    pub async fn requests(&self, binary: &str, count: usize) -> Option<Vec<Request>> {
        Some(self.scenario(binary, count).await).filter(|r| !r.is_empty())
    }

    async fn scenario(&self, binary: &str, count: usize) -> Vec<Request> {
        let unique = || uuid::Uuid::new_v4().simple().to_string();
        match binary {
            "add-org" => (0..count)
                .map(|_| self.call(binary, &[], json!({"name": unique()})))
                .collect(),
            "get-my-org" => {
                vec![self.call(binary, &[], Value::Null); count]
            }
            "add-org-member" => self
                .users(count)
                .await
                .into_iter()
                .map(|id| {
                    let body = json!({"userId": id, "roles": ["ORG_USER_MANAGER"]});
                    self.call(binary, &[], body)
                })
                .collect(),
            "add-machine-user" => (0..count)
                .map(|_| self.call(binary, &[], json!({"userName": unique(), "name": "x"})))
                .collect(),
            "get-user-by-id" => {
                let id = self.users(1).await.remove(0);
                vec![self.call(binary, &[("userId", &id)], Value::Null); count]
            }
            // The same read, authenticated by the admin's personal access token.
            "get-user-by-id+pat" => {
                let id = self.users(1).await.remove(0);
                let add = AddPersonalAccessToken {
                    user_id: self.admin.user_id.clone().into(),
                    expiration: None,
                    scopes: V1_SCOPES,
                };
                let pat = run(self.app, &self.actor, add).await.token;
                let mut request = self.call("get-user-by-id", &[("userId", &id)], Value::Null);
                for (name, value) in &mut request.headers {
                    if name == "authorization" {
                        *value = format!("Bearer {pat}");
                    }
                }
                vec![request; count]
            }
            "remove-user" => self
                .users(count)
                .await
                .into_iter()
                .map(|id| self.call(binary, &[("userId", &id)], Value::Null))
                .collect(),
            "deactivate-user" => self
                .users(count)
                .await
                .into_iter()
                .map(|id| self.call(binary, &[("userId", &id)], json!({})))
                .collect(),
            "reactivate-user" => {
                let users = self.users(count).await;
                self.in_parallel(users.clone(), |app, actor, id: String| async move {
                    run(app, &actor, DeactivateUser { user_id: id.into() }).await;
                })
                .await;
                users
                    .into_iter()
                    .map(|id| self.call(binary, &[("userId", &id)], json!({})))
                    .collect()
            }
            "generate-machine-secret" => {
                let id = self.users(1).await.remove(0);
                vec![self.call(binary, &[("userId", &id)], Value::Null); count]
            }
            "remove-machine-secret" => {
                let users = self.users(count).await;
                self.in_parallel(users.clone(), |app, actor, id: String| async move {
                    let generate = GenerateMachineSecret { user_id: id.into() };
                    run(app, &actor, generate).await;
                })
                .await;
                users
                    .into_iter()
                    .map(|id| self.call(binary, &[("userId", &id)], Value::Null))
                    .collect()
            }
            "add-user-grant" => {
                let project = self.project_with_role().await;
                self.users(count)
                    .await
                    .into_iter()
                    .map(|id| {
                        let body = json!({"projectId": project, "roleKeys": ["reader"]});
                        self.call(binary, &[("userId", &id)], body)
                    })
                    .collect()
            }
            "get-user-grant-by-id" => {
                let (user_id, grant_id) = self.grants(1).await.remove(0);
                vec![
                    self.call(
                        binary,
                        &[("userId", &user_id), ("grantId", &grant_id)],
                        Value::Null
                    );
                    count
                ]
            }
            "deactivate-user-grant" | "reactivate-user-grant" | "remove-user-grant" => {
                let grants = self.grants(count).await;
                if binary == "reactivate-user-grant" {
                    self.in_parallel(
                        grants.clone(),
                        |app, actor, (user_id, grant_id)| async move {
                            let deactivate = DeactivateUserGrant {
                                user_id: user_id.into(),
                                grant_id: grant_id.into(),
                                change: shared::domain::grant::Deactivate,
                            };
                            run(app, &actor, deactivate).await;
                        },
                    )
                    .await;
                }
                grants
                    .into_iter()
                    .map(|(user_id, grant_id)| {
                        let params = [("userId", user_id.as_str()), ("grantId", &grant_id)];
                        self.call(binary, &params, Value::Null)
                    })
                    .collect()
            }
            "list-user-changes" => {
                let id = self.users(1).await.remove(0);
                for _ in 0..3 {
                    let generate = GenerateMachineSecret {
                        user_id: id.clone().into(),
                    };
                    run(self.app, &self.actor, generate).await;
                }
                vec![self.call(binary, &[("userId", &id)], json!({})); count]
            }
            "add-project" => (0..count)
                .map(|_| self.call(binary, &[], json!({"name": unique()})))
                .collect(),
            "add-project-role" => {
                let project = self.project_with_role().await;
                (0..count)
                    .map(|_| {
                        let body = json!({"roleKey": unique(), "displayName": "Role"});
                        self.call(binary, &[("projectId", &project)], body)
                    })
                    .collect()
            }
            "oauth-token" => {
                let basic = STANDARD.encode(format!(
                    "{}:{}",
                    self.admin.client_id, self.admin.client_secret
                ));
                let request = Request {
                    method: "POST",
                    path: route(binary, &[]).1,
                    body: "grant_type=client_credentials&scope=openid+urn%3Azitadel%3Aiam%3Aorg%3Aproject%3Aid%3Azitadel%3Aaud"
                        .into(),
                    headers: vec![
                        ("authorization".into(), format!("Basic {basic}")),
                        ("content-type".into(), "application/x-www-form-urlencoded".into()),
                        ("host".into(), "bench.local".into()),
                    ],
                };
                vec![request; count]
            }
            "add-api-app" => {
                let project = self.project_with_role().await;
                let body = json!({"name": "api", "authMethodType": "API_AUTH_METHOD_TYPE_BASIC"});
                vec![self.call(binary, &[("projectId", &project)], body); count]
            }
            "oauth-introspect" => {
                let (client_id, secret, token) = self.introspection_fixture().await;
                let basic = STANDARD.encode(format!("{client_id}:{secret}"));
                let request = Request {
                    method: "POST",
                    path: route(binary, &[]).1,
                    body: format!("token={token}"),
                    headers: vec![
                        ("authorization".into(), format!("Basic {basic}")),
                        (
                            "content-type".into(),
                            "application/x-www-form-urlencoded".into(),
                        ),
                        ("host".into(), "bench.local".into()),
                    ],
                };
                vec![request; count]
            }
            "oauth-keys" => vec![self.call(binary, &[], Value::Null); count],
            "openid-configuration" => {
                vec![self.call(binary, &[], Value::Null); count]
            }
            "not-found" => {
                vec![self.request("GET", "/management/v1/nothing".into(), Value::Null); count]
            }
            // Issue 20, user operations.
            "list-users" => {
                // An exact userName among a hundred (the provisioning scripts' "ensure" lookup).
                self.users(99).await;
                let name = format!("u-{}", unique());
                let new = AddMachineUser {
                    user_name: name.clone(),
                    name: "Bench".into(),
                    ..Default::default()
                };
                run(self.app, &self.actor, new).await;
                let body = json!({"queries": [{"userNameQuery": {"userName": name}}]});
                vec![self.call(binary, &[], body); count]
            }
            "list-users (page of 100)" => {
                // A page of a hundred of the bench org's users, by userName, from its middle.
                self.users(200).await;
                let body = json!({"query": {"offset": 50, "limit": 100, "asc": true}});
                vec![self.call("list-users", &[], body); count]
            }
            "update-machine" => self
                .users(count)
                .await
                .into_iter()
                .map(|id| self.call(binary, &[("userId", &id)], json!({"name": unique()})))
                .collect(),
            "update-user-name" => self
                .users(count)
                .await
                .into_iter()
                .map(|id| {
                    let body = json!({ "userName": unique() });
                    self.call(binary, &[("userId", &id)], body)
                })
                .collect(),
            "update-org-member" | "remove-org-member" => {
                let members = self.members(count).await;
                let body = match binary {
                    "update-org-member" => json!({"roles": ["ORG_OWNER_VIEWER"]}),
                    _ => Value::Null,
                };
                members
                    .into_iter()
                    .map(|id| self.call(binary, &[("userId", &id)], body.clone()))
                    .collect()
            }
            "list-org-members" => {
                self.members(20).await;
                vec![self.call(binary, &[], json!({})); count]
            }
            "get-my-user" => vec![self.call(binary, &[], Value::Null); count],
            "list-projects" => {
                self.project_with_role().await;
                vec![self.call(binary, &[], json!({})); count]
            }
            "list-project-roles" => {
                let project = self.project_with_role().await;
                vec![self.call(binary, &[("projectId", &project)], json!({})); count]
            }
            // Each request changes a grant of its own from `reader` to `writer` (the role
            // checked in the transaction).
            "update-user-grant" => {
                let project = self.project_with_role().await;
                let writer = AddProjectRole {
                    project_id: project.clone().into(),
                    key: "writer".into(),
                    display_name: "Writer".into(),
                    group: String::new(),
                };
                run(self.app, &self.actor, writer).await;
                let users = self.users(count).await;
                let grants = self
                    .in_parallel(users, |app, actor, user_id| {
                        let project = project.clone();
                        async move {
                            let new = AddUserGrant {
                                user_id: user_id.clone().into(),
                                project_id: project.into(),
                                role_keys: vec!["reader".to_string()],
                                ..Default::default()
                            };
                            (user_id, run(app, &actor, new).await.0 .0)
                        }
                    })
                    .await;
                grants
                    .into_iter()
                    .map(|(user_id, grant_id)| {
                        let params = [("userId", user_id.as_str()), ("grantId", &grant_id)];
                        self.call(binary, &params, json!({"roleKeys": ["writer"]}))
                    })
                    .collect()
            }
            // Issue 19, machine keys. AddMachineKey with an uploaded public key (the key pair made
            // by the client, as ZITADEL's docs advise): a generated key costs an RSA-2048
            // generation (tens of ms of CPU), which no budget here is about.
            "add-machine-key" => {
                let public_key = STANDARD.encode(self.public_key());
                self.users(count)
                    .await
                    .into_iter()
                    .map(|id| {
                        let body = json!({"type": "KEY_TYPE_JSON", "publicKey": public_key});
                        self.call(binary, &[("userId", &id)], body)
                    })
                    .collect()
            }
            "list-machine-keys" => {
                let (user_id, _) = self.keys(1, 3).await.remove(0);
                vec![self.call(binary, &[("userId", &user_id)], json!({})); count]
            }
            "get-machine-key-by-ids" => {
                let (user_id, key_id) = self.keys(1, 1).await.remove(0);
                let params = [("userId", user_id.as_str()), ("keyId", &key_id)];
                vec![self.call(binary, &params, Value::Null); count]
            }
            "remove-machine-key" => self
                .keys(count, 1)
                .await
                .into_iter()
                .map(|(user_id, key_id)| {
                    let params = [("userId", user_id.as_str()), ("keyId", &key_id)];
                    self.call(binary, &params, Value::Null)
                })
                .collect(),
            // The token endpoint's JWT-profile grant: a returning client's assertion (an SDK
            // reuses one for up to an hour), beside the `oauth-token` row's client secret.
            JWT_PROFILE_TOKEN => {
                let key = self.jwt_profile_key().await;
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .expect("after 1970")
                    .as_secs();
                let claims = json!({
                    "iss": key.user_id, "sub": key.user_id, "aud": BENCH_ISSUER,
                    "iat": now, "exp": now + 3600,
                });
                let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
                header.kid = Some(key.key_id.clone());
                let signing = jsonwebtoken::EncodingKey::from_rsa_pem(key.private_pem.as_bytes())
                    .expect("a PKCS#1 PEM");
                let assertion = jsonwebtoken::encode(&header, &claims, &signing).expect("signed");
                let body: String = form_urlencoded::Serializer::new(String::new())
                    .append_pair("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
                    .append_pair("scope", "openid urn:zitadel:iam:org:project:id:zitadel:aud")
                    .append_pair("assertion", &assertion)
                    .finish();
                let request = Request {
                    method: "POST",
                    path: route("oauth-token", &[]).1,
                    body,
                    headers: vec![
                        (
                            "content-type".into(),
                            "application/x-www-form-urlencoded".into(),
                        ),
                        ("host".into(), "bench.local".into()),
                    ],
                };
                vec![request; count]
            }
            // One user's grants (the bench org's list outgrows the 1000 entries a request
            // reads of it).
            "list-user-grants" => {
                let (user_id, _) = self.grants(1).await.remove(0);
                let body = json!({"queries": [{"userIdQuery": {"userId": user_id}}]});
                vec![self.call(binary, &[], body); count]
            }
            _ => Vec::new(),
        }
    }

    /// A PKIX PEM of an RSA-2048 public key, made once.
    fn public_key(&self) -> &'static str {
        static KEY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        KEY.get_or_init(|| {
            shared::auth::authn_key::NewKeyPair::generate()
                .expect("an RSA key")
                .public_pem
        })
    }

    /// `count` fresh users with `per_user` uploaded keys each: (user id, its last key's id).
    async fn keys(&self, count: usize, per_user: usize) -> Vec<(String, String)> {
        let users = self.users(count).await;
        let public_key = self.public_key();
        self.in_parallel(users, move |app, actor, user_id: String| async move {
            let mut key_id = String::new();
            for _ in 0..per_user {
                let add = AddMachineKey {
                    user_id: user_id.clone().into(),
                    key_type: KeyType::Json,
                    expiration: None,
                    public_key: Some(public_key.as_bytes().to_vec()),
                };
                key_id = run(app, &actor, add).await.key_id;
            }
            (user_id, key_id)
        })
        .await
    }

    /// A generated key of the first admin, for the JWT-profile grant (made once).
    async fn jwt_profile_key(&self) -> &'static JwtProfileKey {
        static KEY: tokio::sync::OnceCell<JwtProfileKey> = tokio::sync::OnceCell::const_new();
        KEY.get_or_init(|| async {
            let add = AddMachineKey {
                user_id: self.admin.user_id.clone().into(),
                key_type: KeyType::Json,
                expiration: None,
                public_key: None,
            };
            let added = run(self.app, &self.actor, add).await;
            let file: Value =
                serde_json::from_str(&added.key_file.expect("a generated key's file"))
                    .expect("a JSON key file");
            JwtProfileKey {
                key_id: added.key_id,
                user_id: self.admin.user_id.clone(),
                private_pem: file["key"].as_str().expect("key").to_string(),
            }
        })
        .await
    }

    /// `count` fresh users, each an ORG_USER_MANAGER of the admin's org.
    async fn members(&self, count: usize) -> Vec<String> {
        let users = self.users(count).await;
        self.in_parallel(users.clone(), |app, actor, id: String| async move {
            let member = AddOrgMember {
                user_id: id.into(),
                roles: vec!["ORG_USER_MANAGER".into()],
            };
            run(app, &actor, member).await;
        })
        .await;
        users
    }
}

/// The scenario of the token function's JWT-profile grant: a row of its own beside
/// `oauth-token`'s client secret, measured on the same binary.
pub const JWT_PROFILE_TOKEN: &str = "oauth-token:jwt-profile";

/// The issuer the bench's API runs with (assertions name it as their audience).
pub const BENCH_ISSUER: &str = "https://bench.local";

/// A key file's parts, for signing the bench's assertions.
struct JwtProfileKey {
    key_id: String,
    user_id: String,
    private_pem: String,
}

/// Scenarios beside a binary's own (its name), each measured as a row of its own: `(scenario,
/// binary)`.
pub const VARIANTS: &[(&str, &str)] = &[
    (JWT_PROFILE_TOKEN, "oauth-token"),
    ("list-users (page of 100)", "list-users"),
    ("get-user-by-id+pat", "get-user-by-id"),
];

/// Every scenario of `binaries`, with its binary: each binary's own, then its variants.
pub fn scenarios(
    binaries: impl Iterator<Item = &'static str>,
) -> Vec<(&'static str, &'static str)> {
    binaries
        .flat_map(|binary| {
            let variants = VARIANTS.iter().filter(move |(_, b)| *b == binary).copied();
            std::iter::once((binary, binary)).chain(variants)
        })
        .collect()
}

/// What a scenario is held to: warm CPU per request (ms) and DynamoDB calls per request;
/// `None` where a figure has no budget.
pub struct Budgets {
    pub cpu_ms: Option<f64>,
    pub round_trips: Option<f64>,
}

/// The budgets of `scenario` (of `binary`): docs/performance.md's table.
pub fn budgets(scenario: &str, binary: &str) -> Budgets {
    match scenario {
        // A page of a hundred users: one batch read of them, and their decoding; the count and
        // the list's entries are two calls in parallel (one wait).
        "list-users (page of 100)" => Budgets {
            cpu_ms: Some(5.0),
            round_trips: Some(4.0),
        },
        // The user, its key and its grants in one batch; CPU within 1 ms of the secret-based
        // token's (the report's summary compares the two rows).
        JWT_PROFILE_TOKEN => Budgets {
            cpu_ms: None,
            round_trips: Some(1.0),
        },
        _ if binary == "oauth-token" => Budgets {
            cpu_ms: None,
            round_trips: Some(2.0),
        },
        _ if is_management(binary) => Budgets {
            cpu_ms: Some(1.0),
            round_trips: Some(3.0),
        },
        _ => Budgets {
            cpu_ms: None,
            round_trips: None,
        },
    }
}

/// Management endpoints (authenticated, ≤ 3 round trips) as opposed to the OAuth/discovery ones.
pub fn is_management(binary: &str) -> bool {
    !matches!(
        binary,
        "oauth-token"
            | JWT_PROFILE_TOKEN
            | "oauth-introspect"
            | "oauth-keys"
            | "openid-configuration"
            | "not-found"
    )
}

/// `binary`'s first declared route (its v1 route, or its only one): method and path, with
/// `params` filled in.
pub fn route(binary: &str, params: &[(&str, &str)]) -> (&'static str, String) {
    let function = functions::find(binary).expect("a function per binary");
    let served = function.endpoint.served();
    let route = served.first().expect("a function serves a route").route;
    (route.method, route.fill(params))
}
