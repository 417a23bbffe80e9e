//! The API Gateway event fixtures in `tests/events/`, run through each function's own endpoint,
//! and every route of `template.yaml` dispatched to its function.
//!
//! # The fixtures
//!
//! `tests/events/<binary>.<case>.json` is an HTTP API (payload format 2.0) event exactly as API
//! Gateway hands it to the Lambda function `<binary>` (`BuildProperties.Binary` in
//! `template.yaml`): lower-case header names, `routeKey` as the route's `METHOD /path`
//! (`$default` for `not-found`), `pathParameters` by the route's names, and form bodies
//! base64-encoded as API Gateway sends them (`isBase64Encoded: true`). Each binary has a
//! `success` case; `CASES` says what each fixture answers (a `success` fixture it does not list
//! must answer 200), and most binaries have failing cases too (their error paths are the e2e
//! suite's, over real HTTP).
//!
//! Strings may hold placeholders, which this test fills with state it creates first:
//!
//! | placeholder            | value                                                             |
//! |------------------------|-------------------------------------------------------------------|
//! | `${ADMIN_TOKEN}`       | an access token of the first admin (IAM_OWNER)                    |
//! | `${ADMIN_USER_ID}`     | the first admin's user id (no grant on `${PROJECT_ID}`)           |
//! | `${USER_ID}`           | a machine user of the admin's org, with a secret                  |
//! | `${USER_NAME}`         | that user's userName (its OAuth client id)                        |
//! | `${BASIC_AUTH}`        | base64 of `<USER_NAME>:<its client secret>`                       |
//! | `${PROJECT_ID}`        | a project of the admin's org with the roles `reader` and `writer` |
//! | `${GRANT_ID}`          | an active grant of `${USER_ID}` on `${PROJECT_ID}` (`reader`)     |
//! | `${INACTIVE_GRANT_ID}` | that same grant, deactivated first                                |
//! | `${INACTIVE_USER_ID}`  | `${USER_ID}`, deactivated first                                   |
//! | `${MEMBER_ID}`         | `${USER_ID}`, made ORG_USER_MANAGER of the admin's org first      |
//! | `${UNIQUE}`            | a fresh string, for names that must be unique                     |
//! | `${APP_BASIC_AUTH}`    | base64 of `<clientId>:<clientSecret>` of an API app of the project |
//! | `${APP_WRONG_BASIC_AUTH}` | the same client id with a wrong secret                         |
//! | `${INTROSPECTION_FORM}` | base64 of `token=<an access token of USER_ID for PROJECT_ID>`    |
//! | `${KEY_ID}`            | a generated key of `${USER_ID}` (AddMachineKey)                   |
//! | `${JWT_PROFILE_FORM}`  | base64 of a JWT-profile token request of `${USER_ID}`, signed with such a key |
//! | `${APP_ID}`            | a `private_key_jwt` API app of `${PROJECT_ID}`, with one key       |
//! | `${APP_KEY_ID}`        | that key (AddAppKey)                                              |
//! | `${ASSERTION_INTROSPECTION_FORM}` | base64 of an introspection request of that app, by a client assertion signed with that key, about a token of `${USER_ID}` for `${PROJECT_ID}` |
//! | `${PAT_ID}`, `${PAT}`  | a personal access token of `${USER_ID}` (made for fixtures of `/pats` routes): its id, the token |
//!
//! `make test-lambda-runtime` runs every fixture once more through its function binary as a
//! process of its own under cargo-lambda's emulator (the test
//! `every_fixture_answers_as_expected_under_cargo_lambda`, ignored by a plain `cargo test`: it
//! needs cargo-lambda, which the target installs).
//!
//! To run a fixture against a built function by hand, fill the placeholders the same way (with
//! a running API: `make run` prints the first admin's client id and secret, and
//! `curl -u "$ID:$SECRET" -d grant_type=client_credentials -d scope='openid
//! urn:zitadel:iam:org:project:id:zitadel:aud' http://127.0.0.1:8080/oauth/v2/token` gives
//! `ADMIN_TOKEN`; the other ids come from the API's answers), e.g. with `envsubst` from
//! gettext, which replaces exactly this `${NAME}` syntax:
//!
//! ```sh
//! export ADMIN_TOKEN=... USER_ID=... UNIQUE=$(date +%s)
//! export BASIC_AUTH=$(printf '%s:%s' "$USER_NAME" "$SECRET" | base64 -w0)
//! envsubst < tests/events/remove-user.success.json > /tmp/event.json
//! sam local invoke RemoveUserFunction -e /tmp/event.json          # needs Docker
//! cargo lambda watch & cargo lambda invoke remove-user --data-file /tmp/event.json
//! ```
//!
//! The function must then see the same table, keys and issuer as the API that issued the token
//! (`TABLE_NAME`, `DYNAMODB_ENDPOINT`, `PUBLIC_KEYS_PEM` or `SIGNING_KEY_PEM`, `ISSUER`): tokens
//! are only accepted from their own issuer.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use reqwest::Method;
use serde_json::{json, Value};
use tests::{workspace, Api};

/// What a fixture must answer: the status, and JSON pointers into the body with the value
/// there (`Is`, placeholders filled) or only a non-empty value (`Set`).
struct Case {
    file: &'static str,
    success: bool,
    status: u16,
    checks: &'static [Check],
}

