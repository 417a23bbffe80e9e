//! User grants as ZITADEL v4's AuthorizationService has them: named by their id alone, changed
//! idempotently (deactivating an inactive grant, activating an active one and deleting a grant
//! that is not there succeed without a change), and listed with filters.

mod list;
mod sources;
mod text;

use crate::error::{Error, Result};
use crate::store::{attrs, keys, Key};

use super::grant::{
    change_grant, change_roles, grant_not_found, Deactivate, GrantChange, GrantState, Reactivate,
    Remove, Repeated,
};
use super::id::key_of;
use super::roles::Permission;
use super::{Context, Details, GrantId, Operation, UserId};

pub use super::migrate::locate_grants;
pub use list::{
    Authorization, AuthorizationPage, Filters, GrantStateFilter, GrantedRole, ListAuthorizations,
    SortBy, TextField, UserType, DEFAULT_LIMIT, MAX_FILTERS, MAX_IDS, MAX_LIMIT, MAX_ORG_ENTRIES,
};
pub use text::{TextFilter, TextMethod};

/// Deactivate-, Activate- and DeleteAuthorization (`change`: which, as for `ChangeUserGrant`).
#[derive(Debug, Clone)]
pub struct ChangeAuthorization<C: GrantChange> {
    pub grant_id: GrantId,
    pub change: C,
}

pub type DeactivateAuthorization = ChangeAuthorization<Deactivate>;
pub type ActivateAuthorization = ChangeAuthorization<Reactivate>;
pub type DeleteAuthorization = ChangeAuthorization<Remove>;

impl<C: GrantChange> ChangeAuthorization<C> {
    /// Where the grant is: the item that names its user (and its org, the one the request
    /// acts in).
    pub fn locator(&self) -> Option<Key> {
        key_of(&self.grant_id, keys::grant_by_id)
    }
}

impl<C: GrantChange> Operation for ChangeAuthorization<C> {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(C::PERMISSION);

    fn reads_first(&self) -> Vec<Key> {
        self.locator().into_iter().collect()
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        let located = match self.locator() {
            Some(key) => context.store.get(&key).await?,
            None => None,
        };
        let Some(located) = located else {
            return match C::TO {
                GrantState::Removed => Ok(Details::none()),
                _ => Err(grant_not_found::<C>()),
            };
        };
        let user_id = UserId(located.string(attrs::USER_ID)?);
        change_grant::<C>(context, &user_id, &self.grant_id, Repeated::Accepted).await
    }
}

/// UpdateAuthorization: UpdateUserGrant by the grant's id alone; unchanged keys answer the
/// grant's details (ZITADEL v4 ignores an unchanged grant here).
#[derive(Debug, Clone, Default)]
pub struct UpdateAuthorization {
    pub grant_id: GrantId,
    pub role_keys: Vec<String>,
}

impl UpdateAuthorization {
    /// Where the grant is (as for `ChangeAuthorization`).
    pub fn locator(&self) -> Option<Key> {
        key_of(&self.grant_id, keys::grant_by_id)
    }
}

impl Operation for UpdateAuthorization {
    type Output = Details;
    const PERMISSION: Option<Permission> = Some(Permission::UserGrantWrite);

    fn reads_first(&self) -> Vec<Key> {
        self.locator().into_iter().collect()
    }

    async fn run(self, context: &Context<'_>) -> Result<Details> {
        let located = match self.locator() {
            Some(key) => context.store.get(&key).await?,
            None => None,
        };
        let Some(located) = located else {
            return Err(Error::not_found("COMMAND-3M9sd", "User grant not found"));
        };
        let user_id = UserId(located.string(attrs::USER_ID)?);
        change_roles(
            context,
            &user_id,
            &self.grant_id,
            &self.role_keys,
            Repeated::Accepted,
        )
        .await
    }
}

/// ListUserGrants (v1): the grants the context org gives (ZITADEL adds its owner query), that
/// pass the request's filters, oldest first (ZITADEL's v1 sorts by nothing; its database
/// answers in insertion order, and `asc` has nothing to apply to). The caller needs
/// `user.grant.read` in the context org, checked before anything is read; the list is
/// ListAuthorizations' on the org's list of grants (`list`, `sources`), with its bounds.
#[derive(Debug, Clone, Default)]
pub struct ListUserGrants {
    pub filters: Filters,
    pub offset: u64,
    /// 0: the default.
    pub limit: u32,
}

impl Operation for ListUserGrants {
    type Output = AuthorizationPage;
    const PERMISSION: Option<Permission> = Some(Permission::UserGrantRead);

    async fn run(self, context: &Context<'_>) -> Result<AuthorizationPage> {
        let mut filters = self.filters;
        filters.org_ids.insert(context.actor.org_id.0.clone());
        ListAuthorizations {
            filters,
            offset: self.offset,
            limit: self.limit,
            ascending: true,
            sort_by: SortBy::Created,
            without_roles: true,
        }
        .run(context)
        .await
    }
}
