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
    ProjectAppWrite,
    OrgMemberWrite,
}

impl Permission {
    pub const ALL: [Permission; 9] = [
        Permission::UserRead,
        Permission::UserWrite,
        Permission::UserDelete,
        Permission::UserGrantRead,
        Permission::UserGrantWrite,
        Permission::UserGrantDelete,
        Permission::ProjectCreate,
        Permission::ProjectRoleWrite,
        Permission::OrgMemberWrite,
    ];
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

    /// Owners may do everything here; user managers everything about users and their
    /// grants; viewers read.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::IamOwner | Role::OrgOwner => true,
            Role::IamUserManager | Role::OrgUserManager => matches!(
                permission,
                UserRead
                    | UserWrite
                    | UserDelete
                    | UserGrantRead
                    | UserGrantWrite
                    | UserGrantDelete
            ),
            Role::IamOwnerViewer | Role::OrgOwnerViewer => {
                matches!(permission, UserRead | UserGrantRead)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewers_read_managers_manage_owners_own() {
        use Permission::*;
        assert!(Role::OrgOwnerViewer.allows(UserGrantRead));
        assert!(!Role::OrgOwnerViewer.allows(UserWrite));
        assert!(Role::IamUserManager.allows(UserDelete));
        assert!(!Role::OrgUserManager.allows(ProjectCreate));
        assert!(Role::IamOwner.allows(OrgMemberWrite));
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
