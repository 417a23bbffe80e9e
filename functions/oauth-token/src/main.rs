//! The Lambda entry point: runs the handler for every invocation.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::api::serve(oauth_token::handler).await
}
