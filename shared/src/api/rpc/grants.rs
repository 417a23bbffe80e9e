//! User grants (v2: authorizations) and a user's history.

pub mod v1 {
    //! User grants and a user's history on v1.

    use serde_json::{json, Map, Value};

    use crate::api::body::{EnumField, JsonBody};
    use crate::api::route::HttpRoute;
    use crate::api::v1::{Rest, RestV1};
    use crate::api::{json, validate};
    use crate::domain::authorization::{
        AuthorizationPage, Filters, ListUserGrants, TextField, TextFilter, TextMethod, UserType,
        MAX_FILTERS,
    };
    use crate::domain::changes::{Change, ListUserChanges};
    use crate::domain::grant::{
        AddUserGrant, DeactivateUserGrant, GetUserGrantById, Grant, ReactivateUserGrant,
        RemoveUserGrant, UpdateUserGrant, MAX_ROLE_KEYS,
    };
    use crate::domain::user::User;
    use crate::domain::{Details, GrantId, ProjectId, UserId};
    use crate::error::{Error, Result};
    use crate::time::Timestamp;

    #[derive(Debug)]
    pub struct AddUserGrantRequest {
        user_id: UserId,
        project_id: ProjectId,
        project_grant_id: String,
        role_keys: Vec<String>,
    }

    impl RestV1 for AddUserGrantRequest {
        type Op = AddUserGrant;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/users/{userId}/grants");
        const REQUEST: &'static str = "AddUserGrantRequest";

        fn decode(request: &Rest) -> Result<Self> {
            let body = &request.body;
            Ok(AddUserGrantRequest {
                user_id: UserId(request.path("userId")),
                project_id: ProjectId(body.string("projectId")?),
                project_grant_id: body.string("projectGrantId")?,
                role_keys: body.strings("roleKeys", MAX_ROLE_KEYS)?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)?;
            validate::required(Self::REQUEST, "ProjectId", &self.project_id)?;
            validate::length(
                Self::REQUEST,
                "ProjectGrantId",
                &self.project_grant_id,
                0,
                Some(200),
            )?;
            // ZITADEL sets no bound on the keys themselves; a role key is at most 200
            // (AddProjectRole).
            for (i, key) in self.role_keys.iter().enumerate() {
                validate::length(Self::REQUEST, &format!("RoleKeys[{i}]"), key, 0, Some(200))?;
            }
            Ok(())
        }

        fn operation(&self) -> AddUserGrant {
            AddUserGrant {
                user_id: self.user_id.clone(),
                project_id: self.project_id.clone(),
                project_grant_id: self.project_grant_id.clone(),
                role_keys: self.role_keys.clone(),
            }
        }

        fn encode((id, details): (GrantId, Details)) -> Value {
            json!({ "userGrantId": id.0, "details": json::details(&details) })
        }
    }

    /// The requests on one grant, `/users/{userId}/grants/{grantId}`, checked as
    /// `<request>.UserId` and `<request>.GrantId`: their route, operation (with the fields it has
    /// beyond the two ids) and answer.
    macro_rules! grant_by_id {
        ($($request:ident: $name:literal, $route:expr, $operation:ident { $($more:tt)* },
            |$output:ident: $ty:ty| $encode:expr;)*) => {$(
            #[derive(Debug)]
            pub struct $request {
                user_id: UserId,
                grant_id: GrantId,
            }

            impl RestV1 for $request {
                type Op = $operation;
                const ROUTE: HttpRoute = $route;
                const REQUEST: &'static str = $name;

                fn decode(request: &Rest) -> Result<Self> {
                    Ok($request {
                        user_id: UserId(request.path("userId")),
                        grant_id: GrantId(request.path("grantId")),
                    })
                }

                fn validate(&self) -> Result<()> {
                    validate::required(Self::REQUEST, "UserId", &self.user_id)?;
                    validate::required(Self::REQUEST, "GrantId", &self.grant_id)
                }

                fn operation(&self) -> $operation {
                    $operation {
                        user_id: self.user_id.clone(),
                        grant_id: self.grant_id.clone(),
                        $($more)*
                    }
                }

                fn encode($output: $ty) -> Value {
                    $encode
                }
            }
        )*};
    }

