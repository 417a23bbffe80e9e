#!/usr/bin/env bash
# Lints template.yaml: SAM's own validation with its cfn-lint pass, then cfn-lint on its own.
# Both come from PyPI into the project's .venv (git-ignored) the first time. Offline: neither
# needs AWS credentials or the network once installed.
set -euo pipefail
cd "$(dirname "$0")/.."

SAM_VERSION=1.170.0
CFN_LINT_VERSION=1.58.0
venv=.venv

if [ ! -x "$venv/bin/python" ]; then
  echo "creating $venv"
  python3 -m venv "$venv"
fi
# True when the venv holds exactly version $2 of distribution $1.
installed() {
  "$venv/bin/python" -c 'import sys, importlib.metadata as m; sys.exit(m.version(sys.argv[1]) != sys.argv[2])' \
    "$1" "$2" 2>/dev/null
}
if ! installed aws-sam-cli "$SAM_VERSION" || ! installed cfn-lint "$CFN_LINT_VERSION"; then
  echo "installing aws-sam-cli $SAM_VERSION and cfn-lint $CFN_LINT_VERSION into $venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "aws-sam-cli==$SAM_VERSION" "cfn-lint==$CFN_LINT_VERSION"
fi

export SAM_CLI_TELEMETRY=0
echo "sam validate --lint"
AWS_DEFAULT_REGION=us-east-1 "$venv/bin/sam" validate --lint --template-file template.yaml
echo "cfn-lint template.yaml"
"$venv/bin/cfn-lint" template.yaml
echo "template.yaml: both linters pass"
