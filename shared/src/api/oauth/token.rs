//! The token endpoint (`TOKEN`): the form and the client's credentials (or a JWT-profile
//! assertion) in, the domain's one call (`domain::token::issue`), the token out.

use std::time::Instant;

use lambda_http::Request;
use serde_json::{json, Value};
use tracing::Instrument;

use crate::api::request::{issuer, request_id};
use crate::api::HandlerResult;
use crate::app::App;
use crate::domain::token::{issue, Grant, IssuedToken, Scopes, TokenRequest};
use crate::error::{excerpt, OAuthError, OAuthErrorKind, MAX_QUOTED_CHARS};

use super::{
    authorization, client_credentials, context, field, finish, form, span, Endpoint, Named,
};

/// RFC 7523's grant type: the JWT profile.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// The request, decoded in the contract's order: the form, the grant type, the client's
/// credentials (their client id into `named` at once, so that a refusal of the scopes still
/// names it) or the assertion, the scopes. Client authentication on the JWT-profile grant is
/// not read (SDKs send none, or a dummy Basic header), as ZITADEL ignores it.
fn decode(app: &App, request: &Request, named: &mut Named) -> Result<TokenRequest, OAuthError> {
    let form = form(request)?;
    let grant = match field(&form, "grant_type") {
        Some("client_credentials") => {
            let (client_id, secret) = client_credentials(authorization(request), &form)?;
            named.client_id = Some(client_id.clone());
            Grant::ClientCredentials { client_id, secret }
        }
        Some(JWT_BEARER) => match field(&form, "assertion") {
            Some(assertion) if !assertion.is_empty() => Grant::JwtProfile {
                assertion: assertion.to_string(),
            },
            _ => return Err(OAuthError::invalid_request("assertion missing")),
        },
        Some(other) => {
            // Quoted in part: the answer must not grow with the request.
            let quoted = excerpt(other, MAX_QUOTED_CHARS);
            return Err(OAuthError::new(
                OAuthErrorKind::UnsupportedGrantType,
                format!("{quoted} not supported"),
            ));
        }
        None => return Err(OAuthError::invalid_request("grant_type missing")),
    };
    Ok(TokenRequest {
        grant,
        scopes: Scopes::parse(field(&form, "scope"))?,
        issuer: issuer(app, request),
    })
}

fn encode(token: IssuedToken) -> Value {
    json!({
        "access_token": token.access_token,
        "token_type": "Bearer",
        "expires_in": token.expires_in,
    })
}

async fn answer(app: &App, request: &Request) -> (Named, Result<Value, OAuthError>) {
    let mut named = Named::default();
    let token_request = match decode(app, request, &mut named) {
        Ok(token_request) => token_request,
        Err(error) => return (named, Err(error)),
    };
    let store = app.store.for_request();
    let outcome = issue(&context(app, &store), token_request).await;
    named.user_id = outcome.user_id;
    (named, outcome.token.map(encode))
}

/// The token endpoint.
pub async fn token(app: &App, request: Request) -> HandlerResult {
    let started = Instant::now();
    let id = request_id(&request);
    let (named, result) = answer(app, &request).instrument(span(&id)).await;
    Ok(finish(
        &request,
        &id,
        Endpoint::Token,
        started,
        &named,
        result,
    ))
}