    grant_by_id! {
        GetUserGrantByIdRequest: "GetUserGrantByIDRequest",
            HttpRoute::get("/management/v1/users/{userId}/grants/{grantId}"),
            GetUserGrantById {}, |found: (User, Grant)| {
                json!({ "userGrant": json::user_grant(&found.0, &found.1) })
            };
        DeactivateUserGrantRequest: "DeactivateUserGrantRequest",
            HttpRoute::post("/management/v1/users/{userId}/grants/{grantId}/_deactivate"),
            DeactivateUserGrant { change: Default::default() },
            |details: Details| json::details_only(&details);
        ReactivateUserGrantRequest: "ReactivateUserGrantRequest",
            HttpRoute::post("/management/v1/users/{userId}/grants/{grantId}/_reactivate"),
            ReactivateUserGrant { change: Default::default() },
            |details: Details| json::details_only(&details);
        RemoveUserGrantRequest: "RemoveUserGrantRequest",
            HttpRoute::delete("/management/v1/users/{userId}/grants/{grantId}"),
            RemoveUserGrant { change: Default::default() },
            |details: Details| json::details_only(&details);
    }

    /// UpdateUserGrant: the grant's `roleKeys`, replaced.
    #[derive(Debug)]
    pub struct UpdateUserGrantRequest {
        user_id: UserId,
        grant_id: GrantId,
        role_keys: Vec<String>,
    }

    impl RestV1 for UpdateUserGrantRequest {
        type Op = UpdateUserGrant;
        const ROUTE: HttpRoute = HttpRoute::put("/management/v1/users/{userId}/grants/{grantId}");
        const REQUEST: &'static str = "UpdateUserGrantRequest";

        fn decode(request: &Rest) -> Result<Self> {
            Ok(UpdateUserGrantRequest {
                user_id: UserId(request.path("userId")),
                grant_id: GrantId(request.path("grantId")),
                role_keys: request.body.strings("roleKeys", MAX_ROLE_KEYS)?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)?;
            validate::required(Self::REQUEST, "GrantId", &self.grant_id)?;
            // As AddUserGrant's.
            for (i, key) in self.role_keys.iter().enumerate() {
                validate::length(Self::REQUEST, &format!("RoleKeys[{i}]"), key, 0, Some(200))?;
            }
            Ok(())
        }

        fn operation(&self) -> UpdateUserGrant {
            UpdateUserGrant {
                user_id: self.user_id.clone(),
                grant_id: self.grant_id.clone(),
                role_keys: self.role_keys.clone(),
            }
        }

        fn encode(details: Details) -> Value {
            json::details_only(&details)
        }
    }

    crate::named_enum! {
        /// `zitadel.user.v1.Type`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum UserTypeQuery: "user type" {
            Unspecified = 0 => "TYPE_UNSPECIFIED",
            Human = 1 => "TYPE_HUMAN",
            Machine = 2 => "TYPE_MACHINE",
        }
    }

    /// A text query's `field` (at most 200 runes, checked as `<message>.<Field>`) and its
    /// `method` (a defined one).
    fn text(query: &JsonBody, message: &str, field: &str) -> Result<TextFilter> {
        let text = query.string(field)?;
        let mut name = field.to_string();
        name[..1].make_ascii_uppercase();
        validate::length(message, &name, &text, 0, Some(200))?;
        let method = EnumField::<TextMethod>::read(query, "method")?;
        method.validate(message, "Method")?;
        let method = method.value().unwrap_or(TextMethod::Equals);
        Ok(TextFilter { text, method })
    }

    /// An id query's `field`, at most 200 runes (ZITADEL's `max_len`, an empty one allowed).
    fn id(query: &JsonBody, message: &str, field: &str) -> Result<String> {
        let id = query.string(field)?;
        let mut name = field.to_string();
        name[..1].make_ascii_uppercase();
        validate::length(message, &name, &id, 0, Some(200))?;
        Ok(id)
    }

