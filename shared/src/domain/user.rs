//! Machine users and their secrets: AddMachineUser, GetUserByID, GetMyUser,
//! GenerateMachineSecret, RemoveMachineSecret, DeactivateUser, ReactivateUser, RemoveUser,
//! UpdateMachine, UpdateUserName, and v2's UpdateUser (the last two in one). How a user's
//! grants and memberships follow its state (RemoveUser's cascade) is told in `model::user`.

use std::sync::OnceLock;

use crate::config::Argon2Params;
use crate::error::{Error, Result};
use crate::store::keys::{self, Unique};
use crate::store::{attrs, ids, until_done, Item, Key, Outcome, Refused, Store, Transaction};
use crate::time::Timestamp;

use super::id::{is_reserved, key_of};
use super::model::grant::{listed_grants_of, unlist};
use super::model::user::{
    change_user_item, change_user_item_by, free_user_name, move_user_name, read_live_user,
};
use super::policy::owner::keep_an_owner;
use super::policy::reach::require_reach;
use super::roles::Permission;
use super::{Context, Details, EventKind, Operation, OrgId, UserId};

pub use super::model::user::{
    require_unchanged_state, AccessTokenType, NewMachineUser, User, UserKind, UserState,
};

fn user_keys(user_id: &UserId) -> Vec<Key> {
    key_of(user_id, keys::user).into_iter().collect()
}

/// The user and its instance membership: what the containment rule reads first.
fn user_and_instance_keys(user_id: &UserId) -> Vec<Key> {
    [keys::user, keys::iam_member]
        .into_iter()
        .filter_map(|key| key_of(user_id, key))
        .collect()
}

pub fn user_name_taken() -> Error {
    Error::already_exists("V3-DKcYh", "User already exists")
}

/// AddMachineUser (v1) and CreateUser (v2): a machine user in the actor's org; the userName is
/// unique instance-wide.
#[derive(Debug, Clone, Default)]
pub struct AddMachineUser {
    /// A chosen id; `None`: one is drawn.
    pub user_id: Option<UserId>,
    /// Empty: the user's id (v2 makes a username optional; v1 validation requires one).
    pub user_name: String,
    pub name: String,
    pub description: String,
    pub access_token_type: AccessTokenType,
}

impl Operation for AddMachineUser {
    type Output = (UserId, Details);
    const PERMISSION: Option<Permission> = Some(Permission::UserWrite);

    async fn run(self, context: &Context<'_>) -> Result<(UserId, Details)> {
        if let Some(chosen) = &self.user_id {
            if is_reserved(context.config, chosen) {
                return Err(user_name_taken());
            }
        }
        let (store, actor) = (context.store, &context.actor);
        let new = &self;
        until_done(move || {
            Box::pin(async move {
                let id = new.user_id.clone().unwrap_or_else(|| ids::new_id().into());
                let user_name = match new.user_name.as_str() {
                    "" => &id,
                    name => name,
                };
                let at = Timestamp::now();
                let mut tx = store.transaction();
                NewMachineUser {
                    id: &id,
                    org_id: &actor.org_id,
                    user_name,
                    name: &new.name,
                    description: &new.description,
                    access_token_type: new.access_token_type,
                    secret_hash: None,
                }
                .create(&mut tx, actor, at);
                Ok(match store.commit(tx).await? {
                    Ok(()) => Outcome::Done((id.clone(), Details::changed(1, at, &actor.org_id))),
                    Err(Refused::Taken(Unique::UserName)) => return Err(user_name_taken()),
                    // A chosen id that is taken stays taken; a drawn one is drawn again.
                    Err(Refused::Taken(Unique::AggregateId)) if new.user_id.is_some() => {
                        return Err(user_name_taken())
                    }
                    Err(refused) => Outcome::Again(refused),
                })
            })
        })
        .await
    }
}

/// GetUserByID, as the context org may see it.
#[derive(Debug, Clone)]
pub struct GetUserById {
    pub user_id: UserId,
}

impl Operation for GetUserById {
    type Output = User;
    const PERMISSION: Option<Permission> = Some(Permission::UserRead);

