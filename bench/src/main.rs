//! `make bench`: per function, the stripped binary sizes, cold starts of the real binary under a
//! local Lambda Runtime API, warm CPU and latency over many requests, DynamoDB round trips and
//! capacity per request; then argon2id and token throughput. Budgets are printed beside each
//! figure as PASS/FAIL; the table is also written to target/bench/report.md.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use bench::runtime_api::RuntimeApi;
use bench::scenarios::{is_management, Fixtures, Request};
use local::embedded::EmbeddedDynamo;
use serde_json::Value;
use shared::auth::keys::SigningKey;
use shared::config::{Argon2Params, Config};
use shared::domain::instance::set_up_first_admin;
use shared::domain::user::{AddMachineUser, GenerateMachineSecret};
use shared::domain::{run_as, Actor};
use shared::routes::Route;
use shared::App;

const ISSUER: &str = "https://bench.local";
const TABLE: &str = "bench";

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Settings {
    requests: usize,
    cold_starts: usize,
    round_trip_requests: usize,
    target_dir: PathBuf,
}

#[derive(Default)]
struct Row {
    binary: String,
    host_size: Option<u64>,
    arm64_size: Option<u64>,
    cold_start_ms: Option<f64>,
    cpu_ms: Option<f64>,
    p50_ms: Option<f64>,
    p99_ms: Option<f64>,
    round_trips: f64,
    capacity_units: f64,
    statuses: Vec<u16>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// utime + stime of a process, in seconds (from /proc; clock ticks are 100 per second on Linux).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The function binary, as `lambda_http::run` runs it, polling our Runtime API.
fn spawn_function(
    exe: &Path,
    binary: &str,
    runtime: &RuntimeApi,
    env: &[(String, String)],
) -> tokio::process::Child {
    let mut command = tokio::process::Command::new(exe);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_LAMBDA_RUNTIME_API", &runtime.address)
        .env("AWS_LAMBDA_FUNCTION_NAME", binary)
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/bench")
        .env("AWS_REGION", "us-east-1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    for (k, v) in env {
        command.env(k, v);
    }
    command.spawn().expect("the function binary starts")
}

fn status_of(answer: &Value) -> u16 {
    answer["statusCode"].as_u64().unwrap_or(0) as u16
}

async fn invoke(runtime: &RuntimeApi, event: Value) -> Value {
    match tokio::time::timeout(Duration::from_secs(30), runtime.invoke(event)).await {
        Ok(Ok(answer)) => answer,
        _ => Value::Null,
    }
}

async fn in_process(
    app: &'static App,
    binary: &'static str,
    routes: &[Route],
    request: &Request,
) -> (u16, Value) {
    let event = request.event(routes).to_string();
    let lambda_request = lambda_http::request::from_str(&event).expect("a valid event");
    let response = local::dispatch::dispatch(binary, app, lambda_request)
        .await
        .expect("a known binary")
        .expect("handled");
    let status = response.status().as_u16();
    let body: Value = serde_json::from_slice(response.body().as_ref()).unwrap_or(Value::Null);
    (status, body)
}

fn file_size(path: &Path) -> Option<u64> {
    std::fs::metadata(path).ok().map(|m| m.len())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let settings = Settings {
        requests: env_number("BENCH_REQUESTS", 2000),
        cold_starts: env_number("BENCH_COLD_STARTS", 20),
        round_trip_requests: env_number("BENCH_ROUND_TRIP_REQUESTS", 50),
        target_dir: PathBuf::from(
            std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()),
        ),
    };
    let only: Option<Vec<String>> = std::env::var("BENCH_ONLY")
        .ok()
        .map(|v| v.split(',').map(str::to_string).collect());

    // Storage: dynoxide in memory, served on loopback as in `make run`.
    let embedded = EmbeddedDynamo::start(None).await.expect("dynoxide starts");
    let signing_pem = SigningKey::generate_pem();
    let mut config = Config::from_env().expect("configuration");
    config.table_name = TABLE.into();
    config.dynamodb_endpoint = Some(embedded.endpoint.clone());
    config.issuer = Some(ISSUER.into());
    config.signing_key_pem = Some(signing_pem.clone());
    config.public_keys_pem = None;
    let argon2 = config.argon2;
    let app: &'static App = Box::leak(Box::new(App::new(config.clone()).await.expect("app")));
    app.store.ensure_table().await.expect("table");
    let admin = set_up_first_admin(&app.store, "Bench", "bench-admin", "localhost", argon2)
        .await
        .expect("first admin")
        .expect("empty storage");
    let routes = shared::routes::routes().expect("template routes");
    let public_pem = app.signer.as_ref().expect("signer").public.to_pem();

