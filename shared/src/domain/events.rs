//! The kinds of change events, as ZITADEL's eventstore names them.

crate::named_enum! {
    /// The event type as stored and as ZITADEL names it (`user.grant.deactivated`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum EventKind: "event kind" {
        OrgAdded => "org.added",
        OrgMemberAdded => "org.member.added",
        OrgMemberChanged => "org.member.changed",
        OrgMemberRemoved => "org.member.removed",
        UserMachineAdded => "user.machine.added",
        UserMachineSecretSet => "user.machine.secret.set",
        UserMachineSecretRemoved => "user.machine.secret.removed",
        UserMachineSecretHashUpdated => "user.machine.secret.updated",
        UserDeactivated => "user.deactivated",
        UserReactivated => "user.reactivated",
        UserRemoved => "user.removed",
        UserGrantAdded => "user.grant.added",
        UserGrantChanged => "user.grant.changed",
        UserGrantDeactivated => "user.grant.deactivated",
        UserGrantReactivated => "user.grant.reactivated",
        UserGrantRemoved => "user.grant.removed",
        ProjectAdded => "project.added",
        ProjectRoleAdded => "project.role.added",
        ApplicationAdded => "project.application.added",
        ApiConfigAdded => "project.application.config.api.added",
        UserMachineChanged => "user.machine.changed",
        UserUserNameChanged => "user.username.changed",
        UserMachineKeyAdded => "user.machine.key.added",
        UserMachineKeyRemoved => "user.machine.key.removed",
        ApplicationKeyAdded => "project.application.key.added",
        ApplicationKeyRemoved => "project.application.key.removed",
        PersonalAccessTokenAdded => "user.personal.access.token.added",
        PersonalAccessTokenRemoved => "user.personal.access.token.removed",
    }
}

impl EventKind {
    /// ZITADEL's English text for the event type (its `EventTypes` i18n); empty where ZITADEL
    /// has none for a user's history.
    pub fn localized(self) -> &'static str {
        match self {
            EventKind::UserMachineAdded => "Technical user added",
            EventKind::UserMachineSecretSet => "Secret set",
            EventKind::UserMachineSecretRemoved => "Secret removed",
            EventKind::UserDeactivated => "User deactivated",
            EventKind::UserReactivated => "User reactivated",
            EventKind::UserRemoved => "User removed",
            EventKind::UserGrantAdded => "Authorization added",
            EventKind::UserGrantChanged => "Authorization changed",
            EventKind::UserGrantDeactivated => "Authorization deactivated",
            EventKind::UserGrantReactivated => "Authorization reactivated",
            EventKind::UserGrantRemoved => "Authorization removed",
            EventKind::UserMachineChanged => "Technical user changed",
            EventKind::UserUserNameChanged => "Username changed",
            EventKind::UserMachineKeyAdded => "Key added",
            EventKind::UserMachineKeyRemoved => "Key removed",
            EventKind::PersonalAccessTokenAdded => "Personal Access Token added",
            EventKind::PersonalAccessTokenRemoved => "Personal Access Token removed",
            EventKind::OrgAdded
            | EventKind::UserMachineSecretHashUpdated
            | EventKind::OrgMemberAdded
            | EventKind::OrgMemberChanged
            | EventKind::OrgMemberRemoved
            | EventKind::ProjectAdded
            | EventKind::ProjectRoleAdded
            | EventKind::ApplicationKeyAdded
            | EventKind::ApplicationKeyRemoved
            | EventKind::ApplicationAdded
            | EventKind::ApiConfigAdded => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.name()), Ok(kind));
        }
        assert!(EventKind::parse("user.grant.cascade.removed").is_err());
        // `localized` matches every kind, so adding one means looking at this count.
        assert_eq!(EventKind::ALL.len(), 28);
    }
}
