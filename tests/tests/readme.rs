//! README.md's snippets, read from the file at test time and run as written against a fresh
//! local API started the way `make run` starts it (`local::start` with a data directory of its
//! own, so `.local/admin.json` is where the snippets read it). The shell snippets run under
//! `bash -euo pipefail` and every curl answer is checked against the comment on its line; then
//! the Python SDK snippet runs with .venv's python. So the front door cannot drift from the code.
//!
//! What runs: every `sh` and `python` block from the one that starts with `make run &` to the
//! end of the file. Two changes only: that `make run &` line is skipped (the test is the
//! server), and the snippets' `http://127.0.0.1:8080` becomes the test server's URL.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use shared::config::Config;

/// The server the snippets name; each run points them at its own.
const README_URL: &str = "http://127.0.0.1:8080";
/// How the walkthrough's block begins: the line a reader runs and the test skips.
const MAKE_RUN: &str = "make run &";
/// Longer than any snippet takes on a loaded machine, short enough to end a hung run.
const RUN_LIMIT: Duration = Duration::from_secs(180);

/// A fenced code block: its language and its lines, with the README line number of the first.
struct Block {
    language: String,
    first_line: usize,
    lines: Vec<String>,
}

fn blocks(readme: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (index, line) in readme.lines().enumerate() {
        let number = index + 1;
        match (open.take(), line.strip_prefix("```")) {
            (None, Some(language)) => {
                open = Some(Block {
                    language: language.trim().to_string(),
                    first_line: number + 1,
                    lines: Vec::new(),
                })
            }
            (Some(block), Some(_)) => blocks.push(block),
            (Some(mut block), None) => {
                block.lines.push(line.to_string());
                open = Some(block);
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "README.md ends inside a code block");
    blocks
}

/// The blocks that run: `sh` and `python`, from the walkthrough's `make run &` on.
fn runnable(readme: &str) -> Vec<Block> {
    let all = blocks(readme);
    let start = all
        .iter()
        .position(|b| {
            b.language == "sh" && b.lines.first().is_some_and(|l| l.starts_with(MAKE_RUN))
        })
        .unwrap_or_else(|| panic!("README.md has no sh block starting with {MAKE_RUN:?}"));
    all.into_iter()
        .skip(start)
        .filter(|b| b.language == "sh" || b.language == "python")
        .collect()
}

/// A line's trailing comment: what follows the first ` # `, if any.
fn comment(line: &str) -> Option<&str> {
    let at = line.find(" # ")?;
    Some(line[at + 3..].trim())
}

/// One shell command as bash reads it (backslash continuations joined): its README lines and the
/// comment on its last line, which says what it answers.
struct ShellCommand {
    lines: std::ops::RangeInclusive<usize>,
    text: String,
    comment: Option<String>,
}

fn shell_commands(block: &Block) -> Vec<ShellCommand> {
    let mut commands = Vec::new();
    let mut start: Option<usize> = None;
    let mut text = String::new();
    for (offset, line) in block.lines.iter().enumerate() {
        let number = block.first_line + offset;
        if start.is_none() && (line.trim().is_empty() || line.trim_start().starts_with('#')) {
            continue;
        }
        let start_line = *start.get_or_insert(number);
        text.push_str(line);
        text.push('\n');
        if !line.trim_end().ends_with('\\') {
            commands.push(ShellCommand {
                lines: start_line..=number,
                text: std::mem::take(&mut text),
                comment: comment(line).map(str::to_string),
            });
            start = None;
        }
    }
    commands
}

/// The bash script: the README's shell lines at their own line numbers (everything else blank),
/// so that bash's line numbers, in its errors and in the calls it logs, are the README's.
fn shell_script(readme: &str, shell: &[&Block], url: &str) -> String {
    let mut lines = vec![String::new(); readme.lines().count()];
    for block in shell {
        for (offset, line) in block.lines.iter().enumerate() {
            let number = block.first_line + offset;
            lines[number - 1] = if line.starts_with(MAKE_RUN) {
                String::new()
            } else {
                line.replace(README_URL, url)
            };
        }
    }
    lines.join("\n") + "\n"
}

/// Sourced by bash before the script (`BASH_ENV`): curl as the snippets call it, which also logs
/// each call's README line, status and body into `$README_CALLS`, and prints the body as curl
/// would.
const CURL_LOG: &str = r#"
curl() {
  local n
  n=$(( $(cat "$README_CALLS/count") + 1 ))
  echo "$n" > "$README_CALLS/count"
  echo "${BASH_LINENO[0]}" > "$README_CALLS/$n.line"
  command curl --max-time 30 -o "$README_CALLS/$n.body" -w '%{http_code}' "$@" \
    > "$README_CALLS/$n.status" || return
  cat "$README_CALLS/$n.body"
}
"#;

/// One logged curl call.
struct Call {
    line: usize,
    status: u16,
    body: String,
}

fn logged_calls(dir: &Path) -> Vec<Call> {
    let read = |name: String| {
        std::fs::read_to_string(dir.join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let count: usize = read("count".into()).trim().parse().expect("a call count");
    (1..=count)
        .map(|n| Call {
            line: read(format!("{n}.line"))
                .trim()
                .parse()
                .expect("a line number"),
            status: read(format!("{n}.status"))
                .trim()
                .parse()
                .expect("a status"),
            body: read(format!("{n}.body")),
        })
        .collect()
}

/// What a comment promises. `# RpcName` (or any prose): 200 and a JSON object that is not an
/// error body. `# {"key":value,...}` (optionally after a status, `# 404 {...}`): that status
/// (200 if none) and a JSON object that has the keys shown, each with the value shown where one
/// is; `…` or `...` stands for any value or for more keys. Without an ellipsis the answer must
/// be exactly that object.
fn check_answer(comment: Option<&str>, call: &Call) -> Result<(), String> {
    let comment = comment.unwrap_or("");
    let (status, rest) = match comment.split_once(' ') {
        Some((code, rest)) if code.len() == 3 && code.parse::<u16>().is_ok() => {
            (code.parse().unwrap(), rest.trim_start())
        }
        _ => (200, comment),
    };
    if call.status != status {
        return Err(format!(
            "status {} where {status} was promised",
            call.status
        ));
    }
    let body: Value =
        serde_json::from_str(&call.body).map_err(|e| format!("the answer is not JSON: {e}"))?;
    let Some(object) = body.as_object() else {
        return Err("the answer is not a JSON object".into());
    };
    if !rest.starts_with('{') {
        if status < 300 && object.contains_key("code") {
            return Err("an error body where success was promised".into());
        }
        return Ok(());
    }
    let pattern = balanced(rest).ok_or("the comment's {…} is not closed")?;
    if !pattern.contains('…') && !pattern.contains("...") {
        let expected: Value =
            serde_json::from_str(pattern).map_err(|e| format!("the comment's JSON: {e}"))?;
        return match body == expected {
            true => Ok(()),
            false => Err(format!("not exactly {pattern}")),
        };
    }
    for (key, value) in members(pattern) {
        let Some(found) = object.get(&key) else {
            return Err(format!("no {key:?}"));
        };
        if value.contains('…') || value.contains("...") {
            continue;
        }
        let expected: Value = serde_json::from_str(&value)
            .map_err(|e| format!("the comment's value of {key:?}, {value}: {e}"))?;
        if *found != expected {
            return Err(format!("{key:?} is {found}, not {expected}"));
        }
    }
    Ok(())
}

/// The text from an opening `{` to its closing `}`.
fn balanced(text: &str) -> Option<&str> {
    let mut depth = 0;
    let mut in_string = false;
    for (at, c) in text.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '{' | '[' if !in_string => depth += 1,
            '}' | ']' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return Some(&text[..=at]);
                }
            }
            _ => {}
        }
    }
    None
}

