//! A fault's cause is logged once, on the request's one log line, and never answered: through
//! the token endpoint's handler, with the tracing output captured as the Lambda writes it (JSON
//! lines).

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use lambda_http::{Body, Request, RequestExt};
use serde_json::Value;

use crate::api::request::{log_request, Asker};
use crate::app::App;
use crate::auth::keys::{KeySet, SigningKey};
use crate::auth::secret_checks::SecretChecks;
use crate::config::{Argon2Params, Config, DEFAULT_ZITADEL_PROJECT_ID};
use crate::error::Error;
use crate::store::Store;

use super::token;

/// What the subscriber wrote, shared with the test.
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

impl Written {
    /// Every line logged, parsed.
    fn lines(&self) -> Vec<Value> {
        let bytes = self.0.lock().unwrap().clone();
        String::from_utf8(bytes)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }
}

/// Captures this crate's events, at every level, on this thread until the guard drops.
fn capture() -> (Written, tracing::subscriber::DefaultGuard) {
    let written = Written::default();
    let writer = written.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_env_filter("shared=trace")
        .with_writer(move || writer.clone())
        .finish();
    (written, tracing::subscriber::set_default(subscriber))
}

/// An app whose DynamoDB refuses every connection (nothing listens on port 1).
async fn app(signer: Option<SigningKey>) -> &'static App {
    let pem = SigningKey::generate_pem();
    let keys = KeySet::from_signer(&SigningKey::from_pem(&pem).unwrap());
    let config = Config {
        table_name: "faults".into(),
        dynamodb_endpoint: Some("http://127.0.0.1:1".into()),
        issuer: Some("https://issuer.test".into()),
        instance_domain: "localhost".into(),
        zitadel_project_id: DEFAULT_ZITADEL_PROJECT_ID.into(),
        token_lifetime_secs: 3600,
        argon2: Argon2Params::default(),
        signing_key_pem: None,
        signing_key_secret: None,
        public_keys_pem: None,
    };
    let store = Store::connect(&config.table_name, config.dynamodb_endpoint.as_deref()).await;
    Box::leak(Box::new(App {
        config,
        store,
        keys,
        signer,
        secret_checks: SecretChecks::default(),
    }))
}

const SECRET: &str = "s3cret-never-logged";

fn token_request() -> Request {
    let form =
        format!("grant_type=client_credentials&client_id=bot&client_secret={SECRET}&scope=openid");
    lambda_http::http::Request::builder()
        .method("POST")
        .uri(super::TOKEN.path)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap()
        .with_raw_http_path(super::TOKEN.path)
}

/// The lines that carry a cause: they must be exactly the request's line.
fn with_cause(lines: &[Value]) -> Vec<&Value> {
    lines
        .iter()
        .filter(|line| line["fields"].get("cause").is_some())
        .collect()
}

/// How many lines mention `text` (which JSON does not escape).
fn mentions(lines: &[Value], text: &str) -> usize {
    lines
        .iter()
        .filter(|line| line.to_string().contains(text))
        .count()
}

#[tokio::test]
async fn an_unavailable_dynamodb_is_logged_once_with_its_cause_and_answered_503() {
    let app = app(Some(
        SigningKey::from_pem(&SigningKey::generate_pem()).unwrap(),
    ))
    .await;
    let (written, _guard) = capture();
    let reply = token(app, token_request()).await.unwrap();
    assert_eq!(reply.status(), 503);
    let body = String::from_utf8(reply.body().to_vec()).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        serde_json::json!({
            "error": "temporarily_unavailable",
            "error_description": "the service is busy, try again later",
        })
    );
    let lines = written.lines();
    let caused = with_cause(&lines);
    assert_eq!(caused.len(), 1, "{lines:#?}");
    let line = caused[0];
    assert_eq!(line["fields"]["message"], "request");
    assert_eq!(line["fields"]["status"], 503);
    assert_eq!(line["level"], "WARN");
    let cause = line["fields"]["cause"].as_str().unwrap();
    assert!(cause.starts_with("GetItem: "), "{cause}");
    assert!(!body.contains("GetItem"), "{body}");
    assert_eq!(mentions(&lines, "GetItem: "), 1, "{lines:#?}");
    assert_eq!(mentions(&lines, SECRET), 0, "{lines:#?}");
}

#[tokio::test]
async fn a_missing_signing_key_is_logged_once_and_answered_500_without_it() {
    let app = app(None).await;
    let (written, _guard) = capture();
    let reply = token(app, token_request()).await.unwrap();
    assert_eq!(reply.status(), 500);
    let body = String::from_utf8(reply.body().to_vec()).unwrap();
    assert_eq!(
        body,
        r#"{"error":"server_error","error_description":"internal error"}"#
    );
    let lines = written.lines();
    let caused = with_cause(&lines);
    assert_eq!(caused.len(), 1, "{lines:#?}");
    assert_eq!(caused[0]["level"], "ERROR");
    assert_eq!(caused[0]["fields"]["status"], 500);
    assert_eq!(caused[0]["fields"]["error"], "An internal error occurred");
    let cause = caused[0]["fields"]["cause"].as_str().unwrap();
    assert!(cause.contains("no signing key"), "{cause}");
    assert_eq!(mentions(&lines, "no signing key"), 1, "{lines:#?}");
}

#[tokio::test]
async fn the_request_line_of_a_management_fault_carries_its_cause_and_a_refusal_none() {
    let (written, _guard) = capture();
    let request = token_request();
    let fault = Error::internal("TransactWriteItems: ValidationException");
    let caller = Asker {
        caller: Some("caller"),
        client_id: None,
    };
    log_request(&request, "r1", 500, caller, Some(&fault), Instant::now());
    let refusal = Error::token_invalid();
    log_request(
        &request,
        "r2",
        401,
        Asker::default(),
        Some(&refusal),
        Instant::now(),
    );
    let lines = written.lines();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert_eq!(
        lines[0]["fields"]["cause"],
        "TransactWriteItems: ValidationException"
    );
    assert_eq!(lines[0]["level"], "ERROR");
    assert!(lines[1]["fields"].get("cause").is_none(), "{:#?}", lines[1]);
    assert_eq!(lines[1]["level"], "INFO");
    assert_eq!(
        lines[1]["fields"]["error"],
        "Errors.Token.Invalid (AUTH-7fs1e)"
    );
}
