//! User grants: each grant is an aggregate of its own (`keys::grant`, in its user's partition),
//! with its slot (`keys::grant_slot`: one grant per user and project, what a token needs of
//! it), its locator (`keys::grant_by_id`: v2 names grants by id) and its entry in its org's
//! list (`keys::org_grant`). See `model::user` for why a grant counts only while its user is
//! active.

use crate::error::Result;
use crate::store::keys::{self, grant_aggregate, Unique};
use crate::store::{attrs, Event, Item, Key, Store, Transaction};
use crate::time::Timestamp;

use super::org::Org;
use super::Details;

crate::named_enum! {
    /// Named as stored in the `state` attribute.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum GrantState: "grant state" {
        Active => "active",
        Inactive => "inactive",
        Removed => "removed",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: String,
    pub user_id: String,
    pub org_id: String,
    pub org_name: String,
    pub org_domain: String,
    pub project_id: String,
    pub project_name: String,
    pub role_keys: Vec<String>,
    pub state: GrantState,
    pub details: Details,
}

impl Grant {
    pub fn from_item(item: &Item) -> Result<Grant> {
        let org_id = item.string(attrs::ORG_ID)?;
        Ok(Grant {
            id: item.string(attrs::ID)?,
            user_id: item.string(attrs::USER_ID)?,
            org_name: item.str_or_empty(attrs::ORG_NAME),
            org_domain: item.str_or_empty(attrs::ORG_DOMAIN),
            project_id: item.string(attrs::PROJECT_ID)?,
            project_name: item.str_or_empty(attrs::PROJECT_NAME),
            role_keys: item.list(attrs::ROLE_KEYS),
            state: GrantState::parse(item.str(attrs::STATE)?)?,
            details: Details::read(item, &org_id)?,
            org_id,
        })
    }

    pub fn is_active(&self) -> bool {
        self.state == GrantState::Active
    }
}

/// A new grant of `role_keys` of `project_id` to `user_id`, given by `org`: its root item, its
/// slot and its pointers, into `tx` with `event`. Refused (`Unique::GrantSlot`) when the user
/// has a grant of the project already.
pub struct NewGrant<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub org: &'a Org,
    pub project_id: &'a str,
    pub project_name: &'a str,
    pub role_keys: &'a [String],
}

impl NewGrant<'_> {
    pub fn create(&self, tx: &mut Transaction, event: Event<'_>) {
        let (id, org) = (self.id, self.org);
        let grant = Item::new()
            .with_str(attrs::ID, id)
            .with_str(attrs::USER_ID, self.user_id)
            .with_str(attrs::ORG_ID, &org.id)
            .with_str(attrs::ORG_NAME, &org.name)
            .with_str(attrs::ORG_DOMAIN, &org.primary_domain)
            .with_str(attrs::PROJECT_ID, self.project_id)
            .with_str(attrs::PROJECT_NAME, self.project_name)
            .with_list(attrs::ROLE_KEYS, self.role_keys)
            .with_str(attrs::STATE, GrantState::Active.name());
        let slot = Item::new()
            .with_str(attrs::GRANT_ID, id)
            .with_str(attrs::ORG_ID, &org.id)
            .with_str(attrs::ORG_DOMAIN, &org.primary_domain)
            .with_str(attrs::PROJECT_ID, self.project_id)
            .with_list(attrs::ROLE_KEYS, self.role_keys)
            .with_str(attrs::STATE, GrantState::Active.name());
        tx.put_unique(
            &keys::grant_slot(self.user_id, self.project_id),
            slot,
            Unique::GrantSlot,
        );
        let pointers = Pointers {
            user_id: self.user_id,
            org_id: &org.id,
            project_id: self.project_id,
            grant_id: id,
            created: Some(event.at),
        };
        tx.create(
            grant_aggregate(id),
            &keys::grant(self.user_id, id),
            grant,
            &[event],
        );
        pointers.put(tx);
    }
}

/// A grant's locator and its entry in its org's list: what they name, and when the grant was
/// made (so that a list sorted by creation pages on the entries alone; entries written before
/// issue 21 lack it).
pub struct Pointers<'a> {
    pub user_id: &'a str,
    pub org_id: &'a str,
    pub project_id: &'a str,
    pub grant_id: &'a str,
    pub created: Option<Timestamp>,
}

impl Pointers<'_> {
    /// Both new (`Unique::AggregateId` when taken), into `tx`.
    pub fn put(&self, tx: &mut Transaction) {
        let mut pointer = Item::new()
            .with_str(attrs::USER_ID, self.user_id)
            .with_str(attrs::ORG_ID, self.org_id)
            .with_str(attrs::PROJECT_ID, self.project_id)
            .with_str(attrs::GRANT_ID, self.grant_id);
        if let Some(created) = self.created {
            pointer = pointer.with_time(attrs::CREATED, created);
        }
        tx.put_unique(
            &keys::org_grant(self.org_id, self.grant_id),
            pointer.clone(),
            Unique::AggregateId,
        );
        tx.put_unique(
            &keys::grant_by_id(self.grant_id),
            pointer,
            Unique::AggregateId,
        );
    }
}

