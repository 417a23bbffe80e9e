#!/usr/bin/env bash
# Builds the deployment package offline: `sam build` with cargo-lambda, one arm64 `bootstrap`
# per function of template.yaml, in .aws-sam/build/<LogicalId>/bootstrap (what `sam deploy`
# uploads). No Docker: cargo-lambda cross-compiles with zig (PyPI's ziglang) as the C compiler
# and linker, which also builds aws-lc-sys's C for aarch64.
#
# Tools come from PyPI into the project's .venv (git-ignored): aws-sam-cli, cargo-lambda,
# ziglang; the aarch64 Rust standard library comes from rustup. The Rust build is cached in
# target/aarch64-unknown-linux-gnu/release (and target/lambda/<binary>/bootstrap), so a second
# run only re-links what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/python-tools.sh
TARGET=aarch64-unknown-linux-gnu
started=$(date +%s)

ensure_python_tools "aws-sam-cli==$SAM_VERSION" "cargo-lambda==$CARGO_LAMBDA_VERSION" \
  "ziglang==$ZIG_VERSION"

if ! rustup target list --installed | grep -qx "$TARGET"; then
  echo "adding the Rust target $TARGET"
  if ! rustup target add "$TARGET"; then
    echo "error: rustup could not add $TARGET (it downloads rust-std from the Rust dist server);" >&2
    echo "without it there is no standard library to cross-compile the arm64 functions with." >&2
    exit 1
  fi
fi

# cargo-lambda (found on PATH by SAM) runs zig as `python -m ziglang` from the venv.
export PATH="$PWD/$venv/bin:$PATH"
export SAM_CLI_TELEMETRY=0

# Every function binary of the template, built by one cargo invocation first: the crates they
# share compile once, in parallel. `sam build` then runs `cargo lambda build --release --arm64
# --bin <name>` per function (same flags, so cargo finds it fresh) and copies the bootstrap.
mapfile -t binaries < <(grep -oP '^\s+Binary:\s*\K[A-Za-z0-9_-]+' template.yaml)
echo "building ${#binaries[@]} functions for $TARGET (cargo lambda, zig)"
cargo lambda build --release --arm64 "${binaries[@]/#/--bin=}"

echo "sam build"
sam build --beta-features --template-file template.yaml --build-dir .aws-sam/build

echo
echo "bootstraps (arm64, in .aws-sam/build/<function>/bootstrap):"
# The budget of every function binary (issue 11: 10 MB, v1 and v2 in one binary).
max_bytes=$((10 * 1000 * 1000))
total=0
over=0
while read -r dir; do
  file="$dir/bootstrap"
  [ -f "$file" ] || continue
  size=$(stat -c %s "$file")
  total=$((total + size))
  printf '  %-34s %7s KiB\n' "$file" $((size / 1024))
  if [ "$size" -gt "$max_bytes" ]; then
    echo "error: $file is $size bytes, over the budget of $max_bytes" >&2
    over=1
  fi
done < <(find .aws-sam/build -mindepth 1 -maxdepth 1 -type d | sort)
[ "$over" -eq 0 ] || exit 1
count=$(find .aws-sam/build -mindepth 2 -maxdepth 2 -name bootstrap | wc -l)
printf '%d bootstraps, %d KiB in all; %s\n' "$count" $((total / 1024)) \
  "$(file -b "$(find .aws-sam/build -name bootstrap | head -n 1)" 2>/dev/null | cut -d, -f1-2 || true)"
if [ "$count" -ne "${#binaries[@]}" ]; then
  echo "error: ${#binaries[@]} functions in template.yaml but $count bootstraps" >&2
  exit 1
fi
echo "package built in $(( $(date +%s) - started ))s; deploy with: sam deploy --guided"
