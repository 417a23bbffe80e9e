//! Projects and their roles (what user grants grant): AddProject, AddProjectRole.

use crate::error::{Error, Result};
use crate::store::keys::{self, project_aggregate, Unique};
use crate::store::{attrs, ids, until_done, Item, Key, Outcome, Refused, Store};
use crate::time::Timestamp;

use super::id::key_of;
use super::roles::Permission;
use super::{Actor, Context, Details, EventKind, Operation, ProjectId};

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
        let (store, actor, new) = (context.store, &context.actor, &self);
        until_done(move || {
            Box::pin(async move {
                let id = new.project_id.clone().map_or_else(ids::new_id, |id| id.0);
                let at = Timestamp::now();
                let project = Item::new()
                    .with_str(attrs::ID, &id)
                    .with_str(attrs::ORG_ID, &*actor.org_id)
                    .with_str(attrs::NAME, name)
                    .with_str(
                        attrs::ROLE_ASSERTION,
                        new.project_role_assertion.to_string(),
                    )
                    .with_str(attrs::ROLE_CHECK, new.project_role_check.to_string())
                    .with_str(attrs::HAS_PROJECT_CHECK, new.has_project_check.to_string())
                    .with_opt_str(
                        attrs::PRIVATE_LABELING,
                        Some(new.private_labeling_setting.name()),
                    );
                let mut tx = store.transaction();
                tx.create(
                    project_aggregate(&id),
                    &keys::project(&id),
                    project,
                    &[actor.event(EventKind::ProjectAdded, at, &actor.org_id)],
                );
                tx.put_unique(
                    &keys::unique_project_name(&actor.org_id, name),
                    Item::new().with_str(attrs::PROJECT_ID, &id),
                    Unique::ProjectName,
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
                        return Err(Error::already_exists(
                            "COMMAND-opamwu",
                            "Project already exists",
                        ))
                    }
                    Err(refused) => Outcome::Again(refused),
                })
            })
        })
        .await
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
                let sequence = tx.change(
                    project_aggregate(project_id),
                    &keys::project(project_id),
                    project.sequence,
                    Item::new(),
                    &[],
                    &actor.event(EventKind::ProjectRoleAdded, at, &project.org_id),
                );
                let item = Item::new()
                    .with_str(attrs::ROLE_KEY, &role.key)
                    .with_str(attrs::DISPLAY_NAME, &role.display_name)
                    .with_opt_str(attrs::GROUP, Some(&role.group));
                tx.put_unique(
                    &keys::project_role(project_id, &role.key),
                    item,
                    Unique::RoleKey,
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
