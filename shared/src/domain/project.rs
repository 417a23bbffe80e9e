//! Projects and their roles (what user grants grant): AddProject, AddProjectRole, ListProjects,
//! ListProjectRoles.

use crate::error::{Error, Result};
use crate::store::keys::{self, Unique};
use crate::store::{attrs, ids, until_done, Key, Outcome, Refused};
use crate::time::Timestamp;

use super::id::{is_reserved, key_of};
use super::roles::Permission;
use super::search::{page_limit, TextMethod};
use super::{Context, Details, EventKind, Operation, ProjectId};

use super::model::project::{put_role, record_addition, NewProject};

pub use super::migrate::list_projects;
pub use super::model::project::{project_of_actor, PrivateLabeling, Project, ProjectView};

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

/// The most roles of one project a list reads (one Query of small items). **Our decision**: a
/// project with more is refused with `PROJECT-Lst1k` rather than read further.
pub const MAX_PROJECT_ROLES: usize = 1000;

/// A role of a project, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRole {
    pub key: String,
    pub display_name: String,
    pub group: String,
}

/// A field of a role that a list filters on by text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleText {
    Key,
    DisplayName,
}

/// ListProjectRoles: the roles of a project of the actor's org that pass every text filter, in
/// key order (case-insensitive), paged. A project that is unknown or of another org has no
/// roles to show (ZITADEL's query is bounded by the caller's org, and finds none). One Query of
/// the project's roles (at most `MAX_PROJECT_ROLES`); the project itself is read ahead.
#[derive(Debug, Clone, Default)]
pub struct ListProjectRoles {
    pub project_id: ProjectId,
    pub texts: Vec<(RoleText, TextMethod, String)>,
    pub offset: u64,
    /// 0: the default.
    pub limit: u32,
    pub ascending: bool,
}

#[derive(Debug, Clone)]
pub struct ProjectRolePage {
    pub project_id: ProjectId,
    /// The project's org (the actor's).
    pub org_id: String,
    pub total: u64,
    pub limit: u32,
    pub roles: Vec<ProjectRole>,
}

impl Operation for ListProjectRoles {
    type Output = ProjectRolePage;
    const PERMISSION: Option<Permission> = Some(Permission::ProjectRoleRead);

    fn reads_first(&self) -> Vec<Key> {
        key_of(&self.project_id, keys::project)
            .into_iter()
            .collect()
    }

    async fn run(self, context: &Context<'_>) -> Result<ProjectRolePage> {
        let limit = page_limit(self.limit)?;
        let empty = ProjectRolePage {
            project_id: self.project_id.clone(),
            org_id: context.actor.org_id.0.clone(),
            total: 0,
            limit,
            roles: Vec::new(),
        };
        let store = context.store;
        match project_of_actor(store, &context.actor, &self.project_id).await {
            Ok(_) => {}
            Err(error) if error.id == Some("COMMAND-EbFMN") => return Ok(empty),
            Err(error) => return Err(error),
        }
        let project_key = keys::project(&self.project_id);
        let items = store
            .query(
                &project_key.pk,
                Some(("begins_with(sk, :sk)", "ROLE#".to_string())),
                self.ascending,
                Some(MAX_PROJECT_ROLES + 1),
            )
            .await?;
        if items.len() > MAX_PROJECT_ROLES {
            return Err(Error::precondition(
                "PROJECT-Lst1k",
                "Errors.Project.Role.TooManyToList",
            ));
        }
        let mut roles = Vec::with_capacity(items.len());
        for item in &items {
            let role = ProjectRole {
                key: item.string(attrs::ROLE_KEY)?,
                display_name: item.string(attrs::DISPLAY_NAME)?,
                group: item.opt_str(attrs::GROUP).unwrap_or_default().to_string(),
            };
            let keeps = self.texts.iter().all(|(field, method, wanted)| {
                let value = match field {
                    RoleText::Key => &role.key,
                    RoleText::DisplayName => &role.display_name,
                };
                method.matches(value, wanted)
            });
            if keeps {
                roles.push(role);
            }
        }
        let total = roles.len() as u64;
        let offset = usize::try_from(self.offset).unwrap_or(usize::MAX);
        Ok(ProjectRolePage {
            total,
            roles: roles
                .into_iter()
                .skip(offset)
                .take(limit as usize)
                .collect(),
            ..empty
        })
    }
}

