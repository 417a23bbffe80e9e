//! Every write operation's lifecycle, and the races of the seed endpoints, over real HTTP while
//! DynamoDB fails at random (`RATES`, drawn from a seed by the `FaultProxy`): every answer is the
//! right one or a clean 503 (code 14, `STORE-Unavail`; the token endpoint's
//! `temporarily_unavailable`) that the client retries, never a 500. Then, with the faults off,
//! the table itself is read: every aggregate's history is 1..n with no gap and no duplicate and
//! ends at its item's sequence, every acknowledged change is in it, and no request was applied
//! more often than it was sent (lost answers resent by the SDK with their `ClientRequestToken`
//! are applied once).
//!
//! `FAULT_SEEDS` (e.g. `FAULT_SEEDS=6,7,8`) and `FAULT_LIFECYCLES` (lifecycles per seed, run at
//! once) override the defaults; `make soak` runs more of both.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::types::AttributeValue;
use futures::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};

use shared::store::keys::{self, Key};
use tests::fault_proxy::{FaultProxy, Injected, Rates};
use tests::{Answer, Api, ZITADEL_SCOPE};

/// Per thousand requests: 10 % throttled (half `ThrottlingException`, half
/// `ProvisionedThroughputExceededException`), 5 % server errors (half `InternalServerError`, half
/// a 502 or 504 without an error code), 0.3 % no answer before
/// the SDK's attempt timeout (half of them applied); of transactions also 7 % cancelled (half for
/// a `TransactionConflict`, half for a `ThrottlingError`) and 7 % applied with the answer lost.
/// A transaction meets a fault 29 % of the time, a read 15 %.
pub const RATES: Rates = Rates {
    throttling: 100,
    server_error: 50,
    cancelled: 70,
    lost_answer: 70,
    timeout: 3,
};

const DEFAULT_SEEDS: [u64; 5] = [1, 2, 3, 4, 5];
const DEFAULT_LIFECYCLES: usize = 2;
/// A client gives up after this many 503s in a row: far more than the faults at `RATES` give.
const CLIENT_ATTEMPTS: usize = 30;
const RACERS: usize = 4;

fn from_env<T: std::str::FromStr>(name: &str) -> Option<Vec<T>> {
    let text = std::env::var(name).ok()?;
    Some(
        text.split(',')
            .map(|s| {
                s.trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("{name}: {s:?} is not a number"))
            })
            .collect(),
    )
}

/// One client request (with its retries after 503s) that changes an aggregate.
struct Sent {
    aggregate: (&'static str, String),
    kind: &'static str,
    /// Requests sent: each may have been applied once.
    attempts: usize,
    /// The sequence of the acknowledged change; `None` when the answer said it was already done
    /// (an earlier attempt, answered 503, had landed).
    acked: Option<u64>,
}

struct Run {
    seed: u64,
    api: Api,
    proxy: FaultProxy,
    db: aws_sdk_dynamodb::Client,
    token: String,
    sent: Mutex<Vec<Sent>>,
    /// userNames that racing clients created at once.
    twins: Mutex<Vec<String>>,
    requests: AtomicUsize,
    unavailable: AtomicUsize,
}

/// A DynamoDB client of the test's own, straight to the DynamoDB behind the proxy (the same
/// credentials and region as the API's, which DynamoDB Local keeps apart).
fn dynamodb(endpoint: &str) -> aws_sdk_dynamodb::Client {
    let env = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new(env(
            "AWS_REGION",
            &env("AWS_DEFAULT_REGION", "us-east-1"),
        )))
        .credentials_provider(Credentials::new(
            env("AWS_ACCESS_KEY_ID", "local"),
            env("AWS_SECRET_ACCESS_KEY", "local"),
            None,
            None,
            "test",
        ))
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}

fn text(item: &HashMap<String, AttributeValue>, name: &str) -> String {
    item.get(name)
        .and_then(|v| v.as_s().ok())
        .cloned()
        .unwrap_or_default()
}

fn number(item: &HashMap<String, AttributeValue>, name: &str) -> u64 {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|n| n.parse().ok())
        .unwrap_or_default()
}

impl Run {
    fn table(&self) -> &str {
        &self.api.app().config.table_name
    }

