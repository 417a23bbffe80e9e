//! The token endpoint (spec §5): client authentication, errors, claims, roles.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::json;

use tests::{claims, Api, ZITADEL_SCOPE};

#[tokio::test]
async fn token_errors() {
    let (api, admin) = Api::start_with_admin().await;
    let robot = api.machine_user(&admin, None, "robot").await;

    let unknown = api.token_request("nobody", "x", ZITADEL_SCOPE).await;
    assert_eq!(unknown.status, 400);
    assert_eq!(
        unknown.body,
        json!({"error": "invalid_client", "error_description": "client not found"})
    );
    let no_secret = api.token_request("robot", "x", ZITADEL_SCOPE).await;
    assert_eq!(
        no_secret.body["error_description"],
        "Errors.User.Machine.Secret.NotExisting"
    );
    let secret = api.secret(&admin, None, &robot).await;
    let wrong = api.token_request("robot", "wrong", ZITADEL_SCOPE).await;
    assert_eq!(
        wrong.body,
        json!({"error": "invalid_request", "error_description": "Errors.User.Machine.Secret.Invalid"})
    );

    let form = |body: &str| {
        api.http
            .post(api.url("/oauth/v2/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_string())
    };
    let unsupported = api
        .send(form("grant_type=password&username=a&password=b"))
        .await;
    assert_eq!(unsupported.body["error"], "unsupported_grant_type");
    // Credentials in the form work; in the form and in Basic at once do not.
    let by_form = api
        .send(form(&format!(
            "grant_type=client_credentials&client_id=robot&client_secret={secret}&scope=openid"
        )))
        .await;
    assert!(by_form.assert_ok()["access_token"].is_string());
    let both = api
        .send(
            form(&format!(
                "grant_type=client_credentials&client_id=robot&client_secret={secret}&scope=openid"
            ))
            .header(
                "authorization",
                format!("Basic {}", STANDARD.encode(format!("robot:{secret}"))),
            ),
        )
        .await;
    assert_eq!(both.body["error"], "invalid_request");
    let no_scope = api
        .send(form(&format!(
            "grant_type=client_credentials&client_id=robot&client_secret={secret}"
        )))
        .await;
    assert_eq!(no_scope.status, 400);
    // The client id is case-insensitive, like ZITADEL's login names.
    api.token("ROBOT", &secret, "openid").await;
}

#[tokio::test]
async fn the_token_answer_and_claims() {
    let api = Api::start().await;
    let admin = api.admin();
    let answer = api
        .token_request(&admin.client_id, &admin.client_secret, ZITADEL_SCOPE)
        .await;
    let body = answer.assert_ok();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 43199);
    assert_eq!(answer.headers["cache-control"], "no-store");
    let token = body["access_token"].as_str().unwrap();
    let c = claims(token);
    for claim in [
        "iss",
        "sub",
        "aud",
        "exp",
        "iat",
        "nbf",
        "jti",
        "client_id",
        "urn:zitadel:iam:user:resourceowner:id",
    ] {
        assert!(c.get(claim).is_some(), "missing {claim}: {c}");
    }
    assert_eq!(
        c["exp"].as_u64().unwrap() - c["iat"].as_u64().unwrap(),
        43200
    );
}

#[tokio::test]
async fn roles_follow_active_grants() {
    let (api, admin) = Api::start_with_admin().await;
    let (robot, project, grant) = api
        .granted_user(&admin, "robot", &["reader", "writer"])
        .await;
    let secret = api.secret(&admin, None, &robot).await;
    let scope = format!(
        "openid urn:zitadel:iam:org:project:id:{project}:aud urn:zitadel:iam:org:projects:roles"
    );
    let claim = format!("urn:zitadel:iam:org:project:{project}:roles");
    let org = api.admin().org_id.clone();

    let token = api.token("robot", &secret, &scope).await;
    assert_eq!(
        claims(&token)[&claim],
        json!({"reader": {&org: "zitadel.localhost"}, "writer": {&org: "zitadel.localhost"}})
    );
    assert!(claims(&token)["aud"]
        .as_array()
        .unwrap()
        .contains(&json!(project)));

    let path = format!("/management/v1/users/{robot}/grants/{grant}");
    api.post(&format!("{path}/_deactivate"), &admin, json!({}))
        .await
        .assert_ok();
    let token = api.token("robot", &secret, &scope).await;
    assert!(
        claims(&token).get(&claim).is_none(),
        "a deactivated grant's roles leave the token"
    );

    api.post(&format!("{path}/_reactivate"), &admin, json!({}))
        .await
        .assert_ok();
    let token = api.token("robot", &secret, &scope).await;
    assert_eq!(
        claims(&token)[&claim]["reader"],
        json!({&org: "zitadel.localhost"})
    );

    // A single role scope asks for that role only; without a role scope there are none.
    let only = api.token("robot", &secret, &format!("urn:zitadel:iam:org:project:id:{project}:aud urn:zitadel:iam:org:project:role:writer")).await;
    assert_eq!(
        claims(&only)[&claim],
        json!({"writer": {&org: "zitadel.localhost"}})
    );
    let none = api
        .token(
            "robot",
            &secret,
            &format!("urn:zitadel:iam:org:project:id:{project}:aud"),
        )
        .await;
    assert!(claims(&none).get(&claim).is_none());

    api.delete(&path, &admin).await.assert_ok();
    let token = api.token("robot", &secret, &scope).await;
    assert!(
        claims(&token).get(&claim).is_none(),
        "a removed grant's roles leave the token"
    );
}

#[tokio::test]
async fn a_token_reads_the_user_and_its_grants_only() {
    let (api, admin_token) = Api::start_with_admin().await;
    // Every org the admin creates makes it an owner there: those memberships must not weigh
    // on the admin's token requests.
    for i in 0..60 {
        api.org(&admin_token, &format!("org-{i}")).await;
    }
    let metrics = api.app().store.metrics();
    let (calls, capacity) = (metrics.calls(), metrics.capacity_units());
    api.admin_token().await;
    assert_eq!(metrics.calls() - calls, 2);
    let consumed = metrics.capacity_units() - capacity;
    assert!(
        consumed <= 2.0,
        "a token request consumed {consumed} capacity units"
    );
}

#[tokio::test]
async fn foreign_grants_do_not_weigh_on_a_token() {
    let (api, admin) = Api::start_with_admin().await;
    let victim = api.machine_user(&admin, None, "victim").await;
    let secret = api.secret(&admin, None, &victim).await;
    let own_project = api.project(&admin, "Own", &["reader"]).await;
    api.grant(&admin, &victim, &own_project, &["reader"]).await;
    let scope = format!(
        "openid urn:zitadel:iam:org:project:id:{own_project}:aud urn:zitadel:iam:org:projects:roles"
    );
    let metrics = api.app().store.metrics();
    let cost = |metrics: &shared::store::Metrics| (metrics.calls(), metrics.capacity_units());
    let before = cost(metrics);
    api.token("victim", &secret, &scope).await;
    let after = cost(metrics);
    let alone = (after.0 - before.0, after.1 - before.1);

    // Another org grants the victim roles of 300 projects of its own.
    let foreign = api.org(&admin, "Foreign").await;
    let grants: Vec<_> = (0..300)
        .map(|i| {
            let (http, url, admin, victim, foreign) = (
                api.http.clone(),
                api.running().url.clone(),
                admin.clone(),
                victim.clone(),
                foreign.clone(),
            );
            async move {
                let post = |path: String, body: serde_json::Value| {
                    http.post(format!("{url}/management/v1{path}"))
                        .bearer_auth(&admin)
                        .header("x-zitadel-orgid", &foreign)
                        .json(&body)
                        .send()
                };
                let project: serde_json::Value =
                    post("/projects".into(), json!({"name": format!("p{i}")}))
                        .await
                        .unwrap()
                        .json()
                        .await
                        .unwrap();
                let project = project["id"].as_str().unwrap().to_string();
                let role = json!({"roleKey": "reader", "displayName": "Reader"});
                post(format!("/projects/{project}/roles"), role)
                    .await
                    .unwrap();
                let grant = json!({"projectId": project, "roleKeys": ["reader"]});
                let answer = post(format!("/users/{victim}/grants"), grant)
                    .await
                    .unwrap();
                assert_eq!(answer.status(), 200);
            }
        })
        .collect();
    let mut pending = Vec::new();
    for grant in grants {
        pending.push(tokio::spawn(grant));
        if pending.len() == 16 {
            for task in pending.drain(..) {
                task.await.unwrap();
            }
        }
    }
    for task in pending {
        task.await.unwrap();
    }

    let before = cost(metrics);
    let token = api.token("victim", &secret, &scope).await;
    let after = cost(metrics);
    let burdened = (after.0 - before.0, after.1 - before.1);
    // The same round trips and the same reads as before the 300 grants.
    assert_eq!(burdened, alone);
    assert_eq!(
        claims(&token)[format!("urn:zitadel:iam:org:project:{own_project}:roles")],
        json!({"reader": {api.admin().org_id.clone(): "zitadel.localhost"}})
    );
}

#[tokio::test]
async fn token_requests_have_limits_and_lowercase_basic_works() {
    let api = Api::start().await;
    let admin = api.admin();
    // A client id of any length is a client that does not exist: no 500, no storage call.
    let metrics = api.app().store.metrics();
    let calls = metrics.calls();
    for length in [201, 2040, 5000] {
        let answer = api
            .token_request(&"x".repeat(length), "x", ZITADEL_SCOPE)
            .await;
        assert_eq!(answer.status, 400, "{length}: {}", answer.body);
        assert_eq!(answer.body["error"], "invalid_client");
    }
    assert_eq!(metrics.calls(), calls);
    // Too many scopes, or too long a scope parameter: refused before anything is read.
    let many: Vec<String> = (0..65).map(|i| format!("s{i}")).collect();
    let answer = api
        .token_request(&admin.client_id, &admin.client_secret, &many.join(" "))
        .await;
    assert_eq!(answer.body["error"], "invalid_scope", "{}", answer.body);
    let long = format!("openid {}", "a".repeat(5000));
    let answer = api
        .token_request(&admin.client_id, &admin.client_secret, &long)
        .await;
    assert_eq!(answer.body["error"], "invalid_scope", "{}", answer.body);
    assert_eq!(metrics.calls(), calls);
    // A project id longer than any project's, with roles asked for: it has no grants and is not
    // read (as a key, DynamoDB refuses it, and the answer was a 500 on DynamoDB Local).
    let long_project = format!(
        "urn:zitadel:iam:org:project:id:{}:aud urn:zitadel:iam:org:projects:roles",
        "p".repeat(1100)
    );
    let answer = api
        .token_request(&admin.client_id, &admin.client_secret, &long_project)
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.body["access_token"].is_string(), "{}", answer.body);
    // The scheme of HTTP Basic is case-insensitive (RFC 7617).
    let basic = STANDARD.encode(format!("{}:{}", admin.client_id, admin.client_secret));
    let answer = api
        .send(
            api.http
                .post(api.url("/oauth/v2/token"))
                .header("authorization", format!("basic {basic}"))
                .form(&[("grant_type", "client_credentials"), ("scope", "openid")]),
        )
        .await;
    answer.assert_ok();
    assert_eq!(answer.headers["cache-control"], "no-store");
    assert_eq!(answer.headers["pragma"], "no-cache");
}

