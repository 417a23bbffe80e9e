//! AddOrgMember — `POST /management/v1/orgs/me/members`: roles for a user in the context org.

use shared::access::Permission;
use shared::api::{json, management, validate, HandlerResult};
use shared::domain::{member, Target};
use shared::App;

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    management(
        app,
        request,
        Some(Permission::OrgMemberWrite),
        Target::NewMember,
        |call| async move {
            let user_id = call.body.string("userId")?;
            let roles = call.body.strings("roles")?;
            validate::required("AddOrgMemberRequest", "UserId", &user_id)?;
            let details =
                member::add_org_member(call.store(), &call.actor(), &user_id, &roles).await?;
            Ok(json::details_only(&details))
        },
    )
    .await
}
