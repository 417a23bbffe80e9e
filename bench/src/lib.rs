//! `make bench`: what a request costs, measured on the real function binaries.

pub mod runtime_api;
pub mod scenarios;
