//! The first admin: created with its org on empty storage, written to admin.json for its owner
//! only, and the same admin after a restart on the same data directory.

use tests::{Api, DataDir};

#[tokio::test]
async fn the_first_admin_survives_a_restart() {
    // Declared first, dropped last: the directory goes even when an assertion fails.
    let data_dir = DataDir::new("restart");

    let first = Api::start_in(&data_dir).await;
    let admin = first
        .running()
        .admin
        .clone()
        .expect("created on empty storage");
    let admin_file = data_dir.path.join("admin.json");
    let written: shared::domain::instance::FirstAdmin =
        serde_json::from_str(&std::fs::read_to_string(&admin_file).unwrap()).unwrap();
    assert_eq!(written, admin);
    assert_eq!(written.client_secret.len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&admin_file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    first.stop().await;

    let api = Api::start_in(&data_dir).await;
    assert_eq!(
        api.running().admin.as_ref(),
        Some(&admin),
        "the same admin, read back"
    );
    let token = api.admin_token().await;
    let me = api.get("/management/v1/orgs/me", &token).await;
    assert_eq!(me.assert_ok()["org"]["id"], admin.org_id.as_str());
}
