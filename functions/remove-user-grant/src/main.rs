//! The Lambda entry point: runs the handler for every invocation.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::api::serve(remove_user_grant::handler).await
}
