//! Projects and their roles (what user grants grant).

use crate::error::{Error, Result};
use crate::store::keys::{self, project_aggregate};
use crate::store::{ids, with_retries, Commit, Event, Item, Store};
use crate::time::Timestamp;

use super::{Actor, Details};

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
            id: item.string("id")?,
            org_id: item.string("orgId")?,
            name: item.string("name")?,
            sequence: item.seq()?,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct NewProject {
    pub name: String,
    pub project_role_assertion: bool,
    pub project_role_check: bool,
    pub has_project_check: bool,
    pub private_labeling_setting: String,
}

/// AddProject: a project of the actor's org; names are unique per org.
pub async fn add_project(
    store: &Store,
    actor: &Actor,
    new: &NewProject,
) -> Result<(String, Details)> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err(Error::invalid("PROJECT-IOVCC", "Project is invalid"));
    }
    with_retries(move || {
        Box::pin(async move {
            let id = ids::new_id();
            let at = Timestamp::now();
            let project = Item::new()
                .with_str("id", &id)
                .with_str("orgId", &actor.org_id)
                .with_str("name", name)
                .with_str("roleAssertion", new.project_role_assertion.to_string())
                .with_str("roleCheck", new.project_role_check.to_string())
                .with_str("hasProjectCheck", new.has_project_check.to_string())
                .with_opt_str(
                    "privateLabelingSetting",
                    Some(&new.private_labeling_setting),
                );
            let event = Event {
                kind: "project.added",
                at,
                editor: &actor.user_id,
                resource_owner: &actor.org_id,
            };
            let mut tx = store.transaction();
            tx.create(
                project_aggregate(&id),
                &keys::project(&id),
                project,
                &[event],
            );
            tx.put_unique(
                &keys::unique_project_name(&actor.org_id, name),
                Item::new().with_str("projectId", &id),
                "project name",
            );
            match store.commit(tx).await? {
                Commit::Done => Ok(Some((id.clone(), Details::created(1, at, &actor.org_id)))),
                Commit::Taken("project name") => Err(Error::already_exists(
                    "V3-DKcYh",
                    "Project already exists on organization",
                )),
                Commit::Taken(_) | Commit::Stale => Ok(None),
            }
        })
    })
    .await
}

#[derive(Debug, Clone, Default)]
pub struct NewRole {
    pub key: String,
    pub display_name: String,
    pub group: String,
}

/// AddProjectRole: a role of a project of the actor's org; keys are unique per project.
pub async fn add_project_role(
    store: &Store,
    actor: &Actor,
    project_id: &str,
    role: &NewRole,
) -> Result<Details> {
    with_retries(move || {
        Box::pin(async move {
            let project = match store.get(&keys::project(project_id)).await? {
                Some(item) => Project::from_item(&item)?,
                None => return Err(Error::precondition("COMMAND-EbFMN", "Project not found")),
            };
            if project.org_id != actor.org_id {
                return Err(Error::precondition("COMMAND-EbFMN", "Project not found"));
            }
            let at = Timestamp::now();
            let event = Event {
                kind: "project.role.added",
                at,
                editor: &actor.user_id,
                resource_owner: &project.org_id,
            };
            let mut tx = store.transaction();
            let sequence = tx.change(
                project_aggregate(project_id),
                &keys::project(project_id),
                project.sequence,
                Item::new(),
                &[],
                &event,
            );
            let item = Item::new()
                .with_str("key", &role.key)
                .with_str("displayName", &role.display_name)
                .with_opt_str("group", Some(&role.group));
            tx.put_unique(&keys::project_role(project_id, &role.key), item, "role");
            match store.commit(tx).await? {
                Commit::Done => Ok(Some(Details::created(sequence, at, &project.org_id))),
                Commit::Taken(_) => Err(Error::already_exists("V3-DKcYh", "Role already exists")),
                Commit::Stale => Ok(None),
            }
        })
    })
    .await
}