    fn reads_first(&self) -> Vec<Key> {
        user_keys(&self.user_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<User> {
        user_in_org(context.store, &context.actor.org_id, &self.user_id).await
    }
}

/// GetMyUser (the auth API): the caller's own user, for any valid token. Authentication read
/// it already, but does not keep it: one read more (**our decision**: an extra small read
/// rather than every operation carrying the caller's user).
#[derive(Debug, Clone, Default)]
pub struct GetMyUser;

impl Operation for GetMyUser {
    type Output = User;
    const PERMISSION: Option<Permission> = None;

    async fn run(self, context: &Context<'_>) -> Result<User> {
        read_live_user(context.store, &context.actor.user_id)
            .await?
            .ok_or_else(unknown_user)
    }
}

/// A user operation as v2 runs it: a user of another org answers as an unknown one does (v1
/// tells them apart with `MANAG-fpo4B`, as ZITADEL's management API does).
#[derive(Debug, Clone)]
pub struct ForeignAsUnknown<Op>(pub Op);

impl<Op: Operation + Sync> Operation for ForeignAsUnknown<Op> {
    type Output = Op::Output;
    const PERMISSION: Option<Permission> = Op::PERMISSION;

    fn reads_first(&self) -> Vec<Key> {
        self.0.reads_first()
    }

    async fn run(self, context: &Context<'_>) -> Result<Op::Output> {
        self.0.run(context).await.map_err(|error| match error.id {
            Some(OTHER_ORG) => unknown_user(),
            _ => error,
        })
    }
}

const OTHER_ORG: &str = "MANAG-fpo4B";

fn unknown_user() -> Error {
    Error::not_found("QUERY-Dfbg2", "User could not be found")
}

/// A live user of `org_id`, or ZITADEL's "User could not be found".
async fn user_in_org(store: &Store, org_id: &OrgId, user_id: &str) -> Result<User> {
    let user = read_live_user(store, user_id)
        .await?
        .ok_or_else(unknown_user)?;
    if user.org_id != org_id.0 {
        return Err(Error::not_found(OTHER_ORG, "User could not be found"));
    }
    Ok(user)
}

/// GenerateMachineSecret: a new secret replaces the old one at once. Answers the clientId
/// (userName), the plaintext secret (shown once, never stored) and the details.
#[derive(Debug, Clone)]
pub struct GenerateMachineSecret {
    pub user_id: UserId,
}

#[derive(Debug, Clone)]
pub struct NewSecret {
    pub client_id: String,
    pub client_secret: String,
    pub details: Details,
}

impl Operation for GenerateMachineSecret {
    type Output = NewSecret;
    const PERMISSION: Option<Permission> = Some(Permission::UserWrite);

    fn reads_first(&self) -> Vec<Key> {
        user_and_instance_keys(&self.user_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<NewSecret> {
        let (store, actor, argon2) = (context.store, &context.actor, context.config.argon2);
        let user_id = &self.user_id;
        // Hashing is the expensive part: once, and only for a user that can have a secret.
        let prepared = OnceLock::new();
        let prepared = &prepared;
        let reach = OnceLock::new();
        let reach = &reach;
        until_done(move || {
            Box::pin(async move {
                let user = user_in_org(store, &actor.org_id, user_id).await?;
                if !user.is_machine() {
                    return Err(Error::precondition(
                        "COMMAND-x8910n",
                        "Errors.User.NotExisting",
                    ));
                }
                require_reach(context, &user, reach).await?;
                let (secret, hash) = new_secret(prepared, argon2)?;
                let at = Timestamp::now();
                let mut tx = store.transaction();
                let sequence = change_user_item(
                    &mut tx,
                    &user,
                    Item::new().with_str(attrs::SECRET_HASH, hash),
                    &[],
                    &actor.event(EventKind::UserMachineSecretSet, at, &user.org_id),
                );
                Ok(store
                    .commit(tx)
                    .await?
                    .map(|()| NewSecret {
                        client_id: user.user_name.clone(),
                        client_secret: secret.to_string(),
                        details: Details::created(sequence, at, &user.org_id),
                    })
                    .into())
            })
        })
        .await
    }
}

type Prepared = OnceLock<std::result::Result<(String, String), String>>;

/// The secret and its hash, made once per request however often the command decides again.
fn new_secret(prepared: &Prepared, argon2: Argon2Params) -> Result<(&str, &str)> {
    let (secret, hash) = prepared
        .get_or_init(|| {
            let secret = crate::auth::secret::generate_secret();
            crate::auth::secret::hash_secret(&secret, argon2).map(|hash| (secret, hash))
        })
        .as_ref()
        .map_err(Error::internal)?;
    Ok((secret, hash))
}

/// What a change does to a user's root item, and its events (none: nothing changes, and the
/// user's details are answered as they are).
struct UserChange {
    set: Item,
    remove: &'static [&'static str],
    events: Vec<EventKind>,
    /// The user can no longer get tokens after it (deactivated, deleted): if it is an
    /// IAM_OWNER, another one must stay active.
    ends_service: bool,
}

/// A change to a live user of the actor's org, within the actor's reach, that leaves the
/// instance an active IAM_OWNER: `not_found` when there is no such user.
async fn change_user(
    context: &Context<'_>,
    user_id: &UserId,
    not_found: fn() -> Error,
    decide: impl Fn(&User) -> Result<UserChange> + Sync,
    extra: impl Fn(&mut Transaction, &User) + Sync,
) -> Result<Details> {
    let (store, actor) = (context.store, &context.actor);
    let (decide, extra) = (&decide, &extra);
    let reach = OnceLock::new();
    let reach = &reach;
    until_done(move || {
        Box::pin(async move {
            let user = read_live_user(store, user_id)
                .await?
                .filter(|u| u.org_id == actor.org_id.0)
                .ok_or_else(not_found)?;
            let owner = require_reach(context, &user, reach).await?;
            let change = decide(&user)?;
            if change.events.is_empty() {
                return Ok(Outcome::Done(user.details.clone()));
            }
            let at = Timestamp::now();
            let mut tx = store.transaction();
            keep_an_owner(store, &mut tx, user_id, owner && change.ends_service).await?;
            let events: Vec<_> = change
                .events
                .iter()
                .map(|kind| actor.event(*kind, at, &user.org_id))
                .collect();
            let sequence = change_user_item_by(&mut tx, &user, change.set, change.remove, &events);
            extra(&mut tx, &user);
            Ok(match store.commit(tx).await? {
                Ok(()) => Outcome::Done(Details::changed(sequence, at, &user.org_id)),
                // A userName the change puts (UpdateUserName) that another user took first.
                Err(Refused::Taken(Unique::UserName)) => return Err(user_name_taken()),
                Err(refused) => Outcome::Again(refused),
            })
        })
    })
    .await
}

/// A change of the user's state alone (deactivate, reactivate).
fn state_change(state: UserState, event: EventKind) -> UserChange {
    UserChange {
        set: Item::new().with_str(attrs::STATE, state.name()),
        remove: &[],
        events: vec![event],
        ends_service: state != UserState::Active,
    }
}

/// DeactivateUser: no more tokens (and tokens already issued are refused at once, as every
/// reader checks the user's state), its grants stop counting; all of it until reactivated.
#[derive(Debug, Clone)]
pub struct DeactivateUser {
    pub user_id: UserId,
}

impl Operation for DeactivateUser {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::UserWrite);

    fn reads_first(&self) -> Vec<Key> {
        user_and_instance_keys(&self.user_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        let not_found = || Error::not_found("COMMAND-3M9ds", "User could not be found");
        let decide = |user: &User| match user.state {
            UserState::Inactive => Err(Error::precondition(
                "COMMAND-5M0sf",
                "User already inactive",
            )),
            _ => {
                let change = state_change(UserState::Inactive, EventKind::UserDeactivated);
                Ok(UserChange {
                    set: change.set.with_time(attrs::TOKENS_AFTER, Timestamp::now()),
                    ..change
                })
            }
        };
        change_user(context, &self.user_id, not_found, decide, |_, _| {}).await
    }
}

/// ReactivateUser: an inactive user becomes active again, with its secret and grants.
#[derive(Debug, Clone)]
pub struct ReactivateUser {
    pub user_id: UserId,
}

impl Operation for ReactivateUser {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::UserWrite);

    fn reads_first(&self) -> Vec<Key> {
        user_and_instance_keys(&self.user_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        let not_found = || Error::not_found("COMMAND-4M0sd", "User could not be found");
        let decide = |user: &User| match user.state {
            UserState::Inactive => Ok(state_change(UserState::Active, EventKind::UserReactivated)),
            _ => Err(Error::precondition("COMMAND-6M0sf", "User is not inactive")),
        };
        change_user(context, &self.user_id, not_found, decide, |_, _| {}).await
    }
}

/// RemoveMachineSecret: the secret stops working; tokens already issued run out on their own.
#[derive(Debug, Clone)]
pub struct RemoveMachineSecret {
    pub user_id: UserId,
}

fn machine_not_existing() -> Error {
    Error::precondition("COMMAND-x7s802", "Errors.User.NotExisting")
}

impl Operation for RemoveMachineSecret {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::UserWrite);

    fn reads_first(&self) -> Vec<Key> {
        user_and_instance_keys(&self.user_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        let decide = |user: &User| {
            if !user.is_machine() {
                return Err(machine_not_existing());
            }
            if user.secret_hash.is_none() {
                return Err(Error::precondition(
                    "COMMAND-coi82n",
                    "Secret doesn't exist",
                ));
            }
            Ok(UserChange {
                set: Item::new(),
                remove: &[attrs::SECRET_HASH],
                events: vec![EventKind::UserMachineSecretRemoved],
                // Without a secret, no token.
                ends_service: true,
            })
        };
        change_user(
            context,
            &self.user_id,
            machine_not_existing,
            decide,
            |_, _| {},
        )
        .await
    }
}

/// How many of a deleted user's list entries go into its transaction (100 items at most, with
/// the user's own few).
const UNLISTED_WITH_USER: usize = 80;

/// RemoveUser: state deleted, secret dropped, userName freed, grants and memberships void
/// (see `model::user`), all in one transaction; then its grants leave their orgs' lists.
#[derive(Debug, Clone)]
pub struct RemoveUser {
    pub user_id: UserId,
}

impl Operation for RemoveUser {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::UserDelete);

    fn reads_first(&self) -> Vec<Key> {
        user_and_instance_keys(&self.user_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        let not_found = || Error::not_found("COMMAND-m9od", "User could not be found");
        let decide = |_: &User| {
            Ok(UserChange {
                remove: &[attrs::SECRET_HASH],
                ..state_change(UserState::Deleted, EventKind::UserRemoved)
            })
        };
        // Its grants leave their orgs' lists with it (in its transaction as far as they fit;
        // the rest right after).
        // Read only for a live user of the actor's org, as authentication read it: any other
        // is refused without this read (a caller learns nothing of a foreign user's grants).
        let key = keys::user(&self.user_id);
        let read = match context.store.peek_read_ahead_entry(&key) {
            Some(read) => read,
            // Run without a request (`run_as`): nothing was read ahead.
            None => context.store.get(&key).await?,
        };
        let removable = match read {
            Some(item) => {
                let user = User::from_item(&item)?;
                user.exists() && user.org_id == context.actor.org_id.0
            }
            None => false,
        };
        let listed = match removable {
            true => listed_grants_of(context.store, &self.user_id).await?,
            false => Vec::new(),
        };
        let (with_user, after) = listed.split_at(listed.len().min(UNLISTED_WITH_USER));
        let extra = |tx: &mut Transaction, user: &User| {
            free_user_name(tx, user);
            for entry in with_user {
                tx.delete(entry);
            }
        };
        let details = change_user(context, &self.user_id, not_found, decide, extra).await?;
        // The user is deleted whether or not this succeeds: an entry left in an org's list is
        // skipped by every reader, so a fault here costs a later read, never a wrong answer.
        let _unlisted = unlist(context.store, after).await;
        Ok(details)
    }
}

/// UpdateMachine: a machine user's name, description and access token type (not its userName:
/// UpdateUserName). ZITADEL's "no changes" when all three are as they are.
#[derive(Debug, Clone)]
pub struct UpdateMachine {
    pub user_id: UserId,
    pub name: String,
    pub description: String,
    pub access_token_type: AccessTokenType,
}

impl Operation for UpdateMachine {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::UserWrite);

    fn reads_first(&self) -> Vec<Key> {
        user_and_instance_keys(&self.user_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        let not_found = || Error::not_found("COMMAND-5M0od", "Errors.User.NotFound");
        let decide = |user: &User| {
            if !user.is_machine() {
                return Err(not_found());
            }
            if user.name == self.name
                && user.description == self.description
                && user.access_token_type == self.access_token_type
            {
                return Err(Error::precondition(
                    "COMMAND-2n8vs",
                    "Errors.User.NotChanged",
                ));
            }
            // An empty description is stored as none, as a new user's is.
            let remove: &'static [&'static str] = match self.description.is_empty() {
                true => &[attrs::DESCRIPTION],
                false => &[],
            };
            Ok(UserChange {
                set: Item::new()
                    .with_str(attrs::NAME, self.name.as_str())
                    .with_opt_str(attrs::DESCRIPTION, Some(&self.description))
                    .with_str(attrs::ACCESS_TOKEN_TYPE, self.access_token_type.name()),
                remove,
                events: vec![EventKind::UserMachineChanged],
                ends_service: false,
            })
        };
        change_user(context, &self.user_id, not_found, decide, |_, _| {}).await
    }
}

/// UpdateUserName: a user's new userName, unique instance-wide as a new user's; the old one is
/// freed in the same transaction, and the user's client id (its userName) follows at once.
#[derive(Debug, Clone)]
pub struct UpdateUserName {
    pub user_id: UserId,
    pub user_name: String,
}

impl Operation for UpdateUserName {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::UserWrite);

    fn reads_first(&self) -> Vec<Key> {
        user_and_instance_keys(&self.user_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        // ZITADEL trims the new userName before anything else.
        let user_name = self.user_name.trim();
        if user_name.is_empty() {
            return Err(Error::invalid("COMMAND-2N9fs", "Errors.IDMissing"));
        }
        let not_found = || Error::not_found("COMMAND-5N9ds", "Errors.User.NotFound");
        let decide = |user: &User| {
            if user.user_name == user_name {
                return Err(Error::precondition(
                    "COMMAND-6m9gs",
                    "Errors.User.UsernameNotChanged",
                ));
            }
            Ok(UserChange {
                set: Item::new().with_str(attrs::USER_NAME, user_name),
                remove: &[],
                events: vec![EventKind::UserUserNameChanged],
                ends_service: false,
            })
        };
        let extra = |tx: &mut Transaction, user: &User| move_user_name(tx, user, user_name);
        change_user(context, &self.user_id, not_found, decide, extra).await
    }
}

/// v2's UpdateUser for a machine user: the fields it names (a new username, the machine's name,
/// description, access token type), each only where it differs, in one transaction: a
/// `user.username.changed` and a `user.machine.changed` event as far as each applies. Nothing
/// to change is no error on v2: the user's details as they are.
#[derive(Debug, Clone, Default)]
pub struct UpdateUser {
    pub user_id: UserId,
    pub user_name: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub access_token_type: Option<AccessTokenType>,
}

impl Operation for UpdateUser {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::UserWrite);

    fn reads_first(&self) -> Vec<Key> {
        user_and_instance_keys(&self.user_id)
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        let not_found = || Error::not_found("COMMAND-ugjs0upun6", "Errors.User.NotFound");
        let new_name = self.user_name.as_deref().map(str::trim);
        if new_name == Some("") {
            return Err(Error::invalid("COMMAND-2N9fs", "Errors.IDMissing"));
        }
        let renames = |user: &User| new_name.filter(|name| *name != user.user_name);
        let decide = |user: &User| {
            if !user.is_machine() {
                return Err(not_found());
            }
            let mut set = Item::new();
            let mut events = Vec::new();
            if let Some(name) = renames(user) {
                set = set.with_str(attrs::USER_NAME, name);
                events.push(EventKind::UserUserNameChanged);
            }
            let name = self.name.as_ref().filter(|n| **n != user.name);
            let description = self
                .description
                .as_ref()
                .filter(|d| **d != user.description);
            let token_type = self
                .access_token_type
                .filter(|t| *t != user.access_token_type);
            if let Some(name) = name {
                set = set.with_str(attrs::NAME, name.as_str());
            }
            let mut remove: &'static [&'static str] = &[];
            if let Some(description) = description {
                // An empty description is stored as none, as a new user's is.
                match description.is_empty() {
                    true => remove = &[attrs::DESCRIPTION],
                    false => set = set.with_str(attrs::DESCRIPTION, description.as_str()),
                }
            }
            if let Some(token_type) = token_type {
                set = set.with_str(attrs::ACCESS_TOKEN_TYPE, token_type.name());
            }
            if name.is_some() || description.is_some() || token_type.is_some() {
                events.push(EventKind::UserMachineChanged);
            }
            Ok(UserChange {
                set,
                remove,
                events,
                ends_service: false,
            })
        };
        let extra = |tx: &mut Transaction, user: &User| {
            if let Some(name) = renames(user) {
                move_user_name(tx, user, name);
            }
        };
        change_user(context, &self.user_id, not_found, decide, extra).await
    }
}
