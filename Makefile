# The commands. `make run` serves the API locally; `make test` runs every test.
SHELL := /bin/bash
PORT ?= 8080
LOCAL_DATA_DIR ?= .local
export PORT LOCAL_DATA_DIR

.PHONY: run build test test-tools test-dynoxide test-ddblocal test-lambda-runtime lint fmt ci \
	package lint-template bench fuzz soak

## Build once, serve every function on http://127.0.0.1:$(PORT) on the embedded DynamoDB.
run:
	cargo run -p local --bin local

# The function binaries are thin doors with no tests of their own (the e2e suite and the event
# fixtures run their handlers): build them, but give them no empty test harnesses to link.
build:
	cargo build --workspace --all-targets --exclude functions
	cargo build -p functions --bins

## Every test: unit tests, then the end-to-end suite on dynoxide and on DynamoDB Local, then
## the event fixtures through each function binary under cargo-lambda's emulator.
test: test-dynoxide test-ddblocal test-lambda-runtime

## The Python packages the tests drive (PyJWT, ZITADEL's Python SDK), pinned, into .venv.
test-tools:
	scripts/test-tools.sh

test-dynoxide: build test-tools
	cargo test --workspace --exclude functions

## The end-to-end suite against AWS's DynamoDB Local (installs Java 17 and the jar if missing).
test-ddblocal: build test-tools
	scripts/dynamodb-local.sh cargo test -p tests

## The event fixtures through the debug function binaries under `cargo lambda watch`, sent with
## `cargo lambda invoke --data-file` (installs cargo-lambda into .venv if missing).
test-lambda-runtime: build
	scripts/lambda-runtime.sh

## The property tests with many more cases (PROPTEST_CASES each; make test runs thousands).
PROPTEST_CASES ?= 50000
fuzz:
	PROPTEST_CASES=$(PROPTEST_CASES) cargo test -p tests --test e2e properties -- --nocapture

## Long runs, not part of make test: the fault scenarios with more seeds and clients, then a
## bounded mixed workload (16 clients, 50,000 requests) against `make run`'s server (release),
## reporting errors, p50/p99 and the server's memory (bin/soak.rs in bench/).
SOAK_SEEDS ?= 11,12,13,14,15,16,17,18,19,20
soak:
	FAULT_SEEDS=$(SOAK_SEEDS) FAULT_LIFECYCLES=4 cargo test -p tests --test e2e under_faults -- --nocapture
	cargo build --release -p local -p bench --bins
	$${CARGO_TARGET_DIR:-target}/release/soak

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

fmt:
	cargo fmt --all

ci: test lint

## The deployment package, offline: sam build with cargo-lambda, one arm64 bootstrap per function
## in .aws-sam/build/ (installs aws-sam-cli, cargo-lambda and ziglang into .venv if missing).
package:
	scripts/package.sh

## sam validate --lint and cfn-lint on template.yaml (installs both into .venv if missing).
lint-template:
	scripts/lint-template.sh

## Benchmarks: release binaries, then the figures and budgets (docs/performance.md); the
## table is also written to target/bench/report.md. Arm64 sizes come from `make package`'s
## target/lambda/ when it ran before.
bench:
	cargo build --release --workspace --bins
	$${CARGO_TARGET_DIR:-target}/release/bench
