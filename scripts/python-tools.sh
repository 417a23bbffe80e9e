# Sourced by the scripts that run Python tools: the project's .venv (git-ignored) and the exact
# versions they use, installed from PyPI the first time.
venv=.venv
SAM_VERSION=1.170.0
CFN_LINT_VERSION=1.58.0
CARGO_LAMBDA_VERSION=1.9.2
ZIG_VERSION=0.17.1
# The resource server test's JOSE library; cryptography at the version aws-sam-cli's pyopenssl
# takes, so both live in one .venv.
PYJWT_VERSION=2.15.1
CRYPTOGRAPHY_VERSION=50.0.2
# ZITADEL's official Python SDK (the v2 API over Connect), for tests/sdk/, and its OAuth library.
ZITADEL_CLIENT_VERSION=4.1.9
AUTHLIB_VERSION=1.9.9

# Installs each "distribution==version" argument into $venv unless it holds exactly that.
ensure_python_tools() {
  if [ ! -x "$venv/bin/python" ]; then
    echo "creating $venv"
    python3 -m venv "$venv"
  fi
  local missing=() requirement
  for requirement in "$@"; do
    if ! "$venv/bin/python" -c 'import sys, importlib.metadata as m
name, version = sys.argv[1].split("==")
sys.exit(m.version(name) != version)' "$requirement" 2>/dev/null; then
      missing+=("$requirement")
    fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing ${missing[*]} into $venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "${missing[@]}"
  fi
}
