//! Personal access tokens: opaque bearer tokens that name where their hash is stored.
//!
//! A token is `base64url(["<tokenId>","<userId>","<orgId>"]) "." base64url(32 random bytes)`:
//! authentication reads the token's item (`USER#<userId>` / `PAT#<tokenId>`) in the same batch as
//! the user, its memberships and its org (`orgId`: the user's org, its context org when the
//! request names none), as ZITADEL's PAT carries its token id and user id. The ids are a JSON
//! array so that ids with any character stay apart; one `.` tells a PAT from a JWT (two).
//!
//! Only SHA-256 of the whole token is stored. 256 random bits cannot be guessed, so a slow
//! password hash (argon2, for secrets people may choose or reuse) would add cost per request and
//! no safety; hashing the whole token binds the ids to the secret, so an edited id names an item
//! whose hash does not match.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Longer than any token we issue (three ids of at most 200 bytes, JSON-quoted and encoded):
/// anything longer is refused before it is decoded.
pub const MAX_TOKEN_LENGTH: usize = 1200;

/// Where a token's hash lives: what the token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatRef {
    pub token_id: String,
    pub user_id: String,
    pub org_id: String,
}

/// A new token for `pat`, and the hash to store.
pub fn new_token(pat: &PatRef) -> (String, String) {
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let names = serde_json::json!([pat.token_id, pat.user_id, pat.org_id]).to_string();
    let token = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(names),
        URL_SAFE_NO_PAD.encode(secret)
    );
    let hash = hash(&token);
    (token, hash)
}

/// The stored form of a token: SHA-256, base64url.
pub fn hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

/// What a bearer token names, when it has a PAT's shape (`None`: not a PAT; a JWT, or garbage).
/// Ids longer than `max_id` bytes are refused here, before any read.
pub fn parse(token: &str, max_id: usize) -> Option<PatRef> {
    if token.len() > MAX_TOKEN_LENGTH {
        return None;
    }
    let (names, secret) = token.split_once('.')?;
    if secret.contains('.') || secret.is_empty() {
        return None;
    }
    let names = URL_SAFE_NO_PAD.decode(names).ok()?;
    let [token_id, user_id, org_id]: [String; 3] = serde_json::from_slice(&names).ok()?;
    let fits = |id: &String| !id.is_empty() && id.len() <= max_id;
    if !(fits(&token_id) && fits(&user_id) && fits(&org_id)) {
        return None;
    }
    Some(PatRef {
        token_id,
        user_id,
        org_id,
    })
}

/// Whether `token` hashes to `stored`, in time independent of where they differ.
pub fn matches(token: &str, stored: &str) -> bool {
    let presented = hash(token);
    let (a, b) = (presented.as_bytes(), stored.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat() -> PatRef {
        PatRef {
            token_id: "1".into(),
            user_id: "u:1.\"x".into(),
            org_id: "o".into(),
        }
    }

    #[test]
    fn a_token_names_its_item_and_matches_only_its_hash() {
        let (token, hash) = new_token(&pat());
        assert_eq!(parse(&token, 200), Some(pat()));
        assert!(matches(&token, &hash));
        let (other, other_hash) = new_token(&pat());
        assert_ne!(token, other);
        assert!(!matches(&token, &other_hash));
        assert!(!matches(&token, ""));
        // An edited id breaks the hash: the ids are hashed with the secret.
        let edited = PatRef {
            user_id: "u2".into(),
            ..pat()
        };
        let names = serde_json::json!([edited.token_id, edited.user_id, edited.org_id]);
        let secret = token.split_once('.').map(|(_, s)| s).unwrap_or_default();
        let forged = format!("{}.{secret}", URL_SAFE_NO_PAD.encode(names.to_string()));
        assert_eq!(parse(&forged, 200), Some(edited));
        assert!(!matches(&forged, &hash));
    }

    #[test]
    fn other_shapes_are_not_tokens() {
        let long = PatRef {
            user_id: "u".repeat(201),
            ..pat()
        };
        let (token, _) = new_token(&long);
        assert_eq!(parse(&token, 200), None);
        for garbage in [
            "",
            ".",
            "a.b.c",
            "eyJhbGciOiJSUzI1NiJ9.e30.sig",
            "!!!.abc",
            "WyIxIiwiMiJd.abc",
            &"a".repeat(MAX_TOKEN_LENGTH + 1),
        ] {
            assert_eq!(parse(garbage, 200), None, "{garbage}");
        }
    }
}
