//! AddOrgMember — `POST /management/v1/orgs/me/members`: roles for a user in the context org.
//! v2: CreateAdministrator of an organization (Connect); the procedure is a route of this function.

use shared::api::v1_and_v2;
use shared::domain::member;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<member::AddOrgMember, member::AddOrgMember>)
}
