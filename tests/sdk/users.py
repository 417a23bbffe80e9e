"""ListUsers and UpdateUser through ZITADEL's official Python SDK (zitadel-client), as a
provisioning script writes them (find a user by name before making it, then rename it), against
the API at BASE. Exits non-zero on the first surprise.

    ZITADEL_CLIENT_ID=... ZITADEL_CLIENT_SECRET=... python tests/sdk/users.py BASE
"""

import os
import sys
import uuid
import warnings

warnings.simplefilter("ignore")  # authlib's deprecation notice on import

from zitadel_client import ApiError, Zitadel  # noqa: E402
from zitadel_client import models as m  # noqa: E402


def step(name):
    print(f"step: {name}", flush=True)


def find(client, org, user_name, method=m.UserServiceTextQueryMethod.TEXT_QUERY_METHOD_EQUALS):
    """The "ensure" lookup: the users of `org` whose userName matches."""
    return client.users.list_users(
        m.UserServiceListUsersRequest(
            queries=[
                m.UserServiceSearchQuery(
                    organization_id_query=m.UserServiceOrganizationIdQuery(organization_id=org)
                ),
                m.UserServiceSearchQuery(
                    user_name_query=m.UserServiceUserNameQuery(user_name=user_name, method=method)
                ),
            ]
        )
    )


def main(base, admin_id, admin_secret):
    suffix = uuid.uuid4().hex[:8]
    admin = Zitadel.with_client_credentials(base, admin_id, admin_secret)
    org = admin.organizations.add_organization(
        m.OrganizationServiceAddOrganizationRequest(name=f"SDK users {suffix}")
    ).organization_id

    step("find a user before it exists")
    username = f"robot-{suffix}"
    found = find(admin, org, username)
    assert int(found.details.total_result) == 0 and not found.result, found

    step("make it, and find it")
    user_id = admin.users.create_user(
        m.UserServiceCreateUserRequest(
            organization_id=org, username=username, machine=m.UserServiceMachine(name="Robot")
        )
    ).id
    found = find(admin, org, username.upper(), m.UserServiceTextQueryMethod.TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE)
    assert int(found.details.total_result) == 1, found
    assert found.result[0].user_id == user_id and found.result[0].username == username, found

    step("rename it and change its machine fields")
    renamed = f"android-{suffix}"
    changed = admin.users.update_user(
        m.UserServiceUpdateUserRequest(
            user_id=user_id,
            username=renamed,
            machine=m.UserServiceMachine(name="Android", description="renamed by the SDK"),
        )
    )
    assert changed.change_date is not None, changed
    assert not find(admin, org, username).result
    user = find(admin, org, renamed).result[0]
    assert user.machine.name == "Android" and user.machine.description == "renamed by the SDK", user

    step("page through the org")
    page = admin.users.list_users(
        m.UserServiceListUsersRequest(
            query=m.UserServiceListQuery(offset=0, limit=1, asc=True),
            queries=[
                m.UserServiceSearchQuery(
                    organization_id_query=m.UserServiceOrganizationIdQuery(organization_id=org)
                )
            ],
        )
    )
    assert int(page.details.total_result) == 1 and len(page.result) == 1, page

    step("a taken username")
    try:
        admin.users.update_user(m.UserServiceUpdateUserRequest(user_id=user_id, username=admin_id))
        raise AssertionError("expected already_exists")
    except ApiError as error:
        assert error.code == 409 and error.response_body.get("code") == "already_exists", error.response_body

    step("the users calls passed")


if __name__ == "__main__":
    main(sys.argv[1], os.environ["ZITADEL_CLIENT_ID"], os.environ["ZITADEL_CLIENT_SECRET"])
