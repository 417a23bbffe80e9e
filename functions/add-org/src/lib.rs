//! AddOrg — `POST /management/v1/orgs`: a new org; the caller becomes its ORG_OWNER.

use serde_json::json;
use shared::api::{json, management, validate, HandlerResult};
use shared::domain::{org, Target};
use shared::App;

pub async fn handler(app: &App, request: lambda_http::Request) -> HandlerResult {
    management(app, request, None, Target::Nothing, |call| async move {
        let name = call.body.string("name")?;
        validate::required("AddOrgRequest", "Name", &name)?;
        let domain = &call.app.config.instance_domain;
        let (id, details) = org::add_org(call.store(), &call.actor(), &name, domain).await?;
        Ok(json!({ "id": id, "details": json::details(&details) }))
    })
    .await
}
