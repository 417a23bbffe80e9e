//! ES256 keys: the private one signs (token function only), the public ones verify and are
//! published as a JWKS. Keys come from configuration; `make run` generates one locally.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{DecodingKey, EncodingKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::verified::VerifiedTokens;

/// A public key with its id (`kid`): the first 16 base64url characters of the SHA-256 of the
/// uncompressed point, so every process derives the same id from the same key.
#[derive(Clone)]
pub struct PublicKey {
    pub kid: String,
    key: p256::PublicKey,
    pub decoding: DecodingKey,
}

impl PublicKey {
    fn new(key: p256::PublicKey) -> Result<PublicKey, String> {
        let point = key.to_encoded_point(false);
        let kid = URL_SAFE_NO_PAD.encode(Sha256::digest(point.as_bytes()))[..16].to_string();
        let pem = key
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| e.to_string())?;
        let decoding = DecodingKey::from_ec_pem(pem.as_bytes()).map_err(|e| e.to_string())?;
        Ok(PublicKey { kid, key, decoding })
    }

    pub fn jwk(&self) -> Value {
        let point = self.key.to_encoded_point(false);
        json!({
            "use": "sig",
            "kty": "EC",
            "kid": self.kid,
            "crv": "P-256",
            "alg": "ES256",
            "x": URL_SAFE_NO_PAD.encode(point.x().expect("uncompressed point")),
            "y": URL_SAFE_NO_PAD.encode(point.y().expect("uncompressed point")),
        })
    }

    pub fn to_pem(&self) -> String {
        self.key
            .to_public_key_pem(LineEnding::LF)
            .expect("a valid key encodes")
    }
}

pub struct SigningKey {
    pub public: PublicKey,
    pub encoding: EncodingKey,
}

impl SigningKey {
    pub fn from_pem(pem: &str) -> Result<SigningKey, String> {
        let secret =
            p256::SecretKey::from_pkcs8_pem(pem.trim()).map_err(|e| format!("signing key: {e}"))?;
        let encoding = EncodingKey::from_ec_pem(pem.trim().as_bytes())
            .map_err(|e| format!("signing key: {e}"))?;
        Ok(SigningKey {
            public: PublicKey::new(secret.public_key())?,
            encoding,
        })
    }

    /// A new random key, as PKCS#8 PEM.
    pub fn generate_pem() -> String {
        let secret = p256::SecretKey::random(&mut rand::rngs::OsRng);
        secret
            .to_pkcs8_pem(LineEnding::LF)
            .expect("a fresh key encodes")
            .to_string()
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
        let mut keys = Vec::new();
        for block in pems.split("-----END PUBLIC KEY-----") {
            let Some(start) = block.find("-----BEGIN PUBLIC KEY-----") else {
                continue;
            };
            let pem = format!("{}-----END PUBLIC KEY-----\n", &block[start..]);
            let key = p256::PublicKey::from_public_key_pem(&pem)
                .map_err(|e| format!("public key: {e}"))?;
            keys.push(PublicKey::new(key)?);
        }
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
        assert_eq!(set.jwks()["keys"][0]["kid"], signer.public.kid.as_str());
    }

    #[test]
    fn several_pems_give_several_keys() {
        let a = SigningKey::from_pem(&SigningKey::generate_pem()).unwrap();
        let b = SigningKey::from_pem(&SigningKey::generate_pem()).unwrap();
        let set =
            KeySet::from_pems(&format!("{}{}", a.public.to_pem(), b.public.to_pem())).unwrap();
        assert_eq!(set.keys.len(), 2);
        assert!(set.find(&b.public.kid).is_some());
    }
}
