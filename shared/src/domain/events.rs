//! The kinds of change events, as ZITADEL's eventstore names them.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    OrgAdded,
    OrgMemberAdded,
    UserMachineAdded,
    UserMachineSecretSet,
    UserMachineSecretRemoved,
    UserMachineSecretHashUpdated,
    UserDeactivated,
    UserReactivated,
    UserRemoved,
    UserGrantAdded,
    UserGrantDeactivated,
    UserGrantReactivated,
    UserGrantRemoved,
    ProjectAdded,
    ProjectRoleAdded,
    ApplicationAdded,
    ApiConfigAdded,
}

impl EventKind {
    const ALL: [EventKind; 17] = [
        EventKind::OrgAdded,
        EventKind::OrgMemberAdded,
        EventKind::UserMachineAdded,
        EventKind::UserMachineSecretSet,
        EventKind::UserMachineSecretRemoved,
        EventKind::UserMachineSecretHashUpdated,
        EventKind::UserDeactivated,
        EventKind::UserReactivated,
        EventKind::UserRemoved,
        EventKind::UserGrantAdded,
        EventKind::UserGrantDeactivated,
        EventKind::UserGrantReactivated,
        EventKind::UserGrantRemoved,
        EventKind::ProjectAdded,
        EventKind::ProjectRoleAdded,
        EventKind::ApplicationAdded,
        EventKind::ApiConfigAdded,
    ];

    /// The event type as stored and as ZITADEL names it (`user.grant.deactivated`).
    pub fn name(self) -> &'static str {
        match self {
            EventKind::OrgAdded => "org.added",
            EventKind::OrgMemberAdded => "org.member.added",
            EventKind::UserMachineAdded => "user.machine.added",
            EventKind::UserMachineSecretSet => "user.machine.secret.set",
            EventKind::UserMachineSecretRemoved => "user.machine.secret.removed",
            EventKind::UserMachineSecretHashUpdated => "user.machine.secret.updated",
            EventKind::UserDeactivated => "user.deactivated",
            EventKind::UserReactivated => "user.reactivated",
            EventKind::UserRemoved => "user.removed",
            EventKind::UserGrantAdded => "user.grant.added",
            EventKind::UserGrantDeactivated => "user.grant.deactivated",
            EventKind::UserGrantReactivated => "user.grant.reactivated",
            EventKind::UserGrantRemoved => "user.grant.removed",
            EventKind::ProjectAdded => "project.added",
            EventKind::ProjectRoleAdded => "project.role.added",
            EventKind::ApplicationAdded => "project.application.added",
            EventKind::ApiConfigAdded => "project.application.config.api.added",
        }
    }

    pub fn parse(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.name() == name)
    }

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
            EventKind::UserGrantDeactivated => "Authorization deactivated",
            EventKind::UserGrantReactivated => "Authorization reactivated",
            EventKind::UserGrantRemoved => "Authorization removed",
            EventKind::OrgAdded
            | EventKind::UserMachineSecretHashUpdated
            | EventKind::OrgMemberAdded
            | EventKind::ProjectAdded
            | EventKind::ProjectRoleAdded
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
            assert_eq!(EventKind::parse(kind.name()), Some(kind));
        }
        assert_eq!(EventKind::parse("user.grant.cascade.removed"), None);
    }
}
