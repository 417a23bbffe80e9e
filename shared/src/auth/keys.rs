//! RS256 keys (RSA 2048), as ZITADEL signs its tokens: the private one signs (token function
//! only), the public ones verify and are published as a JWKS. Keys come from configuration or
//! Secrets Manager (`key_source`); `make run` generates one locally.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{self, KeyPair as _};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::DecodingKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::verified::VerifiedTokens;

const PUBLIC_KEY_LABEL: &str = "PUBLIC KEY";
const PRIVATE_KEY_LABEL: &str = "PRIVATE KEY";
const RSA_PRIVATE_KEY_LABEL: &str = "RSA PRIVATE KEY";

/// A public key with its id (`kid`): the first 16 base64url characters of the SHA-256 of its
/// X.509 encoding, so every process derives the same id from the same key.
#[derive(Clone)]
pub struct PublicKey {
    pub kid: String,
    /// Modulus and exponent, big-endian without leading zeros (what a JWK carries).
    n: Vec<u8>,
    e: Vec<u8>,
    /// X.509 SubjectPublicKeyInfo DER (what a PEM carries).
    spki: Vec<u8>,
    pub decoding: DecodingKey,
}

impl PublicKey {
    fn new(key: &aws_lc_rs::rsa::PublicKey) -> Result<PublicKey, String> {
        let spki = key
            .as_der()
            .map_err(|_| "public key: cannot encode".to_string())?
            .as_ref()
            .to_vec();
        let n = key.modulus().big_endian_without_leading_zero().to_vec();
        let e = key.exponent().big_endian_without_leading_zero().to_vec();
        let kid = URL_SAFE_NO_PAD.encode(Sha256::digest(&spki))[..16].to_string();
        let decoding = DecodingKey::from_rsa_raw_components(&n, &e);
        Ok(PublicKey {
            kid,
            n,
            e,
            spki,
            decoding,
        })
    }

    fn from_spki(der: &[u8]) -> Result<PublicKey, String> {
        let key = aws_lc_rs::rsa::PublicKey::from_der(der)
            .map_err(|e| format!("public key: not an RSA key ({e})"))?;
        PublicKey::new(&key)
    }

    pub fn jwk(&self) -> Value {
        json!({
            "use": "sig",
            "kty": "RSA",
            "kid": self.kid,
            "alg": "RS256",
            "n": URL_SAFE_NO_PAD.encode(&self.n),
            "e": URL_SAFE_NO_PAD.encode(&self.e),
        })
    }

    pub fn to_pem(&self) -> String {
        pem::encode(&pem::Pem::new(PUBLIC_KEY_LABEL, self.spki.clone()))
    }
}

/// The private key, parsed once: signing then costs one RSA operation and nothing else.
pub struct SigningKey {
    pub public: PublicKey,
    pair: KeyPair,
}

impl SigningKey {
    /// A PKCS#8 (`PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`) PEM.
    pub fn from_pem(text: &str) -> Result<SigningKey, String> {
        let block = pem::parse(text.trim()).map_err(|e| format!("signing key: {e}"))?;
        let pair = match block.tag() {
            PRIVATE_KEY_LABEL => KeyPair::from_pkcs8(block.contents()),
            RSA_PRIVATE_KEY_LABEL => KeyPair::from_der(block.contents()),
            other => return Err(format!("signing key: a {other} is not an RSA private key")),
        }
        .map_err(|e| format!("signing key: not an RSA private key ({e})"))?;
        if pair.public_modulus_len() * 8 < 2048 {
            return Err("signing key: RSA keys must have at least 2048 bits".into());
        }
        Ok(SigningKey {
            public: PublicKey::new(pair.public_key())?,
            pair,
        })
    }

    /// A new random RSA 2048 key, as PKCS#8 PEM.
    #[expect(
        clippy::expect_used,
        reason = "never on a request path: `make run`'s first start, tests and benchmarks, which \
                  cannot go on without a key"
    )]
    pub fn generate_pem() -> String {
        let pair = KeyPair::generate(KeySize::Rsa2048).expect("RSA key generation");
        let der = pair.as_der().expect("a fresh key encodes");
        pem::encode(&pem::Pem::new(PRIVATE_KEY_LABEL, der.as_ref().to_vec()))
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256: the `RS256` of JWS.
    pub fn sign_rs256(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        let mut signature = vec![0; self.pair.public_modulus_len()];
        self.pair
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                message,
                &mut signature,
            )
            .map_err(|_| "RSA signing failed".to_string())?;
        Ok(signature)
    }
}

/// The public keys tokens may be signed with.
#[derive(Clone)]
pub struct KeySet {
    pub keys: Vec<PublicKey>,
    /// Tokens these keys have verified (see `jwt::verify`).
    pub(super) verified: VerifiedTokens,
}

impl KeySet {
    /// One or more concatenated public-key PEMs (current and previous keys, for rotation).
    pub fn from_pems(pems: &str) -> Result<KeySet, String> {
        let blocks = pem::parse_many(pems).map_err(|e| format!("public keys: {e}"))?;
        let keys = blocks
            .iter()
            .filter(|block| block.tag() == PUBLIC_KEY_LABEL)
            .map(|block| PublicKey::from_spki(block.contents()))
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err("no PEM public key found in PUBLIC_KEYS_PEM".into());
        }
        Ok(KeySet {
            keys,
            verified: VerifiedTokens::default(),
        })
    }

    pub fn from_signer(signer: &SigningKey) -> KeySet {
        KeySet {
            keys: vec![signer.public.clone()],
            verified: VerifiedTokens::default(),
        }
    }

    pub fn find(&self, kid: &str) -> Option<&PublicKey> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    pub fn jwks(&self) -> Value {
        json!({ "keys": self.keys.iter().map(PublicKey::jwk).collect::<Vec<_>>() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signer_and_its_public_pem_agree_on_the_kid() {
        let signer = SigningKey::from_pem(&SigningKey::generate_pem()).unwrap();
        let set = KeySet::from_pems(&signer.public.to_pem()).unwrap();
        assert_eq!(set.keys[0].kid, signer.public.kid);
        let jwk = &set.jwks()["keys"][0];
        assert_eq!(jwk["kid"], signer.public.kid.as_str());
        assert_eq!(jwk["kty"], "RSA");
        assert_eq!(jwk["alg"], "RS256");
        assert_eq!(jwk["e"], "AQAB");
        // 2048 bits: 256 bytes, 342 base64url characters.
        assert_eq!(jwk["n"].as_str().unwrap().len(), 342);
    }

    #[test]
    fn several_pems_give_several_keys() {
        let a = SigningKey::from_pem(&SigningKey::generate_pem()).unwrap();
        let b = SigningKey::from_pem(&SigningKey::generate_pem()).unwrap();
        let set =
            KeySet::from_pems(&format!("{}{}", a.public.to_pem(), b.public.to_pem())).unwrap();
        assert_eq!(set.keys.len(), 2);
        assert!(set.find(&b.public.kid).is_some());
        assert_ne!(a.public.kid, b.public.kid);
    }

    #[test]
    fn refuses_what_is_not_an_rsa_key() {
        assert!(SigningKey::from_pem("not a pem").is_err());
        let public = SigningKey::from_pem(&SigningKey::generate_pem())
            .unwrap()
            .public
            .to_pem();
        assert!(SigningKey::from_pem(&public).is_err());
        assert!(KeySet::from_pems("").is_err());
    }
}
