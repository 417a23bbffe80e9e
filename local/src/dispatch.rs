//! Which handler a Lambda binary runs: the same function that its `main.rs` hands to
//! `lambda_http::run`.

use lambda_http::Request;
use shared::api::HandlerResult;
use shared::App;

/// Every function binary, as `template.yaml` names them in `BuildProperties.Binary`.
pub const BINARIES: [&str; 20] = [
    "add-org",
    "get-my-org",
    "add-org-member",
    "add-machine-user",
    "get-user-by-id",
    "remove-user",
    "generate-machine-secret",
    "remove-machine-secret",
    "add-user-grant",
    "get-user-grant-by-id",
    "remove-user-grant",
    "deactivate-user-grant",
    "reactivate-user-grant",
    "list-user-changes",
    "add-project",
    "add-project-role",
    "oauth-token",
    "oauth-keys",
    "openid-configuration",
    "not-found",
];

/// Runs the handler of `binary`; `None` for a binary that is not ours.
pub async fn dispatch(
    binary: &'static str,
    app: &'static App,
    request: Request,
) -> Option<HandlerResult> {
    Some(match binary {
        "add-org" => add_org::handler(app, request).await,
        "get-my-org" => get_my_org::handler(app, request).await,
        "add-org-member" => add_org_member::handler(app, request).await,
        "add-machine-user" => add_machine_user::handler(app, request).await,
        "get-user-by-id" => get_user_by_id::handler(app, request).await,
        "remove-user" => remove_user::handler(app, request).await,
        "generate-machine-secret" => generate_machine_secret::handler(app, request).await,
        "remove-machine-secret" => remove_machine_secret::handler(app, request).await,
        "add-user-grant" => add_user_grant::handler(app, request).await,
        "get-user-grant-by-id" => get_user_grant_by_id::handler(app, request).await,
        "remove-user-grant" => remove_user_grant::handler(app, request).await,
        "deactivate-user-grant" => deactivate_user_grant::handler(app, request).await,
        "reactivate-user-grant" => reactivate_user_grant::handler(app, request).await,
        "list-user-changes" => list_user_changes::handler(app, request).await,
        "add-project" => add_project::handler(app, request).await,
        "add-project-role" => add_project_role::handler(app, request).await,
        "oauth-token" => oauth_token::handler(app, request).await,
        "oauth-keys" => oauth_keys::handler(app, request).await,
        "openid-configuration" => openid_configuration::handler(app, request).await,
        "not-found" => not_found::handler(app, request).await,
        _ => return None,
    })
}