    let token_request = Fixtures {
        app,
        admin: admin.clone(),
        token: String::new(),
        actor: actor(&admin),
    };
    let token_request = token_request
        .requests("oauth-token", 1)
        .await
        .expect("a token scenario")
        .remove(0);
    let (_, answer) = in_process(app, "oauth-token", &routes, &token_request).await;
    let token = answer["access_token"]
        .as_str()
        .expect("admin token")
        .to_string();
    let fixtures = Fixtures {
        app,
        admin: admin.clone(),
        token,
        actor: actor(&admin),
    };

    let base_env: Vec<(String, String)> = vec![
        ("TABLE_NAME".into(), TABLE.into()),
        ("DYNAMODB_ENDPOINT".into(), embedded.endpoint.clone()),
        ("ISSUER".into(), ISSUER.into()),
        ("PUBLIC_KEYS_PEM".into(), public_pem),
        ("ARGON2_MEMORY_KIB".into(), argon2.memory_kib.to_string()),
        ("ARGON2_ITERATIONS".into(), argon2.iterations.to_string()),
        ("ARGON2_PARALLELISM".into(), argon2.parallelism.to_string()),
    ];

    let mut rows = Vec::new();
    // Each function with its own scenario, then the scenarios measured beside one
    // (`scenarios::VARIANTS`).
    let measured = functions::FUNCTIONS
        .iter()
        .map(|f| (f.binary, f.binary))
        .chain(bench::scenarios::VARIANTS.iter().copied());
    for (scenario, binary) in measured {
        if only
            .as_ref()
            .is_some_and(|o| !o.iter().any(|b| b == scenario))
        {
            continue;
        }
        eprintln!("bench: {scenario}");
        let mut row = Row {
            binary: scenario.to_string(),
            ..Default::default()
        };
        let exe = settings.target_dir.join("release").join(binary);
        row.host_size = file_size(&exe);
        row.arm64_size = file_size(
            &settings
                .target_dir
                .join("lambda")
                .join(binary)
                .join("bootstrap"),
        );
        let mut env = base_env.clone();
        if binary == "oauth-token" {
            env.push(("SIGNING_KEY_PEM".into(), signing_pem.clone()));
        }

        // Round trips and capacity, in-process through the SDK interceptor.
        let Some(requests) = fixtures
            .requests(scenario, settings.round_trip_requests)
            .await
        else {
            eprintln!("bench: no scenario for {scenario} (bench/src/scenarios.rs): not measured");
            continue;
        };
        let metrics = app.store.metrics();
        let (calls, capacity) = (metrics.calls(), metrics.capacity_units());
        for request in &requests {
            let (status, _) = in_process(app, binary, &routes, request).await;
            row.statuses.push(status);
        }
        row.round_trips = (metrics.calls() - calls) as f64 / requests.len() as f64;
        row.capacity_units = (metrics.capacity_units() - capacity) / requests.len() as f64;

        if exe.exists() {
            // Cold starts: process start to the first answer, the first DynamoDB call included.
            let mut cold = Vec::new();
            let cold_requests = fixtures.requests(scenario, settings.cold_starts).await;
            for request in cold_requests.unwrap_or_default() {
                let runtime = RuntimeApi::start().await;
                let event = request.event(&routes);
                let started = Instant::now();
                let mut child = spawn_function(&exe, binary, &runtime, &env);
                let answer = invoke(&runtime, event).await;
                cold.push(ms(started.elapsed()));
                row.statuses.push(status_of(&answer));
                let _ = child.kill().await;
            }
            cold.sort_by(f64::total_cmp);
            row.cold_start_ms = Some(percentile(&cold, 50.0));

            // Warm: one process, many requests, one at a time.
            let requests = fixtures
                .requests(scenario, settings.requests + 1)
                .await
                .unwrap_or_default();
            let runtime = RuntimeApi::start().await;
            let mut child = spawn_function(&exe, binary, &runtime, &env);
            let pid = child.id().expect("running");
            let first = invoke(&runtime, requests[0].event(&routes)).await;
            row.statuses.push(status_of(&first));
            let events: Vec<Value> = requests[1..].iter().map(|r| r.event(&routes)).collect();
            let cpu_before = cpu_seconds(pid).unwrap_or_default();
            let mut latencies = Vec::with_capacity(events.len());
            for event in events {
                let started = Instant::now();
                let answer = invoke(&runtime, event).await;
                latencies.push(ms(started.elapsed()));
                row.statuses.push(status_of(&answer));
            }
            let cpu_after = cpu_seconds(pid).unwrap_or_default();
            let _ = child.kill().await;
            latencies.sort_by(f64::total_cmp);
            row.cpu_ms = Some((cpu_after - cpu_before) * 1000.0 / latencies.len() as f64);
            row.p50_ms = Some(percentile(&latencies, 50.0));
            row.p99_ms = Some(percentile(&latencies, 99.0));
        }
        rows.push(row);
    }

