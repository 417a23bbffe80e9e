//! The table's keys: every item's `pk` and `sk` are built here and nowhere else.

use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

use super::attrs;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

impl Key {
    fn new(pk: String, sk: impl Into<String>) -> Key {
        Key { pk, sk: sk.into() }
    }

    pub fn to_attributes(&self) -> HashMap<String, AttributeValue> {
        HashMap::from([
            (attrs::PK.to_string(), AttributeValue::S(self.pk.clone())),
            (attrs::SK.to_string(), AttributeValue::S(self.sk.clone())),
        ])
    }
}

/// The items whose existence a transaction may require to be new: when one is taken, the
/// commit names which (`Refused::Taken`), so a command can answer "already exists".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    /// A new aggregate's root item, or its id's reservation (`keys::aggregate_id`): the id is
    /// taken, by an aggregate of this kind or another.
    AggregateId,
    UserName,
    OrgName,
    /// An org's primary domain, unique instance-wide as ZITADEL's verified domains are.
    OrgDomain,
    ProjectName,
    RoleKey,
    /// One grant per user, org and project.
    GrantSlot,
    Membership,
    /// A user's entry in its org's list of userNames (`org_user_name`).
    UserListed,
    /// The instance, set up once.
    Instance,
    /// An authentication key's id (`authn_key`, `app_key`), drawn anew when taken.
    AuthNKey,
}

/// The instance's one item: it exists once the first admin was made.
pub fn instance() -> Key {
    Key::new("INSTANCE".into(), "INSTANCE")
}
/// Who holds an instance membership: one item per member in the instance's partition, so
/// that the IAM_OWNERs can be listed (the last one is not removed; `first-admin --recover`).
pub fn instance_member(user_id: &str) -> Key {
    Key::new("INSTANCE".into(), format!("MEMBER#{user_id}"))
}
pub const INSTANCE_PARTITION: &str = "INSTANCE";
/// Taken by the recovery that follows `members_seen` instance members: two recoveries racing
/// on the same state take the same slot, and one of them is refused.
pub fn instance_recovery(members_seen: usize) -> Key {
    Key::new("INSTANCE".into(), format!("RECOVERY#{members_seen}"))
}
pub fn org(id: &str) -> Key {
    Key::new(format!("ORG#{id}"), "ORG")
}
pub fn user_partition(user_id: &str) -> String {
    format!("USER#{user_id}")
}
pub fn user(id: &str) -> Key {
    Key::new(user_partition(id), "USER")
}
pub fn iam_member(user_id: &str) -> Key {
    Key::new(user_partition(user_id), "MEMBER#IAM")
}
/// A copy of each org membership of a user (written with `org_member`), in a partition of the
/// user's own: the orgs a user holds roles in are one query, and the user's partition, which
/// the token endpoint reads, does not grow with them.
pub fn org_memberships(user_id: &str) -> String {
    format!("ORGMEMBERSHIPS#{user_id}")
}
pub fn org_member_copy(user_id: &str, org_id: &str) -> Key {
    Key::new(org_memberships(user_id), format!("ORG#{org_id}"))
}
/// Instance members' items in the instance's partition start with this.
pub const MEMBER_PREFIX: &str = "MEMBER#";
/// Org memberships live in the org's partition, not the user's: a user who creates many orgs
/// must not make the user's partition (which the token endpoint reads whole) grow.
pub fn org_member(user_id: &str, org_id: &str) -> Key {
    Key::new(format!("ORG#{org_id}"), format!("MEMBER#{user_id}"))
}
/// The partition and sort key prefixes of every `org_member` item.
pub const ORG_MEMBER_PREFIXES: (&str, &str) = ("ORG#", "MEMBER#");
pub const GRANT_PREFIX: &str = "GRANT#";
pub fn grant(user_id: &str, grant_id: &str) -> Key {
    Key::new(user_partition(user_id), format!("GRANT#{grant_id}"))
}
/// Holds one grant per user, org and project, as ZITADEL's unique constraint does (only the
/// project's own org grants it: there are no project grants here), and what a token needs of
/// it (roles, state, the granting org), so a token reads the grants of its audience by key.
pub fn grant_slot(user_id: &str, project_id: &str) -> Key {
    Key::new(user_partition(user_id), format!("GRANTKEY#{project_id}"))
}
/// A machine user's authentication key (`KEY#<keyId>`), in the user's partition: the token
/// endpoint reads it with the user and its grants in one batch (the assertion's `sub` names the
/// user, its `kid` the key), and a user's keys are one Query (at most `MAX_KEYS_PER_USER`).
pub fn authn_key(user_id: &str, key_id: &str) -> Key {
    Key::new(
        user_partition(user_id),
        format!("{AUTHN_KEY_PREFIX}{key_id}"),
    )
}
pub const AUTHN_KEY_PREFIX: &str = "KEY#";
/// A personal access token of a machine user, under its id: the token names both ids, so
/// authentication reads it by key with the user; ListPersonalAccessTokens queries the prefix.
pub fn pat(user_id: &str, token_id: &str) -> Key {
    Key::new(user_partition(user_id), format!("{PAT_PREFIX}{token_id}"))
}
pub const PAT_PREFIX: &str = "PAT#";
/// Where a grant is, by its id alone (v2 names grants so): the user whose partition holds it.
pub fn grant_by_id(grant_id: &str) -> Key {
    Key::new(format!("GRANTID#{grant_id}"), "GRANT")
}
/// A grant's entry in the list of its org's grants (the org of its project), until the grant is
/// removed or its user deleted (RemoveUser takes them out after the user's transaction; readers
/// skip one left behind): what ListAuthorizations reads when no user or id narrows it, in
/// grant-id order. It names the grant's user, project and creation time.
pub fn org_grants(org_id: &str) -> String {
    format!("ORGGRANTS#{org_id}")
}
pub fn org_grant(org_id: &str, grant_id: &str) -> Key {
    Key::new(org_grants(org_id), format!("GRANT#{grant_id}"))
}
pub fn project(id: &str) -> Key {
    Key::new(format!("PROJECT#{id}"), "PROJECT")
}
/// A project's entry in the list of its org's projects (what ListProjects queries, in
/// project-id order), made with the project.
pub fn org_projects(org_id: &str) -> String {
    format!("ORGPROJECTS#{org_id}")
}
pub fn org_project(org_id: &str, project_id: &str) -> Key {
    Key::new(org_projects(org_id), format!("PROJECT#{project_id}"))
}
/// Role keys are unique per project, case-insensitively (the item keeps the key as given).
pub fn project_role(project_id: &str, role_key: &str) -> Key {
    Key::new(
        format!("PROJECT#{project_id}"),
        format!("ROLE#{}", role_key.to_lowercase()),
    )
}
/// An API app, under its client id: introspection finds it (and its secret hash) in one read.
pub fn api_app(client_id: &str) -> Key {
    Key::new(api_app_partition(client_id), "APP")
}
/// An API app's entry in its project's partition (`APP#<appId>`), made with the app: what the
/// app-key operations (which name the project and the app) find the app's client id, auth method
/// and key count by.
pub fn project_app(project_id: &str, app_id: &str) -> Key {
    Key::new(format!("PROJECT#{project_id}"), format!("APP#{app_id}"))
}
/// An API app's authentication key (`KEY#<keyId>`), in the app's partition (under its client
/// id): introspection reads it with the app in one batch (a `private_key_jwt` assertion's `sub`
/// names the client, its `kid` the key), and an app's keys are one Query (at most
/// `MAX_KEYS_PER_APP`).
pub fn app_key(client_id: &str, key_id: &str) -> Key {
    Key::new(
        api_app_partition(client_id),
        format!("{AUTHN_KEY_PREFIX}{key_id}"),
    )
}
pub fn api_app_partition(client_id: &str) -> String {
    format!("CLIENT#{client_id}")
}
/// Names are unique case-insensitively, as ZITADEL's unique constraints are: userNames
/// instance-wide, org names instance-wide, project names per org.
pub fn unique_user_name(user_name: &str) -> Key {
    Key::new(format!("USERNAME#{}", user_name.to_lowercase()), "UNIQUE")
}
pub fn unique_org_name(name: &str) -> Key {
    Key::new(format!("ORGNAME#{}", name.to_lowercase()), "UNIQUE")
}
/// Domains are lower-cased when they are made.
pub fn unique_org_domain(domain: &str) -> Key {
    Key::new(format!("ORGDOMAIN#{domain}"), "UNIQUE")
}
pub fn unique_project_name(org_id: &str, name: &str) -> Key {
    Key::new(
        format!("PROJECTNAME#{org_id}#{}", name.to_lowercase()),
        "UNIQUE",
    )
}

