//! The scopes of a token request: the `scope` parameter, parsed and bounded (`Scopes`); what
//! ZITADEL's scopes ask for (`Asked`: the audience and the roles; `RESOURCE_OWNER_SCOPE`); and
//! which scopes a token keeps. Apart from the use case because two steps depend on it: the
//! client's authentication (which grants to read) and the token's claims (what they say).

use crate::auth::jwt::ZITADEL_AUDIENCE_SCOPE;
use crate::domain::id::MAX_ID_LENGTH;
use crate::error::OAuthError;

/// Bounds on the `scope` parameter, so a token stays small whatever is asked.
const MAX_SCOPES: usize = 64;
const MAX_SCOPE_LENGTH: usize = 4096;

/// The scopes asked for, in the order sent: at least one, at most `MAX_SCOPES`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scopes(Vec<String>);

impl Scopes {
    /// The `scope` parameter: scopes separated by whitespace (RFC 6749 §3.3).
    pub fn parse(scope: Option<&str>) -> Result<Scopes, OAuthError> {
        let scope = scope.unwrap_or_default();
        let scopes: Vec<String> = scope.split_whitespace().map(str::to_string).collect();
        if scopes.is_empty() {
            return Err(OAuthError::invalid_scope("scope missing"));
        }
        if scopes.len() > MAX_SCOPES || scope.len() > MAX_SCOPE_LENGTH {
            return Err(OAuthError::invalid_scope("too many scopes"));
        }
        Ok(Scopes(scopes))
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    pub(super) fn contains(&self, scope: &str) -> bool {
        self.0.iter().any(|s| s == scope)
    }
}

const PROJECT_AUDIENCE_PREFIX: &str = "urn:zitadel:iam:org:project:id:";
const AUDIENCE_SUFFIX: &str = ":aud";
const ALL_ROLES_SCOPES: [&str; 2] = [
    "urn:zitadel:iam:org:projects:roles",
    "urn:zitadel:iam:org:project:roles",
];
const ROLE_SCOPE_PREFIX: &str = "urn:zitadel:iam:org:project:role:";
/// Org scopes: a token keeps them only for the client's own org (its id, its primary domain).
pub(super) const ORG_ID_SCOPE: &str = "urn:zitadel:iam:org:id:";
pub(super) const ORG_DOMAIN_PRIMARY_SCOPE: &str = "urn:zitadel:iam:org:domain:primary:";
/// Asks for the resource owner's name and primary domain besides its id.
pub const RESOURCE_OWNER_SCOPE: &str = "urn:zitadel:iam:user:resourceowner";
/// Scopes a token keeps: OpenID Connect's and ZITADEL's; any other is dropped, as ZITADEL
/// drops it.
const OIDC_SCOPES: [&str; 6] = [
    "openid",
    "profile",
    "email",
    "phone",
    "address",
    "offline_access",
];
const ZITADEL_SCOPE_PREFIX: &str = "urn:zitadel:iam:";

pub(super) fn kept_scope(scope: &str) -> bool {
    OIDC_SCOPES.contains(&scope) || scope.starts_with(ZITADEL_SCOPE_PREFIX)
}

/// What the scopes ask for: the audience, in order and each project once, and which roles.
pub(super) struct Asked<'s> {
    pub(super) aud: Vec<String>,
    pub(super) all_roles: bool,
    pub(super) wanted_roles: Option<Vec<&'s str>>,
}

impl<'s> Asked<'s> {
    pub(super) fn parse(scopes: &'s [String], zitadel_project_id: &str) -> Asked<'s> {
        let mut asked = Asked {
            aud: Vec::new(),
            all_roles: false,
            wanted_roles: None,
        };
        for scope in scopes {
            let audience = if scope == ZITADEL_AUDIENCE_SCOPE {
                Some(zitadel_project_id)
            } else {
                scope
                    .strip_prefix(PROJECT_AUDIENCE_PREFIX)
                    .and_then(|s| s.strip_suffix(AUDIENCE_SUFFIX))
            };
            if let Some(project) = audience {
                if !asked.aud.iter().any(|a| a == project) {
                    asked.aud.push(project.to_string());
                }
            } else if ALL_ROLES_SCOPES.contains(&scope.as_str()) {
                asked.all_roles = true;
            } else if let Some(role) = scope.strip_prefix(ROLE_SCOPE_PREFIX) {
                asked.wanted_roles.get_or_insert_with(Vec::new).push(role);
            }
        }
        asked
    }
}

/// The projects whose grants a token for `scopes` needs: its audience, when roles are asked
/// for; else none. An id longer than any project's has no grants, and is not read: it would
/// make a key DynamoDB refuses (the audience keeps it, as ZITADEL's keeps unknown projects).
pub(super) fn role_projects(scopes: &[String], zitadel_project_id: &str) -> Vec<String> {
    let asked = Asked::parse(scopes, zitadel_project_id);
    match asked.all_roles || asked.wanted_roles.is_some() {
        true => asked
            .aud
            .into_iter()
            .filter(|project| project.len() <= MAX_ID_LENGTH)
            .collect(),
        false => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::OAuthErrorKind;

    #[test]
    fn the_scope_parameter_keeps_its_order_and_is_bounded() {
        let scopes = Scopes::parse(Some(" openid\turn:zitadel:iam:user:resourceowner ")).unwrap();
        assert_eq!(
            scopes.as_slice(),
            ["openid", "urn:zitadel:iam:user:resourceowner"]
        );
        for refused in [None, Some("  ")] {
            assert_eq!(
                Scopes::parse(refused).unwrap_err().kind,
                OAuthErrorKind::InvalidScope
            );
        }
        let too_many = vec!["openid"; MAX_SCOPES + 1].join(" ");
        let too_long = format!("urn:zitadel:iam:org:id:{}", "1".repeat(MAX_SCOPE_LENGTH));
        for refused in [too_many, too_long] {
            assert_eq!(
                Scopes::parse(Some(&refused)).unwrap_err().kind,
                OAuthErrorKind::InvalidScope
            );
        }
    }

    #[test]
    fn grants_are_read_for_the_audience_only_when_roles_are_asked_for() {
        let scopes = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let audience = "urn:zitadel:iam:org:project:id:p1:aud";
        assert!(role_projects(&scopes(&[audience, ZITADEL_AUDIENCE_SCOPE]), "z").is_empty());
        assert_eq!(
            role_projects(
                &scopes(&[audience, ZITADEL_AUDIENCE_SCOPE, ALL_ROLES_SCOPES[0]]),
                "z"
            ),
            ["p1", "z"]
        );
        assert_eq!(
            role_projects(
                &scopes(&["urn:zitadel:iam:org:project:role:reader", audience]),
                "z"
            ),
            ["p1"]
        );
    }
}
