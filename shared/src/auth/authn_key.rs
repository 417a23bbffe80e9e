//! Authentication keys (ZITADEL's AuthNKeys): RSA key pairs whose private half a client keeps
//! and signs RFC 7523 assertions with, and whose public half we store. Today a machine user's
//! keys (the JWT-profile grant); the same keys and checks serve an API app's keys
//! (`private_key_jwt`), so nothing here knows whose key it is.
//!
//! Pure: generating a pair (`NewKeyPair`), reading an uploaded public key (`public_key_from_pem`),
//! and checking an assertion in two steps, so that the caller can read the key the assertion
//! names together with whatever else it needs: `Assertion::parse` (shape, audience, times,
//! `iss == sub`; no key yet), then `Assertion::verify_signature` with the stored public key.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize, PublicKey};
use aws_lc_rs::signature::{
    KeyPair as _, UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PSS_2048_8192_SHA256,
};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

use crate::time::Timestamp;

const PUBLIC_KEY_LABEL: &str = "PUBLIC KEY";
const RSA_PRIVATE_KEY_LABEL: &str = "RSA PRIVATE KEY";

/// The longest assertion read: a signed JWT with a few claims and an RSA-4096 signature is
/// under 2 KiB; anything longer is refused before it is decoded.
pub const MAX_ASSERTION_BYTES: usize = 8 * 1024;

/// How old an assertion's `iat` may be (clients reuse one for up to an hour, as ZITADEL lets
/// them), and the clock offset allowed on `iat` and `exp` (ZITADEL's `time.Second`).
const MAX_AGE_SECS: f64 = 3600.0;
const OFFSET_SECS: f64 = 1.0;

/// A fresh RSA-2048 pair: the private half as the PKCS#1 PEM a key file carries (handed out
/// once, never stored), the public half as the PKIX PEM we store.
pub struct NewKeyPair {
    pub private_pem: String,
    pub public_pem: String,
}

impl NewKeyPair {
    /// `generate` on a blocking thread: its tens of milliseconds of CPU would otherwise stall
    /// every other request a local server or a test runs on the same worker threads.
    pub async fn generate_off_thread() -> Result<NewKeyPair, String> {
        tokio::task::spawn_blocking(NewKeyPair::generate)
            .await
            .map_err(|e| format!("RSA keygen: {e}"))?
    }

    pub fn generate() -> Result<NewKeyPair, String> {
        let pair = KeyPair::generate(KeySize::Rsa2048).map_err(|e| format!("RSA keygen: {e}"))?;
        let pkcs8 = pair
            .as_der()
            .map_err(|_| "RSA key: cannot encode".to_string())?;
        let pkcs1 = pkcs1_of_pkcs8(pkcs8.as_ref())?;
        let spki = pair
            .public_key()
            .as_der()
            .map_err(|_| "RSA public key: cannot encode".to_string())?;
        Ok(NewKeyPair {
            private_pem: pem::encode(&pem::Pem::new(RSA_PRIVATE_KEY_LABEL, pkcs1)),
            public_pem: pem::encode(&pem::Pem::new(PUBLIC_KEY_LABEL, spki.as_ref().to_vec())),
        })
    }
}

