//! Projects (`keys::project`) and what hangs off them: their roles and their API apps.

use crate::error::{Error, Result};
use crate::store::keys::{self, project_aggregate, Unique};
use crate::store::{attrs, Event, Item, Store, Transaction};

use super::Actor;
use crate::domain::id::ProjectId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub sequence: u64,
}

impl Project {
    pub fn from_item(item: &Item) -> Result<Project> {
        Ok(Project {
            id: item.string(attrs::ID)?,
            org_id: item.string(attrs::ORG_ID)?,
            name: item.string(attrs::NAME)?,
            sequence: item.seq()?,
        })
    }
}

crate::named_enum! {
    /// Which org's branding the login shows for a project (ZITADEL's `PrivateLabelingSetting`).
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub enum PrivateLabeling: "private labeling setting" {
        #[default]
        Unspecified = 0 => "PRIVATE_LABELING_SETTING_UNSPECIFIED",
        EnforceProjectResourceOwnerPolicy = 1 => "PRIVATE_LABELING_SETTING_ENFORCE_PROJECT_RESOURCE_OWNER_POLICY",
        AllowLoginUserResourceOwnerPolicy = 2 => "PRIVATE_LABELING_SETTING_ALLOW_LOGIN_USER_RESOURCE_OWNER_POLICY",
    }
}

/// The project `project_id` if the actor's org owns it; else ZITADEL's "Project not found"
/// (a precondition of the commands that add to a project).
pub async fn project_of_actor(
    store: &Store,
    actor: &Actor,
    project_id: &ProjectId,
) -> Result<Project> {
    let not_found = || Error::precondition("COMMAND-EbFMN", "Project not found");
    let project = match store.get(&keys::project(project_id)).await? {
        Some(item) => Project::from_item(&item)?,
        None => return Err(not_found()),
    };
    if project.org_id != actor.org_id.0 {
        return Err(not_found());
    }
    Ok(project)
}

/// A new project of `org_id`: its root item and its name, unique in the org, into `tx` with
/// `event`. Refused (`Unique::ProjectName`) when the org has a project of that name.
pub struct NewProject<'a> {
    pub id: &'a str,
    pub org_id: &'a str,
    pub name: &'a str,
    pub role_assertion: bool,
    pub role_check: bool,
    pub has_project_check: bool,
    pub private_labeling: PrivateLabeling,
}

impl NewProject<'_> {
    pub fn create(&self, tx: &mut Transaction, event: Event<'_>) {
        let project = Item::new()
            .with_str(attrs::ID, self.id)
            .with_str(attrs::ORG_ID, self.org_id)
            .with_str(attrs::NAME, self.name)
            .with_str(attrs::ROLE_ASSERTION, self.role_assertion.to_string())
            .with_str(attrs::ROLE_CHECK, self.role_check.to_string())
            .with_str(attrs::HAS_PROJECT_CHECK, self.has_project_check.to_string())
            .with_opt_str(attrs::PRIVATE_LABELING, Some(self.private_labeling.name()));
        tx.create(
            project_aggregate(self.id),
            &keys::project(self.id),
            project,
            &[event],
        );
        tx.put_unique(
            &keys::unique_project_name(self.org_id, self.name),
            Item::new().with_str(attrs::PROJECT_ID, self.id),
            Unique::ProjectName,
        );
        list_project(tx, self.org_id, self.id);
    }
}

/// The entry of the project `project_id` in its org's list (`keys::org_project`), into `tx`:
/// new, as the project is (`Unique::AggregateId` when it is there already).
pub fn list_project(tx: &mut Transaction, org_id: &str, project_id: &str) {
    tx.put_unique(
        &keys::org_project(org_id, project_id),
        Item::new().with_str(attrs::PROJECT_ID, project_id),
        Unique::AggregateId,
    );
}

/// A project as lists show it: the project, its dates and its settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectView {
    pub project: Project,
    pub details: super::Details,
    pub role_assertion: bool,
    pub role_check: bool,
    pub has_project_check: bool,
    pub private_labeling: PrivateLabeling,
}

impl ProjectView {
    pub fn from_item(item: &Item) -> Result<ProjectView> {
        let project = Project::from_item(item)?;
        let flag = |name: &str| item.opt_str(name) == Some("true");
        Ok(ProjectView {
            details: super::Details::read(item, &project.org_id)?,
            role_assertion: flag(attrs::ROLE_ASSERTION),
            role_check: flag(attrs::ROLE_CHECK),
            has_project_check: flag(attrs::HAS_PROJECT_CHECK),
            private_labeling: item
                .opt_str(attrs::PRIVATE_LABELING)
                .and_then(|name| PrivateLabeling::parse(name).ok())
                .unwrap_or_default(),
            project,
        })
    }
}

/// Records `events` of something added to `project` (a role, an app) on its aggregate, into
/// `tx`: requires the sequence it was read at. Returns the project's sequence after them.
pub fn record_addition(tx: &mut Transaction, project: &Project, events: &[Event<'_>]) -> u64 {
    tx.change_by(
        project_aggregate(&project.id),
        &keys::project(&project.id),
        project.sequence,
        Item::new(),
        &[],
        events,
    )
}

/// A new role `key` of `project_id`, into `tx`: refused (`Unique::RoleKey`) when the project has
/// it.
pub fn put_role(
    tx: &mut Transaction,
    project_id: &str,
    key: &str,
    display_name: &str,
    group: &str,
) {
    let item = Item::new()
        .with_str(attrs::ROLE_KEY, key)
        .with_str(attrs::DISPLAY_NAME, display_name)
        .with_opt_str(attrs::GROUP, Some(group));
    tx.put_unique(&keys::project_role(project_id, key), item, Unique::RoleKey);
}