/// The most grants of one user a request reads (ListAuthorizations, RemoveUser's clean-up of
/// the orgs' lists): one query round trip.
pub const MAX_GRANTS_READ: usize = 1000;

/// The grants in `user_id`'s partition (removed ones too), at most `MAX_GRANTS_READ`; `None`
/// when there are more.
pub async fn grants_of(store: &Store, user_id: &str) -> Result<Option<Vec<Grant>>> {
    let items = store
        .query(
            &keys::user_partition(user_id),
            Some(("begins_with(sk, :sk)", keys::GRANT_PREFIX.to_string())),
            true,
            Some(MAX_GRANTS_READ + 1),
        )
        .await?;
    if items.len() > MAX_GRANTS_READ {
        return Ok(None);
    }
    items
        .iter()
        .map(Grant::from_item)
        .collect::<Result<_>>()
        .map(Some)
}

/// The entries in their orgs' lists of a user's grants that are not removed (RemoveUser takes
/// them out with the user): one query of at most `MAX_GRANTS_READ` of the user's grants. Any
/// further ones stay listed, and every reader skips them (grants given by other orgs only
/// burden those orgs' lists).
pub async fn listed_grants_of(store: &Store, user_id: &str) -> Result<Vec<Key>> {
    let grants = store
        .query(
            &keys::user_partition(user_id),
            Some(("begins_with(sk, :sk)", keys::GRANT_PREFIX.to_string())),
            true,
            Some(MAX_GRANTS_READ),
        )
        .await?;
    let mut listed = Vec::new();
    for item in &grants {
        let grant = Grant::from_item(item)?;
        if grant.state != GrantState::Removed {
            listed.push(keys::org_grant(&grant.org_id, &grant.id));
        }
    }
    Ok(listed)
}

/// Deletes list entries of a deleted user's grants that did not fit into its transaction, a
/// transaction of 100 at a time. A deleted user stays deleted, so nothing races with them.
pub async fn unlist(store: &Store, entries: &[Key]) -> Result<()> {
    for chunk in entries.chunks(100) {
        let mut tx = store.transaction();
        for key in chunk {
            tx.delete(key);
        }
        if let Err(refused) = store.commit(tx).await? {
            return Err(crate::error::Error::unavailable(format!(
                "unlisting a deleted user's grants: {refused:?}"
            )));
        }
    }
    Ok(())
}

/// `grant` goes to `state` with `event`, into `tx`, and its slot with it: removed, the slot is
/// freed and the grant leaves its org's list (its locator stays, naming a removed grant).
/// Returns the grant's sequence after it.
pub fn change_state(
    tx: &mut Transaction,
    grant: &Grant,
    state: GrantState,
    event: &Event<'_>,
) -> u64 {
    let (user_id, grant_id) = (&grant.user_id, &grant.id);
    let sequence = tx.change(
        grant_aggregate(grant_id),
        &keys::grant(user_id, grant_id),
        grant.details.sequence,
        Item::new().with_str(attrs::STATE, state.name()),
        &[],
        event,
    );
    let slot = keys::grant_slot(user_id, &grant.project_id);
    if state == GrantState::Removed {
        tx.delete_if(&slot, attrs::GRANT_ID, grant_id);
        // Grants made before the org's list existed have no entry: no condition.
        tx.delete(&keys::org_grant(&grant.org_id, grant_id));
    } else {
        // The token's view of the grant changes with it.
        let set = Item::new().with_str(attrs::STATE, state.name());
        tx.set_if(&slot, attrs::GRANT_ID, grant_id, set);
    }
    sequence
}

/// `grant`'s role keys become `role_keys` with `event`, into `tx`, and its slot's with them (a
/// token reads the slot). Returns the grant's sequence after it.
pub fn change_roles(
    tx: &mut Transaction,
    grant: &Grant,
    role_keys: &[String],
    event: &Event<'_>,
) -> u64 {
    let (user_id, grant_id) = (&grant.user_id, &grant.id);
    let roles = Item::new().with_list(attrs::ROLE_KEYS, role_keys);
    let sequence = tx.change(
        grant_aggregate(grant_id),
        &keys::grant(user_id, grant_id),
        grant.details.sequence,
        roles.clone(),
        &[],
        event,
    );
    let slot = keys::grant_slot(user_id, &grant.project_id);
    tx.set_if(&slot, attrs::GRANT_ID, grant_id, roles);
    sequence
}
