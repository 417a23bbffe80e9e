//! The wire as strict as protojson and connect-go read it (issue 21, item 10): Basic client
//! credentials decoded whole (not cut at `&`), one JSON value and nothing after it, no field
//! twice, one member per oneof, and no body coding but `identity`. Each refusal comes before
//! anything is stored.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use shared::store::keys::{self, Key};
use tests::{Answer, Api, ZITADEL_SCOPE};

const ADD_USER: &str = "/management/v1/users/machine";
const CREATE_USER: &str = "zitadel.user.v2.UserService/CreateUser";

/// A request with `body` as it is and `headers` besides the bearer token.
async fn raw(api: &Api, path: &str, token: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut request = api
        .http
        .post(api.url(path))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    api.send(request).await
}

/// A refusal's status, its code (a number on REST, a name on Connect) and message.
#[track_caller]
fn assert_refused(answer: &Answer, status: u16, code: Value, message: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_eq!(answer.body["code"], code, "{}", answer.body);
    assert_eq!(answer.body["message"], message, "{}", answer.body);
}

/// Whether a userName or an org name is taken: the refusals must have stored nothing.
async fn taken(api: &Api, key: Key) -> bool {
    api.app().store.get(&key).await.unwrap().is_some()
}

#[tokio::test]
async fn basic_credentials_are_decoded_whole() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "r&d=bot").await;
    let secret = api.secret(&admin, None, &robot).await;
    // RFC 6749 §2.3.1 form-URL-encodes each part; Go's decoding keeps a bare `&` and `=` too.
    for client_id in ["r%26d%3Dbot", "r&d=bot"] {
        let token = api.token(client_id, &secret, ZITADEL_SCOPE).await;
        assert_eq!(tests::claims(&token)["sub"], robot.as_str());
    }
    let broken = STANDARD.encode(format!("r%2&d=bot:{secret}"));
    let request = api
        .http
        .post(api.url("/oauth/v2/token"))
        .header("authorization", format!("Basic {broken}"))
        .form(&[("grant_type", "client_credentials"), ("scope", "openid")]);
    let answer = api.send(request).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.body["error"], "invalid_request");
}

#[tokio::test]
async fn trailing_data_after_the_message_is_refused() {
    let (api, admin) = Api::start_with_admin().await;
    let body = r#"{"userName":"trailing","name":"T"} {"userName":"second"}"#;
    let answer = raw(&api, ADD_USER, &admin, &[], body).await;
    assert_refused(
        &answer,
        400,
        json!(3),
        "proto: syntax error (line 1:36): unexpected token {",
    );
    let message = r#"{"organizationId":"x","machine":{"name":"T"}}x"#;
    let answer = raw(&api, &format!("/{CREATE_USER}"), &admin, &[], message).await;
    assert_refused(
        &answer,
        400,
        json!("invalid_argument"),
        "proto: syntax error (line 1:46): invalid value x",
    );
    assert!(!taken(&api, keys::unique_user_name("trailing")).await);
}

