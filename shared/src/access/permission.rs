//! Permissions and the roles that hold them (spec §2).

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

/// What a role allows. IAM_* roles hold in every org, ORG_* in their org.
pub fn permissions_of(role: &str) -> &'static [Permission] {
    match role {
        "IAM_OWNER" | "ORG_OWNER" => OWN,
        "IAM_USER_MANAGER" | "ORG_USER_MANAGER" => MANAGE_USERS,
        "IAM_OWNER_VIEWER" | "ORG_OWNER_VIEWER" => READ,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewers_read_managers_manage_owners_own() {
        assert!(permissions_of("ORG_OWNER_VIEWER").contains(&UserGrantRead));
        assert!(!permissions_of("ORG_OWNER_VIEWER").contains(&UserWrite));
        assert!(permissions_of("IAM_USER_MANAGER").contains(&UserDelete));
        assert!(!permissions_of("ORG_USER_MANAGER").contains(&ProjectCreate));
        assert!(permissions_of("IAM_OWNER").contains(&OrgMemberWrite));
        assert!(permissions_of("SOMETHING").is_empty());
    }
}
