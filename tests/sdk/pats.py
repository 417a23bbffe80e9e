"""Personal access tokens through ZITADEL's official Python SDK (zitadel-client): a PAT made on
v2 by the SDK and one made on v1 (plain HTTP, as the SDK has no v1), each used with
`Zitadel.with_access_token` on a v2 route and as a bearer token on v1 routes; then removal,
deactivation and deletion cut them off. Against the API at BASE; exits non-zero on the first
surprise.

    ZITADEL_CLIENT_ID=... ZITADEL_CLIENT_SECRET=... python tests/sdk/pats.py BASE
"""

import base64
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
import warnings
from datetime import datetime, timezone

warnings.simplefilter("ignore")  # authlib's deprecation notice on import

from zitadel_client import ApiError, Zitadel  # noqa: E402
from zitadel_client import models as m  # noqa: E402


def step(name):
    print(f"step: {name}", flush=True)


def http(base, method, path, token, body=None, org=None):
    """A v1 call (in `org`, else the caller's own): (status, JSON answer)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    if org:
        request.add_header("x-zitadel-orgid", org)
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def admin_token(base, client_id, secret):
    form = urllib.parse.urlencode(
        {"grant_type": "client_credentials", "scope": "openid urn:zitadel:iam:org:project:id:zitadel:aud"}
    ).encode()
    request = urllib.request.Request(base + "/oauth/v2/token", data=form)
    basic = base64.b64encode(f"{urllib.parse.quote(client_id)}:{urllib.parse.quote(secret)}".encode())
    request.add_header("Authorization", f"Basic {basic.decode()}")
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read())["access_token"]


def refused(call):
    """The call is refused with 401 (the SDK raises ApiError)."""
    try:
        call()
    except ApiError as error:
        assert error.code == 401, (error.code, error.response_body)
        return
    raise AssertionError("the call was not refused")


def main(base, admin_id, admin_secret):
    suffix = uuid.uuid4().hex[:8]
    admin = Zitadel.with_client_credentials(base, admin_id, admin_secret)
    org = admin.organizations.add_organization(
        m.OrganizationServiceAddOrganizationRequest(name=f"SDK pats {suffix}")
    ).organization_id
    robot = admin.users.create_user(
        m.UserServiceCreateUserRequest(
            organization_id=org, username=f"pat-robot-{suffix}", machine=m.UserServiceMachine(name="Robot")
        )
    ).id

    step("a v2 PAT from the SDK")
    expiry = datetime(2099, 1, 1, tzinfo=timezone.utc)  # sent as 2099-01-01T00:00:00+00:00
    added = admin.users.add_personal_access_token(
        m.UserServiceAddPersonalAccessTokenRequest(user_id=robot, expiration_date=expiry)
    )
    v2_pat = added.token
    assert added.token_id and v2_pat and added.creation_date, added

    step("a v1 PAT")
    token = admin_token(base, admin_id, admin_secret)
    status, answer = http(base, "POST", f"/management/v1/users/{robot}/pats", token, {}, org)
    assert status == 200, answer
    v1_pat = answer["token"]

    step("each PAT on a v2 and v1 routes")
    clients = {name: Zitadel.with_access_token(base, pat) for name, pat in [("v1", v1_pat), ("v2", v2_pat)]}
    for name, pat in [("v1", v1_pat), ("v2", v2_pat)]:
        me = clients[name].users.get_user_by_id(m.UserServiceGetUserByIDRequest(user_id=robot))
        assert me.user.user_id == robot, me
        status, answer = http(base, "GET", "/auth/v1/users/me", pat)
        assert status == 200 and answer["user"]["id"] == robot, answer
        # Its own user, on v1's management API, without a role there: authenticated, not allowed.
        status, answer = http(base, "GET", f"/management/v1/users/{robot}", pat, None)
        assert status == 404 and answer["details"][0]["id"] == "AUTHZ-cdgFk", answer
    listed = clients["v1"].users.list_personal_access_tokens(
        m.UserServiceListPersonalAccessTokensRequest(
            filters=[m.UserServicePersonalAccessTokensSearchFilter(user_id_filter=m.UserServiceIDFilter(id=robot))]
        )
    )
    assert int(listed.pagination.total_result) == 2, listed

    step("removal cuts a PAT off")
    admin.users.remove_personal_access_token(
        m.UserServiceRemovePersonalAccessTokenRequest(user_id=robot, token_id=added.token_id)
    )
    refused(lambda: clients["v2"].users.get_user_by_id(m.UserServiceGetUserByIDRequest(user_id=robot)))
    clients["v1"].users.get_user_by_id(m.UserServiceGetUserByIDRequest(user_id=robot))

    step("deactivation cuts it off, reactivation lets it back")
    admin.users.deactivate_user(m.UserServiceDeactivateUserRequest(user_id=robot))
    refused(lambda: clients["v1"].users.get_user_by_id(m.UserServiceGetUserByIDRequest(user_id=robot)))
    assert http(base, "GET", "/auth/v1/users/me", v1_pat)[0] == 401
    admin.users.reactivate_user(m.UserServiceReactivateUserRequest(user_id=robot))
    clients["v1"].users.get_user_by_id(m.UserServiceGetUserByIDRequest(user_id=robot))

    step("deletion cuts it off")
    admin.users.delete_user(m.UserServiceDeleteUserRequest(user_id=robot))
    refused(lambda: clients["v1"].users.get_user_by_id(m.UserServiceGetUserByIDRequest(user_id=robot)))
    assert http(base, "GET", "/auth/v1/users/me", v1_pat)[0] == 401

    step("the personal access token calls passed")


if __name__ == "__main__":
    main(sys.argv[1], os.environ["ZITADEL_CLIENT_ID"], os.environ["ZITADEL_CLIENT_SECRET"])
