//! Tokens and secrets: signing keys (and where the private one comes from), JWTs, argon2id.
//! No storage.

pub mod authn_key;
pub mod claims;
pub mod jwt;
pub mod key_source;
pub mod keys;
pub mod secret;
pub mod secret_checks;
mod verified;
