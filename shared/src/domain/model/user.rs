//! Users: the root item (`keys::user`), its unique userName, and the changes of its state and
//! secret.
//!
//! A user's grants and instance membership (in the user's partition) and org memberships (in
//! the orgs' partitions, keyed by the user) count only while the user's root item says
//! `active` (deactivated: until reactivated; deleted: for good); every reader
//! (authentication, the token endpoint, introspection, the grant commands and queries) reads
//! the root item with them, and every write to a grant or membership requires the user to still
//! be in the state it was read in, in the same transaction (`require_unchanged_state`). So the
//! one transaction that marks the user deleted removes all of them at once, however many there
//! are, without ever needing more than DynamoDB's 100 items per transaction. A new user with
//! the freed userName gets a new id and new keys, so nothing of the old user's comes back.

use crate::error::Result;
use crate::store::keys::{self, user_aggregate, Unique};
use crate::store::{attrs, Event, Item, Store, Transaction};
use crate::time::Timestamp;

use super::{Actor, Details};
use crate::domain::events::EventKind;

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
    /// Its entry in its org's list of userNames exists and it counts in its org's user count
    /// (`list_user`); false only for users made before the list, until `first-admin --upgrade`.
    pub listed: bool,
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
            listed: item.opt_str(attrs::LISTED) == Some(LISTED),
            details: Details::read(item, &org_id)?,
            org_id,
        })
    }

    /// May get tokens, and its grants and memberships count.
    pub fn is_active(&self) -> bool {
        self.state == UserState::Active
    }

    /// Whether it can get tokens for good: active, with a secret. Keys do not count (each
    /// expires, and a key added, removed or expiring would have to move the last-owner check).
    pub fn can_log_in(&self) -> bool {
        self.is_active() && self.secret_hash.is_some()
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

/// Requires, in `tx`, that the user can still log in as it could when read: still active, with
/// the same secret.
pub fn require_can_log_in(tx: &mut Transaction, user: &User) {
    let secret = user.secret_hash.as_deref().unwrap_or_default();
    tx.require_all(
        &keys::user(&user.id),
        &[
            (attrs::STATE, UserState::Active.name()),
            (attrs::SECRET_HASH, secret),
        ],
    );
}

/// Requires, in `tx`, that the user is still in the state it was read in: a grant or membership
/// written for a user that is deleted (or deactivated) meanwhile would outlive the decision.
pub fn require_unchanged_state(tx: &mut Transaction, user: &User) {
    tx.require(&keys::user(&user.id), attrs::STATE, user.state.name());
}

/// A user that exists and is not deleted.
pub async fn read_live_user(store: &Store, user_id: &str) -> Result<Option<User>> {
    match store.get(&keys::user(user_id)).await? {
        Some(item) => {
            let user = User::from_item(&item)?;
            Ok(user.exists().then_some(user))
        }
        None => Ok(None),
    }
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
            .with_opt_str(attrs::SECRET_HASH, self.secret_hash)
            .with_str(attrs::LISTED, LISTED);
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
        list_user(tx, self.org_id, self.user_name, self.id, UserKind::Machine);
    }
}

/// The value of a listed user's `attrs::LISTED`.
pub const LISTED: &str = "yes";

/// Puts a user's entry in its org's list of userNames (it must be new) and counts the user in
/// its org's count, into `tx`: with the user (`NewMachineUser`) or for a user made before the
/// list (`first-admin --upgrade`, which also sets `attrs::LISTED` on the user in the same
/// transaction).
pub fn list_user(
    tx: &mut Transaction,
    org_id: &str,
    user_name: &str,
    user_id: &str,
    kind: UserKind,
) {
    put_list_entry(tx, org_id, user_name, user_id, kind);
    tx.add(
        &keys::org_user_count(org_id, keys::user_count_shard(user_id)),
        attrs::COUNT,
        1,
    );
}

/// Takes a listed user's entry out of its org's list and its count, into `tx` (a user made
/// before the list has neither).
pub fn unlist_user(tx: &mut Transaction, user: &User) {
    if !user.listed {
        return;
    }
    tx.delete(&keys::org_user_name(
        &user.org_id,
        &user.user_name,
        &user.id,
    ));
    tx.add(
        &keys::org_user_count(&user.org_id, keys::user_count_shard(&user.id)),
        attrs::COUNT,
        -1,
    );
}

/// A change of `user`'s root item (`set`, `remove`) with its `event`, into `tx`: requires the
/// sequence it was read at. Returns the user's sequence after it.
pub fn change_user_item(
    tx: &mut Transaction,
    user: &User,
    set: Item,
    remove: &[&str],
    event: &Event<'_>,
) -> u64 {
    tx.change(
        user_aggregate(&user.id),
        &keys::user(&user.id),
        user.details.sequence,
        set,
        remove,
        event,
    )
}

/// `change_user_item` with several events (one command, several facts): the sequence rises by
/// their number. Returns the user's sequence after it.
pub fn change_user_item_by(
    tx: &mut Transaction,
    user: &User,
    set: Item,
    remove: &[&str],
    events: &[Event<'_>],
) -> u64 {
    tx.change_by(
        user_aggregate(&user.id),
        &keys::user(&user.id),
        user.details.sequence,
        set,
        remove,
        events,
    )
}

/// Frees `user`'s userName for a new user, into `tx` (when it still names this user), and takes
/// the user out of its org's list.
pub fn free_user_name(tx: &mut Transaction, user: &User) {
    tx.delete_if(
        &keys::unique_user_name(&user.user_name),
        attrs::USER_ID,
        &user.id,
    );
    unlist_user(tx, user);
}

/// Moves `user`'s userName to `new_name`, into `tx`: the old name freed and the new one taken
/// (`Refused::Taken(Unique::UserName)` when another user has it), and the user's entry in its
/// org's list moved. A change of case alone keeps both keys (they are lowercased) and rewrites
/// the entry's name (a transaction may not touch one item twice).
pub fn move_user_name(tx: &mut Transaction, user: &User, new_name: &str) {
    let same_keys = user.user_name.to_lowercase() == new_name.to_lowercase();
    if !same_keys {
        tx.delete_if(
            &keys::unique_user_name(&user.user_name),
            attrs::USER_ID,
            &user.id,
        );
        tx.put_unique(
            &keys::unique_user_name(new_name),
            Item::new().with_str(attrs::USER_ID, &user.id),
            Unique::UserName,
        );
    }
    if !user.listed {
        return;
    }
    let old_entry = keys::org_user_name(&user.org_id, &user.user_name, &user.id);
    if same_keys {
        let name = Item::new().with_str(attrs::USER_NAME, new_name);
        tx.set_if(&old_entry, attrs::USER_ID, &user.id, name);
        return;
    }
    tx.delete(&old_entry);
    put_list_entry(tx, &user.org_id, new_name, &user.id, user.kind);
}

/// A user's entry in its org's list (`keys::org_user_name`): what ListUsers reads of a user
/// before the page (its id, userName and kind). It must be new.
fn put_list_entry(
    tx: &mut Transaction,
    org_id: &str,
    user_name: &str,
    user_id: &str,
    kind: UserKind,
) {
    tx.put_unique(
        &keys::org_user_name(org_id, user_name, user_id),
        Item::new()
            .with_str(attrs::USER_ID, user_id)
            .with_str(attrs::USER_NAME, user_name)
            .with_str(attrs::KIND, kind.name()),
        Unique::UserListed,
    );
}
