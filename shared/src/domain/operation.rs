//! An operation: one typed request in, one typed result or `Error` out. The wire formats
//! (`api::rpc`, v1 and v2) decode requests into operations and encode their results; the pipeline
//! (`api::pipeline`) authenticates the caller, checks `PERMISSION` and runs the operation in
//! the caller's context.

use std::future::Future;

use crate::config::Config;
use crate::error::Result;
use crate::store::{Key, Store};

use super::model::member::{memberships_of, Membership};
use super::roles::Permission;
use super::Actor;

/// What an operation runs with: this request's store (holding what authentication read
/// ahead), the configuration, and who acts in which org.
pub struct Context<'a> {
    pub store: &'a Store,
    pub config: &'a Config,
    pub actor: Actor,
    /// The actor's memberships that authentication read (instance-wide and in the context
    /// org); the actor may hold more elsewhere.
    pub memberships: &'a [Membership],
}

pub trait Operation: Send + Sized {
    type Output: Send;

    /// What the caller needs in the context org; `None`: any authenticated caller.
    const PERMISSION: Option<Permission>;

    /// The items the operation reads first. Authentication reads them in its own round trip,
    /// with the caller's rights, and hands them to the operation once.
    fn reads_first(&self) -> Vec<Key> {
        Vec::new()
    }

    fn run(self, context: &Context<'_>) -> impl Future<Output = Result<Self::Output>> + Send;
}

/// Runs an operation as `actor`, without a request: for set-up tools, tests and benchmarks,
/// which act as a caller they trust (no token, no permission check).
pub async fn run_as<Op: Operation>(
    store: &Store,
    config: &Config,
    actor: &Actor,
    operation: Op,
) -> Result<Op::Output> {
    let memberships = memberships_of(store, &actor.user_id).await?;
    let context = Context {
        store,
        config,
        actor: actor.clone(),
        memberships: &memberships,
    };
    operation.run(&context).await
}
