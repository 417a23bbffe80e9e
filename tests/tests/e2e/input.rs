//! Bad input: ZITADEL's error, and nothing stored.

use reqwest::Method;
use serde_json::json;

use tests::Api;

const ADD_USER: &str = "/management/v1/users/machine";

async fn raw_post(api: &Api, path: &str, token: Option<&str>, body: Vec<u8>) -> tests::Answer {
    let mut request = api
        .http
        .post(api.url(path))
        .header("content-type", "application/json")
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    api.send(request).await
}

#[tokio::test]
async fn malformed_json_is_400_even_before_authentication() {
    let (api, admin) = Api::start_with_admin().await;
    for (body, message) in [
        ("{", "unexpected EOF"),
        (
            "xyz",
            "invalid character 'x' looking for beginning of value",
        ),
        (
            r#"{"userName":}"#,
            "invalid character '}' looking for beginning of value",
        ),
    ] {
        for token in [Some(admin.as_str()), None] {
            let answer = raw_post(&api, ADD_USER, token, body.as_bytes().to_vec()).await;
            assert_eq!(answer.status, 400, "{body}: {}", answer.body);
            assert_eq!(answer.body, json!({"code": 3, "message": message}));
        }
    }
    api.machine_user(&admin, None, "robot").await;
}

#[tokio::test]
async fn wrong_types_are_400() {
    let (api, admin) = Api::start_with_admin().await;
    let cases = [
        json!({"userName": 123, "name": "x"}),
        json!({"userName": "robot", "name": ["x"]}),
        json!({"userName": "robot", "name": "x", "description": {"a": 1}}),
        json!({"userName": "robot", "name": "x", "accessTokenType": true}),
        json!(["robot"]),
    ];
    for body in cases {
        let answer = api.post(ADD_USER, &admin, body.clone()).await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.body);
        assert_eq!(answer.body["code"], 3);
        assert!(
            answer.body["message"]
                .as_str()
                .unwrap()
                .starts_with("proto:"),
            "{}",
            answer.body
        );
    }
    let answer = api
        .post(ADD_USER, &admin, json!({"userName": 123, "name": "x"}))
        .await;
    assert_eq!(
        answer.body["message"],
        "proto: invalid value for string field userName: 123"
    );
    // None of them created "robot".
    api.machine_user(&admin, None, "robot").await;
}

#[tokio::test]
async fn validation_follows_protoc_gen_validate() {
    let (api, admin) = Api::start_with_admin().await;
    let long = "x".repeat(201);
    let cases = [
        (json!({"name": "x"}), "invalid AddMachineUserRequest.UserName: value length must be between 1 and 200 runes, inclusive"),
        (json!({"userName": long, "name": "x"}), "invalid AddMachineUserRequest.UserName: value length must be between 1 and 200 runes, inclusive"),
        (json!({"userName": "robot"}), "invalid AddMachineUserRequest.Name: value length must be between 1 and 200 runes, inclusive"),
        (json!({"userName": "robot", "name": "x", "description": "d".repeat(501)}), "invalid AddMachineUserRequest.Description: value length must be at most 500 runes"),
        (json!({"userName": "robot", "name": "x", "accessTokenType": 7}), "invalid AddMachineUserRequest.AccessTokenType: value must be one of the defined enum values"),
        (json!({"userName": "robot", "name": "x", "userId": ""}), "invalid AddMachineUserRequest.UserId: value length must be between 1 and 200 runes, inclusive"),
    ];
    for (body, message) in cases {
        let answer = api.post(ADD_USER, &admin, body.clone()).await;
        assert_eq!(answer.status, 400, "{body}");
        assert_eq!(
            answer.body,
            json!({"code": 3, "message": message}),
            "{body}"
        );
    }
    // 200 runes of a multi-byte character are fine: runes, not bytes, are counted.
    let name = "é".repeat(200);
    let ok = api
        .post(ADD_USER, &admin, json!({"userName": "robot", "name": name}))
        .await;
    ok.assert_ok();
    let org = api
        .post("/management/v1/orgs", &admin, json!({"name": ""}))
        .await;
    assert_eq!(
        org.body["message"],
        "invalid AddOrgRequest.Name: value length must be between 1 and 200 runes, inclusive"
    );
}

#[tokio::test]
async fn unknown_fields_and_snake_case_are_accepted() {
    let (api, admin) = Api::start_with_admin().await;
    let body = json!({"user_name": "snake", "name": "x", "access_token_type": "ACCESS_TOKEN_TYPE_JWT", "whatever": [1, 2]});
    let id = api.post(ADD_USER, &admin, body).await.assert_ok()["userId"]
        .as_str()
        .unwrap()
        .to_string();
    let user = api.get(&format!("/management/v1/users/{id}"), &admin).await;
    assert_eq!(user.body["user"]["userName"], "snake");
    assert_eq!(
        user.body["user"]["machine"]["accessTokenType"],
        "ACCESS_TOKEN_TYPE_JWT"
    );
}

#[tokio::test]
async fn big_bodies_are_refused_and_store_nothing() {
    let (api, admin) = Api::start_with_admin().await;
    // 2 MB in a field: validation refuses it.
    let big = json!({"userName": "x".repeat(2 * 1024 * 1024), "name": "x"}).to_string();
    let answer = raw_post(&api, ADD_USER, Some(&admin), big.into_bytes()).await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.body["code"], 3);
    // Over gRPC's 4 MiB message limit: refused before decoding.
    let huge =
        json!({"userName": "robot", "name": "x", "description": "x".repeat(5 * 1024 * 1024)})
            .to_string();
    let answer = raw_post(&api, ADD_USER, Some(&admin), huge.into_bytes()).await;
    assert_eq!(answer.status, 429, "{}", answer.body);
    assert_eq!(answer.body["code"], 8);
    // Over API Gateway's 10 MB payload limit.
    let answer = raw_post(&api, ADD_USER, Some(&admin), vec![b' '; 11 * 1024 * 1024]).await;
    assert_eq!(answer.status, 413);
    api.machine_user(&admin, None, "robot").await;
}

#[tokio::test]
async fn over_long_ids_in_paths_and_headers_are_handled() {
    let (api, admin) = Api::start_with_admin().await;
    let long = "1".repeat(201);
    let answer = api
        .get(&format!("/management/v1/users/{long}"), &admin)
        .await;
    assert_eq!(
        answer.body,
        json!({"code": 3, "message": "invalid GetUserByIDRequest.Id: value length must be between 1 and 200 runes, inclusive"})
    );
    let huge_org = "9".repeat(3000);
    let answer = api
        .call(
            Method::GET,
            "/management/v1/orgs/me",
            &admin,
            Some(&huge_org),
            None,
        )
        .await;
    answer.assert_error(403, 7, "AUTH-Bs7Ds");
}