    /// `UserGrantQuery`'s oneof: a query names one of these.
    const QUERY_ONEOF: &str = "zitadel.user.v1.UserGrantQuery.query";
    const QUERY_MEMBERS: [&str; 14] = [
        "projectIdQuery",
        "userIdQuery",
        "withGrantedQuery",
        "roleKeyQuery",
        "projectGrantIdQuery",
        "userNameQuery",
        "firstNameQuery",
        "lastNameQuery",
        "emailQuery",
        "orgNameQuery",
        "orgDomainQuery",
        "projectNameQuery",
        "displayNameQuery",
        "userTypeQuery",
    ];

    /// The queries, all of which a grant must pass.
    fn read_queries(body: &JsonBody) -> Result<Filters> {
        let mut filters = Filters::default();
        let nothing = |filters: &mut Filters| filters.ids = Some(Default::default());
        for query in body.objects("queries", MAX_FILTERS)? {
            query.oneof(QUERY_ONEOF, &QUERY_MEMBERS)?;
            let texts = [
                (
                    "userNameQuery",
                    "UserGrantUserNameQuery",
                    "userName",
                    TextField::UserName,
                ),
                (
                    "displayNameQuery",
                    "UserGrantDisplayNameQuery",
                    "displayName",
                    TextField::DisplayName,
                ),
                (
                    "orgNameQuery",
                    "UserGrantOrgNameQuery",
                    "orgName",
                    TextField::OrgName,
                ),
                (
                    "orgDomainQuery",
                    "UserGrantOrgDomainQuery",
                    "orgDomain",
                    TextField::OrgDomain,
                ),
                (
                    "projectNameQuery",
                    "UserGrantProjectNameQuery",
                    "projectName",
                    TextField::ProjectName,
                ),
            ];
            let humans = [
                ("firstNameQuery", "UserGrantFirstNameQuery", "firstName"),
                ("lastNameQuery", "UserGrantLastNameQuery", "lastName"),
                ("emailQuery", "UserGrantEmailQuery", "email"),
            ];
            if query.has("projectIdQuery") {
                let q = query.object("projectIdQuery")?;
                let project = id(&q, "UserGrantProjectIDQuery", "projectId")?;
                filters.project_ids.insert(project);
            } else if query.has("userIdQuery") {
                let q = query.object("userIdQuery")?;
                let user = id(&q, "UserGrantUserIDQuery", "userId")?;
                let users = [user].into_iter().collect();
                filters.user_ids = Some(match filters.user_ids.take() {
                    Some(before) => before.intersection(&users).cloned().collect(),
                    None => users,
                });
            } else if query.has("roleKeyQuery") {
                // ZITADEL compares the key exactly whatever the method.
                let q = query.object("roleKeyQuery")?;
                let role = text(&q, "UserGrantRoleKeyQuery", "roleKey")?;
                filters.role_keys.insert(role.text);
            } else if query.has("withGrantedQuery") {
                // The grants of projects granted to the org as well: none exist here.
                query.object("withGrantedQuery")?.bool("withGranted")?;
            } else if query.has("projectGrantIdQuery") {
                let q = query.object("projectGrantIdQuery")?;
                id(&q, "UserGrantProjectGrantIDQuery", "projectGrantId")?;
                // No project grants here: nothing is granted through one.
                nothing(&mut filters);
            } else if query.has("userTypeQuery") {
                let q = query.object("userTypeQuery")?;
                let kind = EnumField::<UserTypeQuery>::read(&q, "type")?;
                kind.validate("UserGrantUserTypeQuery", "Type")?;
                filters.user_types.insert(match kind.value() {
                    Some(UserTypeQuery::Machine) => UserType::Machine,
                    Some(UserTypeQuery::Human) => UserType::Human,
                    Some(UserTypeQuery::Unspecified) | None => UserType::Unspecified,
                });
            } else if let Some((name, message, field, target)) =
                texts.iter().find(|(name, ..)| query.has(name))
            {
                let q = query.object(name)?;
                filters.texts.push((*target, text(&q, message, field)?));
            } else if let Some((name, message, field)) =
                humans.iter().find(|(name, ..)| query.has(name))
            {
                // Fields of human users: a machine user has none, so none matches.
                text(&query.object(name)?, message, field)?;
                nothing(&mut filters);
            } else {
                return Err(Error::validation(
                    "invalid UserGrantQuery.Query: value is required".into(),
                ));
            }
        }
        Ok(filters)
    }

