//! Tokens a key set has verified, remembered for their next use.

use std::collections::HashMap;
use std::sync::Mutex;

use super::claims::{in_time, Claims};

/// Tokens a key set has verified, with their claims: a client sends the same token until it
/// expires, and checking its RS256 signature again costs more CPU than the rest of a read
/// request. Keyed by the whole token and what it was checked against, so a token that differs
/// in one byte is verified afresh; `exp` and `nbf` are checked again on every use.
#[derive(Default)]
pub struct VerifiedTokens(Mutex<HashMap<String, Verified>>);

/// What a token was verified against, and what it says.
struct Verified {
    issuer: String,
    audience: String,
    claims: Claims,
}

/// A copy of a key set starts remembering afresh.
impl Clone for VerifiedTokens {
    fn clone(&self) -> Self {
        VerifiedTokens::default()
    }
}

/// Bounds the memory the cache can take (about a kilobyte per token).
const MAX_VERIFIED_TOKENS: usize = 256;

impl VerifiedTokens {
    pub fn get(&self, token: &str, issuer: &str, audience: &str, now: u64) -> Option<Claims> {
        let cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .get(token)
            .filter(|v| v.issuer == issuer && v.audience == audience && in_time(&v.claims, now))
            .map(|v| v.claims.clone())
    }

    pub fn keep(&self, token: &str, issuer: &str, audience: &str, claims: &Claims) {
        let mut cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= MAX_VERIFIED_TOKENS {
            cache.clear();
        }
        let verified = Verified {
            issuer: issuer.to_string(),
            audience: audience.to_string(),
            claims: claims.clone(),
        };
        cache.insert(token.to_string(), verified);
    }
}