enum Check {
    Is(&'static str, &'static str),
    Set(&'static str),
}

use Check::{Is, Set};

const fn ok(file: &'static str, checks: &'static [Check]) -> Case {
    Case {
        file,
        success: true,
        status: 200,
        checks,
    }
}

const fn fails(file: &'static str, status: u16, checks: &'static [Check]) -> Case {
    Case {
        file,
        success: false,
        status,
        checks,
    }
}

const CASES: &[Case] = &[
    ok("add-org.success", &[Set("/id"), Set("/details/sequence")]),
    fails(
        "add-org.no-auth-header",
        401,
        &[
            Is("/code", "16"),
            Is("/message", r#""auth header missing""#),
        ],
    ),
    ok(
        "get-my-org.success",
        &[
            Is("/org/id", r#""${ORG_ID}""#),
            Is("/org/name", r#""ZITADEL""#),
        ],
    ),
    fails(
        "get-my-org.invalid-token",
        401,
        &[Is("/code", "16"), Is("/details/0/id", r#""AUTH-7fs1e""#)],
    ),
    ok("add-org-member.success", &[Set("/details/sequence")]),
    fails(
        "add-org-member.unknown-role",
        400,
        &[Is("/code", "3"), Is("/details/0/id", r#""Org-4N8es""#)],
    ),
    ok(
        "add-machine-user.success",
        &[Set("/userId"), Set("/details/resourceOwner")],
    ),
    fails(
        "add-machine-user.user-name-taken",
        409,
        &[Is("/code", "6"), Is("/details/0/id", r#""V3-DKcYh""#)],
    ),
    ok(
        "get-user-by-id.success",
        &[
            Is("/user/id", r#""${USER_ID}""#),
            Is("/user/userName", r#""${USER_NAME}""#),
            Is("/user/state", r#""USER_STATE_ACTIVE""#),
            Is("/user/machine/hasSecret", "true"),
        ],
    ),
    fails(
        "get-user-by-id.unknown-user",
        404,
        &[Is("/code", "5"), Is("/details/0/id", r#""QUERY-Dfbg2""#)],
    ),
    ok("deactivate-user.success", &[Set("/details/sequence")]),
    fails(
        "deactivate-user.unknown-user",
        404,
        &[Is("/code", "5"), Is("/details/0/id", r#""COMMAND-3M9ds""#)],
    ),
    ok("reactivate-user.success", &[Set("/details/sequence")]),
    fails(
        "reactivate-user.not-inactive",
        400,
        &[Is("/code", "9"), Is("/details/0/id", r#""COMMAND-6M0sf""#)],
    ),
    ok("remove-user.success", &[Set("/details/sequence")]),
    fails(
        "remove-user.unknown-user",
        404,
        &[Is("/code", "5"), Is("/details/0/id", r#""COMMAND-m9od""#)],
    ),
    ok(
        "generate-machine-secret.success",
        &[Is("/clientId", r#""${USER_NAME}""#), Set("/clientSecret")],
    ),
    fails(
        "generate-machine-secret.unknown-user",
        404,
        &[Is("/code", "5"), Is("/details/0/id", r#""QUERY-Dfbg2""#)],
    ),
    ok("remove-machine-secret.success", &[Set("/details/sequence")]),
    fails(
        "remove-machine-secret.unknown-user",
        400,
        &[Is("/code", "9"), Is("/details/0/id", r#""COMMAND-x7s802""#)],
    ),
    ok(
        "add-user-grant.success",
        &[Set("/userGrantId"), Set("/details/sequence")],
    ),
    fails(
        "add-user-grant.unknown-role",
        400,
        &[Is("/code", "9"), Is("/details/0/id", r#""COMMAND-mm9F4""#)],
    ),
    ok(
        "get-user-grant-by-id.success",
        &[
            Is("/userGrant/id", r#""${GRANT_ID}""#),
            Is("/userGrant/userId", r#""${USER_ID}""#),
            Is("/userGrant/projectId", r#""${PROJECT_ID}""#),
            Is("/userGrant/roleKeys", r#"["reader"]"#),
        ],
    ),
    fails(
        "get-user-grant-by-id.unknown-grant",
        404,
        &[Is("/code", "5"), Is("/details/0/id", r#""QUERY-wIPkA""#)],
    ),
    ok("remove-user-grant.success", &[Set("/details/sequence")]),
    fails(
        "remove-user-grant.unknown-grant",
        404,
        &[Is("/code", "5"), Is("/details/0/id", r#""COMMAND-1My0t""#)],
    ),
    ok("deactivate-user-grant.success", &[Set("/details/sequence")]),
    fails(
        "deactivate-user-grant.unknown-grant",
        404,
        &[Is("/code", "5"), Is("/details/0/id", r#""COMMAND-3M9sd""#)],
    ),
    ok("reactivate-user-grant.success", &[Set("/details/sequence")]),
    ok(
        "update-user-grant.success",
        &[Is("/details/sequence", r#""2""#)],
    ),
    fails(
        "update-user-grant.unknown-role",
        400,
        &[Is("/code", "9"), Is("/details/0/id", r#""COMMAND-mm9F4""#)],
    ),
    fails(
        "reactivate-user-grant.not-deactivated",
        400,
        &[Is("/code", "9"), Is("/details/0/id", r#""COMMAND-1ML0v""#)],
    ),
    ok(
        "list-user-changes.success",
        &[
            Is(
                "/result/0/eventType/key",
                r#""EventTypes.user.machine.added""#,
            ),
            Is("/result/0/editorId", r#""${ADMIN_USER_ID}""#),
            Is("/result/0/resourceOwnerId", r#""${ORG_ID}""#),
        ],
    ),
    fails(
        "list-user-changes.limit-exceeded",
        400,
        &[Is("/code", "3"), Is("/details/0/id", r#""QUERY-4M0fs""#)],
    ),
    ok(
        "add-project.success",
        &[Set("/id"), Set("/details/sequence")],
    ),
    fails(
        "add-project.missing-name",
        400,
        &[
            Is("/code", "3"),
            Is(
                "/message",
                r#""invalid AddProjectRequest.Name: value length must be between 1 and 200 runes, inclusive""#,
            ),
        ],
    ),
    ok("add-project-role.success", &[Set("/details/sequence")]),
    fails(
        "add-project-role.role-exists",
        409,
        &[Is("/code", "6"), Is("/details/0/id", r#""V3-DKcYh""#)],
    ),
    ok(
        "oauth-token.success",
        &[Set("/access_token"), Is("/token_type", r#""Bearer""#)],
    ),
    fails(
        "oauth-token.unknown-client",
        400,
        &[Is("/error", r#""invalid_client""#)],
    ),
    ok(
        "oauth-keys.success",
        &[Is("/keys/0/kty", r#""RSA""#), Set("/keys/0/kid")],
    ),
    // The keys are public: a bad token or a query string changes nothing.
    fails(
        "oauth-keys.bogus-credentials",
        200,
        &[Is("/keys/0/kty", r#""RSA""#)],
    ),
    ok(
        "openid-configuration.success",
        &[
            Is("/issuer", r#""${ISSUER}""#),
            Is("/token_endpoint", r#""${ISSUER}/oauth/v2/token""#),
            Is("/jwks_uri", r#""${ISSUER}/oauth/v2/keys""#),
        ],
    ),
    fails(
        "openid-configuration.bogus-credentials",
        200,
        &[Is("/issuer", r#""${ISSUER}""#)],
    ),
    ok(
        "add-api-app.success",
        &[
            Set("/appId"),
            Set("/clientId"),
            Set("/clientSecret"),
            Is("/details/sequence", r#""5""#),
        ],
    ),
    fails(
        "add-api-app.private-key-jwt",
        200,
        &[
            Set("/appId"),
            Set("/clientId"),
            Is("/details/sequence", r#""5""#),
        ],
    ),
    ok(
        "oauth-introspect.success",
        &[
            Is("/active", "true"),
            Is("/sub", r#""${USER_ID}""#),
            Is("/aud", r#"["${PROJECT_ID}"]"#),
            Set("/urn:zitadel:iam:org:project:roles/reader"),
        ],
    ),
    fails(
        "oauth-introspect.wrong-secret",
        401,
        &[Is("/error", r#""invalid_client""#)],
    ),
    // The `$default` route's purpose is the 404; its other answer is the 405.
    ok(
        "not-found.success",
        &[Is("/code", "5"), Is("/message", r#""Not Found""#)],
    )
    .status(404),
    fails(
        "not-found.wrong-method",
        405,
        &[Is("/code", "12"), Is("/message", r#""Method Not Allowed""#)],
    ),
    // Issue 20, user operations.
    ok(
        "list-users.success",
        &[
            Is("/result/0/id", r#""${USER_ID}""#),
            Is("/result/0/userName", r#""${USER_NAME}""#),
            Is("/details/totalResult", r#""1""#),
        ],
    ),
    fails(
        "list-users.limit-exceeded",
        400,
        &[Is("/code", "3"), Is("/details/0/id", r#""QUERY-4M0fs""#)],
    ),
    ok("update-machine.success", &[Set("/details/sequence")]),
    fails(
        "update-machine.missing-name",
        400,
        &[
            Is("/code", "3"),
            Is(
                "/message",
                r#""invalid UpdateMachineRequest.Name: value length must be between 1 and 200 runes, inclusive""#,
            ),
        ],
    ),
    ok("update-user-name.success", &[Set("/details/sequence")]),
    fails(
        "update-user-name.unknown-user",
        404,
        &[Is("/code", "5"), Is("/details/0/id", r#""COMMAND-5N9ds""#)],
    ),
    ok(
        "get-my-user.success",
        &[
            Is("/user/id", r#""${ADMIN_USER_ID}""#),
            Set("/user/userName"),
        ],
    ),
    ok(
        "list-project-roles.success",
        &[
            Is("/details/totalResult", r#""1""#),
            Is("/result/0/key", r#""reader""#),
        ],
    ),
    ok(
        "list-projects.success",
        &[
            Is("/details/totalResult", r#""1""#),
            Is("/result/0/id", r#""${PROJECT_ID}""#),
        ],
    ),
    ok(
        "list-org-members.success",
        &[
            Is("/details/totalResult", r#""1""#),
            Is("/result/0/userId", r#""${MEMBER_ID}""#),
            Is("/result/0/roles", r#"["ORG_USER_MANAGER"]"#),
        ],
    ),
    ok(
        "remove-org-member.success",
        &[Set("/details/sequence"), Set("/details/changeDate")],
    ),
    ok(
        "update-org-member.success",
        &[Set("/details/sequence"), Set("/details/changeDate")],
    ),
    // Issue 19, machine keys and the JWT-profile grant.
    ok(
        "add-machine-key.success",
        &[
            Set("/keyId"),
            Set("/keyDetails"),
            Is("/details/sequence", r#""3""#),
        ],
    ),
    fails(
        "add-machine-key.unknown-user",
        400,
        &[
            Is("/code", "9"),
            Is("/details/0/id", r#""COMMAND-bnipwm1""#),
        ],
    ),
    ok(
        "list-machine-keys.success",
        &[Is("/details/totalResult", r#""0""#)],
    ),
    ok(
        "get-machine-key-by-ids.success",
        &[
            Is("/key/id", r#""${KEY_ID}""#),
            Is("/key/type", r#""KEY_TYPE_JSON""#),
            Is("/key/expirationDate", r#""9999-12-31T23:59:59Z""#),
        ],
    ),
    fails(
        "get-machine-key-by-ids.unknown-key",
        404,
        &[Is("/code", "5"), Is("/details/0/id", r#""QUERY-Dgr3g""#)],
    ),
    ok("remove-machine-key.success", &[Set("/details/changeDate")]),
    fails(
        "remove-machine-key.unknown-key",
        404,
        &[Is("/code", "5"), Is("/details/0/id", r#""COMMAND-4m77G""#)],
    ),
    fails(
        "oauth-token.jwt-profile",
        200,
        &[Set("/access_token"), Is("/token_type", r#""Bearer""#)],
    ),
    // Issue 19, API apps with private_key_jwt.
    ok(
        "add-app-key.success",
        &[
            Set("/id"),
            Set("/keyDetails"),
            Is("/details/sequence", r#""7""#),
        ],
    ),
    fails(
        "add-app-key.unknown-app",
        400,
        &[Is("/code", "9"), Is("/details/0/id", r#""COMMAND-sak25""#)],
    ),
    ok(
        "list-app-keys.success",
        &[
            Is("/details/totalResult", r#""1""#),
            Is("/result/0/id", r#""${APP_KEY_ID}""#),
        ],
    ),
    ok(
        "get-app-key.success",
        &[
            Is("/key/id", r#""${APP_KEY_ID}""#),
            Is("/key/type", r#""KEY_TYPE_JSON""#),
        ],
    ),
    fails(
        "get-app-key.unknown-key",
        404,
        &[Is("/code", "5"), Is("/details/0/id", r#""QUERY-Dgr3g""#)],
    ),
    ok("remove-app-key.success", &[Set("/details/changeDate")]),
    fails(
        "remove-app-key.unknown-key",
        404,
        &[Is("/code", "5"), Is("/details/0/id", r#""COMMAND-4m77G""#)],
    ),
    fails(
        "oauth-introspect.private-key-jwt",
        200,
        &[Is("/active", "true"), Is("/sub", r#""${USER_ID}""#)],
    ),
    // Issue 19, personal access tokens.
    ok(
        "add-personal-access-token.success",
        &[Set("/tokenId"), Set("/token"), Set("/details/sequence")],
    ),
    fails(
        "add-personal-access-token.past-expiration",
        400,
        &[Is("/code", "3"), Is("/details/0/id", r#""DOMAIN-dv3t5""#)],
    ),
    ok(
        "list-personal-access-tokens.success",
        &[
            Is("/details/totalResult", r#""1""#),
            Is("/result/0/id", r#""${PAT_ID}""#),
        ],
    ),
    ok(
        "get-personal-access-token-by-ids.success",
        &[Is("/token/id", r#""${PAT_ID}""#)],
    ),
    fails(
        "get-personal-access-token-by-ids.unknown-token",
        404,
        &[Is("/code", "5"), Is("/details/0/id", r#""QUERY-fRunu""#)],
    ),
    ok(
        "remove-personal-access-token.success",
        &[Set("/details/sequence")],
    ),
    fails(
        "remove-personal-access-token.unknown-token",
        404,
        &[Is("/code", "5"), Is("/details/0/id", r#""COMMAND-4m77G""#)],
    ),
    // A PAT is a bearer token (here on GetUserByID, as its own user: 404, no membership).
    fails(
        "get-user-by-id.personal-access-token",
        404,
        &[Is("/code", "5"), Is("/details/0/id", r#""AUTHZ-cdgFk""#)],
    ),
];

/// Every fixture with what it must answer: as `CASES` says, or, for a `<binary>.success` that
/// `CASES` does not list, 200 (so a new function needs only its fixture file).
fn cases() -> Vec<Fixture> {
    const SUCCESS: Case = ok("<binary>.success", &[]);
    let names = fixture_names();
    for case in CASES {
        assert!(
            names.contains(case.file),
            "{}: in CASES, no file",
            case.file
        );
    }
    names
        .into_iter()
        .map(|name| {
            let case = CASES.iter().find(|c| c.file == name).unwrap_or_else(|| {
                assert!(
                    name.ends_with(".success"),
                    "tests/events/{name}.json: only a success fixture may go without a CASES entry"
                );
                &SUCCESS
            });
            Fixture { name, case }
        })
        .collect()
}

/// A fixture file (`<binary>.<case>`) and what it must answer.
struct Fixture {
    name: String,
    case: &'static Case,
}

impl Fixture {
    fn binary(&self) -> &str {
        self.name.split_once('.').expect("<binary>.<case>").0
    }
}

impl Case {
    const fn status(self, status: u16) -> Case {
        Case { status, ..self }
    }
}

fn events_dir() -> PathBuf {
    workspace().join("tests").join("events")
}

/// The fixture names (`<binary>.<case>`) in `tests/events/`.
fn fixture_names() -> BTreeSet<String> {
    std::fs::read_dir(events_dir())
        .expect("tests/events")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .into_string()
                .expect("utf-8")
        })
        .filter_map(|name| name.strip_suffix(".json").map(str::to_string))
        .collect()
}

/// The function built as `name`.
fn static_binary(name: &str) -> &'static str {
    functions::find(name)
        .unwrap_or_else(|| panic!("{name} is not in functions::FUNCTIONS"))
        .binary
}

/// Replaces every `${NAME}`; a placeholder without a value is a broken fixture.
fn fill(text: &str, vars: &HashMap<&'static str, String>) -> String {
    let mut out = text.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("${{{name}}}"), value);
    }
    if let Some(at) = out.find("${") {
        let rest = &out[at..];
        panic!(
            "unknown placeholder {}",
            &rest[..rest.find('}').map_or(rest.len(), |i| i + 1)]
        );
    }
    out
}

/// The local app and the first admin's token, to make state with.
struct Setup {
    api: Api,
    admin_token: String,
}

impl Setup {
    async fn new() -> Setup {
        let (api, admin_token) = Api::start_with_admin().await;
        Setup { api, admin_token }
    }

    /// A management call as the first admin; the answer's body, which must be a 200's.
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let answer = self
            .api
            .call(method, path, &self.admin_token, None, body)
            .await;
        answer.assert_ok().clone()
    }

    /// Fresh state for one fixture, as the placeholders in the module doc describe it.
    async fn world(&self, fixture: &str) -> HashMap<&'static str, String> {
        let admin = self.api.admin();
        let unique = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
        let user_name = format!("evt-{unique}");
        let body = json!({"userName": user_name, "name": "Events fixture user"});
        let user = self
            .call(Method::POST, "/management/v1/users/machine", Some(body))
            .await;
        let user_id = user["userId"].as_str().expect("userId").to_string();
        let secret = self
            .call(
                Method::PUT,
                &format!("/management/v1/users/{user_id}/secret"),
                None,
            )
            .await;
        let secret = secret["clientSecret"].as_str().expect("clientSecret");
        let body = json!({"name": format!("Events project {unique}")});
        let project = self
            .call(Method::POST, "/management/v1/projects", Some(body))
            .await;
        let project_id = project["id"].as_str().expect("id").to_string();
        for role in ["reader", "writer"] {
            let body = json!({"roleKey": role, "displayName": role});
            let path = format!("/management/v1/projects/{project_id}/roles");
            self.call(Method::POST, &path, Some(body)).await;
        }
        let body = json!({"projectId": project_id, "roleKeys": ["reader"]});
        let path = format!("/management/v1/users/{user_id}/grants");
        let grant = self.call(Method::POST, &path, Some(body)).await;
        let grant_id = grant["userGrantId"]
            .as_str()
            .expect("userGrantId")
            .to_string();
        if fixture.contains("${INACTIVE_GRANT_ID}") {
            let path = format!("/management/v1/users/{user_id}/grants/{grant_id}/_deactivate");
            self.call(Method::POST, &path, Some(json!({}))).await;
        }
        let mut extra = Vec::new();
        if fixture.contains("${INACTIVE_USER_ID}") {
            let path = format!("/management/v1/users/{user_id}/_deactivate");
            self.call(Method::POST, &path, Some(json!({}))).await;
            extra.push(("INACTIVE_USER_ID", user_id.clone()));
        }
        if fixture.contains("${MEMBER_ID}") {
            let body = json!({"userId": user_id, "roles": ["ORG_USER_MANAGER"]});
            self.call(Method::POST, "/management/v1/orgs/me/members", Some(body))
                .await;
            extra.push(("MEMBER_ID", user_id.clone()));
        }
        if fixture.contains("_BASIC_AUTH}") {
            let body =
                json!({"name": "events-api", "authMethodType": "API_AUTH_METHOD_TYPE_BASIC"});
            let path = format!("/management/v1/projects/{project_id}/apps/api");
            let app = self.call(Method::POST, &path, Some(body)).await;
            let client_id = app["clientId"].as_str().expect("clientId");
            let app_secret = app["clientSecret"].as_str().expect("clientSecret");
            extra.push((
                "APP_BASIC_AUTH",
                STANDARD.encode(format!("{client_id}:{app_secret}")),
            ));
            extra.push((
                "APP_WRONG_BASIC_AUTH",
                STANDARD.encode(format!("{client_id}:not-{app_secret}")),
            ));
        }
        // Every fixture of a token route, and one that authenticates with `${PAT}`.
        if fixture.contains("/pats") || fixture.contains("${PAT}") {
            let path = format!("/management/v1/users/{user_id}/pats");
            let pat = self.call(Method::POST, &path, Some(json!({}))).await;
            extra.push(("PAT_ID", pat["tokenId"].as_str().expect("tokenId").into()));
            extra.push(("PAT", pat["token"].as_str().expect("token").into()));
        }
        if fixture.contains("${INTROSPECTION_FORM}") {
            let scope = format!(
                "openid urn:zitadel:iam:org:project:id:{project_id}:aud urn:zitadel:iam:org:projects:roles"
            );
            let token = self.api.token(&user_name, secret, &scope).await;
            extra.push((
                "INTROSPECTION_FORM",
                STANDARD.encode(format!("token={token}")),
            ));
        }
        let issuer = self.api.issuer();
        if fixture.contains("${KEY_ID}") || fixture.contains("${JWT_PROFILE_FORM}") {
            let key = self.api.machine_key(&self.admin_token, &user_id).await;
            let form: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("grant_type", tests::JWT_BEARER)
                .append_pair("scope", tests::ZITADEL_SCOPE)
                .append_pair("assertion", &key.assertion(&issuer))
                .finish();
            extra.push(("JWT_PROFILE_FORM", STANDARD.encode(form)));
            extra.push(("KEY_ID", key.key_id));
        }
        if [
            "${APP_ID}",
            "${APP_KEY_ID}",
            "${ASSERTION_INTROSPECTION_FORM}",
        ]
        .iter()
        .any(|placeholder| fixture.contains(placeholder))
        {
            let app = self.api.key_jwt_app(&self.admin_token, &project_id).await;
            let key = self.api.app_key(&self.admin_token, &app).await;
            if fixture.contains("${ASSERTION_INTROSPECTION_FORM}") {
                let scope = format!("openid urn:zitadel:iam:org:project:id:{project_id}:aud");
                let token = self.api.token(&user_name, secret, &scope).await;
                let form: String = form_urlencoded::Serializer::new(String::new())
                    .append_pair("client_assertion_type", tests::CLIENT_ASSERTION_TYPE)
                    .append_pair("client_assertion", &key.assertion(&issuer))
                    .append_pair("token", &token)
                    .finish();
                extra.push(("ASSERTION_INTROSPECTION_FORM", STANDARD.encode(form)));
            }
            extra.push(("APP_ID", app.app_id));
            extra.push(("APP_KEY_ID", key.key_id));
        }
        HashMap::from([
            ("ADMIN_TOKEN", self.admin_token.clone()),
            ("ADMIN_USER_ID", admin.user_id.clone()),
            ("ORG_ID", admin.org_id.clone()),
            ("USER_ID", user_id),
            (
                "BASIC_AUTH",
                STANDARD.encode(format!("{user_name}:{secret}")),
            ),
            ("USER_NAME", user_name),
            ("PROJECT_ID", project_id),
            ("INACTIVE_GRANT_ID", grant_id.clone()),
            ("GRANT_ID", grant_id),
            ("UNIQUE", unique),
            ("ISSUER", issuer),
        ])
        .into_iter()
        .chain(extra)
        .collect()
    }
}

/// The routes of `template.yaml` by route key (`METHOD /path`, or `$default`), with their binary.
fn template_routes() -> BTreeMap<String, String> {
    shared::routes::routes()
        .expect("template.yaml routes")
        .into_iter()
        .map(|r| {
            let key = if r.path == "$default" {
                r.path.clone()
            } else {
                format!("{} {}", r.method, r.path)
            };
            (key, r.binary)
        })
        .collect()
}

/// `{name}` segments of a route path.
fn path_parameter_names(route_key: &str) -> BTreeSet<String> {
    route_key
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_string)
        .collect()
}

/// The fixture is shaped as API Gateway sends it, for a route of its binary.
fn assert_event_shape(name: &str, binary: &str, event: &Value, routes: &BTreeMap<String, String>) {
    let text = |pointer: &str| {
        event
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{name}: no string at {pointer}"))
    };
    assert_eq!(text("/version"), "2.0", "{name}");
    let route_key = text("/routeKey");
    assert_eq!(text("/requestContext/routeKey"), route_key, "{name}");
    assert_eq!(
        routes.get(route_key).map(String::as_str),
        Some(binary),
        "{name}: routeKey {route_key:?} is not a route of {binary} in template.yaml"
    );
    let method = text("/requestContext/http/method");
    let raw_path = text("/rawPath");
    assert_eq!(text("/requestContext/http/path"), raw_path, "{name}");
    for pointer in [
        "/rawQueryString",
        "/requestContext/http/sourceIp",
        "/requestContext/requestId",
        "/requestContext/stage",
        "/requestContext/domainName",
    ] {
        text(pointer);
    }
    assert!(
        event["isBase64Encoded"].is_boolean(),
        "{name}: isBase64Encoded"
    );
    let headers = event["headers"].as_object().expect("headers");
    for header in headers.keys() {
        assert_eq!(
            *header,
            header.to_lowercase(),
            "{name}: header names are lower-case"
        );
    }
    let params: BTreeSet<String> = event["pathParameters"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    if route_key == "$default" {
        assert!(params.is_empty(), "{name}: $default has no path parameters");
    } else {
        let (route_method, route_path) = route_key.split_once(' ').expect("METHOD /path");
        assert_eq!(method, route_method, "{name}");
        assert_eq!(
            params,
            path_parameter_names(route_path),
            "{name}: pathParameters"
        );
        // rawPath is the route's path with the parameters in place.
        let mut expected = route_path.to_string();
        for param in &params {
            let value = event["pathParameters"][param].as_str().expect("parameter");
            expected = expected.replace(&format!("{{{param}}}"), value);
        }
        assert_eq!(raw_path, expected, "{name}: rawPath");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fixture_answers_as_expected() {
    let fixtures = cases();
    for binary in functions::FUNCTIONS.iter().map(|f| f.binary) {
        assert!(
            fixtures
                .iter()
                .any(|f| f.case.success && f.binary() == binary),
            "{binary}: no tests/events/{binary}.success.json"
        );
    }

    let routes = template_routes();
    let setup = Setup::new().await;
    for fixture in &fixtures {
        let (name, case) = (fixture.name.as_str(), fixture.case);
        let binary = static_binary(fixture.binary());
        let path = events_dir().join(format!("{name}.json"));
        let fixture = std::fs::read_to_string(&path).expect("fixture");
        let raw: Value = serde_json::from_str(&fixture).expect("fixture is JSON");
        assert_event_shape(name, binary, &raw, &routes);

        let vars = setup.world(&fixture).await;
        let event = fill(&fixture, &vars);
        let request = lambda_http::request::from_str(&event)
            .unwrap_or_else(|e| panic!("{name}: lambda_http refuses the event: {e}"));
        let response = local::dispatch::dispatch(binary, setup.api.app(), request)
            .await
            .expect("a dispatchable binary")
            .unwrap_or_else(|e| panic!("{name}: handler error {e}"));
        let status = response.status().as_u16();
        let body: Value = serde_json::from_slice(response.body().as_ref())
            .unwrap_or_else(|e| panic!("{name}: the answer is not JSON: {e}"));
        case.check(name, status, &body, &vars);
    }
}

impl Case {
    /// The answer is what the case expects.
    #[track_caller]
    fn check(&self, name: &str, status: u16, body: &Value, vars: &HashMap<&'static str, String>) {
        assert_eq!(status, self.status, "{name}: {body}");
        for check in self.checks {
            match check {
                Is(pointer, expected) => {
                    let expected: Value =
                        serde_json::from_str(&fill(expected, vars)).expect("expected JSON");
                    assert_eq!(
                        body.pointer(pointer),
                        Some(&expected),
                        "{name} {pointer}: {body}"
                    );
                }
                Set(pointer) => {
                    let value = body.pointer(pointer);
                    let empty = match value {
                        None | Some(Value::Null) => true,
                        Some(Value::String(s)) => s.is_empty(),
                        _ => false,
                    };
                    assert!(!empty, "{name} {pointer} is empty: {body}");
                }
            }
        }
    }
}

/// `cargo lambda watch` (cargo-lambda's Lambda emulator: the Runtime API, and each function
/// binary started under it on its first invocation) on a port of its own, configured like the
/// local app (its table on its DynamoDB, its signing key, its issuer); stopped when dropped.
struct Emulator {
    child: std::process::Child,
    port: u16,
    _key_file: TempFile,
    /// Kept when the test fails, to read.
    log: PathBuf,
}

/// A file removed when dropped.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn temp_file(name: &str, contents: &str) -> TempFile {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let path = std::env::temp_dir().join(format!(
        "zitadel-lite-{}-{name}",
        uuid::Uuid::new_v4().simple()
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(&path).expect("a temp file");
    file.write_all(contents.as_bytes()).expect("written");
    TempFile(path)
}

/// `cargo lambda` from the project's .venv (`make test-lambda-runtime` installs it), else PATH.
fn cargo_lambda() -> std::process::Command {
    let venv = workspace().join(".venv/bin");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![venv];
    paths.extend(std::env::split_paths(&path));
    let mut command = std::process::Command::new("cargo");
    command
        .arg("lambda")
        .current_dir(workspace())
        .env("PATH", std::env::join_paths(paths).expect("PATH"));
    command
}

impl Emulator {
    async fn start(app: &shared::App) -> Emulator {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let config = &app.config;
        let key = config
            .signing_key_pem
            .as_deref()
            .expect("the local app's key");
        let key_file = temp_file("signing-key.pem", key);
        let env = [
            ("TABLE_NAME", config.table_name.clone()),
            (
                "DYNAMODB_ENDPOINT",
                config.dynamodb_endpoint.clone().expect("endpoint"),
            ),
            ("ISSUER", config.issuer.clone().expect("issuer")),
            ("SIGNING_KEY_FILE", key_file.0.display().to_string()),
            ("RUST_LOG", "error".into()),
        ];
        let mut command = cargo_lambda();
        command
            .args([
                "watch",
                "--ignore-changes",
                "--quiet",
                "--invoke-address",
                "127.0.0.1",
            ])
            .args(["--invoke-port", &port.to_string(), "--package", "functions"])
            .stdin(std::process::Stdio::null());
        for (name, value) in &env {
            command.env(name, value);
            command.arg("--env-var").arg(format!("{name}={value}"));
        }
        // Its own log and the functions' (they exit noisily when it stops) go to a file.
        let log_path = std::env::temp_dir().join(format!("zitadel-lite-cargo-lambda-{port}.log"));
        let log = std::fs::File::create(&log_path).expect("a log file");
        eprintln!(
            "cargo lambda watch on 127.0.0.1:{port}, log in {}",
            log_path.display()
        );
        command
            .stdout(log.try_clone().expect("the log file"))
            .stderr(log);
        let child = command
            .spawn()
            .expect("cargo lambda watch starts (make test-lambda-runtime installs it)");
        let emulator = Emulator {
            child,
            port,
            _key_file: key_file,
            log: log_path,
        };
        let started = std::time::Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(120),
                "cargo lambda watch did not listen on {port}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        emulator
    }

    /// `cargo lambda invoke <binary> --data-file <event>`: the function's answer (API Gateway's
    /// response object) as status and JSON body.
    fn invoke(&self, binary: &str, event: &str) -> (u16, Value) {
        let file = temp_file("event.json", event);
        let output = cargo_lambda()
            .args(["invoke", binary, "--data-file"])
            .arg(&file.0)
            .args([
                "--invoke-address",
                "127.0.0.1",
                "--invoke-port",
                &self.port.to_string(),
            ])
            .args(["--output-format", "json"])
            .output()
            .expect("cargo lambda invoke runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{binary}: cargo lambda invoke failed: {stdout} {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let response: Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{binary}: not a JSON response ({e}): {stdout}"));
        let status = response["statusCode"].as_u64().expect("statusCode") as u16;
        let text = response["body"].as_str().unwrap_or_default();
        let body = if response["isBase64Encoded"] == true {
            STANDARD.decode(text).expect("base64 body")
        } else {
            text.as_bytes().to_vec()
        };
        let body = serde_json::from_slice(&body)
            .unwrap_or_else(|e| panic!("{binary}: the answer is not JSON ({e}): {text}"));
        (status, body)
    }
}

impl Drop for Emulator {
    /// Ctrl-C first, so that cargo lambda stops the function processes it started.
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = std::process::Command::new("kill")
            .args(["-INT", &pid])
            .status();
        let stopped = (0..50).any(|_| {
            std::thread::sleep(std::time::Duration::from_millis(100));
            matches!(self.child.try_wait(), Ok(Some(_)))
        });
        if !stopped {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if !std::thread::panicking() {
            let _ = std::fs::remove_file(&self.log);
        }
    }
}

/// The fixtures once more, each through its function binary as a separate process under
/// cargo-lambda's emulator (a Lambda Runtime API we did not write), answers checked alike.
/// Run by `make test-lambda-runtime`, which installs cargo-lambda first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs cargo-lambda: make test-lambda-runtime"]
async fn every_fixture_answers_as_expected_under_cargo_lambda() {
    let setup = Setup::new().await;
    let emulator = Emulator::start(setup.api.app()).await;
    for fixture in &cases() {
        let (name, case) = (fixture.name.as_str(), fixture.case);
        let binary = static_binary(fixture.binary());
        let fixture =
            std::fs::read_to_string(events_dir().join(format!("{name}.json"))).expect("fixture");
        let vars = setup.world(&fixture).await;
        let event = fill(&fixture, &vars);
        let (status, body) = tokio::task::block_in_place(|| emulator.invoke(binary, &event));
        case.check(name, status, &body, &vars);
        eprintln!("cargo lambda invoke {binary} --data-file {name}.json: {status}");
    }
    drop(emulator);
}

/// What a request without credentials or body gets from each kind of function: the
/// management API's "auth header missing", the token endpoint's refusal of a missing grant
/// type, the public documents, and the `$default` route's 404.
fn answer_without_credentials(route: &shared::routes::Route) -> (u16, Value) {
    match route.path.as_str() {
        "$default" => (404, json!({"code": 5, "message": "Not Found"})),
        "/oauth/v2/token" => (
            400,
            json!({"error": "invalid_request", "error_description": "grant_type missing"}),
        ),
        "/oauth/v2/introspect" => (
            401,
            json!({"error": "invalid_client", "error_description": "client authentication failed"}),
        ),
        p if p.starts_with("/management/") || p.starts_with("/auth/") || p.starts_with("/v2/") => {
            (401, json!({"code": 16, "message": "auth header missing"}))
        }
        // Connect: a request that is no JSON is refused first, without a body.
        p if p.starts_with("/zitadel.") => (415, Value::Null),
        _ => (200, Value::Null),
    }
}

/// Every route of the template reaches the endpoint its binary serves, by the name the template
/// spells (that the template routes exactly the declared routes is `tests/declarations.rs`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_template_route_reaches_its_functions_endpoint() {
    let routes = shared::routes::routes().expect("template.yaml routes");
    // Every route of the template reaches the handler its binary runs, by the name the
    // template spells: a request without credentials gets exactly that handler's refusal.
    let api = Api::start().await;
    for route in &routes {
        let binary = route.binary.as_str();
        let (method, path) = match route.path.as_str() {
            "$default" => ("GET", "/nowhere".to_string()),
            p => (route.method.as_str(), p.replace('{', "1").replace('}', "")),
        };
        let event = json!({
            "version": "2.0",
            "routeKey": if route.path == "$default" { "$default".to_string() } else { format!("{method} {}", route.path) },
            "rawPath": path,
            "rawQueryString": "",
            "headers": {"host": "localhost"},
            "requestContext": {
                "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1"},
                "requestId": "drift", "routeKey": "drift", "stage": "$default", "domainName": "localhost"
            },
            "isBase64Encoded": false
        });
        let request = lambda_http::request::from_str(&event.to_string()).expect("event");
        let answer = local::dispatch::dispatch(binary, api.app(), request).await;
        let response = answer
            .unwrap_or_else(|| panic!("{binary} (template.yaml) is not dispatchable"))
            .unwrap_or_else(|e| panic!("{binary}: {e}"));
        let body: Value = serde_json::from_slice(response.body().as_ref()).unwrap_or(Value::Null);
        let (status, expected) = answer_without_credentials(route);
        assert_eq!(response.status().as_u16(), status, "{binary}: {body}");
        if !expected.is_null() {
            assert_eq!(body, expected, "{binary}");
        }
    }
}
