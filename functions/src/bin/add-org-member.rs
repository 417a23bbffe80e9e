//! AddOrgMember (v2: CreateAdministrator of an organization): roles for a user in an org.

use shared::api::{v1, v1_and_v2, v2};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::orgs::AddOrgMemberRequest,
        v2::orgs::CreateAdministratorRequest,
    >())
}
