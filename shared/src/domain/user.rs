//! Machine users and their secrets: AddMachineUser, GetUserByID, GenerateMachineSecret,
//! RemoveMachineSecret, DeactivateUser, ReactivateUser, RemoveUser.
//!
//! RemoveUser and the cascade: a user's grants and instance membership (in the user's
//! partition) and org memberships (in the orgs' partitions, keyed by the user) count only while
//! the user's root item says `active` (deactivated: until reactivated; deleted: for good);
//! every reader (authentication, the token endpoint, introspection, the grant commands and
//! queries) reads the root item with them, and every write to a grant or membership requires
//! the user to still be in the state it was read in, in the same transaction. So the one
//! transaction that marks the user deleted removes all of them at once, however many there are,
//! without ever needing more than DynamoDB's 100 items per transaction. A new user with the
//! freed userName gets a new id and new keys, so nothing of the old user's comes back.

use std::sync::OnceLock;

use crate::config::Argon2Params;
use crate::error::{Error, Result};
use crate::store::keys::{self, user_aggregate, Unique};
use crate::store::{attrs, ids, until_done, Item, Key, Outcome, Refused, Store, Transaction};
use crate::time::Timestamp;

use super::id::key_of;
use super::member::{holds_every_role, holds_iam_owner, org_memberships_of, Membership};
use super::roles::Permission;
use super::{Actor, Context, Details, EventKind, Operation, OrgId, UserId};

crate::named_enum! {
    /// A user's life: active, inactive (deactivated: no tokens, its grants do not count) and
    /// back, until deleted. ZITADEL's other states (initial, locked) belong to humans. Named as
    /// stored in the `state` attribute.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum UserState: "user state" {
        Active => "active",
        Inactive => "inactive",
        Deleted => "deleted",
    }
}

crate::named_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum UserKind: "user kind" {
        Machine => "machine",
        Human => "human",
    }
}

