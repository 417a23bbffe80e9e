//! UpdateOrgMember (v2: UpdateAdministrator of an organization): a member's roles replaced.

use shared::api::rpc::orgs::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::UpdateOrgMemberRequest,
        v2::UpdateAdministratorRequest,
    >())
}