    /// Sends a request as a client would: again after each 503, which must be a clean one.
    async fn send(
        &self,
        method: Method,
        path: &str,
        org: Option<&str>,
        body: Option<Value>,
    ) -> (Answer, usize) {
        for attempt in 1..=CLIENT_ATTEMPTS {
            let answer = self
                .api
                .call(method.clone(), path, &self.token, org, body.clone())
                .await;
            self.requests.fetch_add(1, Ordering::SeqCst);
            if answer.status == 503 {
                answer.assert_error(503, 14, "STORE-Unavail");
                self.unavailable.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(10 * attempt.min(5) as u64)).await;
                continue;
            }
            assert!(
                answer.status < 500,
                "seed {}: {method} {path}: {} {}",
                self.seed,
                answer.status,
                answer.body
            );
            return (answer, attempt);
        }
        panic!(
            "seed {}: {method} {path}: 503 {CLIENT_ATTEMPTS} times",
            self.seed
        );
    }

    fn record(
        &self,
        aggregate: (&'static str, &str),
        kind: &'static str,
        attempts: usize,
        acked: Option<u64>,
    ) {
        self.sent.lock().unwrap().push(Sent {
            aggregate: (aggregate.0, aggregate.1.to_string()),
            kind,
            attempts,
            acked,
        });
    }

    /// A change of an existing aggregate: 200, or after a 503 one of `done` (error ids that say
    /// an earlier attempt had landed). The answer when it was 200.
    #[allow(clippy::too_many_arguments)]
    async fn change(
        &self,
        method: Method,
        path: &str,
        org: &str,
        body: Value,
        aggregate: (&'static str, &str),
        kind: &'static str,
        done: &[&str],
    ) -> Option<Answer> {
        let (answer, attempts) = self.send(method, path, Some(org), Some(body)).await;
        if answer.status == 200 {
            self.record(aggregate, kind, attempts, Some(answer.sequence()));
            return Some(answer);
        }
        let id = answer.body["details"][0]["id"].as_str().unwrap_or_default();
        if !(attempts > 1 && done.contains(&id)) {
            let history = self.history(aggregate).await;
            panic!(
                "seed {}: {path}: {} {} after {attempts} attempts; history {history:?}",
                self.seed, answer.status, answer.body
            );
        }
        self.record(aggregate, kind, attempts, None);
        None
    }

    /// An aggregate's events as the table has them now (for a failure's message).
    async fn history(&self, aggregate: (&str, &str)) -> Vec<(String, String)> {
        let events = self
            .db
            .query()
            .table_name(self.table())
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(
                ":pk",
                AttributeValue::S(format!("EVENTS#{}#{}", aggregate.0, aggregate.1)),
            )
            .consistent_read(true)
            .send()
            .await
            .expect("a query of the events");
        events
            .items
            .unwrap_or_default()
            .iter()
            .map(|e| (text(e, "sk"), text(e, "type")))
            .collect()
    }

    /// A new aggregate: its id from a 200, or, when an earlier attempt (answered 503) had landed
    /// and the answer is 409, from the unique item it holds (`pk`, `sk`, attribute).
    #[allow(clippy::too_many_arguments)]
    async fn create(
        &self,
        path: &str,
        org: Option<&str>,
        body: Value,
        id_field: &str,
        aggregate: &'static str,
        kind: &'static str,
        unique: (Key, &str),
    ) -> String {
        let (answer, attempts) = self.send(Method::POST, path, org, Some(body)).await;
        if answer.status == 200 {
            let id = answer.body[id_field].as_str().expect(id_field).to_string();
            self.record((aggregate, &id), kind, attempts, Some(answer.sequence()));
            return id;
        }
        assert!(
            attempts > 1 && answer.status == 409,
            "seed {}: {path}: {} {} after {attempts} attempts",
            self.seed,
            answer.status,
            answer.body
        );
        let (key, attribute) = unique;
        let item = self
            .db
            .get_item()
            .table_name(self.table())
            .key("pk", AttributeValue::S(key.pk))
            .key("sk", AttributeValue::S(key.sk))
            .consistent_read(true)
            .send()
            .await
            .expect("a read of the unique item")
            .item
            .expect("the unique item of a create that landed");
        let id = text(&item, attribute);
        self.record((aggregate, &id), kind, attempts, None);
        id
    }

    /// A token for a machine user, retried while the token endpoint answers 503.
    async fn token(&self, client_id: &str, secret: &str) -> String {
        for _ in 0..CLIENT_ATTEMPTS {
            let answer = self
                .api
                .token_request(client_id, secret, ZITADEL_SCOPE)
                .await;
            self.requests.fetch_add(1, Ordering::SeqCst);
            if answer.status == 503 {
                assert_eq!(
                    answer.body["error"], "temporarily_unavailable",
                    "{}",
                    answer.body
                );
                self.unavailable.fetch_add(1, Ordering::SeqCst);
                continue;
            }
            return answer.assert_ok()["access_token"]
                .as_str()
                .expect("access_token")
                .to_string();
        }
        panic!(
            "seed {}: the token endpoint answered 503 {CLIENT_ATTEMPTS} times",
            self.seed
        );
    }

    /// Every write operation, in the order of a user's life, by one client in an org of its own.
    async fn lifecycle(&self, n: usize) {
        let name = format!("org-{}-{n}", self.seed);
        let org = &self
            .create(
                "/management/v1/orgs",
                None,
                json!({ "name": name }),
                "id",
                "org",
                "org.added",
                (keys::unique_org_name(&name), "orgId"),
            )
            .await;
        let org_ = Some(org.as_str());
        let user_name = format!("robot-{}-{n}", self.seed);
        let user = &self
            .create(
                "/management/v1/users/machine",
                org_,
                json!({ "userName": user_name, "name": "Robot" }),
                "userId",
                "user",
                "user.machine.added",
                (keys::unique_user_name(&user_name), "userId"),
            )
            .await;
        let user_path = format!("/management/v1/users/{user}");
        let secret_path = format!("{user_path}/secret");
        let secret = self
            .change(
                Method::PUT,
                &secret_path,
                org,
                json!({}),
                ("user", user),
                "user.machine.secret.set",
                &[],
            )
            .await
            .expect("a new secret is never refused");
        let secret = secret.body["clientSecret"].as_str().expect("clientSecret");
        let robot_token = self.token(&user_name, secret).await;
        assert!(!robot_token.is_empty());

        let member = json!({ "userId": user, "roles": ["ORG_USER_MANAGER"] });
        self.change(
            Method::POST,
            "/management/v1/orgs/me/members",
            org,
            member,
            ("org", org),
            "org.member.added",
            &["ORG-poWwe"],
        )
        .await;

        let project = &self
            .create(
                "/management/v1/projects",
                org_,
                json!({ "name": "App" }),
                "id",
                "project",
                "project.added",
                (keys::unique_project_name(org, "App"), "projectId"),
            )
            .await;
        for role in ["reader", "writer"] {
            let body = json!({ "roleKey": role, "displayName": role });
            let path = format!("/management/v1/projects/{project}/roles");
            self.change(
                Method::POST,
                &path,
                org,
                body,
                ("project", project),
                "project.role.added",
                &["V3-DKcYh"],
            )
            .await;
        }

        let grant = &self
            .create(
                &format!("{user_path}/grants"),
                org_,
                json!({ "projectId": project, "roleKeys": ["reader"] }),
                "userGrantId",
                "usergrant",
                "user.grant.added",
                (keys::grant_slot(user, project), "grantId"),
            )
            .await;
        let grant_path = format!("{user_path}/grants/{grant}");
        let deactivate = format!("{grant_path}/_deactivate");
        let reactivate = format!("{grant_path}/_reactivate");
        let on_grant = ("usergrant", grant.as_str());
        self.change(
            Method::POST,
            &deactivate,
            org,
            json!({}),
            on_grant,
            "user.grant.deactivated",
            &["COMMAND-1S9gx"],
        )
        .await;
        self.change(
            Method::POST,
            &reactivate,
            org,
            json!({}),
            on_grant,
            "user.grant.reactivated",
            &["COMMAND-1ML0v"],
        )
        .await;
        // UpdateUserGrant: an earlier attempt that landed leaves the keys unchanged.
        self.change(
            Method::PUT,
            &grant_path,
            org,
            json!({ "roleKeys": ["reader", "writer"] }),
            on_grant,
            "user.grant.changed",
            &["COMMAND-Rs8fy"],
        )
        .await;

        // The races: new secrets all land, one after the other; of the deactivations, at most
        // one is acknowledged (none only if the winner's answer was a 503) and one lands.
        let secrets = join_all((0..RACERS).map(|_| {
            self.change(
                Method::PUT,
                &secret_path,
                org,
                json!({}),
                ("user", user),
                "user.machine.secret.set",
                &[],
            )
        }))
        .await;
        let mut sequences: Vec<u64> = secrets.iter().flatten().map(Answer::sequence).collect();
        sequences.sort();
        sequences.dedup();
        assert_eq!(
            sequences.len(),
            RACERS,
            "seed {}: distinct sequences",
            self.seed
        );
        join_all((0..RACERS).map(|_| async {
            let (answer, attempts) = self
                .send(Method::POST, &deactivate, org_, Some(json!({})))
                .await;
            if answer.status == 200 {
                self.record(
                    on_grant,
                    "user.grant.deactivated",
                    attempts,
                    Some(answer.sequence()),
                );
            } else {
                answer.assert_error(400, 9, "COMMAND-1S9gx");
                self.record(on_grant, "user.grant.deactivated", attempts, None);
            }
        }))
        .await;

        // Racing creations of one userName: at most one is acknowledged, the others are told
        // it is taken, and exactly one such user exists (checked with the histories).
        let twin = format!("twin-{}-{n}", self.seed);
        let body = json!({ "userName": twin, "name": "Twin" });
        let answers = join_all((0..RACERS).map(|_| {
            self.send(
                Method::POST,
                "/management/v1/users/machine",
                org_,
                Some(body.clone()),
            )
        }))
        .await;
        let mut acknowledged = 0;
        for (answer, attempts) in &answers {
            if answer.status == 200 {
                acknowledged += 1;
                let id = answer.body["userId"].as_str().expect("userId");
                self.record(
                    ("user", id),
                    "user.machine.added",
                    *attempts,
                    Some(answer.sequence()),
                );
            } else {
                assert_eq!(answer.status, 409, "seed {}: {}", self.seed, answer.body);
                assert_eq!(
                    answer.body["code"], 6,
                    "seed {}: {}",
                    self.seed, answer.body
                );
            }
        }
        assert!(
            acknowledged <= 1,
            "seed {}: {twin} created {acknowledged} times",
            self.seed
        );
        self.twins.lock().unwrap().push(twin);

        self.change(
            Method::DELETE,
            &secret_path,
            org,
            json!({}),
            ("user", user),
            "user.machine.secret.removed",
            &["COMMAND-coi82n"],
        )
        .await;
        self.change(
            Method::DELETE,
            &grant_path,
            org,
            json!({}),
            on_grant,
            "user.grant.removed",
            &["COMMAND-1My0t"],
        )
        .await;
        self.change(
            Method::DELETE,
            &user_path,
            org,
            json!({}),
            ("user", user),
            "user.removed",
            &["COMMAND-m9od"],
        )
        .await;
    }

    /// The histories in the table: exact, and holding what was acknowledged, each change once.
    async fn check_histories(&self) {
        let histories = exact_histories(&self.db, self.table(), self.seed).await;
        let users = items(&self.db, self.table()).await;
        for twin in self.twins.lock().unwrap().iter() {
            let count = users
                .iter()
                .filter(|i| text(i, "sk") == "USER" && text(i, "userName") == *twin)
                .count();
            assert_eq!(count, 1, "seed {}: users named {twin}", self.seed);
        }
        let sent = self.sent.lock().unwrap();
        let mut bounds: HashMap<(&str, &str, &str), (usize, usize)> = HashMap::new();
        for s in sent.iter() {
            let key = (s.aggregate.0, s.aggregate.1.as_str(), s.kind);
            let history = &histories[&(key.0.to_string(), key.1.to_string())];
            if let Some(sequence) = s.acked {
                let event = history.get(sequence as usize - 1);
                assert_eq!(
                    event.map(|(_, kind)| kind.as_str()),
                    Some(s.kind),
                    "seed {}: the acknowledged change {key:?} at {sequence}",
                    self.seed
                );
            }
            let bound = bounds.entry(key).or_default();
            bound.0 += usize::from(s.acked.is_some());
            bound.1 += s.attempts;
        }
        for ((kind, id, event), (acked, sent)) in bounds {
            let history = &histories[&(kind.to_string(), id.to_string())];
            let applied = history.iter().filter(|(_, k)| k == event).count();
            assert!(
                (acked..=sent).contains(&applied),
                "seed {}: {event} on {kind} {id}: applied {applied} times, acknowledged {acked}, sent {sent}",
                self.seed
            );
        }
        // Exactly once, however often it was sent: these can only happen once per lifecycle.
        for (aggregate, history) in &histories {
            if aggregate.0 == "usergrant" && history.iter().any(|(_, k)| k == "user.grant.removed")
            {
                let kinds: Vec<&str> = history.iter().map(|(_, k)| k.as_str()).collect();
                assert_eq!(
                    kinds,
                    [
                        "user.grant.added",
                        "user.grant.deactivated",
                        "user.grant.reactivated",
                        "user.grant.changed",
                        "user.grant.deactivated",
                        "user.grant.removed"
                    ],
                    "seed {}: {aggregate:?}",
                    self.seed
                );
            }
        }
    }
}

/// Every item of `table`, read straight from the DynamoDB behind the proxy.
async fn items(db: &aws_sdk_dynamodb::Client, table: &str) -> Vec<HashMap<String, AttributeValue>> {
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let page = db
            .scan()
            .table_name(table)
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await
            .expect("a scan of the table");
        items.extend(page.items.unwrap_or_default());
        start = page.last_evaluated_key;
        if start.is_none() {
            return items;
        }
    }
}

