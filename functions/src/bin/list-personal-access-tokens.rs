//! ListPersonalAccessTokens (v1 and v2): a machine user's personal access tokens.

use shared::api::rpc::pats::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::ListPersonalAccessTokensRequest,
        v2::ListPersonalAccessTokensRequest,
    >())
}