    let verify_ms = argon2_verify_ms(argon2);
    let load = token_load(config, &admin).await;
    let report = report(&settings, &rows, argon2, verify_ms, &load);
    println!("{report}");
    let dir = settings.target_dir.join("bench");
    let _ = std::fs::create_dir_all(&dir);
    std::fs::write(dir.join("report.md"), &report).expect("report written");
    eprintln!("written to {}", dir.join("report.md").display());
    embedded.stop().await;
}

fn actor(admin: &shared::domain::instance::FirstAdmin) -> Actor {
    Actor {
        user_id: admin.user_id.clone().into(),
        org_id: admin.org_id.clone().into(),
    }
}

/// Median time of one argon2id verification at the configured parameters.
fn argon2_verify_ms(params: Argon2Params) -> f64 {
    let secret = shared::auth::secret::generate_secret();
    let hash = shared::auth::secret::hash_secret(&secret, params).expect("hash");
    let mut times: Vec<f64> = (0..20)
        .map(|_| {
            let started = Instant::now();
            assert!(shared::auth::secret::verify_secret(&secret, &hash));
            ms(started.elapsed())
        })
        .collect();
    times.sort_by(f64::total_cmp);
    percentile(&times, 50.0)
}

/// The token endpoint under load, on the local API (the token function's handler, one
/// process): each of 16 fresh clients (machine users with secrets at the configured argon2id
/// cost) asks for tokens as fast as it can for five seconds, so each first token pays the full
/// argon2id and the rest are returning clients. Before that, the first tokens of 20 other fresh
/// clients, one at a time.
struct TokenLoad {
    tokens_per_second: f64,
    first_token_p50_ms: f64,
}

async fn token_load(config: Config, admin: &shared::domain::instance::FirstAdmin) -> TokenLoad {
    let running = local::start(config, 0, None).await.expect("local API");
    let app = running.app;
    let actor = actor(admin);
    let mut clients = Vec::new();
    for _ in 0..36 {
        let user_name = format!("load-{}", uuid::Uuid::new_v4().simple());
        let new = AddMachineUser {
            user_name: user_name.clone(),
            name: "Load".into(),
            ..Default::default()
        };
        let (user_id, _) = run_as(&app.store, &app.config, &actor, new)
            .await
            .expect("a client");
        let secret = run_as(
            &app.store,
            &app.config,
            &actor,
            GenerateMachineSecret { user_id },
        )
        .await
        .expect("its secret")
        .client_secret;
        clients.push((user_name, secret));
    }
    let url = format!(
        "{}{}",
        running.url,
        bench::scenarios::route("oauth-token", &[]).1
    );
    let http = reqwest::Client::new();
    let ask = |http: reqwest::Client, url: String, id: String, secret: String| async move {
        http.post(&url)
            .basic_auth(&id, Some(&secret))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials&scope=openid")
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
    };

    let mut firsts = Vec::new();
    for (id, secret) in clients.drain(16..) {
        let started = Instant::now();
        assert!(
            ask(http.clone(), url.clone(), id, secret).await,
            "a first token"
        );
        firsts.push(ms(started.elapsed()));
    }
    firsts.sort_by(f64::total_cmp);

    let deadline = Instant::now() + Duration::from_secs(5);
    let started = Instant::now();
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|(id, secret)| {
            let (http, url) = (http.clone(), url.clone());
            tokio::spawn(async move {
                let mut issued = 0u64;
                while Instant::now() < deadline {
                    if ask(http.clone(), url.clone(), id.clone(), secret.clone()).await {
                        issued += 1;
                    }
                }
                issued
            })
        })
        .collect();
    let mut issued = 0;
    for task in tasks {
        issued += task.await.unwrap_or_default();
    }
    let tokens_per_second = issued as f64 / started.elapsed().as_secs_f64();
    running.stop().await;
    TokenLoad {
        tokens_per_second,
        first_token_p50_ms: percentile(&firsts, 50.0),
    }
}