/// Every aggregate's history in `table`, by (type, id): each is 1..n with no gap and no
/// duplicate, and the aggregate's item (where it still is) is at n.
async fn exact_histories(
    db: &aws_sdk_dynamodb::Client,
    table: &str,
    seed: u64,
) -> BTreeMap<(String, String), Vec<(u64, String)>> {
    let items = items(db, table).await;
    let mut histories: BTreeMap<(String, String), Vec<(u64, String)>> = BTreeMap::new();
    let mut roots: HashMap<(String, String), u64> = HashMap::new();
    for item in &items {
        let (pk, sk) = (text(item, "pk"), text(item, "sk"));
        if let Some(rest) = pk.strip_prefix("EVENTS#") {
            let (kind, id) = rest.split_once('#').expect("EVENTS#{type}#{id}");
            let sequence: u64 = sk.parse().expect("a sequence");
            assert_eq!(number(item, "seq"), sequence, "{pk} {sk}");
            histories
                .entry((kind.into(), id.into()))
                .or_default()
                .push((sequence, text(item, "type")));
            continue;
        }
        let aggregate = match (pk.split_once('#'), sk.as_str()) {
            (Some(("ORG", id)), "ORG") => ("org", id),
            (Some(("USER", id)), "USER") => ("user", id),
            (Some(("PROJECT", id)), "PROJECT") => ("project", id),
            (Some(("USER", _)), sk) if sk.starts_with("GRANT#") => ("usergrant", &sk[6..]),
            _ => continue,
        };
        roots.insert(
            (aggregate.0.into(), aggregate.1.into()),
            number(item, "seq"),
        );
    }
    for (aggregate, history) in &mut histories {
        history.sort();
        let sequences: Vec<u64> = history.iter().map(|(s, _)| *s).collect();
        let n = sequences.len() as u64;
        assert_eq!(
            sequences,
            (1..=n).collect::<Vec<_>>(),
            "seed {}: {aggregate:?} has a gap or a duplicate",
            seed
        );
        if let Some(sequence) = roots.get(aggregate) {
            assert_eq!(*sequence, n, "seed {}: {aggregate:?}'s item", seed);
        }
    }
    histories
}