/// The top-level `"key": value` members of a `{…}` pattern, values as written; bare ellipses
/// (more keys) are skipped.
fn members(pattern: &str) -> Vec<(String, String)> {
    let inner = &pattern[1..pattern.len() - 1];
    let mut parts = Vec::new();
    let (mut depth, mut in_string, mut from) = (0, false, 0);
    for (at, c) in inner.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '{' | '[' if !in_string => depth += 1,
            '}' | ']' if !in_string => depth -= 1,
            ',' if !in_string && depth == 0 => {
                parts.push(&inner[from..at]);
                from = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[from..]);
    parts
        .into_iter()
        .filter_map(|part| {
            let (key, value) = part.split_once(':')?;
            let key = key.trim().strip_prefix('"')?.strip_suffix('"')?;
            Some((key.to_string(), value.trim().to_string()))
        })
        .collect()
}

/// A directory of its own under the system's temporary one, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let path = std::env::temp_dir().join(format!("readme-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).expect("a temporary directory");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs a command to its end (at most `RUN_LIMIT`): its status, stdout and stderr.
async fn run(mut command: Command) -> (bool, String, String) {
    tokio::task::spawn_blocking(move || {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{command:?}: {e}"));
        // Drained on threads of their own, so a full pipe never stalls the child.
        let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
            std::thread::spawn(move || {
                let mut text = String::new();
                let _ = pipe.read_to_string(&mut text);
                text
            })
        };
        let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
        let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("the run's status") {
                break status;
            }
            if started.elapsed() > RUN_LIMIT {
                let _ = child.kill();
                panic!("{command:?} ran over {RUN_LIMIT:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let stdout = stdout.join().expect("stdout");
        let stderr = stderr.join().expect("stderr");
        (status.success(), stdout, stderr)
    })
    .await
    .expect("the run")
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_path_buf()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_snippets_run_as_written_and_answer_what_their_comments_say() {
    for tool in ["bash", "curl", "jq"] {
        let found = Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            found,
            "the README's snippets need {tool} (Debian: apt-get install {tool})"
        );
    }
    let readme = std::fs::read_to_string(workspace().join("README.md")).expect("README.md");
    let snippets = runnable(&readme);
    let shell: Vec<&Block> = snippets.iter().filter(|b| b.language == "sh").collect();
    let python: Vec<&Block> = snippets.iter().filter(|b| b.language == "python").collect();
    assert!(
        !python.is_empty(),
        "README.md has no python snippet after the walkthrough"
    );
    for block in snippets.iter() {
        assert!(
            block.lines.iter().any(|l| l.contains(README_URL))
                || block.lines.iter().all(|l| !l.contains("http://")),
            "a snippet names a server other than {README_URL}"
        );
    }

    // `make run`, in a working directory of its own whose `.local` is the data directory.
    let work = TempDir::new();
    let mut config = Config::from_env().expect("the configuration");
    // A table of its own also where DYNAMODB_ENDPOINT names a shared DynamoDB.
    config.table_name = format!("readme-{}", uuid::Uuid::new_v4().simple());
    let running = local::start(config, 0, Some(&work.0.join(".local")))
        .await
        .expect("the local API starts");
    let admin = running
        .admin
        .clone()
        .expect("a fresh start makes the first admin");
    assert!(work.0.join(".local/admin.json").exists());

    // The shell snippets, every curl logged.
    let calls_dir = work.0.join("calls");
    std::fs::create_dir(&calls_dir).expect("the calls directory");
    std::fs::write(calls_dir.join("count"), "0").expect("the call count");
    std::fs::write(work.0.join("curl-log.sh"), CURL_LOG).expect("the curl log");
    std::fs::write(
        work.0.join("readme.sh"),
        shell_script(&readme, &shell, &running.url),
    )
    .expect("the script");
    let mut bash = Command::new("bash");
    bash.args(["-euo", "pipefail", "readme.sh"])
        .current_dir(&work.0)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &work.0)
        .env("BASH_ENV", work.0.join("curl-log.sh"))
        .env("README_CALLS", &calls_dir);
    let (ok, stdout, stderr) = run(bash).await;
    let calls = logged_calls(&calls_dir);
    let log: String = calls
        .iter()
        .map(|c| format!("README.md:{}: {} {}\n", c.line, c.status, c.body))
        .collect();
    assert!(
        ok,
        "the README's shell snippets failed (line numbers are README.md's):\n{stderr}\n{stdout}\ncalls:\n{log}"
    );

    let commands: Vec<ShellCommand> = shell.iter().flat_map(|b| shell_commands(b)).collect();
    let mut answered = vec![false; commands.len()];
    for call in &calls {
        let (index, command) = commands
            .iter()
            .enumerate()
            .find(|(_, c)| c.lines.contains(&call.line))
            .unwrap_or_else(|| panic!("a curl at README.md:{} that is no command", call.line));
        answered[index] = true;
        if let Err(wrong) = check_answer(command.comment.as_deref(), call) {
            panic!(
                "README.md:{}: {wrong}\ncommand: {}comment: {:?}\nanswer: {}",
                call.line, command.text, command.comment, call.body
            );
        }
    }
    for (command, answered) in commands.iter().zip(answered) {
        if command.text.contains("curl ") {
            assert!(answered, "never called:\n{}", command.text);
        }
    }
    assert!(
        commands.iter().filter(|c| c.text.contains("curl ")).count() >= 20,
        "the walkthrough shrank: fewer than 20 calls"
    );

    // The Python snippet, with the admin pair as ID and SECRET, where the SDK is installed.
    let python_bin = std::env::var("TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace().join(".venv/bin/python"));
    let has_sdk = python_bin.exists()
        && Command::new(&python_bin)
            .args(["-c", "import zitadel_client"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if !has_sdk {
        eprintln!(
            "SKIPPED the README's Python snippet: {} has no zitadel-client \
             (`make test-tools` installs it)",
            python_bin.display()
        );
    } else {
        let mut script =
            String::from("import json, os\nID = os.environ['ID']\nSECRET = os.environ['SECRET']\n");
        for block in &python {
            for line in &block.lines {
                script.push_str(&line.replace(README_URL, &running.url));
                script.push('\n');
            }
        }
        script.push_str("print(json.dumps({'org': org, 'user': user, 'secret': secret}))\n");
        std::fs::write(work.0.join("readme.py"), script).expect("the Python script");
        let mut python_run = Command::new(&python_bin);
        python_run
            .arg("readme.py")
            .current_dir(&work.0)
            // The secret in the environment, not on a command line that `ps` shows.
            .env("ID", &admin.client_id)
            .env("SECRET", &admin.client_secret);
        let (ok, stdout, stderr) = run(python_run).await;
        assert!(
            ok,
            "the README's Python snippet failed:\n{stdout}\n{stderr}"
        );
        let made: Value = serde_json::from_str(stdout.lines().last().unwrap_or(""))
            .unwrap_or_else(|e| panic!("the snippet's names: {e}\n{stdout}"));
        for name in ["org", "user", "secret"] {
            assert!(
                made[name].as_str().is_some_and(|v| !v.is_empty()),
                "the snippet made no {name}: {made}"
            );
        }
        // Its comment: log in as "bot" with the secret.
        let answer = reqwest::Client::new()
            .post(format!("{}/oauth/v2/token", running.url))
            .basic_auth("bot", made["secret"].as_str())
            .form(&[("grant_type", "client_credentials"), ("scope", "openid")])
            .send()
            .await
            .expect("the token endpoint answers");
        assert_eq!(
            answer.status(),
            200,
            "bot's login: {:?}",
            answer.text().await
        );
        let token: Value = answer.json().await.expect("a JSON answer");
        assert!(token["access_token"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
    }

    running.stop().await;
}

#[test]
fn an_answer_is_checked_against_its_comment() {
    let call = |status, body: &str| Call {
        line: 1,
        status,
        body: body.to_string(),
    };
    let active = call(200, r#"{"active":true,"client_id":"robot","exp":1}"#);
    assert!(check_answer(Some(r#"{"active":true,"client_id":"robot",...}"#), &active).is_ok());
    assert!(check_answer(Some(r#"{"active":true,"client_id":"bot",...}"#), &active).is_err());
    assert!(check_answer(Some(r#"{"active":false}"#), &active).is_err());
    assert!(check_answer(
        Some(r#"{"active":false}: gone"#),
        &call(200, r#"{"active":false}"#)
    )
    .is_ok());
    assert!(check_answer(Some(r#"{"keys":[…]}: JWKS"#), &call(200, r#"{"keys":[]}"#)).is_ok());
    assert!(check_answer(
        Some(r#"{"creationDate":…,"clientSecret":…}"#),
        &call(200, r#"{"creationDate":"x"}"#)
    )
    .is_err());
    let error = call(404, r#"{"code":5,"message":"Not Found"}"#);
    assert!(check_answer(Some("GetUserByID"), &error).is_err());
    assert!(check_answer(Some("GetUserByID"), &call(200, r#"{"code":5}"#)).is_err());
    assert!(check_answer(Some(r#"404 {"code":5,...}"#), &error).is_ok());
    assert!(check_answer(None, &call(200, "not json")).is_err());
}

#[test]
fn a_commands_comment_is_on_its_last_line() {
    let block = Block {
        language: "sh".into(),
        first_line: 10,
        lines: vec![
            "# prose".into(),
            "A=$(curl -s \\".into(),
            "  $API/x | jq -r .id)   # AddThing".into(),
            "curl -s $API/y # {\"active\":true,...}".into(),
        ],
    };
    let commands = shell_commands(&block);
    assert_eq!(commands.len(), 2);
    assert_eq!(commands[0].lines, 11..=12);
    assert_eq!(commands[0].comment.as_deref(), Some("AddThing"));
    assert_eq!(commands[1].lines, 13..=13);
    assert_eq!(
        commands[1].comment.as_deref(),
        Some("{\"active\":true,...}")
    );
}
