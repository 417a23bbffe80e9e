"""A machine user's whole life through ZITADEL's official Python SDK (zitadel-client), as a
ZITADEL user would write it, against the API at BASE. Exits non-zero on the first surprise.

    ZITADEL_CLIENT_ID=... ZITADEL_CLIENT_SECRET=... python tests/sdk/lifecycle.py BASE
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


def expect_error(call, status, code):
    """The SDK raises ApiError with ZITADEL's HTTP status and Connect code."""
    try:
        call()
    except ApiError as error:
        body = error.response_body
        assert error.code == status, (error.code, body)
        assert isinstance(body, dict) and body.get("code") == code, body
        return body
    raise AssertionError(f"expected {status} {code}, got success")


def main(base, admin_id, admin_secret):
    suffix = uuid.uuid4().hex[:8]
    admin = Zitadel.with_client_credentials(base, admin_id, admin_secret)

    step("add an organization")
    org = admin.organizations.add_organization(
        m.OrganizationServiceAddOrganizationRequest(name=f"SDK {suffix}")
    ).organization_id
    assert org

    step("create a machine user")
    username = f"bot-{suffix}"
    created = admin.users.create_user(
        m.UserServiceCreateUserRequest(
            organization_id=org,
            username=username,
            machine=m.UserServiceMachine(name="Bot", description="made by the SDK"),
        )
    )
    user_id = created.id
    assert user_id and created.creation_date is not None

    step("add its secret")
    secret = admin.users.add_secret(m.UserServiceAddSecretRequest(user_id=user_id))
    assert secret.client_secret and secret.creation_date is not None

    step("make it a viewer of its org")
    admin.internal_permissions.create_administrator(
        m.InternalPermissionServiceCreateAdministratorRequest(
            user_id=user_id,
            resource=m.InternalPermissionServiceResourceType(organization_id=org),
            roles=["ORG_OWNER_VIEWER"],
        )
    )

    step("log in as the machine user")
    bot = Zitadel.with_client_credentials(base, username, secret.client_secret)
    me = bot.users.get_user_by_id(m.UserServiceGetUserByIDRequest(user_id=user_id)).user
    assert me.username == username, me
    assert me.state == m.UserServiceUserState.USER_STATE_ACTIVE, me.state
    assert me.machine.has_secret is True, me.machine

    step("missing permission")
    expect_error(
        lambda: bot.users.create_user(
            m.UserServiceCreateUserRequest(
                organization_id=org, username=f"x-{suffix}", machine=m.UserServiceMachine(name="X")
            )
        ),
        403,
        "permission_denied",
    )

    step("create a project and a role")
    project = admin.projects.create_project(
        m.ProjectServiceCreateProjectRequest(organization_id=org, name="Shop")
    ).project_id
    admin.projects.add_project_role(
        m.ProjectServiceAddProjectRoleRequest(project_id=project, role_key="reader", display_name="Reader")
    )

    step("create an authorization")
    authorization = admin.authorizations.create_authorization(
        m.AuthorizationServiceCreateAuthorizationRequest(
            user_id=user_id, project_id=project, organization_id=org, role_keys=["reader"]
        )
    ).id
    assert authorization

    step("deactivate and activate it")
    assert admin.authorizations.deactivate_authorization(
        m.AuthorizationServiceDeactivateAuthorizationRequest(id=authorization)
    ).change_date is not None
    admin.authorizations.activate_authorization(
        m.AuthorizationServiceActivateAuthorizationRequest(id=authorization)
    )

    step("change its roles")
    admin.projects.add_project_role(
        m.ProjectServiceAddProjectRoleRequest(project_id=project, role_key="writer", display_name="Writer")
    )
    assert admin.authorizations.update_authorization(
        m.AuthorizationServiceUpdateAuthorizationRequest(id=authorization, role_keys=["writer"])
    ).change_date is not None
    with_writer = admin.authorizations.list_authorizations(
        m.AuthorizationServiceListAuthorizationsRequest(
            filters=[
                m.AuthorizationServiceAuthorizationsSearchFilter(
                    organization_id=m.AuthorizationServiceIDFilter(id=org)
                ),
                m.AuthorizationServiceAuthorizationsSearchFilter(
                    role_key=m.AuthorizationServiceRoleKeyQuery(key="writer")
                ),
            ]
        )
    )
    assert [a.id for a in with_writer.authorizations] == [authorization], with_writer
    admin.authorizations.update_authorization(
        m.AuthorizationServiceUpdateAuthorizationRequest(id=authorization, role_keys=["reader"])
    )

    step("list it")
    search = m.AuthorizationServiceAuthorizationsSearchFilter
    listed = admin.authorizations.list_authorizations(
        m.AuthorizationServiceListAuthorizationsRequest(
            pagination=m.AuthorizationServicePaginationRequest(offset=0, limit=10, asc=True),
            sorting_column=m.AuthorizationServiceAuthorizationFieldName.AUTHORIZATION_FIELD_NAME_CREATED_DATE,
            filters=[
                search(authorization_ids=m.AuthorizationServiceInIDsFilter(ids=[authorization])),
                search(in_user_ids=m.AuthorizationServiceInIDsFilter(ids=[user_id])),
                search(project_id=m.AuthorizationServiceIDFilter(id=project)),
                search(state=m.AuthorizationServiceStateQuery(state=m.AuthorizationServiceState.STATE_ACTIVE)),
            ],
        )
    )
    assert int(listed.pagination.total_result) == 1, listed
    found = listed.authorizations[0]
    assert found.id == authorization and found.user.id == user_id, found
    assert [role.key for role in found.roles] == ["reader"], found.roles
    assert found.roles[0].display_name == "Reader", found.roles

    step("delete it")
    admin.authorizations.delete_authorization(
        m.AuthorizationServiceDeleteAuthorizationRequest(id=authorization)
    )
    listed = admin.authorizations.list_authorizations(
        m.AuthorizationServiceListAuthorizationsRequest(
            filters=[search(project_id=m.AuthorizationServiceIDFilter(id=project))]
        )
    )
    assert int(listed.pagination.total_result) == 0, listed

    step("deactivate and reactivate the user")
    admin.users.deactivate_user(m.UserServiceDeactivateUserRequest(user_id=user_id))
    state = admin.users.get_user_by_id(m.UserServiceGetUserByIDRequest(user_id=user_id)).user.state
    assert state == m.UserServiceUserState.USER_STATE_INACTIVE, state
    expect_error(
        lambda: bot.users.get_user_by_id(m.UserServiceGetUserByIDRequest(user_id=user_id)),
        401,
        "unauthenticated",
    )
    expect_error(
        lambda: admin.users.deactivate_user(m.UserServiceDeactivateUserRequest(user_id=user_id)),
        400,
        "failed_precondition",
    )
    admin.users.reactivate_user(m.UserServiceReactivateUserRequest(user_id=user_id))

    step("remove its secret")
    assert admin.users.remove_secret(
        m.UserServiceRemoveSecretRequest(user_id=user_id)
    ).deletion_date is not None

    step("delete it")
    admin.users.delete_user(m.UserServiceDeleteUserRequest(user_id=user_id))

    step("unknown ids")
    body = expect_error(
        lambda: admin.users.get_user_by_id(m.UserServiceGetUserByIDRequest(user_id=user_id)),
        404,
        "not_found",
    )
    assert body["details"][0]["type"] == "zitadel.v1.ErrorDetail", body
    expect_error(
        lambda: admin.authorizations.deactivate_authorization(
            m.AuthorizationServiceDeactivateAuthorizationRequest(id=authorization)
        ),
        404,
        "not_found",
    )

    step("invalid arguments")
    expect_error(
        lambda: admin.users.create_user(
            m.UserServiceCreateUserRequest(organization_id=org, machine=m.UserServiceMachine(name=""))
        ),
        400,
        "invalid_argument",
    )

    step("an empty message")
    expect_error(
        lambda: admin.users.get_user_by_id(m.UserServiceGetUserByIDRequest()),
        400,
        "invalid_argument",
    )
    print("the whole lifecycle passed", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], os.environ["ZITADEL_CLIENT_ID"], os.environ["ZITADEL_CLIENT_SECRET"])
