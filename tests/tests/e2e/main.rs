//! End-to-end tests: real HTTP to the local API (the functions' own handlers behind API Gateway
//! events), on an in-memory dynoxide, or on the DynamoDB that `DYNAMODB_ENDPOINT` names.

mod harness;

mod authentication;
mod concurrency;
mod foundation;
mod grants;
mod input;
mod seed;
mod storage;
mod tokens;
