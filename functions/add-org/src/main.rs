//! The Lambda entry point: runs the handler for every invocation.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::api::serve(add_org::handler).await
}
