//! RemoveOrgMember (v2: DeleteAdministrator of an organization): a member's roles in an org
//! removed.

use shared::api::rpc::orgs::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::RemoveOrgMemberRequest,
        v2::DeleteAdministratorRequest,
    >())
}
