//! The one log line per request names who asked (issue 21, item 7): the authenticated caller
//! also when the request is then refused (permission, validation, not found), on v1, v2 REST
//! and Connect; the token endpoint's line the client id and the user it named, never the secret;
//! introspection's the app's client id. The lines are captured as the Lambda writes them (JSON),
//! from every test of this binary, and told apart by what only this test's requests carry.

use std::io;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{json, Value};

use tests::{Api, ZITADEL_SCOPE};

use crate::introspection::{api_app, introspect};

/// What the process's subscriber wrote.
#[derive(Clone, Default)]
struct Written(Arc<Mutex<Vec<u8>>>);

impl io::Write for Written {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The request lines logged so far by this process: installed once, as the process's
/// subscriber, the first time a test asks.
fn request_lines() -> Vec<Value> {
    static WRITTEN: OnceLock<Written> = OnceLock::new();
    let written = WRITTEN.get_or_init(|| {
        let written = Written::default();
        let writer = written.clone();
        let subscriber = tracing_subscriber::fmt()
            .json()
            .with_env_filter("shared::api=info")
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other subscriber");
        written
    });
    let bytes = written.0.lock().unwrap().clone();
    String::from_utf8_lossy(&bytes)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|line| line["fields"]["message"] == "request")
        .map(|line| line["fields"].clone())
        .collect()
}

/// The line of the request to `path` answered `status`: exactly one.
#[track_caller]
fn line_of(path: &str, status: u16) -> Value {
    let lines: Vec<Value> = request_lines()
        .into_iter()
        .filter(|line| line["path"] == path && line["status"] == status)
        .collect();
    assert_eq!(lines.len(), 1, "{path} {status}: {lines:#?}");
    lines[0].clone()
}

#[tokio::test]
async fn refusals_after_authentication_name_the_caller() {
    request_lines();
    let (api, admin) = Api::start_with_admin().await;
    let admin_id = api.admin().user_id.clone();
    let (nobody_id, nobody) = api.member(&admin, "log-nobody", &[]).await;
    let unique = uuid::Uuid::new_v4().simple().to_string();

    // No role (v1), not found (v1), validation (v1), not found (v2 REST).
    let denied = format!("/management/v1/users/denied{unique}");
    let no_role = api.get(&denied, &nobody).await;
    assert!(matches!(no_role.status, 403 | 404), "{}", no_role.body);
    let missing = format!("/management/v1/users/missing{unique}");
    api.get(&missing, &admin)
        .await
        .assert_error(404, 5, "QUERY-Dfbg2");
    let robot = api
        .machine_user(&admin, None, &format!("robot{unique}"))
        .await;
    let invalid = format!("/management/v1/users/{robot}/grants");
    let answer = api
        .post(&invalid, &admin, json!({"projectId": "", "roleKeys": []}))
        .await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    let missing_v2 = format!("/v2/users/missing{unique}/secret");
    let answer = api
        .call(reqwest::Method::POST, &missing_v2, &admin, None, None)
        .await;
    assert_eq!(answer.status, 404, "{}", answer.body);

    assert_eq!(line_of(&denied, no_role.status)["caller"], nobody_id);
    assert_eq!(line_of(&missing, 404)["caller"], admin_id);
    let refused = line_of(&invalid, 400);
    assert_eq!(refused["caller"], admin_id);
    assert!(refused["error"].as_str().unwrap().contains("ProjectId"));
    assert_eq!(line_of(&missing_v2, 404)["caller"], admin_id);
    // No client id on a management line.
    assert!(line_of(&missing, 404).get("client_id").is_none());

    // Connect: a refusal of the caller, told apart by the caller this test made.
    let procedure = "zitadel.user.v2.UserService/AddSecret";
    let refused = api
        .connect(procedure, &nobody, json!({"userId": robot}))
        .await;
    assert!(matches!(refused.status, 403 | 404), "{}", refused.body);
    let named = request_lines()
        .into_iter()
        .filter(|line| line["path"] == format!("/{procedure}") && line["caller"] == nobody_id)
        .count();
    assert_eq!(named, 1);

    // A context org that does not exist is refused by authentication, after the token.
    let in_unknown_org = format!("/management/v1/users/in-unknown-org{unique}");
    api.call(
        reqwest::Method::GET,
        &in_unknown_org,
        &admin,
        Some(&format!("no-such-org{unique}")),
        None,
    )
    .await
    .assert_error(403, 7, "AUTH-Bs7Ds");
    assert_eq!(line_of(&in_unknown_org, 403)["caller"], admin_id);

    // Unauthenticated: nobody to name.
    let anonymous = format!("/management/v1/users/anonymous{unique}");
    api.get(&anonymous, "not-a-token")
        .await
        .assert_error(401, 16, "AUTH-7fs1e");
    assert_eq!(line_of(&anonymous, 401)["caller"], "");
}

#[tokio::test]
async fn token_lines_name_the_client_and_its_user_never_the_secret() {
    request_lines();
    let (api, admin) = Api::start_with_admin().await;
    let unique = uuid::Uuid::new_v4().simple().to_string();
    let name = format!("Log-Robot-{unique}");
    let robot = api.machine_user(&admin, None, &name).await;
    let secret = api.secret(&admin, None, &robot).await;
    let token_lines = |client_id: &str| -> Vec<Value> {
        request_lines()
            .into_iter()
            .filter(|line| line["path"] == "/oauth/v2/token" && line["client_id"] == client_id)
            .collect()
    };

    // A wrong secret: refused, naming the client id as sent and the user it named.
    let wrong = format!("wrong-{unique}");
    let answer = api.token_request(&name, &wrong, ZITADEL_SCOPE).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    let refused = token_lines(&name);
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert_eq!(refused[0]["status"], 400);
    assert_eq!(refused[0]["caller"], robot);

    // The right secret, spelt in other case: the same user.
    let other_case = name.to_lowercase();
    api.token(&other_case, &secret, ZITADEL_SCOPE).await;
    let issued = token_lines(&other_case);
    assert_eq!(issued.len(), 1, "{issued:#?}");
    assert_eq!(issued[0]["status"], 200);
    assert_eq!(issued[0]["caller"], robot);

    // An unknown client: its id, and no user.
    let unknown = format!("nobody-{unique}");
    api.token_request(&unknown, &secret, ZITADEL_SCOPE).await;
    let refused = token_lines(&unknown);
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert_eq!(refused[0]["caller"], "");

    // No scope: refused before any read, naming the client id all the same.
    let unscoped = format!("unscoped-{unique}");
    let answer = api.token_request(&unscoped, &secret, "").await;
    assert_eq!(answer.body["error"], "invalid_scope", "{}", answer.body);
    assert_eq!(token_lines(&unscoped).len(), 1);

    // Introspection: the app's client id.
    let project = api.project(&admin, "Logged", &[]).await;
    let (app_id, app_secret) = api_app(&api, &admin, &project).await;
    let robot_token = api.token(&name, &secret, ZITADEL_SCOPE).await;
    introspect(&api, &app_id, &app_secret, &robot_token)
        .await
        .assert_ok();
    let introspections = request_lines()
        .into_iter()
        .filter(|line| line["path"] == "/oauth/v2/introspect" && line["client_id"] == app_id)
        .count();
    assert_eq!(introspections, 1);

    let all = serde_json::to_string(&request_lines()).unwrap();
    for never in [
        secret.as_str(),
        wrong.as_str(),
        app_secret.as_str(),
        &robot_token,
    ] {
        assert!(!all.contains(never), "a secret or token in the logs");
    }
}
