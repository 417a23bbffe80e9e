#!/usr/bin/env bash
# Lints template.yaml: SAM's own validation with its cfn-lint pass, then cfn-lint on its own.
# Both come from PyPI into the project's .venv (git-ignored) the first time. Offline: neither
# needs AWS credentials or the network once installed.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/python-tools.sh
ensure_python_tools "aws-sam-cli==$SAM_VERSION" "cfn-lint==$CFN_LINT_VERSION"

export SAM_CLI_TELEMETRY=0
echo "sam validate --lint"
AWS_DEFAULT_REGION=us-east-1 "$venv/bin/sam" validate --lint --template-file template.yaml
echo "cfn-lint template.yaml"
"$venv/bin/cfn-lint" template.yaml
echo "template.yaml: both linters pass"
