//! ListOrgMembers (v2: ListAdministrators of an organization): an org's members, paged.

use shared::api::rpc::orgs::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::ListOrgMembersRequest,
        v2::ListAdministratorsRequest,
    >())
}