    /// ListUserGrants: the context org's grants. Its queries are read once; a list over its
    /// bound is refused at once (before any read), anything else they break after
    /// authentication, as ZITADEL validates.
    #[derive(Debug)]
    pub struct ListUserGrantsRequest {
        filters: std::result::Result<Filters, Error>,
        offset: u64,
        limit: u32,
    }

    impl RestV1 for ListUserGrantsRequest {
        type Op = ListUserGrants;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/users/grants/_search");
        const REQUEST: &'static str = "ListUserGrantRequest";

        fn decode(request: &Rest) -> Result<Self> {
            let body = &request.body;
            body.objects("queries", MAX_FILTERS)?;
            // Oldest first, whatever `asc` says (ZITADEL's order for this list).
            let page = body.page("query")?;
            Ok(ListUserGrantsRequest {
                filters: read_queries(body),
                offset: page.offset,
                limit: page.limit,
            })
        }

        fn validate(&self) -> Result<()> {
            match &self.filters {
                Err(error) => Err(error.clone()),
                Ok(_) => Ok(()),
            }
        }

        fn operation(&self) -> ListUserGrants {
            ListUserGrants {
                // Refused by `validate` when it is an error.
                filters: self.filters.clone().unwrap_or_default(),
                offset: self.offset,
                limit: self.limit,
            }
        }

        fn encode(page: AuthorizationPage) -> Value {
            let result: Vec<Value> = page
                .authorizations
                .iter()
                .map(|a| json::user_grant(&a.user, &a.grant))
                .collect();
            json::object(json!({
                "details": json::object(json!({
                    "totalResult": page.total.to_string(),
                    "viewTimestamp": Timestamp::now().to_rfc3339(),
                })),
                "result": result,
            }))
        }
    }

    #[derive(Debug)]
    pub struct ListUserChangesRequest {
        user_id: UserId,
        after_sequence: u64,
        limit: u32,
        ascending: bool,
    }

    impl RestV1 for ListUserChangesRequest {
        type Op = ListUserChanges;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/users/{userId}/changes/_search");
        const REQUEST: &'static str = "ListUserChangesRequest";

        fn decode(request: &Rest) -> Result<Self> {
            let query = request.body.object("query")?;
            Ok(ListUserChangesRequest {
                user_id: UserId(request.path("userId")),
                after_sequence: query.unsigned("sequence", "uint64")?,
                limit: query.unsigned("limit", "uint32")? as u32,
                ascending: query.bool("asc")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)
        }

        fn operation(&self) -> ListUserChanges {
            ListUserChanges {
                user_id: self.user_id.clone(),
                after_sequence: self.after_sequence,
                limit: self.limit,
                ascending: self.ascending,
            }
        }

        fn encode(changes: Vec<Change>) -> Value {
            if changes.is_empty() {
                return Value::Object(Map::new());
            }
            json!({ "result": changes.iter().map(json::change).collect::<Vec<_>>() })
        }
    }
}

pub mod v2 {
    //! zitadel.authorization.v2.AuthorizationService: user grants by id (Connect only, as in
    //! ZITADEL: the service has no REST paths).

    use std::collections::BTreeSet;

    use crate::domain::search::TextFilterMethod;

    use serde_json::{json, Value};

    use crate::api::body::{EnumField, JsonBody, Page};
    use crate::api::v2::{date, ActsIn, V2};
    use crate::api::{json, validate};
    use crate::domain::authorization::{
        ActivateAuthorization, Authorization, AuthorizationPage, DeactivateAuthorization,
        DeleteAuthorization, Filters, GrantStateFilter, ListAuthorizations, SortBy, TextField,
        TextFilter, TextMethod, UpdateAuthorization, MAX_FILTERS, MAX_IDS,
    };
    use crate::domain::grant::{AddUserGrant, GrantState, MAX_ROLE_KEYS};
    use crate::domain::{Details, GrantId, ProjectId, UserId};
    use crate::error::{Error, Result};

