//! Access tokens: RS256-signed JWTs with ZITADEL's claims (`claims`), signed with a
//! `SigningKey` and verified against a `KeySet`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, Validation};
use serde::Serialize;
use serde_json::json;

pub use super::claims::{Claims, LEEWAY_SECS, RESOURCE_OWNER_CLAIM, ZITADEL_AUDIENCE_SCOPE};
use super::keys::{KeySet, SigningKey};
use crate::time::Timestamp;

pub fn sign(claims: &Claims, key: &SigningKey) -> Result<String, String> {
    sign_payload(claims, key)
}

/// A compact JWS of any payload under the key's `kid`. Signed here rather than by
/// `jsonwebtoken::encode`, which parses the private key again for every token.
pub fn sign_payload(payload: &impl Serialize, key: &SigningKey) -> Result<String, String> {
    let header = json!({ "alg": "RS256", "typ": "JWT", "kid": key.public.kid });
    let payload = serde_json::to_vec(payload).map_err(|e| e.to_string())?;
    let mut token = URL_SAFE_NO_PAD.encode(header.to_string());
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(payload));
    let signature = key.sign_rs256(token.as_bytes())?;
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(signature));
    Ok(token)
}

/// Why a token was refused (logged, never told to the caller).
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub String);

/// Verifies signature, algorithm (RS256 only: never `none`, never HMAC with a public key),
/// `kid`, issuer, audience (must contain `audience`), `exp` and `nbf` (with a small leeway).
/// A token this key set verified before is only checked for `exp` and `nbf` again.
pub fn verify(token: &str, keys: &KeySet, issuer: &str, audience: &str) -> Result<Claims, Refused> {
    if let Some(claims) =
        keys.verified
            .get(token, issuer, audience, Timestamp::now().seconds() as u64)
    {
        return Ok(claims);
    }
    let claims = verify_signed(token, keys, issuer, audience)?;
    keys.verified.keep(token, issuer, audience, &claims);
    Ok(claims)
}

fn verify_signed(
    token: &str,
    keys: &KeySet,
    issuer: &str,
    audience: &str,
) -> Result<Claims, Refused> {
    let header = jsonwebtoken::decode_header(token).map_err(|e| Refused(format!("header: {e}")))?;
    if header.alg != Algorithm::RS256 {
        return Err(Refused(format!("algorithm {:?} not allowed", header.alg)));
    }
    let kid = header.kid.ok_or_else(|| Refused("no kid".into()))?;
    let key = keys
        .find(&kid)
        .ok_or_else(|| Refused(format!("unknown kid {kid}")))?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = LEEWAY_SECS;
    validation.validate_nbf = true;
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[audience]);
    validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
    jsonwebtoken::decode::<Claims>(token, &key.decoding, &validation)
        .map(|data| data.claims)
        .map_err(|e| Refused(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::Header;
    use std::collections::BTreeMap;

    fn now() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    }

    fn claims() -> Claims {
        Claims {
            iss: "https://issuer".into(),
            sub: "1".into(),
            aud: vec!["zitadel".into()],
            exp: now() + 60,
            iat: now(),
            nbf: now(),
            jti: "j".into(),
            client_id: "bot".into(),
            scope: String::new(),
            resource_owner: "2".into(),
            extra: BTreeMap::new(),
        }
    }

    fn key() -> SigningKey {
        SigningKey::from_pem(&SigningKey::generate_pem()).unwrap()
    }

    #[test]
    fn accepts_its_own_token() {
        let key = key();
        let token = sign(&claims(), &key).unwrap();
        let keys = KeySet::from_signer(&key);
        assert_eq!(
            verify(&token, &keys, "https://issuer", "zitadel").unwrap(),
            claims_with(&token)
        );
    }

    fn claims_with(token: &str) -> Claims {
        let payload = token.split('.').nth(1).unwrap();
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
    }

    #[test]
    fn refuses_wrong_issuer_audience_expiry_and_key() {
        let key = key();
        let keys = KeySet::from_signer(&key);
        let token = sign(&claims(), &key).unwrap();
        assert!(verify(&token, &keys, "https://other", "zitadel").is_err());
        assert!(verify(&token, &keys, "https://issuer", "other").is_err());
        let expired = sign(
            &Claims {
                exp: now() - 100,
                ..claims()
            },
            &key,
        )
        .unwrap();
        assert!(verify(&expired, &keys, "https://issuer", "zitadel").is_err());
        let early = sign(
            &Claims {
                nbf: now() + 100,
                ..claims()
            },
            &key,
        )
        .unwrap();
        assert!(verify(&early, &keys, "https://issuer", "zitadel").is_err());
        let stranger = KeySet::from_signer(&self::key());
        assert!(verify(&token, &stranger, "https://issuer", "zitadel").is_err());
    }

    #[test]
    fn a_verified_token_is_remembered_but_still_expires() {
        let key = key();
        let keys = KeySet::from_signer(&key);
        let token = sign(&claims(), &key).unwrap();
        let verified = verify(&token, &keys, "https://issuer", "zitadel").unwrap();
        let cached = keys
            .verified
            .get(&token, "https://issuer", "zitadel", now());
        assert_eq!(cached.as_ref(), Some(&verified));
        // Not for another issuer or audience, and not once expired (beyond the leeway).
        assert!(verify(&token, &keys, "https://other", "zitadel").is_err());
        assert!(verify(&token, &keys, "https://issuer", "other").is_err());
        let late = verified.exp + LEEWAY_SECS + 1;
        assert!(keys
            .verified
            .get(&token, "https://issuer", "zitadel", late)
            .is_none());
        // A token that differs in its signature is verified, not looked up.
        let at = token.len() - 10;
        let flipped = if &token[at..=at] == "A" { "B" } else { "A" };
        let forged = format!("{}{flipped}{}", &token[..at], &token[at + 1..]);
        assert!(verify(&forged, &keys, "https://issuer", "zitadel").is_err());
    }

    #[test]
    fn refuses_alg_none_and_hmac() {
        let key = key();
        let keys = KeySet::from_signer(&key);
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims()).unwrap());
        let none_header =
            URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"none","kid":"{}"}}"#, key.public.kid));
        assert!(verify(
            &format!("{none_header}.{body}."),
            &keys,
            "https://issuer",
            "zitadel"
        )
        .is_err());
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(key.public.kid.clone());
        let hmac = jsonwebtoken::encode(
            &header,
            &claims(),
            &jsonwebtoken::EncodingKey::from_secret(key.public.to_pem().as_bytes()),
        )
        .unwrap();
        assert!(verify(&hmac, &keys, "https://issuer", "zitadel").is_err());
    }
}
