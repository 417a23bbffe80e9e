//! Roles and the permissions they hold (contract §2). IAM_* roles hold in every org, ORG_*
//! roles in their org.

/// What an operation may require of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    UserRead,
    UserWrite,
    UserDelete,
    UserGrantRead,
    UserGrantWrite,
    UserGrantDelete,
    ProjectCreate,
    ProjectRoleWrite,
    OrgMemberWrite,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    IamOwner,
    IamOwnerViewer,
    IamUserManager,
    OrgOwner,
    OrgOwnerViewer,
    OrgUserManager,
}

use Permission::*;

const READ: &[Permission] = &[UserRead, UserGrantRead];
const MANAGE_USERS: &[Permission] = &[
    UserRead,
    UserWrite,
    UserDelete,
    UserGrantRead,
    UserGrantWrite,
    UserGrantDelete,
];
const OWN: &[Permission] = &[
    UserRead,
    UserWrite,
    UserDelete,
    UserGrantRead,
    UserGrantWrite,
    UserGrantDelete,
    ProjectCreate,
    ProjectRoleWrite,
    OrgMemberWrite,
];

impl Role {
    /// The roles AddOrgMember accepts.
    pub const ORG: [Role; 3] = [Role::OrgOwner, Role::OrgOwnerViewer, Role::OrgUserManager];
    pub const ALL: [Role; 6] = [
        Role::IamOwner,
        Role::IamOwnerViewer,
        Role::IamUserManager,
        Role::OrgOwner,
        Role::OrgOwnerViewer,
        Role::OrgUserManager,
    ];

    /// ZITADEL's name of the role, as requests and stored memberships spell it.
    pub fn name(self) -> &'static str {
        match self {
            Role::IamOwner => "IAM_OWNER",
            Role::IamOwnerViewer => "IAM_OWNER_VIEWER",
            Role::IamUserManager => "IAM_USER_MANAGER",
            Role::OrgOwner => "ORG_OWNER",
            Role::OrgOwnerViewer => "ORG_OWNER_VIEWER",
            Role::OrgUserManager => "ORG_USER_MANAGER",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }

    pub fn permissions(self) -> &'static [Permission] {
        match self {
            Role::IamOwner | Role::OrgOwner => OWN,
            Role::IamUserManager | Role::OrgUserManager => MANAGE_USERS,
            Role::IamOwnerViewer | Role::OrgOwnerViewer => READ,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewers_read_managers_manage_owners_own() {
        assert!(Role::OrgOwnerViewer.permissions().contains(&UserGrantRead));
        assert!(!Role::OrgOwnerViewer.permissions().contains(&UserWrite));
        assert!(Role::IamUserManager.permissions().contains(&UserDelete));
        assert!(!Role::OrgUserManager.permissions().contains(&ProjectCreate));
        assert!(Role::IamOwner.permissions().contains(&OrgMemberWrite));
    }

    #[test]
    fn names_round_trip_and_unknown_names_are_no_role() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.name()), Some(role));
        }
        assert_eq!(Role::parse("SOMETHING"), None);
        assert_eq!(Role::parse("org_owner"), None);
    }
}