#[tokio::test]
async fn a_field_named_twice_is_refused() {
    let (api, admin) = Api::start_with_admin().await;
    let org = api.admin().org_id.clone();
    let body = r#"{"userName":"twice","user_name":"other","name":"T"}"#;
    let answer = raw(&api, ADD_USER, &admin, &[], body).await;
    assert_refused(
        &answer,
        400,
        json!(3),
        r#"proto: (line 1:21): duplicate field "user_name""#,
    );
    let message = format!(
        r#"{{"organizationId":"{org}","username":"twice","username":"other","machine":{{"name":"T"}}}}"#
    );
    let answer = raw(&api, &format!("/{CREATE_USER}"), &admin, &[], &message).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.body["code"], "invalid_argument");
    let text = answer.body["message"].as_str().unwrap();
    assert!(text.ends_with(r#"duplicate field "username""#), "{text}");
    assert!(!taken(&api, keys::unique_user_name("twice")).await);
    assert!(!taken(&api, keys::unique_user_name("other")).await);
}

#[tokio::test]
async fn a_oneof_with_two_members_set_is_refused() {
    let (api, admin) = Api::start_with_admin().await;
    let org = api.admin().org_id.clone();
    let robot = api.machine_user(&admin, None, "oneof-robot").await;

    // CreateUser: `machine` and `human`.
    let message = json!({
        "organizationId": org, "username": "both",
        "machine": {"name": "M"}, "human": {"profile": {"givenName": "H"}},
    });
    assert_refused(
        &api.connect(CREATE_USER, &admin, message).await,
        400,
        json!("invalid_argument"),
        r#"proto: error parsing "human", oneof zitadel.user.v2.CreateUserRequest.user_type is already set"#,
    );
    assert!(!taken(&api, keys::unique_user_name("both")).await);

    // AddOrganization: an admin by `userId` and as a `human`.
    let message = json!({
        "name": "Two Admins",
        "admins": [{"userId": robot, "human": {"profile": {"givenName": "H"}}}],
    });
    assert_refused(
        &api.connect(
            "zitadel.org.v2.OrganizationService/AddOrganization",
            &admin,
            message,
        )
        .await,
        400,
        json!("invalid_argument"),
        r#"proto: error parsing "human", oneof zitadel.org.v2.AddOrganizationRequest.Admin.user_type is already set"#,
    );
    assert!(!taken(&api, keys::unique_org_name("Two Admins")).await);

    // CreateAdministrator: a resource both an organization and a project.
    let create = "zitadel.internal_permission.v2.InternalPermissionService/CreateAdministrator";
    let message = json!({
        "userId": robot, "roles": ["ORG_OWNER"],
        "resource": {"organizationId": org, "projectId": "p"},
    });
    assert_refused(
        &api.connect(create, &admin, message).await,
        400,
        json!("invalid_argument"),
        r#"proto: error parsing "projectId", oneof zitadel.internal_permission.v2.ResourceType.resource is already set"#,
    );
    // Nothing was made: the membership is made now, not found existing.
    let message =
        json!({"userId": robot, "roles": ["ORG_OWNER"], "resource": {"organizationId": org}});
    api.connect(create, &admin, message).await.assert_ok();

    // ListAuthorizations: a filter by user and by project at once.
    let message = json!({"filters": [{"userId": {"id": robot}, "projectId": {"id": "p"}}]});
    assert_refused(
        &api.connect(
            "zitadel.authorization.v2.AuthorizationService/ListAuthorizations",
            &admin,
            message,
        )
        .await,
        400,
        json!("invalid_argument"),
        r#"proto: error parsing "projectId", oneof zitadel.authorization.v2.AuthorizationsSearchFilter.filter is already set"#,
    );

    // `null` sets no member.
    let message = json!({
        "organizationId": org, "username": "machine-only",
        "machine": {"name": "M"}, "human": null,
    });
    api.connect(CREATE_USER, &admin, message).await.assert_ok();
}

#[tokio::test]
async fn compressed_bodies_are_refused_by_connect_and_rest() {
    let (api, admin) = Api::start_with_admin().await;
    let org = api.admin().org_id.clone();
    let gzip = [("content-encoding", "gzip")];
    // connect-go: `unimplemented` for a compression it does not have, before reading.
    let message = json!({"organizationId": org, "username": "gz", "machine": {"name": "G"}});
    let answer = raw(
        &api,
        &format!("/{CREATE_USER}"),
        &admin,
        &gzip,
        &message.to_string(),
    )
    .await;
    assert_refused(
        &answer,
        501,
        json!("unimplemented"),
        r#"unknown compression "gzip": supported encodings are identity"#,
    );
    // REST, v1 and v2: 400 code 3, naming the coding.
    let body = json!({"userName": "gz", "name": "G"}).to_string();
    let refused = r#"unsupported Content-Encoding "gzip": send the body uncompressed"#;
    let answer = raw(&api, ADD_USER, &admin, &gzip, &body).await;
    assert_refused(&answer, 400, json!(3), refused);
    let answer = raw(&api, "/v2/users/new", &admin, &gzip, &message.to_string()).await;
    assert_refused(&answer, 400, json!(3), refused);
    assert!(!taken(&api, keys::unique_user_name("gz")).await);

    // `identity` is no coding at all.
    let identity = [("content-encoding", "identity")];
    let answer = raw(&api, ADD_USER, &admin, &identity, &body).await;
    answer.assert_ok();
}