/// Why an uploaded public key was refused (the caller answers ZITADEL's one error for all).
#[derive(Debug, PartialEq, Eq)]
pub struct KeyRefused(pub &'static str);

/// An uploaded public key (the bytes of a PEM, as ZITADEL's `BytesToPublicKey` reads them: the
/// first PEM block, whatever its label, holding a PKIX SubjectPublicKeyInfo of an RSA key), as
/// the PKIX PEM we store. Keys under 2048 bits are refused too: no assertion they signed could
/// be verified.
pub fn public_key_from_pem(bytes: &[u8]) -> Result<String, KeyRefused> {
    let text = std::str::from_utf8(bytes).map_err(|_| KeyRefused("not text"))?;
    let block = pem::parse(text.trim()).map_err(|_| KeyRefused("no PEM block"))?;
    let key = PublicKey::from_der(block.contents()).map_err(|_| KeyRefused("not an RSA key"))?;
    let spki = key
        .as_der()
        .map_err(|_| KeyRefused("cannot encode the key"))?;
    // `from_der` also reads PKCS#1; PKIX alone is what ZITADEL takes.
    if spki.as_ref() != block.contents() {
        return Err(KeyRefused("not a PKIX public key"));
    }
    if key.modulus_len() * 8 < 2048 {
        return Err(KeyRefused("RSA keys need at least 2048 bits"));
    }
    Ok(pem::encode(&pem::Pem::new(
        PUBLIC_KEY_LABEL,
        spki.as_ref().to_vec(),
    )))
}

/// The RSAPrivateKey (PKCS#1) inside a PrivateKeyInfo (PKCS#8): the contents of its third
/// element, an OCTET STRING.
fn pkcs1_of_pkcs8(der: &[u8]) -> Result<Vec<u8>, String> {
    let malformed = || "PKCS#8: malformed".to_string();
    let (tag, info, _) = der_element(der).ok_or_else(malformed)?;
    if tag != 0x30 {
        return Err(malformed());
    }
    let (_version, _, rest) = der_element(info).ok_or_else(malformed)?;
    let (_algorithm, _, rest) = der_element(rest).ok_or_else(malformed)?;
    match der_element(rest) {
        Some((0x04, private_key, _)) => Ok(private_key.to_vec()),
        _ => Err(malformed()),
    }
}

/// One DER element: its tag, its contents and what follows it.
fn der_element(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = match first {
        short if short < 0x80 => (usize::from(short), rest),
        long => {
            let count = usize::from(long & 0x7f);
            if count == 0 || count > 4 || rest.len() < count {
                return None;
            }
            let (bytes, rest) = rest.split_at(count);
            let length = bytes.iter().fold(0usize, |n, &b| (n << 8) | usize::from(b));
            (length, rest)
        }
    };
    if rest.len() < length {
        return None;
    }
    let (contents, rest) = rest.split_at(length);
    Some((tag, contents, rest))
}

/// The signature algorithms an assertion may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssertionAlgorithm {
    Rs256,
    Ps256,
}

/// Why an assertion was refused: for the log, never for the caller (who gets "invalid
/// assertion" whatever it was).
#[derive(Debug, PartialEq, Eq)]
pub struct AssertionRefused(pub String);

fn refused(why: impl Into<String>) -> AssertionRefused {
    AssertionRefused(why.into())
}

/// An RFC 7523 assertion whose shape, audience, times and `iss == sub` checked out, and whose
/// signature is still to be verified with the key it names (`key_id`) of its subject.
#[derive(Debug)]
pub struct Assertion {
    pub key_id: String,
    /// `iss` and `sub` (they are equal): whose key signed it, a user's id (or later an app's
    /// client id).
    pub subject: String,
    algorithm: AssertionAlgorithm,
    signing_input: String,
    signature: Vec<u8>,
}

