//! What an access token says: its claims as ZITADEL v4 makes them for client credentials
//! (`access_claims`), from the authenticated client, the scopes and the resource owner that
//! `resource_owner` reads when asked for. Apart from the use case because this is the part a
//! resource server sees, and it is tested here without a store.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::auth::claims::{RESOURCE_OWNER_DOMAIN_CLAIM, RESOURCE_OWNER_NAME_CLAIM};
use crate::auth::jwt::Claims;
use crate::domain::org::Org;
use crate::error::Error;
use crate::store::{keys, Store};

use super::client::Client;
use super::scopes::{
    kept_scope, Asked, Scopes, ORG_DOMAIN_PRIMARY_SCOPE, ORG_ID_SCOPE, RESOURCE_OWNER_SCOPE,
};

/// The org that owns the client, for the resource owner's name and primary domain: read only
/// when the scopes ask for them, or name a primary domain to check against the org's.
pub(super) async fn resource_owner(
    store: &Store,
    client: &Client,
    scopes: &Scopes,
) -> Result<Option<Org>, Error> {
    let needed = scopes.contains(RESOURCE_OWNER_SCOPE)
        || scopes
            .as_slice()
            .iter()
            .any(|scope| scope.starts_with(ORG_DOMAIN_PRIMARY_SCOPE));
    if !needed {
        return Ok(None);
    }
    store
        .get(&keys::org(&client.user.org_id))
        .await?
        .as_ref()
        .map(Org::from_item)
        .transpose()
}

/// What goes into a token besides who: the scopes asked for, the issuer, when, for how long,
/// and the token's id.
pub(super) struct Issuance<'a> {
    pub(super) scopes: &'a [String],
    pub(super) issuer: &'a str,
    pub(super) zitadel_project_id: &'a str,
    pub(super) now_secs: u64,
    pub(super) lifetime_secs: u64,
    pub(super) jti: String,
    /// The token's `client_id`: the userName a client-credentials client named, the user's id
    /// for the JWT-profile grant (ZITADEL's client is the assertion's subject there).
    pub(super) client_id: &'a str,
}

