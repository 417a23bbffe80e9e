//! GetPersonalAccessTokenByIDs (v1): one personal access token of a machine user.

use shared::api::rpc::pats::v1;
use shared::api::v1_only;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_only::<v1::GetPersonalAccessTokenByIdsRequest>())
}
