//! zitadel.org.v2.OrganizationService and the org resource of InternalPermissionService.