/// An org's live users in userName order, one small item each (`org_user_name`): ListUsers
/// finds a userName (EQUALS, STARTS_WITH) with one Query of this partition, and pages through an
/// org in userName order without reading its users.
pub fn org_user_names(org_id: &str) -> String {
    format!("USERNAMES#{org_id}")
}
/// A live user's entry in its org's list: the lowercased userName (case-insensitive methods
/// and order), then the id (userNames are unique case-insensitively, the id keeps the key
/// unique anyway). Put with the user, deleted with it (`model::user`).
pub fn org_user_name(org_id: &str, user_name: &str, user_id: &str) -> Key {
    Key::new(
        org_user_names(org_id),
        format!("{}#{user_id}", user_name.to_lowercase()),
    )
}
/// How many of an org's counter shards there are: a user counts in the shard its id hashes to,
/// so concurrent AddMachineUsers in one org rarely update the same item.
pub const USER_COUNT_SHARDS: u32 = 8;
/// One shard of the number of an org's live users (ListUsers' `totalResult` without filters).
pub fn org_user_count(org_id: &str, shard: u32) -> Key {
    Key::new(format!("USERCOUNT#{org_id}"), format!("SHARD#{shard}"))
}
/// The shard a user counts in: the same for a user's whole life.
pub fn user_count_shard(user_id: &str) -> u32 {
    let hash = user_id.bytes().fold(2_166_136_261_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    });
    hash % USER_COUNT_SHARDS
}

/// An aggregate's id, reserved across kinds: every aggregate (org, user, grant, project) puts it
/// when it is made, so that a chosen id never names two things (a project with a user's id).
pub fn aggregate_id(id: &str) -> Key {
    Key::new(format!("ID#{id}"), "ID")
}

/// An aggregate: the unit with its own sequence and history (ZITADEL's eventstore aggregate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Aggregate<'a> {
    pub kind: &'static str,
    pub id: &'a str,
}

impl Aggregate<'_> {
    pub fn events_partition(&self) -> String {
        format!("EVENTS#{}#{}", self.kind, self.id)
    }
    pub fn event(&self, sequence: u64) -> Key {
        Key::new(self.events_partition(), format!("{sequence:020}"))
    }
}

pub fn user_aggregate(id: &str) -> Aggregate<'_> {
    Aggregate { kind: "user", id }
}
pub fn org_aggregate(id: &str) -> Aggregate<'_> {
    Aggregate { kind: "org", id }
}
pub fn grant_aggregate(id: &str) -> Aggregate<'_> {
    Aggregate {
        kind: "usergrant",
        id,
    }
}
pub fn project_aggregate(id: &str) -> Aggregate<'_> {
    Aggregate {
        kind: "project",
        id,
    }
}