fn verdict(pass: bool) -> &'static str {
    if pass {
        "PASS"
    } else {
        "FAIL"
    }
}

fn size(bytes: Option<u64>, budget: bool) -> String {
    match bytes {
        Some(b) => {
            let mb = b as f64 / 1_048_576.0;
            if budget {
                format!("{mb:.1} MB {}", verdict(mb <= 10.0))
            } else {
                format!("{mb:.1} MB")
            }
        }
        None => "n/a".into(),
    }
}

fn report(
    settings: &Settings,
    rows: &[Row],
    argon2: Argon2Params,
    verify_ms: f64,
    load: &TokenLoad,
) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "Machine: {} cores; embedded DynamoDB (dynoxide, in memory, over loopback HTTP). {} warm requests and {} cold starts per function.\n\n",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        settings.requests,
        settings.cold_starts
    ));
    out.push_str("| function | binary (host) | binary (arm64, ≤ 10 MB) | cold start p50 (≤ 50 ms) | warm CPU/request (≤ 1 ms) | warm p50 | warm p99 | DynamoDB round trips (≤ 3 / ≤ 2) | capacity units | answers |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|---|\n");
    for row in rows {
        let trips_budget = if row.binary == "oauth-token" {
            2.0
        } else {
            3.0
        };
        let trips = if is_management(&row.binary) || row.binary == "oauth-token" {
            format!(
                "{:.2} {}",
                row.round_trips,
                verdict(row.round_trips <= trips_budget)
            )
        } else {
            format!("{:.2}", row.round_trips)
        };
        let cold = row
            .cold_start_ms
            .map(|c| format!("{c:.1} ms {}", verdict(c <= 50.0)))
            .unwrap_or("n/a".into());
        let cpu = match row.cpu_ms {
            Some(c) if is_management(&row.binary) => format!("{c:.3} ms {}", verdict(c <= 1.0)),
            Some(c) => format!("{c:.3} ms"),
            None => "n/a".into(),
        };
        let p50 = row
            .p50_ms
            .map(|v| format!("{v:.2} ms"))
            .unwrap_or("n/a".into());
        let p99 = row
            .p99_ms
            .map(|v| format!("{v:.2} ms"))
            .unwrap_or("n/a".into());
        let mut statuses = row.statuses.clone();
        statuses.sort_unstable();
        statuses.dedup();
        let statuses: Vec<String> = statuses.iter().map(u16::to_string).collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {} |\n",
            row.binary,
            size(row.host_size, false),
            size(row.arm64_size, true),
            cold,
            cpu,
            p50,
            p99,
            trips,
            row.capacity_units,
            statuses.join(", ")
        ));
    }
    let owasp = argon2.memory_kib >= 19 * 1024 && argon2.iterations >= 2 && argon2.parallelism >= 1;
    out.push_str(&format!(
        "\nargon2id m={} KiB, t={}, p={}: parameters at or above OWASP's minimum {}; verify {:.1} ms {} (≤ 50 ms)\n",
        argon2.memory_kib,
        argon2.iterations,
        argon2.parallelism,
        verdict(owasp),
        verify_ms,
        verdict(verify_ms <= 50.0)
    ));
    let token = rows.iter().find(|r| r.binary == "oauth-token");
    let warm = token.and_then(|r| r.p50_ms).unwrap_or(f64::NAN);
    let cold = token.and_then(|r| r.cold_start_ms).unwrap_or(f64::NAN);
    out.push_str("\nToken endpoint (RS256, remembered secret checks):\n\n");
    out.push_str(&format!(
        "- a returning client's warm token, p50 (the oauth-token row): {warm:.2} ms {} (≤ 3 ms)\n",
        verdict(warm <= 3.0)
    ));
    out.push_str(&format!(
        "- 16 concurrent clients, each first token paying argon2id: {:.0} tokens/s {} (≥ 300/s)\n",
        load.tokens_per_second,
        verdict(load.tokens_per_second >= 300.0)
    ));
    out.push_str(&format!(
        "- a new client's first token, p50 of 20: {:.1} ms {} (≤ 50 ms)\n",
        load.first_token_p50_ms,
        verdict(load.first_token_p50_ms <= 50.0)
    ));
    out.push_str(&format!(
        "- the token function's cold start, p50: {cold:.1} ms {} (≤ 50 ms)\n",
        verdict(cold <= 50.0)
    ));
    out
}
