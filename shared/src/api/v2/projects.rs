//! zitadel.project.v2.ProjectService: projects and their roles.
