"""Machine keys through ZITADEL's official Python SDK (zitadel-client), as a ZITADEL user logs
in with them: `Zitadel.with_private_key` on a key file from v1 AddMachineKey and one from v2
AddKey, each calling a v1 and a v2 route; then key removal, deactivation and deletion cut them
off. Exits non-zero on the first surprise.

    ZITADEL_CLIENT_ID=... ZITADEL_CLIENT_SECRET=... python tests/sdk/keys.py BASE
"""

import base64
import json
import os
import sys
import tempfile
import urllib.error
import urllib.request
import uuid
import warnings
from datetime import datetime, timezone

warnings.simplefilter("ignore")  # authlib's deprecation notice on import

from zitadel_client import Zitadel, ZitadelError  # noqa: E402
from zitadel_client import models as m  # noqa: E402


def step(name):
    print(f"step: {name}", flush=True)


def call_v1(base, client, method, path, body=None, org=None):
    """A Management API v1 call with the SDK's own token (in `org`): status and JSON."""
    headers = dict(client.configuration.authenticator.get_auth_headers())
    headers["content-type"] = "application/json"
    if org:
        headers["x-zitadel-orgid"] = org
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def key_file(directory, name, content):
    """Writes a key file (the bytes an answer carried, base64 or already decoded) to disk."""
    if isinstance(content, str):
        content = base64.b64decode(content)
    path = os.path.join(directory, name)
    with open(path, "wb") as file:
        file.write(content)
    return path


def logs_in(base, path, user_id):
    """A fresh client on the key file: reads its own user (v2) and GetMyUser (v1)."""
    client = Zitadel.with_private_key(base, path)
    me = client.users.get_user_by_id(m.UserServiceGetUserByIDRequest(user_id=user_id)).user
    assert me.user_id == user_id, me
    status, body = call_v1(base, client, "GET", "/auth/v1/users/me")
    assert status == 200 and body["user"]["id"] == user_id, (status, body)
    return client


def refused(base, path, user_id):
    """A fresh client on the key file gets no token."""
    try:
        logs_in(base, path, user_id)
    except ZitadelError:
        return
    raise AssertionError(f"{path} still logs in")


def main(base, admin_id, admin_secret):
    suffix = uuid.uuid4().hex[:8]
    admin = Zitadel.with_client_credentials(base, admin_id, admin_secret)
    directory = tempfile.mkdtemp()

    step("create a machine user")
    org = admin.organizations.add_organization(
        m.OrganizationServiceAddOrganizationRequest(name=f"Keys {suffix}")
    ).organization_id
    user_id = admin.users.create_user(
        m.UserServiceCreateUserRequest(
            organization_id=org, username=f"keys-{suffix}", machine=m.UserServiceMachine(name="Keys")
        )
    ).id

    step("a key file from v1 AddMachineKey")
    status, body = call_v1(
        base, admin, "POST", f"/management/v1/users/{user_id}/keys", {"type": "KEY_TYPE_JSON"}, org
    )
    assert status == 200, body
    v1_path = key_file(directory, "v1.json", body["keyDetails"])

    step("a key file from v2 AddKey")
    added = admin.users.add_key(
        m.UserServiceAddKeyRequest(
            user_id=user_id, expiration_date=datetime(2999, 1, 1, tzinfo=timezone.utc)
        )
    )
    assert added.key_id and added.key_content
    v2_path = key_file(directory, "v2.json", added.key_content)

    step("log in with each")
    logs_in(base, v1_path, user_id)
    logs_in(base, v2_path, user_id)

    step("list them")
    status, body = call_v1(
        base, admin, "POST", f"/management/v1/users/{user_id}/keys/_search", {}, org
    )
    assert status == 200 and body["details"]["totalResult"] == "2", body

    step("a removed key logs in no more")
    admin.users.remove_key(m.UserServiceRemoveKeyRequest(user_id=user_id, key_id=added.key_id))
    refused(base, v2_path, user_id)
    logs_in(base, v1_path, user_id)

    step("a deactivated user logs in no more")
    admin.users.deactivate_user(m.UserServiceDeactivateUserRequest(user_id=user_id))
    refused(base, v1_path, user_id)
    admin.users.reactivate_user(m.UserServiceReactivateUserRequest(user_id=user_id))
    logs_in(base, v1_path, user_id)

    step("a deleted user logs in no more")
    admin.users.delete_user(m.UserServiceDeleteUserRequest(user_id=user_id))
    refused(base, v1_path, user_id)

    step("keys passed")


if __name__ == "__main__":
    main(sys.argv[1], os.environ["ZITADEL_CLIENT_ID"], os.environ["ZITADEL_CLIENT_SECRET"])
