//! Our tokens in a resource server that we did not write: `tests/resource_server/server.py`,
//! on PyJWT with RS256 allow-listed (installed into .venv by `make test`). It sees a machine
//! user's roles, then no roles once the grant is deactivated, and refuses the token once its
//! key is rotated out of the JWKS.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};
use shared::auth::keys::SigningKey;
use shared::config::Config;

use tests::{test_python, workspace, Api};

/// The resource server, stopped when dropped.
struct ResourceServer {
    child: Child,
    url: String,
}

impl ResourceServer {
    fn start(issuer: &str, audience: &str) -> ResourceServer {
        let python = test_python("PyJWT");
        let mut child = Command::new(python)
            .arg(workspace().join("tests/resource_server/server.py"))
            .args(["--issuer", issuer, "--audience", audience])
            .stdout(Stdio::piped())
            .spawn()
            .expect("the resource server starts");
        let mut port = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut port)
            .expect("the resource server prints its port");
        let port: u16 = port.trim().parse().expect("a port");
        ResourceServer {
            child,
            url: format!("http://127.0.0.1:{port}/orders"),
        }
    }

    async fn get(&self, token: &str) -> (u16, Value) {
        let response = reqwest::Client::new()
            .get(&self.url)
            .bearer_auth(token)
            .send()
            .await
            .expect("the resource server answers");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

impl Drop for ResourceServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The API on `port` with `signing` as its key and `public` (PEMs) as the JWKS.
async fn api_with_keys(port: u16, signing: &str, public: &str) -> Api {
    let mut config = Config::from_env().expect("configuration");
    config.table_name = format!("rs-{}", uuid::Uuid::new_v4().simple());
    config.issuer = Some(format!("http://127.0.0.1:{port}"));
    config.signing_key_pem = Some(signing.to_string());
    config.public_keys_pem = Some(public.to_string());
    Api::from_running(
        local::start(config, port, None)
            .await
            .expect("the API starts"),
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

#[tokio::test]
async fn a_pyjwt_resource_server_accepts_our_tokens_sees_roles_and_follows_rotation() {
    let old_key = SigningKey::generate_pem();
    let new_key = SigningKey::generate_pem();
    let public = |pem: &str| SigningKey::from_pem(pem).unwrap().public.to_pem();
    let port = free_port();
    let api = api_with_keys(port, &old_key, &public(&old_key)).await;
    let admin = api.admin_token().await;
    let (user, project, grant) = api
        .granted_user(&admin, "orders-bot", &["reader", "writer"])
        .await;
    let secret = api.secret(&admin, None, &user).await;
    let scope = format!(
        "openid urn:zitadel:iam:org:project:id:{project}:aud urn:zitadel:iam:org:projects:roles"
    );
    let token = api.token("orders-bot", &secret, &scope).await;
    let resource_server = ResourceServer::start(&api.running().url, &project);

    assert_eq!(
        resource_server.get(&token).await,
        (200, json!({"sub": user, "roles": ["reader", "writer"]}))
    );
    // Not for another audience: the ZITADEL project's token (the admin's).
    let (status, body) = resource_server.get(&admin).await;
    assert_eq!(
        (status, &body["error"]),
        (401, &json!("InvalidAudienceError"))
    );

    // Deactivated grant: the next token has no roles (the earlier one still says what it said).
    let path = format!("/management/v1/users/{user}/grants/{grant}/_deactivate");
    api.post(&path, &admin, json!({})).await.assert_ok();
    let after = api.token("orders-bot", &secret, &scope).await;
    assert_eq!(
        resource_server.get(&after).await,
        (200, json!({"sub": user, "roles": []}))
    );
    api.stop().await;

    // Rotation: the new key signs, the old one is still published: old tokens keep working.
    let both = format!("{}{}", public(&new_key), public(&old_key));
    let rotating = api_with_keys(port, &new_key, &both).await;
    assert_eq!(resource_server.get(&token).await.0, 200);
    rotating.stop().await;
    // The old key rotated out: its tokens are refused. (Held to the end: it serves the JWKS.)
    let _rotated = api_with_keys(port, &new_key, &public(&new_key)).await;
    let (status, body) = resource_server.get(&token).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "PyJWKClientError", "{body}");
}