impl Assertion {
    /// Reads a compact JWS and checks everything but its signature, as zitadel/oidc's
    /// `VerifyJWTAssertion` does: `aud` (a string or an array) contains `issuer` exactly, `exp`
    /// is after `now + 1 s`, `iat` is set, not after `now + 1 s` and not over an hour old, and
    /// `iss == sub`. The header names the key (`kid`) and RS256 or PS256. `now`: seconds since
    /// the epoch.
    pub fn parse(assertion: &str, issuer: &str, now: f64) -> Result<Assertion, AssertionRefused> {
        if assertion.len() > MAX_ASSERTION_BYTES {
            return Err(refused("assertion too long"));
        }
        let mut parts = assertion.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(refused("not a compact JWS"));
        };
        let header = json_part(header, "header")?;
        let claims = json_part(payload, "payload")?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| refused("signature: not base64url"))?;
        let algorithm = match header.get("alg").and_then(Value::as_str) {
            Some("RS256") => AssertionAlgorithm::Rs256,
            Some("PS256") => AssertionAlgorithm::Ps256,
            other => return Err(refused(format!("algorithm {other:?} not allowed"))),
        };
        let key_id = match header.get("kid").and_then(Value::as_str) {
            Some(kid) if !kid.is_empty() => kid.to_string(),
            _ => return Err(refused("no kid")),
        };
        let audience_ok = match claims.get("aud") {
            Some(Value::String(aud)) => aud == issuer,
            Some(Value::Array(auds)) => auds.iter().any(|aud| aud.as_str() == Some(issuer)),
            _ => false,
        };
        if !audience_ok {
            return Err(refused("audience does not name the issuer"));
        }
        let time = |name: &str| claims.get(name).and_then(Value::as_f64);
        match time("exp") {
            Some(exp) if now + OFFSET_SECS < exp => {}
            _ => return Err(refused("expired or no exp")),
        }
        match time("iat") {
            None => return Err(refused("no iat")),
            Some(iat) if iat > (now + OFFSET_SECS).round() => {
                return Err(refused("iat in the future"))
            }
            Some(iat) if iat < (now - MAX_AGE_SECS).round() => return Err(refused("iat too old")),
            Some(_) => {}
        }
        let text = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or_default();
        let (iss, sub) = (text("iss"), text("sub"));
        if sub.is_empty() || iss != sub {
            return Err(refused("iss and sub differ"));
        }
        let signed = assertion.len() - assertion.rsplit('.').next().map_or(0, str::len) - 1;
        Ok(Assertion {
            key_id,
            subject: sub.to_string(),
            algorithm,
            signing_input: assertion[..signed].to_string(),
            signature,
        })
    }

    /// Verifies the assertion with the stored key its `kid` named, found or not: the key is
    /// there, unexpired at `now`, and signed it. `key`: its PKIX PEM and expiry.
    pub fn verify_with(
        &self,
        key: Option<(&str, Timestamp)>,
        now: Timestamp,
    ) -> Result<(), AssertionRefused> {
        match key {
            Some((public_pem, expiration)) if now < expiration => self.verify_signature(public_pem),
            Some(_) => Err(refused("key expired")),
            None => Err(refused("no such key")),
        }
    }

    /// Verifies the signature with `public_pem`, the stored PKIX PEM of the key the assertion
    /// names.
    pub fn verify_signature(&self, public_pem: &str) -> Result<(), AssertionRefused> {
        let block = pem::parse(public_pem).map_err(|_| refused("stored key: no PEM"))?;
        let key = PublicKey::from_der(block.contents()).map_err(|_| refused("stored key"))?;
        let parameters = match self.algorithm {
            AssertionAlgorithm::Rs256 => &RSA_PKCS1_2048_8192_SHA256,
            AssertionAlgorithm::Ps256 => &RSA_PSS_2048_8192_SHA256,
        };
        UnparsedPublicKey::new(parameters, key.as_ref())
            .verify(self.signing_input.as_bytes(), &self.signature)
            .map_err(|_| refused("bad signature"))
    }
}

