//! Introspection (`INTROSPECT`, RFC 7662): an API app, by HTTP Basic (or the form) or by a
//! `private_key_jwt` client assertion, asks about a token (form field `token`). The form and the credentials in, the domain's one call
//! (`domain::introspection::introspect`), RFC 7662's answer out.

use std::time::Instant;

use lambda_http::Request;
use serde_json::{json, Map, Value};
use tracing::Instrument;

use crate::api::request::{issuer, request_id};
use crate::api::HandlerResult;
use crate::app::App;
use crate::auth::claims::{RESOURCE_OWNER_CLAIM, ZITADEL_CLAIM_PREFIX};
use crate::domain::introspection::{client_refused, introspect as introspect_token};
use crate::domain::introspection::{Active, ClientAuth, IntrospectionRequest};
use crate::error::OAuthError;

use super::{
    authorization, client_credentials, context, field, finish, form, span, Endpoint, Named,
};

/// The general roles claim: at introspection, the roles in the app's own project.
const PROJECT_ROLES_CLAIM: &str = "urn:zitadel:iam:org:project:roles";

/// RFC 7523's client assertion type: `private_key_jwt`.
pub const JWT_BEARER_ASSERTION: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The request: a client assertion when `client_assertion_type` is given (any other type, or
/// no assertion with it, is refused as bad credentials are), else the client id and secret.
fn decode(app: &App, request: &Request) -> Result<IntrospectionRequest, OAuthError> {
    let form = form(request)?;
    let client = match field(&form, "client_assertion_type") {
        Some(JWT_BEARER_ASSERTION) => match field(&form, "client_assertion") {
            Some(assertion) if !assertion.is_empty() => {
                ClientAuth::Assertion(assertion.to_string())
            }
            _ => return Err(client_refused()),
        },
        Some(_) => return Err(client_refused()),
        None => {
            let (client_id, secret) =
                client_credentials(authorization(request), &form).map_err(|_| client_refused())?;
            ClientAuth::Secret { client_id, secret }
        }
    };
    Ok(IntrospectionRequest {
        client,
        token: field(&form, "token").unwrap_or_default().to_string(),
        issuer: issuer(app, request),
    })
}

/// RFC 7662's members, then the token's ZITADEL claims (roles, resource owner) and the roles
/// in the app's project under the general claim, as ZITADEL's introspection adds them.
fn encode(active: Option<Active>) -> Value {
    let Some(active) = active else {
        return json!({ "active": false });
    };
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
    let own_project = format!(
        "urn:zitadel:iam:org:project:{}:roles",
        active.app_project_id
    );
    if let Some(roles) = claims.extra.get(&own_project) {
        answer.insert(PROJECT_ROLES_CLAIM.into(), roles.clone());
    }
    Value::Object(answer)
}

async fn answer(app: &App, request: &Request) -> (Named, Result<Value, OAuthError>) {
    let introspection_request = match decode(app, request) {
        Ok(introspection_request) => introspection_request,
        Err(error) => return (Named::default(), Err(error)),
    };
    // An assertion's client id is known once it is read (and then maybe not true): not named.
    let client_id = match &introspection_request.client {
        ClientAuth::Secret { client_id, .. } => Some(client_id.clone()),
        ClientAuth::Assertion(_) => None,
    };
    let named = Named {
        client_id,
        user_id: None,
    };
    let store = app.store.for_request();
    let result = introspect_token(&context(app, &store), introspection_request)
        .await
        .map(encode);
    (named, result)
}

/// The introspection endpoint.
pub async fn introspect(app: &App, request: Request) -> HandlerResult {
    let started = Instant::now();
    let id = request_id(&request);
    let (named, result) = answer(app, &request).instrument(span(&id)).await;
    Ok(finish(
        &request,
        &id,
        Endpoint::Introspection,
        started,
        &named,
        result,
    ))
}