    /// CreateAuthorization: AddUserGrant in the message's `organizationId` (the project's org).
    #[derive(Debug)]
    pub struct CreateAuthorizationRequest {
        organization_id: String,
        user_id: UserId,
        project_id: ProjectId,
        role_keys: Vec<String>,
    }

    impl V2 for CreateAuthorizationRequest {
        type Op = AddUserGrant;
        const PROCEDURE: &'static str =
            "/zitadel.authorization.v2.AuthorizationService/CreateAuthorization";
        const REQUEST: &'static str = "CreateAuthorizationRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            Ok(CreateAuthorizationRequest {
                organization_id: message.string("organizationId")?,
                user_id: UserId(message.string("userId")?),
                project_id: ProjectId(message.string("projectId")?),
                role_keys: message.strings("roleKeys", MAX_ROLE_KEYS)?,
            })
        }

        fn validate(&self) -> Result<()> {
            let request = Self::REQUEST;
            validate::required(request, "UserId", &self.user_id)?;
            validate::required(request, "ProjectId", &self.project_id)?;
            validate::required(request, "OrganizationId", &self.organization_id)?;
            validate_role_keys(request, &self.role_keys)
        }

        fn acts_in(&self) -> ActsIn {
            ActsIn::Org(self.organization_id.clone())
        }

        fn operation(&self) -> AddUserGrant {
            AddUserGrant {
                user_id: self.user_id.clone(),
                project_id: self.project_id.clone(),
                project_grant_id: String::new(),
                role_keys: self.role_keys.clone(),
            }
        }

