//! The first-admin step for AWS: run once against the deployed table (TABLE_NAME, AWS
//! credentials and region from the environment). Prints the admin's credentials as JSON, once.

use shared::config::Config;
use shared::domain::instance::set_up_first_admin;
use shared::store::Store;

#[tokio::main]
async fn main() {
    let config = Config::from_env().unwrap_or_else(|e| fail(&e));
    let org_name =
        std::env::var("FIRST_ORG_NAME").unwrap_or_else(|_| local::start::FIRST_ORG_NAME.into());
    let user_name = std::env::var("FIRST_ADMIN_USER_NAME")
        .unwrap_or_else(|_| local::start::FIRST_ADMIN_USER_NAME.into());
    let store = Store::connect(&config.table_name, config.dynamodb_endpoint.as_deref()).await;
    match set_up_first_admin(
        &store,
        &org_name,
        &user_name,
        &config.instance_domain,
        config.argon2,
    )
    .await
    {
        Ok(Some(admin)) => println!(
            "{}",
            serde_json::to_string_pretty(&admin).expect("serializable")
        ),
        Ok(None) => fail("the instance is already set up; its first admin exists"),
        Err(e) => fail(&e.message()),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
