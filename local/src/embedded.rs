//! The embedded default DynamoDB: dynoxide over SQLite, served inside this process on a
//! loopback port and reached over HTTP by the same SDK client as AWS's DynamoDB.

use std::path::Path;

use tokio::sync::oneshot;

/// Creates the database file readable by its owner only, or makes it so: SQLite opens an existing
/// file as it is and gives its -wal and -shm files the same mode.
fn owner_only(path: &Path) -> Result<(), String> {
    let failed = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(failed)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(failed)?;
    }
    Ok(())
}

pub struct EmbeddedDynamo {
    pub endpoint: String,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), String>>>,
}

impl EmbeddedDynamo {
    /// Starts dynoxide persisting to `<data_dir>/dynamodb.sqlite` (or in memory when `None`).
    pub async fn start(data_dir: Option<&Path>) -> Result<EmbeddedDynamo, String> {
        let db = match data_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                let path = dir.join("dynamodb.sqlite");
                owner_only(&path)?;
                dynoxide::Database::new(&path.to_string_lossy())
                    .map_err(|e| format!("dynoxide: {e}"))?
            }
            None => dynoxide::Database::memory().map_err(|e| format!("dynoxide: {e}"))?,
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let endpoint = format!(
            "http://{}",
            listener.local_addr().map_err(|e| e.to_string())?
        );
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(dynoxide::server::serve_with_shutdown(
            listener,
            db,
            async move {
                let _ = stopped.await;
            },
        ));
        Ok(EmbeddedDynamo {
            endpoint,
            stop: Some(stop),
            task: Some(task),
        })
    }

    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}
