//! AddOrgMember (v2: CreateAdministrator of an organization): roles for a user in an org.

use shared::api::rpc::orgs::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::AddOrgMemberRequest,
        v2::CreateAdministratorRequest,
    >())
}
