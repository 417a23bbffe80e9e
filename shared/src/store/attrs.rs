//! Attribute names of the table's items, each spelled once. Keys (`pk`, `sk`) are built in
//! `keys`.

pub const PK: &str = "pk";
pub const SK: &str = "sk";

// Every aggregate's root item.
pub const ID: &str = "id";
pub const SEQUENCE: &str = "seq";
pub const CREATED: &str = "created";
pub const CHANGED: &str = "changed";
pub const STATE: &str = "state";

// Orgs, users, projects, grants, roles.
pub const ORG_ID: &str = "orgId";
pub const USER_ID: &str = "userId";
pub const PROJECT_ID: &str = "projectId";
pub const GRANT_ID: &str = "grantId";
pub const NAME: &str = "name";
pub const USER_NAME: &str = "userName";
pub const KIND: &str = "kind";
pub const DESCRIPTION: &str = "description";
pub const ACCESS_TOKEN_TYPE: &str = "accessTokenType";
pub const SECRET_HASH: &str = "secretHash";
/// When a user was last deactivated: tokens issued before then stay refused.
pub const TOKENS_AFTER: &str = "tokensAfter";
pub const PRIMARY_DOMAIN: &str = "primaryDomain";
pub const ORG_NAME: &str = "orgName";
pub const ORG_DOMAIN: &str = "orgDomain";
pub const PROJECT_NAME: &str = "projectName";
pub const ROLE_KEYS: &str = "roleKeys";
pub const ROLES: &str = "roles";
pub const ROLE_KEY: &str = "key";
pub const DISPLAY_NAME: &str = "displayName";
pub const GROUP: &str = "group";
pub const ROLE_ASSERTION: &str = "roleAssertion";
pub const ROLE_CHECK: &str = "roleCheck";
pub const HAS_PROJECT_CHECK: &str = "hasProjectCheck";
pub const PRIVATE_LABELING: &str = "privateLabelingSetting";
pub const FIRST_ADMIN: &str = "firstAdmin";
pub const CLIENT_ID: &str = "clientId";
pub const AUTH_METHOD: &str = "authMethod";
pub const APP_ID: &str = "appId";
/// On a user's root item: its entry in its org's list (`keys::org_user_name`) exists and it
/// counts in its org's user count (users made before the list have neither until
/// `first-admin --upgrade`).
pub const LISTED: &str = "listed";
// Authentication keys (`keys::authn_key`).
pub const KEY_TYPE: &str = "keyType";
/// The key's public half, a PKIX PEM.
pub const PUBLIC_KEY: &str = "publicKey";
pub const EXPIRATION: &str = "expiration";
/// On a user's root item: how many keys it holds (bounded; see `domain::machine_key`).
pub const KEY_COUNT: &str = "keyCount";
/// On a user's root item: how many personal access tokens it holds (bounded).
pub const PAT_COUNT: &str = "patCount";
/// A personal access token's SHA-256 and scopes (its expiry is `EXPIRATION`).
pub const TOKEN_HASH: &str = "tokenHash";
pub const SCOPES: &str = "scopes";
/// An org's user count shard.
pub const COUNT: &str = "count";

// Events.
pub const EVENT_TYPE: &str = "type";
pub const EVENT_AT: &str = "at";
pub const EVENT_EDITOR: &str = "editor";
pub const EVENT_OWNER: &str = "owner";
pub const EVENT_AGGREGATE: &str = "aggregateId";