/// The access token's claims, as ZITADEL v4 makes them for client credentials: the audience
/// from the scopes (in their order, each once, unchecked: a project id that does not exist
/// stays, as in ZITADEL), per project in the audience the roles of the client's **active**
/// grants (all, or those named by role scopes), and the resource owner's name and primary
/// domain when the scope asks for them (`owner`, read for it). The `scope` claim keeps an org
/// scope only for the client's own org, as ZITADEL's `checkOrgScopes` keeps it: an org id scope
/// naming its org, a primary domain scope naming its primary domain (`owner` is read for it).
pub(super) fn access_claims(
    client: &Client,
    owner: Option<&Org>,
    request: &Issuance<'_>,
) -> Claims {
    let Asked {
        aud,
        all_roles,
        wanted_roles,
    } = Asked::parse(request.scopes, request.zitadel_project_id);
    let mut scope: Vec<&str> = Vec::new();
    let own_org = |scope: &str| match (
        scope.strip_prefix(ORG_ID_SCOPE),
        scope.strip_prefix(ORG_DOMAIN_PRIMARY_SCOPE),
    ) {
        (Some(org_id), _) => org_id == client.user.org_id,
        (_, Some(domain)) => owner.is_some_and(|org| org.primary_domain == domain),
        (None, None) => true,
    };
    for s in request
        .scopes
        .iter()
        .map(String::as_str)
        .filter(|s| kept_scope(s) && own_org(s))
    {
        if !scope.contains(&s) {
            scope.push(s);
        }
    }
    let mut extra = BTreeMap::new();
    if let Some(org) = owner.filter(|_| request.scopes.iter().any(|s| s == RESOURCE_OWNER_SCOPE)) {
        extra.insert(RESOURCE_OWNER_NAME_CLAIM.to_string(), json!(org.name));
        extra.insert(
            RESOURCE_OWNER_DOMAIN_CLAIM.to_string(),
            json!(org.primary_domain),
        );
    }
    if all_roles || wanted_roles.is_some() {
        for project in &aud {
            let mut roles: BTreeMap<String, Value> = BTreeMap::new();
            for grant in client
                .grants
                .iter()
                .filter(|g| g.active && &g.project_id == project)
            {
                for key in &grant.role_keys {
                    let asked = all_roles
                        || wanted_roles
                            .as_ref()
                            .is_some_and(|w| w.contains(&key.as_str()));
                    if asked {
                        let orgs = roles.entry(key.clone()).or_insert_with(|| json!({}));
                        orgs[&grant.org_id] = json!(grant.org_domain);
                    }
                }
            }
            if !roles.is_empty() {
                extra.insert(
                    format!("urn:zitadel:iam:org:project:{project}:roles"),
                    json!(roles),
                );
            }
        }
    }
    Claims {
        iss: request.issuer.to_string(),
        sub: client.user.id.clone(),
        aud,
        exp: request.now_secs + request.lifetime_secs,
        iat: request.now_secs,
        nbf: request.now_secs,
        jti: request.jti.clone(),
        client_id: request.client_id.to_string(),
        scope: scope.join(" "),
        resource_owner: client.user.org_id.clone(),
        extra,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::jwt::ZITADEL_AUDIENCE_SCOPE;
    use crate::domain::grant::GrantState;
    use crate::domain::token::Granted;
    use crate::domain::user::{AccessTokenType, User, UserKind, UserState};
    use crate::domain::Details;

    fn grant(project: &str, roles: &[&str], state: GrantState) -> Granted {
        Granted {
            project_id: project.into(),
            org_id: "o1".into(),
            org_domain: "org.localhost".into(),
            role_keys: roles.iter().map(|r| r.to_string()).collect(),
            active: state == GrantState::Active,
        }
    }

    fn client(grants: Vec<Granted>) -> Client {
        let user = User {
            id: "u".into(),
            org_id: "o1".into(),
            user_name: "bot".into(),
            kind: UserKind::Machine,
            state: UserState::Active,
            name: "Bot".into(),
            description: String::new(),
            access_token_type: AccessTokenType::Bearer,
            secret_hash: None,
            tokens_after: None,
            listed: true,
            details: Details::created(1, Default::default(), "o1"),
        };
        Client { user, grants }
    }

    fn claims(client: &Client, scopes: &[&str]) -> Claims {
        claims_with_org(client, None, scopes)
    }

    /// The claims for `scopes`, the client's org read (`Some`) or not.
    fn claims_with_org(client: &Client, org: Option<&Org>, scopes: &[&str]) -> Claims {
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        let request = Issuance {
            scopes: &scopes,
            issuer: "https://iss",
            zitadel_project_id: "zitadel",
            now_secs: 1000,
            lifetime_secs: 60,
            jti: "j".into(),
            client_id: "bot",
        };
        access_claims(client, org, &request)
    }

    #[test]
    fn roles_come_from_active_grants_of_audience_projects() {
        let c = client(vec![
            grant("p1", &["admin", "reader"], GrantState::Active),
            grant("p2", &["x"], GrantState::Inactive),
        ]);
        let claims = claims(
            &c,
            &[
                "urn:zitadel:iam:org:project:id:p1:aud",
                "urn:zitadel:iam:org:project:id:p2:aud",
                "urn:zitadel:iam:org:projects:roles",
            ],
        );
        assert_eq!(claims.aud, vec!["p1", "p2"]);
        assert_eq!(
            claims.extra["urn:zitadel:iam:org:project:p1:roles"],
            json!({"admin": {"o1": "org.localhost"}, "reader": {"o1": "org.localhost"}})
        );
        assert!(!claims
            .extra
            .contains_key("urn:zitadel:iam:org:project:p2:roles"));
    }

    #[test]
    fn the_audience_keeps_the_scopes_order_and_each_project_once() {
        let c = client(vec![]);
        let claims = claims(
            &c,
            &[
                "urn:zitadel:iam:org:project:id:p2:aud",
                ZITADEL_AUDIENCE_SCOPE,
                "urn:zitadel:iam:org:project:id:p1:aud",
                "urn:zitadel:iam:org:project:id:p2:aud",
            ],
        );
        assert_eq!(claims.aud, vec!["p2", "zitadel", "p1"]);
    }

    #[test]
    fn no_roles_without_a_role_scope_and_single_role_scopes_filter() {
        let c = client(vec![grant("p1", &["admin", "reader"], GrantState::Active)]);
        assert!(claims(&c, &["urn:zitadel:iam:org:project:id:p1:aud"])
            .extra
            .is_empty());
        let only = claims(
            &c,
            &[
                "urn:zitadel:iam:org:project:id:p1:aud",
                "urn:zitadel:iam:org:project:role:reader",
            ],
        );
        assert_eq!(
            only.extra["urn:zitadel:iam:org:project:p1:roles"],
            json!({"reader": {"o1": "org.localhost"}})
        );
    }

    #[test]
    fn org_scopes_stay_only_for_the_clients_own_org() {
        let c = client(vec![]);
        let asked = [
            "openid",
            "urn:zitadel:iam:org:id:o1",
            "urn:zitadel:iam:org:id:foreign",
            "urn:zitadel:iam:org:domain:primary:org.localhost",
            "urn:zitadel:iam:org:domain:primary:foreign.localhost",
        ];
        let without_owner = claims(&c, &asked);
        assert_eq!(without_owner.scope, "openid urn:zitadel:iam:org:id:o1");
        let own = Org {
            id: "o1".into(),
            name: "Org".into(),
            primary_domain: "org.localhost".into(),
            details: Details::created(1, Default::default(), "o1"),
        };
        let with_owner = claims_with_org(&c, Some(&own), &asked);
        assert_eq!(
            with_owner.scope,
            "openid urn:zitadel:iam:org:id:o1 urn:zitadel:iam:org:domain:primary:org.localhost"
        );
        // The org was read for the domain scope only: no resource owner claims.
        assert!(with_owner.extra.is_empty());
    }

    #[test]
    fn the_zitadel_scope_adds_the_zitadel_project() {
        let c = client(vec![]);
        let claims = claims(&c, &[ZITADEL_AUDIENCE_SCOPE, "openid", "unknown"]);
        assert_eq!(claims.aud, vec!["zitadel"]);
        // Unknown scopes are dropped, as ZITADEL drops them.
        assert_eq!(claims.scope, format!("{ZITADEL_AUDIENCE_SCOPE} openid"));
        assert_eq!(claims.exp, 1060);
        assert_eq!(claims.resource_owner, "o1");
    }
}
