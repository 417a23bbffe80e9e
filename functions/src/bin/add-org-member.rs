//! AddOrgMember — `POST /management/v1/orgs/me/members`: roles for a user in the context org.

use shared::api::rest;
use shared::domain::member;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(rest::<member::AddOrgMember>)
}
