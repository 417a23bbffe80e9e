//! `make soak`: a bounded mixed workload against `make run`'s server (the `local` binary, started
//! here on a free loopback port with a data directory of its own, removed afterwards): 16
//! clients, 50,000 requests (token requests, reads, grant changes, new secrets, users added and
//! removed, histories), then a report: errors (must be 0), p50/p99/max latency, and the
//! server's resident memory after the warm-up and at the end (growth must stay within
//! `SOAK_RSS_GROWTH_MIB`, 64 MiB by default). Exits non-zero on errors or growth beyond it.
//!
//! `SOAK_CLIENTS`, `SOAK_REQUESTS`, `SOAK_RSS_GROWTH_MIB`, and `SOAK_SERVER` (the server binary;
//! default: the release `local` next to this binary) change the run.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{Client, Method};
use serde_json::{json, Value};

const SCOPE: &str = "openid urn:zitadel:iam:org:project:id:zitadel:aud";

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Resident memory of a process, from /proc (Linux), in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_default()
}

/// The server process, killed and its data directory removed when dropped.
struct Server {
    child: Child,
    data_dir: PathBuf,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

async fn start_server(http: &Client) -> Server {
    let binary = std::env::var_os("SOAK_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::current_exe()
                .expect("this binary's path")
                .with_file_name("local")
        });
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let data_dir = std::env::temp_dir().join(format!(
        "zitadel-lite-soak-{}",
        uuid::Uuid::new_v4().simple()
    ));
    let child = Command::new(&binary)
        .env("PORT", port.to_string())
        .env("LOCAL_DATA_DIR", &data_dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stdin(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e} (make soak builds it)", binary.display()));
    let server = Server {
        child,
        data_dir,
        url: format!("http://127.0.0.1:{port}"),
    };
    let started = Instant::now();
    let ready = format!("{}{}", server.url, route("openid-configuration", &[]).1);
    while !http
        .get(&ready)
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server
}

/// Requests and their latencies, and what went wrong, shared by the clients.
struct Tally {
    remaining: AtomicUsize,
    errors: AtomicUsize,
}

/// One client of the workload: its own user with a secret and a grant, in the admin's org.
struct Worker {
    http: Client,
    url: String,
    admin_token: String,
    tally: Arc<Tally>,
    latencies_us: Vec<u32>,
    first_error: Option<String>,
}

impl Worker {
    /// Sends one request; `None` when the workload's requests are used up.
    async fn send(
        &mut self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Option<Value> {
        if !self.take_one() {
            return None;
        }
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let started = Instant::now();
        let result = request.send().await;
        let (status, body) = match result {
            Ok(response) => {
                let status = response.status().as_u16();
                (
                    status,
                    response.json::<Value>().await.unwrap_or(Value::Null),
                )
            }
            Err(e) => (0, json!(e.to_string())),
        };
        self.latencies_us
            .push(started.elapsed().as_micros().min(u32::MAX as u128) as u32);
        if status != 200 {
            self.tally.errors.fetch_add(1, Ordering::SeqCst);
            self.first_error
                .get_or_insert_with(|| format!("{method} {path}: {status} {body}"));
            return Some(Value::Null);
        }
        Some(body)
    }

    /// A call as the admin to `binary`'s first declared route (its v1 route), with `params`
    /// in its path.
    async fn admin(
        &mut self,
        binary: &str,
        params: &[(&str, &str)],
        body: Option<Value>,
    ) -> Option<Value> {
        let (method, path) = route(binary, params);
        let token = self.admin_token.clone();
        self.send(method, &path, Some(&token), body).await
    }

    /// Counts one request against the run's total; false once the total is spent.
    fn take_one(&self) -> bool {
        self.tally
            .remaining
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }

    async fn token(&mut self, client_id: &str, secret: &str) -> Option<String> {
        if !self.take_one() {
            return None;
        }
        let started = Instant::now();
        let response = self
            .http
            .post(format!("{}{}", self.url, route("oauth-token", &[]).1))
            .basic_auth(client_id, Some(secret))
            .form(&[("grant_type", "client_credentials"), ("scope", SCOPE)])
            .send()
            .await;
        self.latencies_us
            .push(started.elapsed().as_micros().min(u32::MAX as u128) as u32);
        let body: Value = match response {
            Ok(r) if r.status().is_success() => r.json().await.unwrap_or(Value::Null),
            Ok(r) => json!(format!("status {}", r.status())),
            Err(e) => json!(e.to_string()),
        };
        match body["access_token"].as_str() {
            Some(token) => Some(token.to_string()),
            None => {
                self.tally.errors.fetch_add(1, Ordering::SeqCst);
                self.first_error
                    .get_or_insert_with(|| format!("token: {body}"));
                Some(String::new())
            }
        }
    }

    /// Until the requests are used up: cycles of a user's life with many reads in between.
    /// `name` is the client's own (phase and number), so that no two clients' names collide.
    async fn run(&mut self, name: &str) -> Option<()> {
        let project = self
            .admin(
                "add-project",
                &[],
                Some(json!({"name": format!("soak-{name}")})),
            )
            .await?;
        let project = project["id"].as_str().unwrap_or_default().to_string();
        self.admin(
            "add-project-role",
            &[("projectId", &project)],
            Some(json!({"roleKey": "reader", "displayName": "Reader"})),
        )
        .await?;
        for cycle in 0.. {
            let user_name = format!("soak-{name}-{cycle}");
            let user = self
                .admin(
                    "add-machine-user",
                    &[],
                    Some(json!({"userName": user_name, "name": "Soak"})),
                )
                .await?;
            let user = user["userId"].as_str().unwrap_or_default().to_string();
            let user_id = [("userId", user.as_str())];
            let secret = self
                .admin("generate-machine-secret", &user_id, None)
                .await?;
            let secret = secret["clientSecret"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            self.token(&user_name, &secret).await?;
            let grant = self
                .admin(
                    "add-user-grant",
                    &user_id,
                    Some(json!({"projectId": project, "roleKeys": ["reader"]})),
                )
                .await?;
            let grant = grant["userGrantId"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let grant_id = [("userId", user.as_str()), ("grantId", grant.as_str())];
            for _ in 0..20 {
                self.admin("get-user-by-id", &user_id, None).await?;
                self.admin("get-user-grant-by-id", &grant_id, None).await?;
                self.admin("deactivate-user-grant", &grant_id, Some(json!({})))
                    .await?;
                self.admin("reactivate-user-grant", &grant_id, Some(json!({})))
                    .await?;
                self.admin("get-my-org", &[], None).await?;
                self.admin(
                    "list-user-changes",
                    &user_id,
                    Some(json!({"query": {"limit": 20}})),
                )
                .await?;
            }
            self.admin("remove-user-grant", &grant_id, None).await?;
            self.admin("remove-machine-secret", &user_id, None).await?;
            self.admin("remove-user", &user_id, None).await?;
        }
        Some(())
    }
}

/// The latency at `fraction` of the sorted list, in ms.
fn percentile(sorted_us: &[u32], fraction: f64) -> f64 {
    let at = ((sorted_us.len() as f64 - 1.0) * fraction).round() as usize;
    sorted_us.get(at).copied().unwrap_or_default() as f64 / 1000.0
}

async fn workload(
    http: &Client,
    server: &Server,
    admin_token: &str,
    clients: usize,
    requests: usize,
) -> (usize, Vec<u32>, Option<String>) {
    let tally = Arc::new(Tally {
        remaining: AtomicUsize::new(requests),
        errors: AtomicUsize::new(0),
    });
    let tasks: Vec<_> = (0..clients)
        .map(|n| {
            let mut worker = Worker {
                http: http.clone(),
                url: server.url.clone(),
                admin_token: admin_token.to_string(),
                tally: tally.clone(),
                latencies_us: Vec::with_capacity(requests / clients + 64),
                first_error: None,
            };
            let name = format!("{}-{n}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
            tokio::spawn(async move {
                // `None`: the requests are used up.
                let _ = worker.run(&name).await;
                (worker.latencies_us, worker.first_error)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(requests);
    let mut first_error = None;
    for task in tasks {
        let (mut l, e) = task.await.expect("a client finished");
        latencies.append(&mut l);
        first_error = first_error.or(e);
    }
    latencies.sort_unstable();
    (tally.errors.load(Ordering::SeqCst), latencies, first_error)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let clients = env_number("SOAK_CLIENTS", 16);
    let requests = env_number("SOAK_REQUESTS", 50_000);
    let growth_limit_mib = env_number("SOAK_RSS_GROWTH_MIB", 64) as u64;
    let http = Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .expect("an HTTP client");
    let server = start_server(&http).await;
    let admin: Value = serde_json::from_str(
        &std::fs::read_to_string(server.data_dir.join("admin.json")).expect("admin.json"),
    )
    .expect("admin.json is JSON");
    let (client_id, secret) = (
        admin["clientId"].as_str().expect("clientId"),
        admin["clientSecret"].as_str().expect("clientSecret"),
    );
    let mut bootstrap = Worker {
        http: http.clone(),
        url: server.url.clone(),
        admin_token: String::new(),
        tally: Arc::new(Tally {
            remaining: AtomicUsize::new(1),
            errors: AtomicUsize::new(0),
        }),
        latencies_us: Vec::new(),
        first_error: None,
    };
    let admin_token = bootstrap
        .token(client_id, secret)
        .await
        .filter(|t| !t.is_empty())
        .expect("the admin's token");

    let pid = server.child.id();
    let warm_up = (requests / 20).max(clients * 10);
    let (warm_errors, _, warm_error) =
        workload(&http, &server, &admin_token, clients, warm_up).await;
    let rss_start = rss_kib(pid);
    let started = Instant::now();
    let (errors, latencies, first_error) =
        workload(&http, &server, &admin_token, clients, requests).await;
    let elapsed = started.elapsed();
    let rss_end = rss_kib(pid);
    drop(server);

    let errors = errors + warm_errors;
    let growth_kib = rss_end.saturating_sub(rss_start);
    let memory_ok = growth_kib <= growth_limit_mib * 1024;
    println!("soak: {clients} clients, {} requests in {:.1} s ({:.0}/s), after {warm_up} warm-up requests", latencies.len(), elapsed.as_secs_f64(), latencies.len() as f64 / elapsed.as_secs_f64());
    println!(
        "  errors: {errors}{}",
        first_error
            .or(warm_error)
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default()
    );
    println!(
        "  latency: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    );
    println!(
        "  server RSS: {} MiB after the warm-up, {} MiB at the end: +{} MiB (bound {growth_limit_mib} MiB): {}",
        rss_start / 1024,
        rss_end / 1024,
        growth_kib / 1024,
        if memory_ok { "PASS" } else { "FAIL" }
    );
    let pass = errors == 0 && memory_ok && latencies.len() >= requests;
    println!("soak: {}", if pass { "PASS" } else { "FAIL" });
    if !pass {
        std::process::exit(1);
    }
}

/// `binary`'s declared route (`bench::scenarios::route`), with reqwest's method.
fn route(binary: &str, params: &[(&str, &str)]) -> (Method, String) {
    let (method, path) = bench::scenarios::route(binary, params);
    let method = Method::from_bytes(method.as_bytes()).expect("an HTTP method");
    (method, path)
}
