#!/usr/bin/env bash
# The Python packages the tests drive, pinned, into the project's .venv: PyJWT (with
# cryptography for RS256) for the resource server of tests/resource_server/, and ZITADEL's
# official SDK (zitadel-client, with Authlib) for tests/sdk/.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/python-tools.sh
ensure_python_tools "PyJWT==$PYJWT_VERSION" "cryptography==$CRYPTOGRAPHY_VERSION" \
  "zitadel-client==$ZITADEL_CLIENT_VERSION" "Authlib==$AUTHLIB_VERSION"
