//! Successful secret checks, remembered by a warm process: machine-to-machine clients ask for
//! tokens all the time with the same secret, and argon2id is ~20 ms of CPU each time.
//!
//! An entry is the HMAC-SHA256, under a key drawn at random when the process starts, of the
//! id the client resolved to (a machine user's or an API app's id, not the client id as typed,
//! so the spellings of one case-insensitive userName share one entry), the presented secret and
//! the stored hash string. So:
//! - no plaintext secret (nor anything a secret can be guessed from offline) is kept;
//! - any change of the stored hash (a regenerated or removed secret, a deleted user, a migrated
//!   hash) misses by construction: the next check runs argon2id against what is stored now;
//! - only a check that succeeded is remembered; a wrong secret always pays argon2id.
//!
//! Bounded: at most `MAX_ENTRIES`, each for at most `MAX_AGE`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use aws_lc_rs::hmac;

use super::secret::verify_secret;

pub const MAX_ENTRIES: usize = 4096;
pub const MAX_AGE: Duration = Duration::from_secs(5 * 60);

/// What `verify` found out, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// The secret matches: remembered from an earlier check.
    Remembered,
    /// The secret matches: argon2id said so just now (and it is remembered from now on).
    Verified,
    Wrong,
}

impl Checked {
    pub fn ok(self) -> bool {
        self != Checked::Wrong
    }
}

pub struct SecretChecks {
    key: hmac::Key,
    entries: Mutex<HashMap<[u8; 32], Instant>>,
}

impl Default for SecretChecks {
    #[expect(
        clippy::expect_used,
        reason = "made once per cold start: without the OS's random source no secret can be \
                  checked safely, so the function fails to start rather than answer"
    )]
    fn default() -> Self {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let key = hmac::Key::generate(hmac::HMAC_SHA256, &rng).expect("random HMAC key");
        SecretChecks {
            key,
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl SecretChecks {
    fn fingerprint(&self, resolved_id: &str, secret: &str, stored_hash: &str) -> [u8; 32] {
        let mut context = hmac::Context::with_key(&self.key);
        // Length-prefixed, so no two different triples give the same input.
        for part in [resolved_id, secret, stored_hash] {
            context.update(&(part.len() as u64).to_be_bytes());
            context.update(part.as_bytes());
        }
        let mut fingerprint = [0u8; 32];
        fingerprint.copy_from_slice(context.sign().as_ref());
        fingerprint
    }

    /// Does `secret` match `stored_hash` (a PHC string) of the user or app `resolved_id`? From
    /// memory when a check of exactly these three succeeded less than `MAX_AGE` ago, else by
    /// argon2id.
    pub fn verify(&self, resolved_id: &str, secret: &str, stored_hash: &str) -> Checked {
        self.verify_at(resolved_id, secret, stored_hash, Instant::now())
    }

    fn verify_at(
        &self,
        resolved_id: &str,
        secret: &str,
        stored_hash: &str,
        now: Instant,
    ) -> Checked {
        let fingerprint = self.fingerprint(resolved_id, secret, stored_hash);
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries
            .get(&fingerprint)
            .is_some_and(|at| now.saturating_duration_since(*at) < MAX_AGE)
        {
            return Checked::Remembered;
        }
        // argon2id outside the lock: other clients' remembered checks must not wait for it.
        drop(entries);
        if !verify_secret(secret, stored_hash) {
            return Checked::Wrong;
        }
        entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, at| now.saturating_duration_since(*at) < MAX_AGE);
            if entries.len() >= MAX_ENTRIES {
                // Still full of live entries: start afresh (they cost one argon2id each).
                entries.clear();
            }
        }
        entries.insert(fingerprint, now);
        Checked::Verified
    }

    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::secret::hash_secret;
    use crate::auth::secret::tests::CHEAP;
    use crate::config::Argon2Params;

    #[test]
    fn a_success_is_remembered_a_failure_never() {
        let checks = SecretChecks::default();
        let hash = hash_secret("right", CHEAP).unwrap();
        assert_eq!(checks.verify("bot", "wrong", &hash), Checked::Wrong);
        assert_eq!(checks.verify("bot", "wrong", &hash), Checked::Wrong);
        assert!(checks.is_empty(), "a wrong secret is never remembered");
        assert_eq!(checks.verify("bot", "right", &hash), Checked::Verified);
        assert_eq!(checks.verify("bot", "right", &hash), Checked::Remembered);
        assert_eq!(checks.len(), 1);
        // Another user or app with the same secret and hash is another entry.
        assert_eq!(checks.verify("other", "right", &hash), Checked::Verified);
    }

    #[test]
    fn a_changed_hash_misses() {
        let checks = SecretChecks::default();
        let old = hash_secret("old", CHEAP).unwrap();
        assert_eq!(checks.verify("bot", "old", &old), Checked::Verified);
        // Regenerated: the old secret against the new hash is checked, and is wrong.
        let new = hash_secret("new", CHEAP).unwrap();
        assert_eq!(checks.verify("bot", "old", &new), Checked::Wrong);
        // Rehashed (same secret, new salt or parameters): checked again, then remembered.
        let rehashed = hash_secret("old", CHEAP).unwrap();
        assert_eq!(checks.verify("bot", "old", &rehashed), Checked::Verified);
        // Removed: nothing to compare with.
        assert_eq!(checks.verify("bot", "old", ""), Checked::Wrong);
    }

    #[test]
    fn entries_expire_and_the_memory_is_bounded() {
        let checks = SecretChecks::default();
        let hash = hash_secret("s", CHEAP).unwrap();
        let start = Instant::now();
        assert_eq!(
            checks.verify_at("bot", "s", &hash, start),
            Checked::Verified
        );
        let later = start + MAX_AGE - Duration::from_secs(1);
        assert_eq!(
            checks.verify_at("bot", "s", &hash, later),
            Checked::Remembered
        );
        let expired = start + MAX_AGE;
        assert_eq!(
            checks.verify_at("bot", "s", &hash, expired),
            Checked::Verified
        );

        // The cheapest hash argon2 allows: thousands of checks in a moment.
        let tiny = Argon2Params {
            memory_kib: 8,
            iterations: 1,
            parallelism: 1,
        };
        let hash = hash_secret("s", tiny).unwrap();
        let fill = start + MAX_AGE * 3;
        for i in 0..MAX_ENTRIES + 10 {
            checks.verify_at(&format!("c{i}"), "s", &hash, fill);
            assert!(checks.len() <= MAX_ENTRIES);
        }
    }

    #[test]
    fn nothing_kept_contains_the_secret() {
        let checks = SecretChecks::default();
        let hash = hash_secret("plaintext-secret", CHEAP).unwrap();
        checks.verify("bot", "plaintext-secret", &hash);
        let entries = checks.entries.lock().unwrap();
        let key = entries.keys().next().unwrap();
        assert!(!key.windows(9).any(|w| w == b"plaintext"));
        assert_eq!(key.len(), 32);
    }
}