/// One seed: `lifecycles` clients at once, then the checks. What the proxy injected.
async fn under_faults(seed: u64, lifecycles: usize) -> Injected {
    let started = Instant::now();
    let (api, proxy) = Api::start_behind_fault_proxy().await;
    let token = api.admin_token().await;
    let db = dynamodb(&proxy.upstream);
    let run = Run {
        seed,
        api,
        proxy,
        db,
        token,
        sent: Mutex::default(),
        twins: Mutex::default(),
        requests: AtomicUsize::new(0),
        unavailable: AtomicUsize::new(0),
    };
    run.proxy.heal();
    run.proxy.fail_at_rates(RATES, seed);
    join_all((0..lifecycles).map(|n| run.lifecycle(n))).await;
    let injected = run.proxy.injected();
    run.proxy.heal();
    run.check_histories().await;
    eprintln!(
        "under faults, seed {seed}: {} requests, {} answered 503 and sent again, injected {injected:?}, {:.1} s",
        run.requests.load(Ordering::SeqCst),
        run.unavailable.load(Ordering::SeqCst),
        started.elapsed().as_secs_f64()
    );
    injected
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_and_race_under_random_faults_five_seeds() {
    let seeds = from_env("FAULT_SEEDS").unwrap_or(DEFAULT_SEEDS.to_vec());
    let lifecycles = from_env("FAULT_LIFECYCLES")
        .and_then(|n: Vec<usize>| n.first().copied())
        .unwrap_or(DEFAULT_LIFECYCLES);
    let runs = join_all(seeds.iter().map(|seed| under_faults(*seed, lifecycles))).await;
    let lost: usize = runs.iter().map(|i| i.lost_answer).sum();
    let resent: usize = runs.iter().map(|i| i.resent_tokens).sum();
    assert!(lost > 0, "no answer was lost: {runs:?}");
    assert!(
        resent > 0,
        "no lost answer was sent again with its ClientRequestToken: {runs:?}"
    );
    let kinds: [fn(&Injected) -> usize; 3] = [
        |i: &Injected| i.throttling,
        |i: &Injected| i.server_error,
        |i: &Injected| i.cancelled,
    ];
    for kind in kinds {
        assert!(runs.iter().map(kind).sum::<usize>() > 0, "{runs:?}");
    }
}

/// The first admin (one transaction at a start) on fresh tables while DynamoDB fails at
/// `RATES`: each start that fails answers `UNAVAILABLE` and the next start tries again, as a
/// restarted process would; the instance is set up exactly once, and later starts find it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_admin_is_set_up_once_under_random_faults() {
    use shared::domain::instance::set_up_first_admin;
    use shared::error::Code;

    let (api, proxy) = Api::start_behind_fault_proxy().await;
    let argon2 = api.app().config.argon2;
    let db = dynamodb(&proxy.upstream);
    let seeds = from_env("FAULT_SEEDS").unwrap_or(DEFAULT_SEEDS.to_vec());
    for seed in seeds {
        proxy.heal();
        let table = format!("first-admin-{}", uuid::Uuid::new_v4().simple());
        let store = shared::store::Store::connect(&table, Some(&proxy.url)).await;
        store.ensure_table().await.expect("the table");
        proxy.fail_at_rates(RATES, seed);
        let (mut created, mut found, mut starts) = (0, 0, 0);
        while found < 2 {
            starts += 1;
            assert!(starts <= CLIENT_ATTEMPTS, "seed {seed}: {starts} starts");
            match set_up_first_admin(&store, "ZITADEL", "zitadel-admin", "localhost", argon2).await
            {
                Ok(Some(_)) => created += 1,
                Ok(None) => found += 1,
                Err(error) => assert_eq!(error.code, Code::Unavailable, "seed {seed}: {error:?}"),
            }
        }
        eprintln!(
            "first admin under faults, seed {seed}: {starts} starts, injected {:?}",
            proxy.injected()
        );
        proxy.heal();
        assert!(created <= 1, "seed {seed}: set up {created} times");
        let histories = exact_histories(&db, &table, seed).await;
        let count = |kind: &str| {
            histories
                .values()
                .flatten()
                .filter(|(_, k)| k == kind)
                .count()
        };
        assert_eq!(count("user.machine.added"), 1, "seed {seed}: {histories:?}");
        assert_eq!(count("org.added"), 1, "seed {seed}: {histories:?}");
    }
}
