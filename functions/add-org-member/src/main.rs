//! The Lambda entry point: runs the handler for every invocation.

// Lambda hands a process one request at a time: one thread, no idle workers to wake.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::api::serve(add_org_member::handler).await
}
