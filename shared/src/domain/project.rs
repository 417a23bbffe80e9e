//! Projects and their roles (what user grants grant): AddProject, AddProjectRole.

use crate::error::{Error, Result};
use crate::store::keys::{self, Unique};
use crate::store::{ids, until_done, Key, Outcome, Refused};
use crate::time::Timestamp;

use super::id::{is_reserved, key_of};
use super::roles::Permission;
use super::{Context, Details, EventKind, Operation, ProjectId};

use super::model::project::{put_role, record_addition, NewProject};

pub use super::model::project::{project_of_actor, PrivateLabeling, Project};

/// AddProject (v1) and CreateProject (v2, perhaps with a chosen id): a project of the actor's
/// org; names are unique per org.
#[derive(Debug, Clone, Default)]
pub struct AddProject {
    /// A chosen id; `None`: one is drawn.
    pub project_id: Option<ProjectId>,
    pub name: String,
    pub project_role_assertion: bool,
    pub project_role_check: bool,
    pub has_project_check: bool,
    pub private_labeling_setting: PrivateLabeling,
}

impl Operation for AddProject {
    type Output = (ProjectId, Details);
    const PERMISSION: Option<Permission> = Some(Permission::ProjectCreate);

    async fn run(self, context: &Context<'_>) -> Result<(ProjectId, Details)> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(Error::invalid("PROJECT-IOVCC", "Project is invalid"));
        }
        if let Some(chosen) = &self.project_id {
            if is_reserved(context.config, chosen) {
                return Err(project_id_taken());
            }
        }
        let (store, actor, new) = (context.store, &context.actor, &self);
        until_done(move || {
            Box::pin(async move {
                let id = new.project_id.clone().map_or_else(ids::new_id, |id| id.0);
                let at = Timestamp::now();
                let mut tx = store.transaction();
                NewProject {
                    id: &id,
                    org_id: &actor.org_id,
                    name,
                    role_assertion: new.project_role_assertion,
                    role_check: new.project_role_check,
                    has_project_check: new.has_project_check,
                    private_labeling: new.private_labeling_setting,
                }
                .create(
                    &mut tx,
                    actor.event(EventKind::ProjectAdded, at, &actor.org_id),
                );
                Ok(match store.commit(tx).await? {
                    Ok(()) => Outcome::Done((
                        ProjectId(id.clone()),
                        Details::created(1, at, &actor.org_id),
                    )),
                    Err(Refused::Taken(Unique::ProjectName)) => {
                        return Err(Error::already_exists(
                            "V3-DKcYh",
                            "Project already exists on organization",
                        ))
                    }
                    // A chosen id that is taken stays taken; a drawn one is drawn again.
                    Err(Refused::Taken(Unique::AggregateId)) if new.project_id.is_some() => {
                        return Err(project_id_taken())
                    }
                    Err(refused) => Outcome::Again(refused),
                })
            })
        })
        .await
    }
}

fn project_id_taken() -> Error {
    Error::already_exists("COMMAND-opamwu", "Project already exists")
}

/// AddProjectRole: a role of a project of the actor's org; keys are unique per project.
#[derive(Debug, Clone, Default)]
pub struct AddProjectRole {
    pub project_id: ProjectId,
    pub key: String,
    pub display_name: String,
    pub group: String,
}

impl Operation for AddProjectRole {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::ProjectRoleWrite);

    fn reads_first(&self) -> Vec<Key> {
        key_of(&self.project_id, keys::project)
            .into_iter()
            .collect()
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        let (store, actor, role) = (context.store, &context.actor, &self);
        let project_id = &self.project_id;
        until_done(move || {
            Box::pin(async move {
                let project = project_of_actor(store, actor, project_id).await?;
                let at = Timestamp::now();
                let mut tx = store.transaction();
                let event = actor.event(EventKind::ProjectRoleAdded, at, &project.org_id);
                let sequence = record_addition(&mut tx, &project, &[event]);
                put_role(
                    &mut tx,
                    project_id,
                    &role.key,
                    &role.display_name,
                    &role.group,
                );
                Ok(match store.commit(tx).await? {
                    Ok(()) => Outcome::Done(Details::created(sequence, at, &project.org_id)),
                    Err(Refused::Taken(Unique::RoleKey)) => {
                        return Err(Error::already_exists("V3-DKcYh", "Role already exists"))
                    }
                    Err(refused) => Outcome::Again(refused),
                })
            })
        })
        .await
    }
}
