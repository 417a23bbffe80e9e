//! The Lambda entry point: runs the handler for every invocation.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::api::serve(get_user_grant_by_id::handler).await
}
