#!/usr/bin/env bash
# The event fixtures (tests/events/) once more, each through its function binary as its own
# process under cargo-lambda's Lambda emulator: `cargo lambda watch` serves the Lambda Runtime
# API and starts each binary on its first invocation (the debug build `make build` made, so it
# only checks that it is fresh), and `cargo lambda invoke <binary> --data-file <event>` sends
# the fixture, placeholders filled; the answers are checked against the same expectations as
# the in-process run (tests/tests/events.rs). cargo-lambda comes from PyPI into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/python-tools.sh
ensure_python_tools "cargo-lambda==$CARGO_LAMBDA_VERSION"
export PATH="$PWD/$venv/bin:$PATH"

exec cargo test -p tests --test events -- --ignored --exact \
  every_fixture_answers_as_expected_under_cargo_lambda --nocapture
