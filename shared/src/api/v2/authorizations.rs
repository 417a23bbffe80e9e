//! zitadel.authorization.v2.AuthorizationService: user grants by id.
