//! Roles and the permissions they hold (contract §2). IAM_* roles hold in every org, ORG_*
//! roles in their org.

crate::named_enum! {
    /// What an operation may require of its caller, named as ZITADEL names its permissions.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Permission: "permission" {
        UserRead => "user.read",
        UserWrite => "user.write",
        UserDelete => "user.delete",
        UserGrantRead => "user.grant.read",
        UserGrantWrite => "user.grant.write",
        UserGrantDelete => "user.grant.delete",
        ProjectCreate => "project.create",
        ProjectRead => "project.read",
        ProjectRoleRead => "project.role.read",
        ProjectRoleWrite => "project.role.write",
        ProjectAppRead => "project.app.read",
        ProjectAppWrite => "project.app.write",
        OrgMemberRead => "org.member.read",
        OrgMemberWrite => "org.member.write",
        OrgMemberDelete => "org.member.delete",
        OrgCreate => "org.create",
    }
}

crate::named_enum! {
    /// A role, named as ZITADEL names it, as requests and stored memberships spell it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Role: "role" {
        IamOwner => "IAM_OWNER",
        IamOwnerViewer => "IAM_OWNER_VIEWER",
        IamUserManager => "IAM_USER_MANAGER",
        OrgOwner => "ORG_OWNER",
        OrgOwnerViewer => "ORG_OWNER_VIEWER",
        OrgUserManager => "ORG_USER_MANAGER",
    }
}

impl Role {
    /// The roles AddOrgMember accepts.
    pub const ORG: [Role; 3] = [Role::OrgOwner, Role::OrgOwnerViewer, Role::OrgUserManager];

    /// The most role names one membership request may give (the wire refuses more before any
    /// read): a membership item stays small whatever a request holds.
    pub const MAX_NAMED: usize = 20;

    /// Org roles as a request names them, each once in the order given; a name that is no org
    /// role is refused (ZITADEL's `Org-4N8es`).
    pub fn org_roles(names: &[String]) -> crate::error::Result<Vec<Role>> {
        let mut roles: Vec<Role> = Vec::with_capacity(Role::ORG.len());
        for name in names {
            let role = Role::parse(name)
                .ok()
                .filter(|r| Role::ORG.contains(r))
                .ok_or_else(|| {
                    crate::error::Error::invalid("Org-4N8es", "Errors.Org.MemberInvalid")
                })?;
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
        Ok(roles)
    }

    /// Owners may do everything here (making orgs is the instance's: `org.create` is an
    /// instance role's, as in ZITADEL); user managers everything about users and their grants;
    /// viewers read. User managers read apps (`project.app.read`, which ZITADEL gives viewers
    /// only) so that they still hold every permission a viewer holds (`policy::reach`).
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::IamOwner => true,
            Role::OrgOwner => permission != OrgCreate,
            Role::IamUserManager | Role::OrgUserManager => matches!(
                permission,
                OrgMemberRead
                    | ProjectRead
                    | ProjectRoleRead
                    | ProjectAppRead
                    | UserRead
                    | UserWrite
                    | UserDelete
                    | UserGrantRead
                    | UserGrantWrite
                    | UserGrantDelete
            ),
            Role::IamOwnerViewer | Role::OrgOwnerViewer => {
                matches!(
                    permission,
                    OrgMemberRead
                        | ProjectRead
                        | ProjectRoleRead
                        | ProjectAppRead
                        | UserRead
                        | UserGrantRead
                )
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
        // As ZITADEL's defaults: viewers and user managers see the members, owners change them.
        assert!(Role::OrgOwnerViewer.allows(OrgMemberRead));
        assert!(Role::OrgUserManager.allows(OrgMemberRead));
        assert!(!Role::OrgUserManager.allows(OrgMemberWrite));
        assert!(!Role::OrgUserManager.allows(OrgMemberDelete));
        assert!(Role::OrgOwner.allows(OrgMemberDelete));
        // Who grants roles sees them.
        assert!(Role::OrgUserManager.allows(ProjectRoleRead));
        assert!(Role::OrgOwnerViewer.allows(ProjectRoleRead));
        assert!(Role::OrgUserManager.allows(ProjectRead));
        assert!(!Role::OrgOwnerViewer.allows(ProjectRoleWrite));
        // Apps and their keys: viewers read them, owners change them.
        assert!(Role::OrgOwnerViewer.allows(ProjectAppRead));
        assert!(!Role::OrgOwnerViewer.allows(ProjectAppWrite));
        assert!(Role::OrgUserManager.allows(ProjectAppRead));
        assert!(!Role::OrgUserManager.allows(ProjectAppWrite));
        // Making orgs is an instance role's.
        assert!(Role::IamOwner.allows(OrgCreate));
        assert!(!Role::OrgOwner.allows(OrgCreate));
        assert!(!Role::IamUserManager.allows(OrgCreate));
    }

    #[test]
    fn names_round_trip_and_unknown_names_are_no_role() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.name()), Ok(role));
        }
        assert!(Role::parse("SOMETHING").is_err());
        assert!(Role::parse("org_owner").is_err());
        for permission in Permission::ALL {
            assert_eq!(Permission::parse(permission.name()), Ok(permission));
        }
    }

    #[test]
    fn all_has_every_role_and_permission() {
        // These matches fail to compile when a variant is added; the counts then fail until
        // they are raised, after a look at `Role::allows`.
        let listed = |p: Permission| match p {
            Permission::UserRead
            | Permission::UserWrite
            | Permission::UserDelete
            | Permission::UserGrantRead
            | Permission::UserGrantWrite
            | Permission::UserGrantDelete
            | Permission::ProjectCreate
            | Permission::ProjectRead
            | Permission::ProjectRoleRead
            | Permission::ProjectRoleWrite
            | Permission::ProjectAppRead
            | Permission::ProjectAppWrite
            | Permission::OrgMemberRead
            | Permission::OrgMemberWrite
            | Permission::OrgMemberDelete
            | Permission::OrgCreate => Permission::ALL.contains(&p),
        };
        assert!(listed(Permission::ProjectAppWrite));
        assert_eq!(Permission::ALL.len(), 16);
        let listed = |r: Role| match r {
            Role::IamOwner
            | Role::IamOwnerViewer
            | Role::IamUserManager
            | Role::OrgOwner
            | Role::OrgOwnerViewer
            | Role::OrgUserManager => Role::ALL.contains(&r),
        };
        assert!(Role::ALL.into_iter().all(listed));
        assert_eq!(Role::ALL.len(), 6);
    }
}
