//! The first-admin step for AWS: run once against the deployed table (TABLE_NAME, AWS
//! credentials and region from the environment). Prints the admin's credentials as JSON, once.
//!
//! `--recover`: when no user holding IAM_OWNER is active any more, makes a new admin holding
//! IAM_OWNER in the first org and prints its credentials; refuses while one is active.
//! `--upgrade`: once, on a table from before issue 12: copies the org memberships made before
//! their copies existed, so that reach sees them, and reserves the orgs' primary domains; on a
//! table from before issue 11, writes the grants' locators, so that v2 finds them by id; on a
//! table from before issue 21, reserves every aggregate's id across kinds (`keys::aggregate_id`);
//! on a table from before issue 20, lists every user in its org's list of userNames and count.

use shared::config::Config;
use shared::domain::authorization::locate_grants;
use shared::domain::instance::{recover_first_admin, reserve_aggregate_ids, set_up_first_admin};
use shared::domain::member::copy_org_memberships;
use shared::domain::org::reserve_org_domains;
use shared::domain::project::list_projects;
use shared::domain::user_list::list_users;
use shared::store::Store;

#[tokio::main]
async fn main() {
    let recover = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--recover") => true,
        Some("--upgrade") => return upgrade().await,
        Some(_) => fail("usage: first-admin [--recover | --upgrade]"),
    };
    let config = Config::from_env().unwrap_or_else(|e| fail(&e));
    let org_name =
        std::env::var("FIRST_ORG_NAME").unwrap_or_else(|_| local::start::FIRST_ORG_NAME.into());
    let user_name = std::env::var("FIRST_ADMIN_USER_NAME")
        .unwrap_or_else(|_| local::start::FIRST_ADMIN_USER_NAME.into());
    let store = Store::connect(&config.table_name, config.dynamodb_endpoint.as_deref()).await;
    let admin = if recover {
        recover_first_admin(&store, &user_name, config.argon2).await
    } else {
        set_up_first_admin(
            &store,
            &org_name,
            &user_name,
            &config.instance_domain,
            config.argon2,
        )
        .await
        .map(|created| {
            created.unwrap_or_else(|| {
                fail("the instance is already set up; `first-admin --recover` makes a new admin when no IAM_OWNER is active")
            })
        })
    };
    match admin {
        Ok(admin) => println!(
            "{}",
            serde_json::to_string_pretty(&admin).expect("serializable")
        ),
        Err(e) => fail(&described(&e)),
    }
}

/// The error as ZITADEL words it, with its cause when it is a fault (errors no longer log it
/// where they are made, and this tool logs nothing).
fn described(e: &shared::Error) -> String {
    match e.cause() {
        Some(cause) => format!("{}: {cause}", e.message()),
        None => e.message(),
    }
}

async fn upgrade() {
    let config = Config::from_env().unwrap_or_else(|e| fail(&e));
    let store = Store::connect(&config.table_name, config.dynamodb_endpoint.as_deref()).await;
    let copied = copy_org_memberships(&store)
        .await
        .unwrap_or_else(|e| fail(&described(&e)));
    println!("{copied} org memberships copied");
    let (reserved, shared) = reserve_org_domains(&store)
        .await
        .unwrap_or_else(|e| fail(&described(&e)));
    println!("{reserved} org domains reserved");
    let located = locate_grants(&store)
        .await
        .unwrap_or_else(|e| fail(&described(&e)));
    println!("{located} grants located for v2");
    let listed = list_projects(&store)
        .await
        .unwrap_or_else(|e| fail(&described(&e)));
    println!("{listed} projects listed in their orgs");
    let (reserved_ids, shared_ids) = reserve_aggregate_ids(&store)
        .await
        .unwrap_or_else(|e| fail(&described(&e)));
    println!("{reserved_ids} ids reserved");
    let (listed, moved) = list_users(&store)
        .await
        .unwrap_or_else(|e| fail(&described(&e)));
    println!("{listed} users listed in their orgs' lists");
    if moved > 0 {
        println!("{moved} users changed meanwhile: run --upgrade again to list them");
    }
    for (kind, id) in shared_ids {
        println!("{kind} {id} keeps its id, which an aggregate of another kind holds");
    }
    for org in shared {
        println!(
            "org {} keeps {}, which an older org holds",
            org.id, org.primary_domain
        );
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