/// A JWS part: base64url of a JSON object.
fn json_part(part: &str, name: &str) -> Result<serde_json::Map<String, Value>, AssertionRefused> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| refused(format!("{name}: not base64url")))?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err(refused(format!("{name}: not a JSON object"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{Algorithm, EncodingKey, Header};
    use serde_json::json;

    const ISSUER: &str = "http://127.0.0.1:8080";

    fn now() -> f64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
    }

    fn sign(pair: &NewKeyPair, alg: Algorithm, kid: &str, claims: Value) -> String {
        let mut header = Header::new(alg);
        header.kid = Some(kid.into());
        let key = EncodingKey::from_rsa_pem(pair.private_pem.as_bytes()).unwrap();
        jsonwebtoken::encode(&header, &claims, &key).unwrap()
    }

    fn claims() -> Value {
        let now = now() as u64;
        json!({"iss": "u1", "sub": "u1", "aud": ISSUER, "iat": now, "exp": now + 3600})
    }

    fn with(changes: Value) -> Value {
        let mut claims = claims();
        for (k, v) in changes.as_object().unwrap() {
            match v {
                Value::Null => claims.as_object_mut().unwrap().remove(k),
                v => claims.as_object_mut().unwrap().insert(k.clone(), v.clone()),
            };
        }
        claims
    }

    #[test]
    fn a_generated_pair_signs_what_its_public_half_verifies() {
        let pair = NewKeyPair::generate().unwrap();
        assert!(pair
            .private_pem
            .starts_with("-----BEGIN RSA PRIVATE KEY-----"));
        assert!(pair.public_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
        for alg in [Algorithm::RS256, Algorithm::PS256] {
            let token = sign(&pair, alg, "k1", claims());
            let assertion = Assertion::parse(&token, ISSUER, now()).unwrap();
            assert_eq!(assertion.key_id, "k1");
            assert_eq!(assertion.subject, "u1");
            assertion.verify_signature(&pair.public_pem).unwrap();
            let other = NewKeyPair::generate().unwrap();
            assert!(assertion.verify_signature(&other.public_pem).is_err());
        }
    }

    #[test]
    fn audience_may_be_an_array_and_must_name_the_issuer_exactly() {
        let pair = NewKeyPair::generate().unwrap();
        let parse =
            |claims| Assertion::parse(&sign(&pair, Algorithm::RS256, "k", claims), ISSUER, now());
        assert!(parse(with(json!({"aud": ["x", ISSUER]}))).is_ok());
        for aud in [
            json!("http://127.0.0.1:8080/"),
            json!(["x"]),
            json!(null),
            json!(5),
        ] {
            assert!(parse(with(json!({ "aud": aud }))).is_err(), "{aud}");
        }
    }

    #[test]
    fn times_and_subject_are_checked_as_zitadel_checks_them() {
        let pair = NewKeyPair::generate().unwrap();
        let n = now() as u64;
        let parse =
            |claims| Assertion::parse(&sign(&pair, Algorithm::RS256, "k", claims), ISSUER, now());
        assert!(parse(with(json!({"iat": n - 3500}))).is_ok());
        for refused in [
            json!({"exp": n}),
            json!({"exp": null}),
            json!({"iat": null}),
            json!({"iat": n + 60}),
            json!({"iat": n - 3700}),
            json!({"sub": "u2"}),
            json!({"iss": null, "sub": null}),
        ] {
            assert!(parse(with(refused.clone())).is_err(), "{refused}");
        }
    }

    #[test]
    fn garbage_and_other_algorithms_are_refused() {
        let pair = NewKeyPair::generate().unwrap();
        for garbage in [
            "",
            "a",
            "a.b",
            "a.b.c.d",
            "!!.!!.!!",
            &"a".repeat(MAX_ASSERTION_BYTES + 1),
        ] {
            assert!(Assertion::parse(garbage, ISSUER, now()).is_err());
        }
        let hmac = jsonwebtoken::encode(
            &Header {
                kid: Some("k".into()),
                ..Header::new(Algorithm::HS256)
            },
            &claims(),
            &EncodingKey::from_secret(pair.public_pem.as_bytes()),
        )
        .unwrap();
        assert!(Assertion::parse(&hmac, ISSUER, now()).is_err());
        let no_kid = jsonwebtoken::encode(
            &Header::new(Algorithm::RS256),
            &claims(),
            &EncodingKey::from_rsa_pem(pair.private_pem.as_bytes()).unwrap(),
        )
        .unwrap();
        assert!(Assertion::parse(&no_kid, ISSUER, now()).is_err());
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none","kid":"k"}"#),
            URL_SAFE_NO_PAD.encode(claims().to_string())
        );
        assert!(Assertion::parse(&none, ISSUER, now()).is_err());
    }

    #[test]
    fn uploaded_public_keys_must_be_pkix_rsa() {
        let pair = NewKeyPair::generate().unwrap();
        assert_eq!(
            public_key_from_pem(pair.public_pem.as_bytes()).unwrap(),
            pair.public_pem
        );
        // PKCS#1 public keys, private keys, garbage.
        let block = pem::parse(&pair.public_pem).unwrap();
        let pkcs1 = PublicKey::from_der(block.contents()).unwrap();
        let pkcs1_pem = pem::encode(&pem::Pem::new("RSA PUBLIC KEY", pkcs1.as_ref().to_vec()));
        for refused in [pkcs1_pem.as_str(), pair.private_pem.as_str(), "garbage", ""] {
            assert!(
                public_key_from_pem(refused.as_bytes()).is_err(),
                "{refused}"
            );
        }
        // An EC key (P-256, PKIX).
        let ec = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs/o5+uQbTjL3chynL4wXgUg2R9\nq9UU8I5mEovUf86QZ7kOBIjJwqnzD1omageEHWwHdBO6B+dFabmdT9POxg==\n-----END PUBLIC KEY-----\n";
        assert!(public_key_from_pem(ec.as_bytes()).is_err());
    }
}