/// The most projects of one org a list reads (one Query of small items). **Our decision**: an
/// org with more is refused with `PROJECT-Lst2k` rather than read further.
pub const MAX_ORG_PROJECTS: usize = 1000;

/// ListProjects: the projects of the actor's org that pass every filter, in project-id order,
/// paged. One Query of the org's list of projects (at most `MAX_ORG_PROJECTS` entries), then one
/// batch read of the projects of the page; when a name filter needs them, of every project the
/// id filters left.
#[derive(Debug, Clone, Default)]
pub struct ListProjects {
    /// Projects among these only: every set must hold the project (v2's `inProjectIdsFilter`).
    pub project_id_sets: Vec<Vec<String>>,
    pub names: Vec<(TextMethod, String)>,
    /// Projects of these orgs only (v1's `projectResourceOwnerQuery`): each must be the actor's.
    pub org_ids: Vec<String>,
    pub offset: u64,
    /// 0: the default.
    pub limit: u32,
    pub ascending: bool,
}

#[derive(Debug, Clone)]
pub struct ProjectPage {
    pub total: u64,
    pub limit: u32,
    pub projects: Vec<ProjectView>,
}

impl Operation for ListProjects {
    type Output = ProjectPage;
    const PERMISSION: Option<Permission> = Some(Permission::ProjectRead);

    async fn run(self, context: &Context<'_>) -> Result<ProjectPage> {
        let limit = page_limit(self.limit)?;
        let (store, org_id) = (context.store, &context.actor.org_id);
        let mut page = ProjectPage {
            total: 0,
            limit,
            projects: Vec::new(),
        };
        if self.org_ids.iter().any(|id| id != &org_id.0) {
            return Ok(page);
        }
        let entries = store
            .query(
                &keys::org_projects(org_id),
                None,
                self.ascending,
                Some(MAX_ORG_PROJECTS + 1),
            )
            .await?;
        if entries.len() > MAX_ORG_PROJECTS {
            return Err(Error::precondition(
                "PROJECT-Lst2k",
                "Errors.Project.TooManyToList",
            ));
        }
        let mut ids = Vec::with_capacity(entries.len());
        for entry in &entries {
            let id = entry.string(attrs::PROJECT_ID)?;
            if self.project_id_sets.iter().all(|set| set.contains(&id)) {
                ids.push(id);
            }
        }
        let offset = usize::try_from(self.offset).unwrap_or(usize::MAX);
        if self.names.is_empty() {
            page.total = ids.len() as u64;
            let ids: Vec<String> = ids.into_iter().skip(offset).take(limit as usize).collect();
            page.projects = load_projects(store, &ids).await?;
        } else {
            let mut projects = load_projects(store, &ids).await?;
            projects.retain(|view| {
                self.names
                    .iter()
                    .all(|(method, name)| method.matches(&view.project.name, name))
            });
            page.total = projects.len() as u64;
            page.projects = projects
                .into_iter()
                .skip(offset)
                .take(limit as usize)
                .collect();
        }
        Ok(page)
    }
}

/// The projects `ids`, in their order: batch reads of 100 keys.
async fn load_projects(store: &crate::store::Store, ids: &[String]) -> Result<Vec<ProjectView>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let wanted: Vec<Key> = ids.iter().map(|id| keys::project(id)).collect();
    let found = store.get_many(&wanted).await?;
    wanted
        .iter()
        .filter_map(|key| found.get(key))
        .map(ProjectView::from_item)
        .collect()
}
