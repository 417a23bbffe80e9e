//! Machine secrets: drawn from the OS's generator, stored only as argon2id PHC strings.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::distributions::Alphanumeric;
use rand::Rng;

use crate::config::Argon2Params;

pub const SECRET_LENGTH: usize = 64;

/// 64 characters of `[a-zA-Z0-9]`. `Alphanumeric` samples by rejection, so every character is
/// equally likely (no modulo bias).
pub fn generate_secret() -> String {
    rand::rngs::OsRng
        .sample_iter(&Alphanumeric)
        .take(SECRET_LENGTH)
        .map(char::from)
        .collect()
}

fn hasher(params: Argon2Params) -> Result<Argon2<'static>, String> {
    let params = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        None,
    )
    .map_err(|e| e.to_string())?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`) of a secret.
pub fn hash_secret(secret: &str, params: Argon2Params) -> Result<String, String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    hasher(params)?
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Checks a secret against a stored PHC string, with the parameters recorded in it.
pub fn verify_secret(secret: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(hash) => Argon2::default()
            .verify_password(secret.as_bytes(), &hash)
            .is_ok(),
        Err(_) => false,
    }
}

/// Whether a stored PHC string was made with other parameters than `params` (or is not argon2id
/// v19): a secret that verifies against it is then hashed again (`domain::token`).
pub fn needs_rehash(phc: &str, params: Argon2Params) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    let Ok(stored) = Params::try_from(&hash) else {
        return true;
    };
    hash.algorithm.as_str() != "argon2id"
        || hash.version != Some(Version::V0x13 as u32)
        || stored.m_cost() != params.memory_kib
        || stored.t_cost() != params.iterations
        || stored.p_cost() != params.parallelism
}

/// Spends the time of one verification without a stored hash: an unknown client must cost
/// what a wrong secret costs, so timing tells nobody which userNames exist.
pub fn verify_against_nothing(secret: &str, params: Argon2Params) {
    static DUMMY: OnceLock<(Argon2Params, String)> = OnceLock::new();
    let (_, phc) = DUMMY.get_or_init(|| {
        let phc = hash_secret(&generate_secret(), params).unwrap_or_default();
        (params, phc)
    });
    let _ = verify_secret(secret, phc);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Cheap parameters for tests that hash.
    pub(crate) const CHEAP: Argon2Params = Argon2Params {
        memory_kib: 1024,
        iterations: 1,
        parallelism: 1,
    };

    #[test]
    fn secrets_are_64_alphanumerics_and_differ() {
        let a = generate_secret();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(a, generate_secret());
    }

    #[test]
    fn hashes_are_argon2id_phc_and_verify() {
        let phc = hash_secret("s3cret", CHEAP).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"), "{phc}");
        assert!(verify_secret("s3cret", &phc));
        assert!(!verify_secret("s3creT", &phc));
        assert!(!verify_secret("s3cret", "not a hash"));
    }

    #[test]
    fn a_hash_with_other_parameters_needs_a_rehash() {
        let phc = hash_secret("s", CHEAP).unwrap();
        assert!(!needs_rehash(&phc, CHEAP));
        let stronger = Argon2Params {
            memory_kib: 2048,
            ..CHEAP
        };
        assert!(needs_rehash(&phc, stronger));
        assert!(needs_rehash(
            &phc,
            Argon2Params {
                iterations: 2,
                ..CHEAP
            }
        ));
        assert!(!needs_rehash("not a hash", CHEAP));
    }
}
