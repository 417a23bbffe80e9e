"""An API app with private_key_jwt, as a resource server uses one: the admin (ZITADEL's official
Python SDK, its client-credentials login) makes a project, a private_key_jwt app and a key; the
resource server signs a client assertion with the key file (PyJWT, as docs/app_keys.md shows)
and introspects a token with it; a removed key is refused. Exits non-zero on the first surprise.

    ZITADEL_CLIENT_ID=... ZITADEL_CLIENT_SECRET=... python tests/sdk/app_keys.py BASE
"""

import base64
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import warnings

warnings.simplefilter("ignore")  # authlib's deprecation notice on import

import jwt  # noqa: E402
from zitadel_client import Zitadel  # noqa: E402

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def step(name):
    print(f"step: {name}", flush=True)


def send(request):
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def call_v1(base, client, method, path, body=None):
    """A Management API v1 call with the SDK's own token: status and JSON."""
    headers = dict(client.configuration.authenticator.get_auth_headers())
    headers["content-type"] = "application/json"
    data = None if body is None else json.dumps(body).encode()
    return send(urllib.request.Request(base + path, data=data, headers=headers, method=method))


def form(base, path, fields):
    data = urllib.parse.urlencode(fields).encode()
    return send(urllib.request.Request(base + path, data=data, method="POST"))


def introspect(base, key, token):
    """docs/app_keys.md's lines: the assertion a resource server signs, and introspection."""
    now = int(time.time())
    assertion = jwt.encode(
        {"iss": key["clientId"], "sub": key["clientId"], "aud": base, "iat": now, "exp": now + 3600},
        key["key"], algorithm="RS256", headers={"kid": key["keyId"]})
    return form(base, "/oauth/v2/introspect", {
        "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion, "token": token})


def ok(answer):
    status, body = answer
    assert status == 200, answer
    return body


def main(base, admin_id, admin_secret):
    suffix = uuid.uuid4().hex[:8]
    admin = Zitadel.with_client_credentials(base, admin_id, admin_secret)

    step("a project, a private_key_jwt app and a key file")
    project = ok(call_v1(base, admin, "POST", "/management/v1/projects", {"name": f"Orders {suffix}"}))["id"]
    app = ok(call_v1(base, admin, "POST", f"/management/v1/projects/{project}/apps/api", {
        "name": "orders-api", "authMethodType": "API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT"}))
    assert "clientSecret" not in app, app
    keys = f"/management/v1/projects/{project}/apps/{app['appId']}/keys"
    added = ok(call_v1(base, admin, "POST", keys, {"type": "KEY_TYPE_JSON"}))
    key = json.loads(base64.b64decode(added["keyDetails"]))
    assert key["type"] == "application" and key["clientId"] == app["clientId"], key

    step("a token for the project")
    user = ok(call_v1(base, admin, "POST", "/management/v1/users/machine", {
        "userName": f"orders-{suffix}", "name": "Orders client"}))["userId"]
    secret = ok(call_v1(base, admin, "PUT", f"/management/v1/users/{user}/secret"))["clientSecret"]
    token = ok(form(base, "/oauth/v2/token", {
        "grant_type": "client_credentials", "client_id": f"orders-{suffix}", "client_secret": secret,
        "scope": f"openid urn:zitadel:iam:org:project:id:{project}:aud"}))["access_token"]

    step("introspect it with the key file")
    body = ok(introspect(base, key, token))
    assert body["active"] is True and body["sub"] == user, body

    step("a removed key is refused")
    ok(call_v1(base, admin, "DELETE", f"{keys}/{key['keyId']}"))
    status, body = introspect(base, key, token)
    assert status == 401 and body["error"] == "invalid_client", (status, body)

    step("app keys passed")


if __name__ == "__main__":
    main(sys.argv[1], os.environ["ZITADEL_CLIENT_ID"], os.environ["ZITADEL_CLIENT_SECRET"])