        fn encode((id, details): (GrantId, Details)) -> Value {
            json!({ "id": id.0, "creationDate": date(&details) })
        }
    }

    /// Deactivate-, Activate- and DeleteAuthorization: `{id}`, in the grant's org; each answers
    /// the date of its change under its own name.
    macro_rules! authorization_by_id {
        ($($request:ident: $procedure:literal, $operation:ident, $date:literal;)*) => {$(
            #[derive(Debug)]
            pub struct $request {
                grant_id: GrantId,
            }

            impl V2 for $request {
                type Op = $operation;
                const PROCEDURE: &'static str =
                    concat!("/zitadel.authorization.v2.AuthorizationService/", $procedure);
                const REQUEST: &'static str = concat!($procedure, "Request");

                fn decode(message: &JsonBody) -> Result<Self> {
                    Ok($request {
                        grant_id: GrantId(message.string("id")?),
                    })
                }

                fn validate(&self) -> Result<()> {
                    validate::required(Self::REQUEST, "Id", &self.grant_id)
                }

                fn acts_in(&self) -> ActsIn {
                    ActsIn::OwnerOf(self.operation().locator())
                }

                fn operation(&self) -> $operation {
                    $operation {
                        grant_id: self.grant_id.clone(),
                        change: Default::default(),
                    }
                }

                fn encode(details: Details) -> Value {
                    json::object(json!({ $date: date(&details) }))
                }
            }
        )*};
    }

    authorization_by_id! {
        DeactivateAuthorizationRequest: "DeactivateAuthorization", DeactivateAuthorization,
            "changeDate";
        ActivateAuthorizationRequest: "ActivateAuthorization", ActivateAuthorization, "changeDate";
        DeleteAuthorizationRequest: "DeleteAuthorization", DeleteAuthorization, "deletionDate";
    }

    /// The role keys of a v2 request: unique, each 1 to 200 runes (CreateAuthorization's and
    /// UpdateAuthorization's rules).
    fn validate_role_keys(request: &str, role_keys: &[String]) -> Result<()> {
        if role_keys.iter().collect::<BTreeSet<_>>().len() != role_keys.len() {
            return Err(Error::validation(format!(
                "invalid {request}.RoleKeys: repeated value must contain unique items"
            )));
        }
        for (i, key) in role_keys.iter().enumerate() {
            validate::required(request, &format!("RoleKeys[{i}]"), key)?;
        }
        Ok(())
    }

    /// UpdateAuthorization: `{id, roleKeys}`, in the grant's org; answers the grant's change
    /// date, the last one when nothing changed.
    #[derive(Debug)]
    pub struct UpdateAuthorizationRequest {
        grant_id: GrantId,
        role_keys: Vec<String>,
    }

    impl V2 for UpdateAuthorizationRequest {
        type Op = UpdateAuthorization;
        const PROCEDURE: &'static str =
            "/zitadel.authorization.v2.AuthorizationService/UpdateAuthorization";
        const REQUEST: &'static str = "UpdateAuthorizationRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            Ok(UpdateAuthorizationRequest {
                grant_id: GrantId(message.string("id")?),
                role_keys: message.strings("roleKeys", MAX_ROLE_KEYS)?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "Id", &self.grant_id)?;
            validate_role_keys(Self::REQUEST, &self.role_keys)
        }

        fn acts_in(&self) -> ActsIn {
            ActsIn::OwnerOf(self.operation().locator())
        }

        fn operation(&self) -> UpdateAuthorization {
            UpdateAuthorization {
                grant_id: self.grant_id.clone(),
                role_keys: self.role_keys.clone(),
            }
        }

        fn encode(details: Details) -> Value {
            json::object(json!({ "changeDate": date(&details) }))
        }
    }

    crate::named_enum! {
        /// ZITADEL's `AuthorizationFieldName`: what ListAuthorizations sorts by.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum SortingColumn: "sorting column" {
            Unspecified = 0 => "AUTHORIZATION_FIELD_NAME_UNSPECIFIED",
            CreatedDate = 1 => "AUTHORIZATION_FIELD_NAME_CREATED_DATE",
            ChangedDate = 2 => "AUTHORIZATION_FIELD_NAME_CHANGED_DATE",
            Id = 3 => "AUTHORIZATION_FIELD_NAME_ID",
            UserId = 4 => "AUTHORIZATION_FIELD_NAME_USER_ID",
            ProjectId = 5 => "AUTHORIZATION_FIELD_NAME_PROJECT_ID",
            OrganizationId = 6 => "AUTHORIZATION_FIELD_NAME_ORGANIZATION_ID",
            UserOrganizationId = 7 => "AUTHORIZATION_FIELD_NAME_USER_ORGANIZATION_ID",
        }
    }

    impl SortingColumn {
        fn sort_by(self) -> SortBy {
            match self {
                SortingColumn::Unspecified | SortingColumn::CreatedDate => SortBy::Created,
                SortingColumn::ChangedDate => SortBy::Changed,
                SortingColumn::Id => SortBy::Id,
                SortingColumn::UserId => SortBy::UserId,
                SortingColumn::ProjectId => SortBy::ProjectId,
                SortingColumn::OrganizationId => SortBy::OrganizationId,
                SortingColumn::UserOrganizationId => SortBy::UserOrganizationId,
            }
        }
    }

    crate::named_enum! {
        /// The state a `StateQuery` filter asks for (`authorization.v2.State`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum StateQuery: "authorization state" {
            Unspecified = 0 => "STATE_UNSPECIFIED",
            Active = 1 => "STATE_ACTIVE",
            Inactive = 2 => "STATE_INACTIVE",
        }
    }

    fn ids(filter: &JsonBody, name: &str) -> Result<Vec<String>> {
        let ids = filter.object(name)?.strings("ids", MAX_IDS)?;
        for (i, id) in ids.iter().enumerate() {
            validate::required("InIDsFilter", &format!("Ids[{i}]"), id)?;
        }
        Ok(ids)
    }

    /// The request's lists within their bounds (`MAX_FILTERS` filters, `MAX_IDS` ids an id
    /// filter): checked when the request is decoded, so that an oversized one costs no read.
    fn check_bounds(message: &JsonBody) -> Result<()> {
        for filter in message.objects("filters", MAX_FILTERS)? {
            for name in ["authorizationIds", "inUserIds"] {
                if filter.has(name) {
                    filter.object(name)?.strings("ids", MAX_IDS)?;
                }
            }
        }
        Ok(())
    }

    /// An `IDFilter`'s id, 1 to 200 runes.
    fn id(filter: &JsonBody, name: &str) -> Result<String> {
        let id = filter.object(name)?.string("id")?;
        validate::required("IDFilter", "Id", &id)?;
        Ok(id)
    }

    /// Narrows `set` (none yet: all) to `ids`.
    fn narrow(set: &mut Option<BTreeSet<String>>, ids: Vec<String>) {
        let ids: BTreeSet<String> = ids.into_iter().collect();
        *set = Some(match set.take() {
            Some(before) => before.intersection(&ids).cloned().collect(),
            None => ids,
        });
    }

    /// A text query's `field` (at most 200 runes) and `method` (a defined one), checked as
    /// `<message>.<Field>` and `<message>.Method`.
    fn text(query: &JsonBody, message: &str, field: &str) -> Result<TextFilter> {
        let text = query.string(field)?;
        let mut name = field.to_string();
        name[..1].make_ascii_uppercase();
        validate::length(message, &name, &text, 0, Some(200))?;
        let method = EnumField::<TextFilterMethod>::read(query, "method")?;
        method.validate(message, "Method")?;
        let method = method
            .value()
            .map_or(TextMethod::Equals, TextFilterMethod::method);
        Ok(TextFilter { text, method })
    }

    /// `AuthorizationsSearchFilter`'s oneof: a filter names one of these.
    const FILTER_ONEOF: &str = "zitadel.authorization.v2.AuthorizationsSearchFilter.filter";
    const FILTER_MEMBERS: [&str; 12] = [
        "authorizationIds",
        "organizationId",
        "state",
        "userId",
        "userOrganizationId",
        "userPreferredLoginName",
        "userDisplayName",
        "projectId",
        "projectName",
        "roleKey",
        "projectGrantId",
        "inUserIds",
    ];

    fn read_filters(message: &JsonBody) -> Result<Filters> {
        let mut filters = Filters::default();
        for filter in message.objects("filters", MAX_FILTERS)? {
            filter.oneof(FILTER_ONEOF, &FILTER_MEMBERS)?;
            if filter.has("authorizationIds") {
                narrow(&mut filters.ids, ids(&filter, "authorizationIds")?);
            } else if filter.has("inUserIds") {
                narrow(&mut filters.user_ids, ids(&filter, "inUserIds")?);
            } else if filter.has("userId") {
                narrow(&mut filters.user_ids, vec![id(&filter, "userId")?]);
            } else if filter.has("projectId") {
                filters.project_ids.insert(id(&filter, "projectId")?);
            } else if filter.has("organizationId") {
                filters.org_ids.insert(id(&filter, "organizationId")?);
            } else if filter.has("userOrganizationId") {
                filters
                    .user_org_ids
                    .insert(id(&filter, "userOrganizationId")?);
            } else if filter.has("state") {
                let state = EnumField::<StateQuery>::read(&filter.object("state")?, "state")?;
                filters.states.insert(match state.value() {
                    Some(StateQuery::Active) => GrantStateFilter::Active,
                    Some(StateQuery::Inactive) => GrantStateFilter::Inactive,
                    Some(StateQuery::Unspecified) => {
                        return Err(Error::validation(
                            "invalid StateQuery.State: value must not be in list [0]".into(),
                        ))
                    }
                    None => return Err(Error::validation(
                        "invalid StateQuery.State: value must be one of the defined enum values"
                            .into(),
                    )),
                });
            } else if filter.has("projectGrantId") {
                // No project grants here: nothing is granted through one.
                narrow(&mut filters.ids, Vec::new());
            } else if filter.has("roleKey") {
                let query = filter.object("roleKey")?;
                filters
                    .role_keys
                    .insert(text(&query, "RoleKeyQuery", "key")?.text);
            } else if filter.has("userPreferredLoginName") {
                // ZITADEL compares it with the userName (a machine user's login name).
                let query = filter.object("userPreferredLoginName")?;
                let text = text(&query, "UserPreferredLoginNameQuery", "loginName")?;
                filters.texts.push((TextField::UserName, text));
            } else if filter.has("userDisplayName") {
                let query = filter.object("userDisplayName")?;
                let text = text(&query, "UserDisplayNameQuery", "displayName")?;
                filters.texts.push((TextField::DisplayName, text));
            } else if filter.has("projectName") {
                let query = filter.object("projectName")?;
                let text = text(&query, "ProjectNameQuery", "name")?;
                filters.texts.push((TextField::ProjectName, text));
            } else {
                return Err(Error::validation(
                    "invalid AuthorizationsSearchFilter.Filter: value is required".into(),
                ));
            }
        }
        Ok(filters)
    }

    /// ListAuthorizations: the caller's org unless a filter says otherwise. Its filters are read
    /// once; lists over their bounds are refused at once (before any read), anything else they
    /// break is answered by `validate`, after authentication, as ZITADEL validates.
    #[derive(Debug)]
    pub struct ListAuthorizationsRequest {
        filters: std::result::Result<Filters, Error>,
        page: Page,
        sorting_column: EnumField<SortingColumn>,
    }

    impl V2 for ListAuthorizationsRequest {
        type Op = ListAuthorizations;
        const PROCEDURE: &'static str =
            "/zitadel.authorization.v2.AuthorizationService/ListAuthorizations";
        const REQUEST: &'static str = "ListAuthorizationsRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            check_bounds(message)?;
            let sorting_column = EnumField::read(message, "sortingColumn")?;
            Ok(ListAuthorizationsRequest {
                filters: read_filters(message),
                page: message.page("pagination")?,
                sorting_column,
            })
        }

        fn validate(&self) -> Result<()> {
            if let Err(error) = &self.filters {
                return Err(error.clone());
            }
            self.sorting_column.validate(Self::REQUEST, "SortingColumn")
        }

        fn acts_in(&self) -> ActsIn {
            ActsIn::CallersOrg
        }

        fn operation(&self) -> ListAuthorizations {
            ListAuthorizations {
                // Refused by `validate` when it is an error.
                filters: self.filters.clone().unwrap_or_default(),
                offset: self.page.offset,
                limit: self.page.limit,
                ascending: self.page.ascending,
                // Refused by `validate` when it names no column.
                sort_by: self
                    .sorting_column
                    .value()
                    .map_or(SortBy::Created, SortingColumn::sort_by),
                without_roles: false,
            }
        }

        fn encode(page: AuthorizationPage) -> Value {
            let authorizations: Vec<Value> =
                page.authorizations.iter().map(authorization).collect();
            json::object(json!({
                "pagination": {
                    "totalResult": page.total.to_string(),
                    "appliedLimit": page.limit.to_string(),
                },
                "authorizations": authorizations,
            }))
        }
    }

    fn authorization(a: &Authorization) -> Value {
        let (grant, user) = (&a.grant, &a.user);
        let state = match grant.state {
            GrantState::Active => "STATE_ACTIVE",
            GrantState::Inactive => "STATE_INACTIVE",
            GrantState::Removed => "STATE_UNSPECIFIED",
        };
        let roles: Vec<Value> = a
            .roles
            .iter()
            .map(|role| {
                json::object(json!({
                    "key": role.key,
                    "displayName": role.display_name,
                    "group": role.group,
                }))
            })
            .collect();
        json::object(json!({
            "id": grant.id,
            "creationDate": grant.details.creation_date.map(|t| t.to_rfc3339()),
            "changeDate": grant.details.change_date.map(|t| t.to_rfc3339()),
            "project": json::object(json!({
                "id": grant.project_id,
                "name": grant.project_name,
                "organizationId": grant.org_id,
            })),
            "organization": json::object(json!({ "id": grant.org_id, "name": grant.org_name })),
            "user": json::object(json!({
                "id": user.id,
                "preferredLoginName": user.preferred_login_name(),
                "displayName": user.name,
                "organizationId": user.org_id,
            })),
            "state": state,
            "roles": roles,
        }))
    }
}
