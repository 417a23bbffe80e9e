//! `POST /oauth/v2/introspect` (RFC 7662): an API app, by HTTP Basic (or the form), asks about
//! a token (form field `token`).

use std::time::Instant;

use lambda_http::Request;
use serde_json::{json, Map, Value};
use tracing::Instrument;

use crate::api::request::{issuer, request_id};
use crate::api::HandlerResult;
use crate::app::App;
use crate::auth::claims::{RESOURCE_OWNER_CLAIM, ZITADEL_CLAIM_PREFIX};
use crate::domain::app::ApiApp;
use crate::domain::introspection::{authenticate_app, introspect as introspect_token, Active};

use super::{authorization, client_credentials, fault, field, finish, form, span, Failure};

/// The general roles claim: at introspection, the roles in the app's own project.
const PROJECT_ROLES_CLAIM: &str = "urn:zitadel:iam:org:project:roles";

/// Wrong app credentials: 401, as RFC 6749 §5.2 asks when the client used HTTP Basic.
fn invalid_client() -> Failure {
    (
        401,
        json!({ "error": "invalid_client", "error_description": "client authentication failed" }),
    )
}

async fn introspection(app: &App, request: &Request) -> Result<Value, Failure> {
    let form = form(request)?;
    let (client_id, secret) =
        client_credentials(authorization(request), &form).map_err(|_| invalid_client())?;
    let store = app.store.for_request();
    let api_app = authenticate_app(
        &store,
        &app.secret_checks,
        &client_id,
        &secret,
        app.config.argon2,
    )
    .await
    .map_err(|refused| match refused {
        crate::domain::introspection::AppRefused::InvalidClient => invalid_client(),
        crate::domain::introspection::AppRefused::Internal(e) => fault(&e),
    })?;
    let token = field(&form, "token").unwrap_or_default();
    let issuer = issuer(app, request);
    let active = introspect_token(&store, &app.keys, &issuer, &api_app, token)
        .await
        .map_err(|e| fault(&e))?;
    Ok(match active {
        Some(active) => active_answer(&active, &api_app),
        None => json!({ "active": false }),
    })
}

/// RFC 7662's members, then the token's ZITADEL claims (roles, resource owner) and the roles
/// in the app's project under the general claim, as ZITADEL's introspection adds them.
fn active_answer(active: &Active, api_app: &ApiApp) -> Value {
    let claims = &active.claims;
    let mut answer = Map::new();
    answer.insert("active".into(), json!(true));
    answer.insert("scope".into(), json!(claims.scope));
    answer.insert("client_id".into(), json!(claims.client_id));
    answer.insert("token_type".into(), json!("Bearer"));
    answer.insert("exp".into(), json!(claims.exp));
    answer.insert("iat".into(), json!(claims.iat));
    answer.insert("nbf".into(), json!(claims.nbf));
    answer.insert("sub".into(), json!(claims.sub));
    answer.insert("aud".into(), json!(claims.aud));
    answer.insert("iss".into(), json!(claims.iss));
    answer.insert("jti".into(), json!(claims.jti));
    answer.insert("username".into(), json!(active.user.user_name));
    answer.insert(RESOURCE_OWNER_CLAIM.into(), json!(claims.resource_owner));
    for (name, value) in &claims.extra {
        if name.starts_with(ZITADEL_CLAIM_PREFIX) {
            answer.insert(name.clone(), value.clone());
        }
    }
    let own_project = format!("urn:zitadel:iam:org:project:{}:roles", api_app.project_id);
    if let Some(roles) = claims.extra.get(&own_project) {
        answer.insert(PROJECT_ROLES_CLAIM.into(), roles.clone());
    }
    Value::Object(answer)
}

/// POST /oauth/v2/introspect
pub async fn introspect(app: &App, request: Request) -> HandlerResult {
    let started = Instant::now();
    let id = request_id(&request);
    let result = introspection(app, &request).instrument(span(&id)).await;
    Ok(finish(&request, &id, started, result))
}
