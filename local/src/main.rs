//! `make run`: the whole API on one machine.

use std::path::PathBuf;

use shared::config::Config;
use shared::App;

#[tokio::main]
async fn main() {
    App::init_logging();
    let port: u16 = match std::env::var("PORT").ok().filter(|p| !p.is_empty()) {
        Some(port) => port
            .parse()
            .unwrap_or_else(|_| fail(&format!("PORT must be a port number, got {port:?}"))),
        None => 8080,
    };
    let config = Config::from_env().unwrap_or_else(|e| fail(&e));
    // `make run`'s data: embedded database, signing key, admin.json.
    let data_dir = PathBuf::from(
        std::env::var("LOCAL_DATA_DIR")
            .ok()
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| ".local".into()),
    );
    let running = local::start(config, port, Some(&data_dir))
        .await
        .unwrap_or_else(|e| fail(&e));
    let admin_file = data_dir.join(local::start::ADMIN_FILE);
    match &running.admin {
        Some(admin) => println!(
            "First admin {} (credentials in {})",
            admin.user_name,
            admin_file.display()
        ),
        None => println!(
            "No usable first admin in {}: it was created before and its secret is not kept, or it \
             was removed or got a new secret since. With no IAM_OWNER active, `first-admin \
             --recover` makes a new one.",
            admin_file.display()
        ),
    }
    println!("Local API ready on {}  (Ctrl-C stops it)", running.url);
    let _ = tokio::signal::ctrl_c().await;
    println!("Stopping");
    running.stop().await;
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