crate::named_enum! {
    /// How a machine user's tokens are issued (ZITADEL's `AccessTokenType`).
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub enum AccessTokenType: "access token type" {
        #[default]
        Bearer = 0 => "ACCESS_TOKEN_TYPE_BEARER",
        Jwt = 1 => "ACCESS_TOKEN_TYPE_JWT",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub org_id: String,
    pub user_name: String,
    pub kind: UserKind,
    pub state: UserState,
    pub name: String,
    pub description: String,
    pub access_token_type: AccessTokenType,
    pub secret_hash: Option<String>,
    /// Set by a deactivation: tokens issued before then are not taken, also once reactivated
    /// (ZITADEL compares a token with the deactivation's position likewise).
    pub tokens_after: Option<Timestamp>,
    pub details: Details,
}

impl User {
    pub fn from_item(item: &Item) -> Result<User> {
        let org_id = item.string(attrs::ORG_ID)?;
        Ok(User {
            id: item.string(attrs::ID)?,
            user_name: item.string(attrs::USER_NAME)?,
            kind: UserKind::parse(item.str(attrs::KIND)?)?,
            state: UserState::parse(item.str(attrs::STATE)?)?,
            name: item.str_or_empty(attrs::NAME),
            description: item.str_or_empty(attrs::DESCRIPTION),
            // Users made before the attribute existed have none: the default.
            access_token_type: AccessTokenType::parse(&item.str_or_empty(attrs::ACCESS_TOKEN_TYPE))
                .unwrap_or_default(),
            secret_hash: item.opt_str(attrs::SECRET_HASH).map(str::to_string),
            tokens_after: item.opt_time(attrs::TOKENS_AFTER)?,
            details: Details::read(item, &org_id)?,
            org_id,
        })
    }

    /// May get tokens, and its grants and memberships count.
    pub fn is_active(&self) -> bool {
        self.state == UserState::Active
    }

    /// Whether a token issued at `issued_at` (seconds, a JWT's `iat`) may still act for the
    /// user: it is active, and the token is not from before its last deactivation.
    pub fn takes_token_issued_at(&self, issued_at: u64) -> bool {
        let issued = i64::try_from(issued_at).unwrap_or(i64::MAX);
        self.is_active()
            && self
                .tokens_after
                .is_none_or(|after| issued.saturating_mul(1_000_000) > after.0)
    }

    /// Not deleted: it can be read, granted and changed (also while inactive).
    pub fn exists(&self) -> bool {
        self.state != UserState::Deleted
    }

    pub fn is_machine(&self) -> bool {
        self.kind == UserKind::Machine
    }

    /// ZITADEL's login name under its default domain policy (userLoginMustBeDomain off): the
    /// bare userName, which is why userNames are unique instance-wide.
    pub fn preferred_login_name(&self) -> String {
        self.user_name.clone()
    }
}

/// Requires, in `tx`, that the user is still active: an IAM_OWNER who can get tokens.
pub fn require_active(tx: &mut Transaction, user_id: &str) {
    tx.require(&keys::user(user_id), attrs::STATE, UserState::Active.name());
}

/// Requires, in `tx`, that the user is still in the state it was read in: a grant or membership
/// written for a user that is deleted (or deactivated) meanwhile would outlive the decision.
pub fn require_unchanged_state(tx: &mut Transaction, user: &User) {
    tx.require(&keys::user(&user.id), attrs::STATE, user.state.name());
}

/// A user that exists and is not deleted.
async fn read_live_user(store: &Store, user_id: &str) -> Result<Option<User>> {
    match store.get(&keys::user(user_id)).await? {
        Some(item) => {
            let user = User::from_item(&item)?;
            Ok(user.exists().then_some(user))
        }
        None => Ok(None),
    }
}

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

/// A new machine user: its root item, its first events and its unique userName, into `tx`.
/// `secret_hash`: the first admin is made with a secret at once.
pub struct NewMachineUser<'a> {
    pub id: &'a str,
    pub org_id: &'a str,
    pub user_name: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub access_token_type: AccessTokenType,
    pub secret_hash: Option<&'a str>,
}

impl NewMachineUser<'_> {
    pub fn create(&self, tx: &mut Transaction, actor: &Actor, at: Timestamp) {
        let user = Item::new()
            .with_str(attrs::ID, self.id)
            .with_str(attrs::ORG_ID, self.org_id)
            .with_str(attrs::USER_NAME, self.user_name)
            .with_str(attrs::KIND, UserKind::Machine.name())
            .with_str(attrs::STATE, UserState::Active.name())
            .with_opt_str(attrs::NAME, Some(self.name))
            .with_opt_str(attrs::DESCRIPTION, Some(self.description))
            .with_str(attrs::ACCESS_TOKEN_TYPE, self.access_token_type.name())
            .with_opt_str(attrs::SECRET_HASH, self.secret_hash);
        let mut events = vec![actor.event(EventKind::UserMachineAdded, at, self.org_id)];
        if self.secret_hash.is_some() {
            events.push(actor.event(EventKind::UserMachineSecretSet, at, self.org_id));
        }
        tx.create(user_aggregate(self.id), &keys::user(self.id), user, &events);
        tx.put_unique(
            &keys::unique_user_name(self.user_name),
            Item::new().with_str(attrs::USER_ID, self.id),
            Unique::UserName,
        );
    }
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

