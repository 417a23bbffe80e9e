//! Starting the local product: storage, keys, table, first admin, server.

use std::path::Path;

use crate::embedded::EmbeddedDynamo;
use shared::auth::keys::SigningKey;
use shared::config::Config;
use shared::domain::instance::{admin_is_current, set_up_first_admin, FirstAdmin};
use shared::routes::Route;
use shared::App;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub const ADMIN_FILE: &str = "admin.json";
const KEY_FILE: &str = "signing-key.pem";
pub const FIRST_ORG_NAME: &str = "ZITADEL";
pub const FIRST_ADMIN_USER_NAME: &str = "zitadel-admin";

pub struct Running {
    pub url: String,
    /// Lives as long as the process: a Lambda's app does too, and handlers borrow it.
    pub app: &'static App,
    /// The first admin: created by this start, or read back from `admin.json` while it is still
    /// an active IAM_OWNER with that secret.
    pub admin: Option<FirstAdmin>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    embedded: Option<EmbeddedDynamo>,
}

impl Running {
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        if let Some(embedded) = self.embedded.take() {
            embedded.stop().await;
        }
    }
}

/// Creates the data directory (and its parents) readable by its owner only.
fn create_private_dir(dir: &Path) -> Result<(), String> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))
}

/// The whole API for a test or a benchmark: its own fresh table (on an in-memory dynoxide, or
/// on the DynamoDB that `DYNAMODB_ENDPOINT` names), a key in memory, nothing on disk.
pub async fn start_ephemeral() -> Result<Running, String> {
    let mut config = Config::from_env()?;
    config.table_name = format!("test-{}", uuid::Uuid::new_v4().simple());
    start(config, 0, None).await
}

/// Writes a file only its owner may read (it holds a key or a secret).
fn write_private(path: &Path, contents: &str) -> Result<(), String> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    file.write_all(contents.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The local signing key: generated on the first start, kept in the data directory. A key that
/// is not RS256's (an ES256 key of an earlier version) is replaced: tokens it signed end.
fn local_signing_key(data_dir: &Path) -> Result<String, String> {
    let path = data_dir.join(KEY_FILE);
    if let Ok(pem) = std::fs::read_to_string(&path) {
        match SigningKey::from_pem(&pem) {
            Ok(_) => return Ok(pem),
            Err(e) => tracing::warn!(cause = %e, "replacing the local signing key"),
        }
    }
    let pem = SigningKey::generate_pem();
    write_private(&path, &pem)?;
    Ok(pem)
}

/// Starts everything on `127.0.0.1:port` (0: any free port). With a `data_dir`, the embedded
/// database, key and admin.json live there (created owner-only); without, storage and key are
/// in memory and nothing is written to disk.
pub async fn start(
    mut config: Config,
    port: u16,
    data_dir: Option<&Path>,
) -> Result<Running, String> {
    if let Some(data_dir) = data_dir {
        create_private_dir(data_dir)?;
    }
    let embedded = match &config.dynamodb_endpoint {
        Some(_) => None,
        None => {
            let embedded = EmbeddedDynamo::start(data_dir).await?;
            config.dynamodb_endpoint = Some(embedded.endpoint.clone());
            Some(embedded)
        }
    };
    if config.signing_key_pem.is_none() && config.public_keys_pem.is_none() {
        config.signing_key_pem = Some(match data_dir {
            Some(data_dir) => local_signing_key(data_dir)?,
            None => SigningKey::generate_pem(),
        });
    }
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| format!("port {port}: {e}"))?;
    let url = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    if config.issuer.is_none() {
        config.issuer = Some(url.clone());
    }
    let app: &'static App = Box::leak(Box::new(App::new(config).await?));
    app.store.ensure_table().await?;
    let created = set_up_first_admin(
        &app.store,
        FIRST_ORG_NAME,
        FIRST_ADMIN_USER_NAME,
        &app.config.instance_domain,
        app.config.argon2,
    )
    .await
    .map_err(|e| e.to_string())?;
    let admin_path = data_dir.map(|dir| dir.join(ADMIN_FILE));
    let admin = match (created, admin_path) {
        (Some(admin), Some(admin_path)) => {
            let json = serde_json::to_string_pretty(&admin).map_err(|e| e.to_string())?;
            write_private(&admin_path, &json)?;
            Some(admin)
        }
        (Some(admin), None) => Some(admin),
        (None, None) => None,
        (None, Some(admin_path)) => {
            let kept: Option<FirstAdmin> = std::fs::read_to_string(&admin_path)
                .ok()
                .and_then(|text| serde_json::from_str(&text).ok());
            match kept {
                Some(admin)
                    if admin_is_current(&app.store, &admin)
                        .await
                        .map_err(|e| e.to_string())? =>
                {
                    Some(admin)
                }
                _ => None,
            }
        }
    };
    let routes: &'static [Route] = Box::leak(shared::routes::routes()?.into_boxed_slice());
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(crate::server::serve(listener, app, routes, async move {
        let _ = stopped.await;
    }));
    Ok(Running {
        url,
        app,
        admin,
        stop: Some(stop),
        server: Some(server),
        embedded,
    })
}
