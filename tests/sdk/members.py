"""An org's administrators and projects through ZITADEL's official Python SDK (zitadel-client):
the v2 twins of issue 20's member and project operations, against the API at BASE. Exits
non-zero on the first surprise.

    ZITADEL_CLIENT_ID=... ZITADEL_CLIENT_SECRET=... python tests/sdk/members.py BASE
"""

import os
import sys
import uuid
import warnings

warnings.simplefilter("ignore")  # authlib's deprecation notice on import

from zitadel_client import Zitadel  # noqa: E402
from zitadel_client import models as m  # noqa: E402


def step(name):
    print(f"step: {name}", flush=True)


def main(base, admin_id, admin_secret):
    suffix = uuid.uuid4().hex[:8]
    admin = Zitadel.with_client_credentials(base, admin_id, admin_secret)
    org = admin.organizations.add_organization(
        m.OrganizationServiceAddOrganizationRequest(name=f"SDK members {suffix}")
    ).organization_id
    user_id = admin.users.create_user(
        m.UserServiceCreateUserRequest(
            organization_id=org, username=f"member-{suffix}", machine=m.UserServiceMachine(name="Member")
        )
    ).id
    resource = m.InternalPermissionServiceResourceType(organization_id=org)
    admin.internal_permissions.create_administrator(
        m.InternalPermissionServiceCreateAdministratorRequest(
            user_id=user_id, resource=resource, roles=["ORG_USER_MANAGER"]
        )
    )
    search = m.InternalPermissionServiceAdministratorSearchFilter

    def administrators(*filters):
        return admin.internal_permissions.list_administrators(
            m.InternalPermissionServiceListAdministratorsRequest(
                pagination=m.InternalPermissionServicePaginationRequest(offset=0, limit=10, asc=True),
                filters=[search(resource=m.InternalPermissionServiceResourceFilter(organization_id=org)), *filters],
            )
        )

    step("list the administrators")
    listed = administrators(search(in_user_ids_filter=m.InternalPermissionServiceInIDsFilter(ids=[user_id])))
    assert listed.pagination.total_result == "1", listed.pagination
    assert listed.administrators[0].user.id == user_id, listed.administrators
    assert listed.administrators[0].roles == ["ORG_USER_MANAGER"], listed.administrators
    assert listed.administrators[0].organization.id == org, listed.administrators

    step("update an administrator")
    updated = admin.internal_permissions.update_administrator(
        m.InternalPermissionServiceUpdateAdministratorRequest(
            user_id=user_id, resource=resource, roles=["ORG_OWNER_VIEWER"]
        )
    )
    assert updated.change_date is not None
    roles = administrators(search(role=m.InternalPermissionServiceRoleFilter(role_key="ORG_OWNER_VIEWER")))
    assert [a.user.id for a in roles.administrators] == [user_id], roles.administrators

    step("delete an administrator")
    deleted = admin.internal_permissions.delete_administrator(
        m.InternalPermissionServiceDeleteAdministratorRequest(user_id=user_id, resource=resource)
    )
    assert deleted.deletion_date is not None
    left = administrators(search(in_user_ids_filter=m.InternalPermissionServiceInIDsFilter(ids=[user_id])))
    assert left.pagination.total_result == "0", left.pagination

    step("list projects and their roles")
    project = admin.projects.create_project(
        m.ProjectServiceCreateProjectRequest(organization_id=org, name="Shop")
    ).project_id
    for key in ["reader", "writer"]:
        admin.projects.add_project_role(
            m.ProjectServiceAddProjectRoleRequest(project_id=project, role_key=key, display_name=key.title())
        )
    projects = admin.projects.list_projects(
        m.ProjectServiceListProjectsRequest(
            filters=[
                m.ProjectServiceProjectSearchFilter(
                    organization_id_filter=m.ProjectServiceProjectOrganizationIDFilter(organization_id=org)
                )
            ]
        )
    )
    assert [p.project_id for p in projects.projects] == [project], projects.projects
    assert projects.projects[0].name == "Shop", projects.projects
    roles = admin.projects.list_project_roles(
        m.ProjectServiceListProjectRolesRequest(
            project_id=project,
            filters=[
                m.ProjectServiceProjectRoleSearchFilter(
                    role_key_filter=m.ProjectServiceProjectRoleKeyFilter(
                        key="WRI", method=m.ProjectServiceTextFilterMethod.TEXT_FILTER_METHOD_STARTS_WITH_IGNORE_CASE
                    )
                )
            ],
        )
    )
    assert [r.key for r in roles.project_roles] == ["writer"], roles.project_roles
    assert roles.pagination.total_result == "1", roles.pagination
    print("the members and projects passed", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], os.environ["ZITADEL_CLIENT_ID"], os.environ["ZITADEL_CLIENT_SECRET"])