/// ZITADEL's `checkOrgScopes`: an org scope stays in a token only for the client's own org (its
/// id, its primary domain); one naming another org, or a domain not the org's primary one, is
/// dropped (issue 21, item 11).
#[tokio::test]
async fn org_scopes_stay_only_for_the_clients_own_org() {
    let (api, admin) = Api::start_with_admin().await;
    let own = api.admin().org_id.clone();
    let foreign = api.org(&admin, "Foreign").await;
    let me = api.get("/management/v1/orgs/me", &admin).await;
    let own_domain = me.assert_ok()["org"]["primaryDomain"]
        .as_str()
        .unwrap()
        .to_string();
    let robot = api.machine_user(&admin, None, "scoped").await;
    let secret = api.secret(&admin, None, &robot).await;
    let scope = |scopes: &[&str]| scopes.join(" ");
    let own_id = format!("urn:zitadel:iam:org:id:{own}");
    let own_primary = format!("urn:zitadel:iam:org:domain:primary:{own_domain}");
    let asked = scope(&[
        "openid",
        &own_id,
        &format!("urn:zitadel:iam:org:id:{foreign}"),
        &own_primary,
        "urn:zitadel:iam:org:domain:primary:foreign.localhost",
    ]);
    let token = api.token("scoped", &secret, &asked).await;
    assert_eq!(
        claims(&token)["scope"],
        scope(&["openid", &own_id, &own_primary])
    );
    // Only foreign org scopes: the token is issued without them.
    let asked = format!("openid urn:zitadel:iam:org:id:{foreign}");
    let token = api.token("scoped", &secret, &asked).await;
    assert_eq!(claims(&token)["scope"], "openid");
}