/// A live user of `org_id`, or ZITADEL's "User could not be found".
async fn user_in_org(store: &Store, org_id: &OrgId, user_id: &str) -> Result<User> {
    let user = read_live_user(store, user_id)
        .await?
        .ok_or_else(|| Error::not_found("QUERY-Dfbg2", "User could not be found"))?;
    if user.org_id != org_id.0 {
        return Err(Error::not_found("MANAG-fpo4B", "User could not be found"));
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
                let sequence = tx.change(
                    user_aggregate(user_id),
                    &keys::user(user_id),
                    user.details.sequence,
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

/// The containment rule: the actor may change the secret of, or remove, a user only if it holds
/// every role that user holds (instance-wide and in every org); anyone may act on itself.
/// Returns whether the user holds IAM_OWNER. Decided once per request (in `decided`): a command
/// that decides again after a refused write does not read the roles again.
async fn require_reach(
    context: &Context<'_>,
    user: &User,
    decided: &OnceLock<bool>,
) -> Result<bool> {
    if let Some(owner) = decided.get() {
        return Ok(*owner);
    }
    let owner = reach(context, user).await?;
    Ok(*decided.get_or_init(|| owner))
}

async fn reach(context: &Context<'_>, user: &User) -> Result<bool> {
    let store = context.store;
    // Read ahead with the user (`user_keys`).
    let instance = match store.get(&keys::iam_member(&user.id)).await? {
        Some(item) => vec![Membership::from_item(&item)?],
        None => Vec::new(),
    };
    let owner = holds_iam_owner(&instance);
    // IAM_OWNER holds every role; then the user's org roles need not be read.
    if context.actor.user_id.0 == user.id || holds_iam_owner(context.memberships) {
        return Ok(owner);
    }
    let mut theirs = org_memberships_of(store, &user.id).await?;
    theirs.extend(instance);
    if holds_every_role(context.memberships, &theirs) {
        return Ok(owner);
    }
    // Authentication read the actor's memberships here and instance-wide only.
    let mut mine = org_memberships_of(store, &context.actor.user_id).await?;
    mine.extend(context.memberships.iter().cloned());
    if holds_every_role(&mine, &theirs) {
        return Ok(owner);
    }
    Err(Error::permission_denied(
        "COMMAND-Rch7q",
        "Errors.User.RolesNotHeld",
    ))
}

/// When the user `user_id` holds IAM_OWNER (`owner`), requires in `tx` that another IAM_OWNER
/// stays active: the instance always keeps an owner who can get tokens.
async fn keep_an_owner(
    store: &Store,
    tx: &mut Transaction,
    user_id: &str,
    owner: bool,
) -> Result<()> {
    if !owner {
        return Ok(());
    }
    let other = super::instance::active_owners(store)
        .await?
        .into_iter()
        .find(|id| id != user_id)
        .ok_or_else(|| Error::precondition("COMMAND-0wn3r", "Errors.IAM.Member.LastOwner"))?;
    require_active(tx, &other);
    Ok(())
}

/// What a change does to a user's root item, and its event.
struct UserChange {
    set: Item,
    remove: &'static [&'static str],
    event: EventKind,
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
            let at = Timestamp::now();
            let mut tx = store.transaction();
            keep_an_owner(store, &mut tx, user_id, owner && change.ends_service).await?;
            let sequence = tx.change(
                user_aggregate(user_id),
                &keys::user(user_id),
                user.details.sequence,
                change.set,
                change.remove,
                &actor.event(change.event, at, &user.org_id),
            );
            extra(&mut tx, &user);
            Ok(store
                .commit(tx)
                .await?
                .map(|()| Details::changed(sequence, at, &user.org_id))
                .into())
        })
    })
    .await
}

/// A change of the user's state alone (deactivate, reactivate).
fn state_change(state: UserState, event: EventKind) -> UserChange {
    UserChange {
        set: Item::new().with_str(attrs::STATE, state.name()),
        remove: &[],
        event,
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
                event: EventKind::UserMachineSecretRemoved,
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

/// RemoveUser: state deleted, secret dropped, userName freed, grants and memberships void
/// (see the module's comment), all in one transaction.
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
        let free_user_name = |tx: &mut Transaction, user: &User| {
            tx.delete_if(
                &keys::unique_user_name(&user.user_name),
                attrs::USER_ID,
                &user.id,
            );
        };
        change_user(context, &self.user_id, not_found, decide, free_user_name).await
    }
}
