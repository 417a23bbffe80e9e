//! Tokens and secrets: signing keys, JWTs, argon2id. Pure crypto, no storage.

pub mod claims;
pub mod jwt;
pub mod keys;
pub mod secret;
mod verified;
