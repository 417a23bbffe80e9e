//! ListUsers on v1 (`POST /management/v1/users/_search`) and v2 (UserService.ListUsers): the
//! request's queries, read once into `domain::user_list::UserQuery`. Types, oneofs and list
//! bounds are refused when the request is decoded (before anything is read); what validation
//! refuses (a text over 200 runes, an enum number that names nothing, a query naming none of
//! its oneof) is kept for `validate`, after authentication, as ZITADEL validates.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::api::body::{EnumField, JsonBody};
use crate::api::validate;
use crate::domain::user::{UserKind, UserState};
use crate::domain::user_list::{
    TextMethod, TextQuery, UserField, UserPage, UserQuery, MAX_DEPTH, MAX_IDS, MAX_QUERIES,
};
use crate::error::{Error, Result};

crate::named_enum! {
    /// `Type` of a typeQuery (v1 and v2 alike).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum TypeName: "user type" {
        Unspecified = 0 => "TYPE_UNSPECIFIED",
        Human = 1 => "TYPE_HUMAN",
        Machine = 2 => "TYPE_MACHINE",
    }
}

crate::named_enum! {
    /// `zitadel.user.v1.UserState`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum StateV1: "user state" {
        Unspecified = 0 => "USER_STATE_UNSPECIFIED",
        Active = 1 => "USER_STATE_ACTIVE",
        Inactive = 2 => "USER_STATE_INACTIVE",
        Deleted = 3 => "USER_STATE_DELETED",
        Locked = 4 => "USER_STATE_LOCKED",
        Suspend = 5 => "USER_STATE_SUSPEND",
        Initial = 6 => "USER_STATE_INITIAL",
    }
}

crate::named_enum! {
    /// `zitadel.user.v2.UserState`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum StateV2: "user state" {
        Unspecified = 0 => "USER_STATE_UNSPECIFIED",
        Active = 1 => "USER_STATE_ACTIVE",
        Inactive = 2 => "USER_STATE_INACTIVE",
        Deleted = 3 => "USER_STATE_DELETED",
        Locked = 4 => "USER_STATE_LOCKED",
        Initial = 5 => "USER_STATE_INITIAL",
    }
}

/// Where v1's and v2's queries differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    V1,
    V2,
}

impl Api {
    fn oneof(self) -> &'static str {
        match self {
            Api::V1 => "zitadel.user.v1.SearchQuery.query",
            Api::V2 => "zitadel.user.v2.SearchQuery.query",
        }
    }

    fn in_user_ids(self) -> &'static str {
        match self {
            Api::V1 => "inUserIds",
            Api::V2 => "inUserIdsQuery",
        }
    }
}

/// The text queries: their member name, their text field, the message validation quotes, and
/// whether a machine user has the field.
const TEXT_QUERIES: [(&str, &str, &str); 8] = [
    ("userNameQuery", "userName", "UserNameQuery"),
    ("loginNameQuery", "loginName", "LoginNameQuery"),
    ("displayNameQuery", "displayName", "DisplayNameQuery"),
    ("firstNameQuery", "firstName", "FirstNameQuery"),
    ("lastNameQuery", "lastName", "LastNameQuery"),
    ("nickNameQuery", "nickName", "NickNameQuery"),
    ("emailQuery", "emailAddress", "EmailQuery"),
    ("phoneQuery", "number", "PhoneQuery"),
];

/// v2's metadata filters: no machine user here has metadata, so they match none.
const METADATA_FILTERS: [&str; 2] = ["metadataKeyFilter", "metadataValueFilter"];

/// The queries of a request (`queries`), with the first validation failure kept apart.
pub struct Queries {
    pub queries: Vec<UserQuery>,
    pub invalid: Option<Error>,
    /// v2: the org a top-level organizationIdQuery names (the org the request acts in).
    pub org_id: Option<String>,
}

pub fn read(message: &JsonBody, api: Api) -> Result<Queries> {
    let mut invalid = None;
    let queries = read_level(message, api, 0, &mut invalid)?;
    let org_id = queries.iter().find_map(|q| match q {
        UserQuery::Org(org) => Some(org.clone()),
        _ => None,
    });
    Ok(Queries {
        queries,
        invalid,
        org_id,
    })
}

fn read_level(
    message: &JsonBody,
    api: Api,
    depth: usize,
    invalid: &mut Option<Error>,
) -> Result<Vec<UserQuery>> {
    if depth > MAX_DEPTH {
        return Err(Error::validation(format!(
            "invalid SearchQuery: and/or/not nest at most {MAX_DEPTH} deep"
        )));
    }
    message
        .objects("queries", MAX_QUERIES)?
        .iter()
        .map(|query| read_query(query, api, depth, invalid))
        .collect()
}

fn keep(invalid: &mut Option<Error>, result: Result<()>) {
    if let (None, Err(error)) = (&invalid, result) {
        *invalid = Some(error);
    }
}

fn read_query(
    query: &JsonBody,
    api: Api,
    depth: usize,
    invalid: &mut Option<Error>,
) -> Result<UserQuery> {
    let mut members: Vec<&str> = TEXT_QUERIES.iter().map(|(m, _, _)| *m).collect();
    members.extend([
        "stateQuery",
        "typeQuery",
        api.in_user_ids(),
        "orQuery",
        "andQuery",
        "notQuery",
        "inUserEmailsQuery",
        "organizationIdQuery",
    ]);
    if api == Api::V2 {
        members.extend(METADATA_FILTERS);
    }
    query.oneof(api.oneof(), &members)?;
    for (member, field, message) in TEXT_QUERIES {
        if !query.has(member) {
            continue;
        }
        let body = query.object(member)?;
        let text = body.string(field)?;
        let method = EnumField::<TextMethod>::read(&body, "method")?;
        let capitalised = capitalise(field);
        keep(
            invalid,
            validate::length(message, &capitalised, &text, 0, Some(200)),
        );
        keep(invalid, method.validate(message, "Method"));
        let text = TextQuery {
            text,
            method: method.value().unwrap_or(TextMethod::Equals),
        };
        return Ok(match member {
            "userNameQuery" | "loginNameQuery" => UserQuery::UserName(text),
            "displayNameQuery" => UserQuery::DisplayName(text),
            _ => UserQuery::Nothing,
        });
    }
    if query.has("stateQuery") {
        let body = query.object("stateQuery")?;
        let state = match api {
            Api::V1 => {
                let state = EnumField::<StateV1>::read(&body, "state")?;
                keep(invalid, state.validate("StateQuery", "State"));
                match state.value() {
                    Some(StateV1::Active) => Some(UserState::Active),
                    Some(StateV1::Inactive) => Some(UserState::Inactive),
                    _ => None,
                }
            }
            Api::V2 => {
                let state = EnumField::<StateV2>::read(&body, "state")?;
                keep(invalid, state.validate("StateQuery", "State"));
                match state.value() {
                    Some(StateV2::Active) => Some(UserState::Active),
                    Some(StateV2::Inactive) => Some(UserState::Inactive),
                    _ => None,
                }
            }
        };
        return Ok(UserQuery::State(state));
    }
    if query.has("typeQuery") {
        let kind = EnumField::<TypeName>::read(&query.object("typeQuery")?, "type")?;
        keep(invalid, kind.validate("TypeQuery", "Type"));
        return Ok(UserQuery::Type(match kind.value() {
            Some(TypeName::Human) => Some(UserKind::Human),
            Some(TypeName::Machine) => Some(UserKind::Machine),
            _ => None,
        }));
    }
    if query.has(api.in_user_ids()) {
        let ids = query
            .object(api.in_user_ids())?
            .strings("userIds", MAX_IDS)?;
        return Ok(UserQuery::InUserIds(
            ids.into_iter().collect::<BTreeSet<_>>(),
        ));
    }
    if query.has("inUserEmailsQuery") {
        query
            .object("inUserEmailsQuery")?
            .strings("userEmails", MAX_IDS)?;
        return Ok(UserQuery::Nothing);
    }
    if api == Api::V2 && METADATA_FILTERS.iter().any(|name| query.has(name)) {
        return Ok(UserQuery::Nothing);
    }
    if query.has("organizationIdQuery") {
        let org = query
            .object("organizationIdQuery")?
            .string("organizationId")?;
        keep(
            invalid,
            validate::length("OrganizationIdQuery", "OrganizationId", &org, 0, Some(200)),
        );
        return Ok(UserQuery::Org(org));
    }
    if query.has("orQuery") {
        let inner = read_level(&query.object("orQuery")?, api, depth + 1, invalid)?;
        return Ok(UserQuery::Or(inner));
    }
    if query.has("andQuery") {
        let inner = read_level(&query.object("andQuery")?, api, depth + 1, invalid)?;
        return Ok(UserQuery::And(inner));
    }
    if query.has("notQuery") {
        let not = query.object("notQuery")?;
        let inner = not.object("query")?;
        if depth + 1 > MAX_DEPTH {
            return Err(Error::validation(format!(
                "invalid SearchQuery: and/or/not nest at most {MAX_DEPTH} deep"
            )));
        }
        let inner = read_query(&inner, api, depth + 1, invalid)?;
        return Ok(UserQuery::Not(Box::new(inner)));
    }
    keep(
        invalid,
        Err(Error::validation(
            "invalid SearchQuery.Query: value is required".into(),
        )),
    );
    Ok(UserQuery::Nothing)
}

/// `userName` → `UserName`, as validation messages name fields.
fn capitalise(field: &str) -> String {
    let mut chars = field.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `details` of a list answer: v1 names its time `viewTimestamp`, v2 `timestamp`.
fn list_details(page: &UserPage, api: Api) -> Value {
    let time = match api {
        Api::V1 => "viewTimestamp",
        Api::V2 => "timestamp",
    };
    json!({ "totalResult": page.total.to_string(), time: page.at.to_rfc3339() })
}

pub fn encode(page: &UserPage, api: Api) -> Value {
    let users: Vec<Value> = page
        .users
        .iter()
        .map(|user| match api {
            Api::V1 => crate::api::json::user(user),
            Api::V2 => crate::api::json::user_v2(user),
        })
        .collect();
    let mut answer = json!({ "details": list_details(page, api) });
    if page.sort_by != UserField::Unspecified {
        answer["sortingColumn"] = json!(page.sort_by.name());
    }
    if !users.is_empty() {
        answer["result"] = json!(users);
    }
    answer
}

pub mod v1 {
    //! ListUsers on v1: the context org's users.

    use serde_json::Value;

    use super::{encode, read, Api, Queries};
    use crate::api::body::{EnumField, Page};
    use crate::api::route::HttpRoute;
    use crate::api::v1::{Rest, RestV1};
    use crate::domain::user_list::{ListUsers, UserField, UserPage};
    use crate::error::Result;

    pub struct ListUsersRequest {
        queries: Queries,
        page: Page,
        sorting_column: EnumField<UserField>,
    }

    impl std::fmt::Debug for ListUsersRequest {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("ListUsersRequest")
                .field("queries", &self.queries.queries)
                .field("page", &self.page)
                .finish_non_exhaustive()
        }
    }

    impl RestV1 for ListUsersRequest {
        type Op = ListUsers;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/users/_search");
        const REQUEST: &'static str = "ListUsersRequest";

        fn decode(request: &Rest) -> Result<Self> {
            let body = &request.body;
            Ok(ListUsersRequest {
                page: body.page("query")?,
                sorting_column: EnumField::read(body, "sortingColumn")?,
                queries: read(body, Api::V1)?,
            })
        }

        fn validate(&self) -> Result<()> {
            if let Some(error) = &self.queries.invalid {
                return Err(error.clone());
            }
            self.sorting_column.validate(Self::REQUEST, "SortingColumn")
        }

        fn operation(&self) -> ListUsers {
            ListUsers {
                // v1 has no organizationIdQuery: `Org` never comes from it.
                queries: self.queries.queries.clone(),
                offset: self.page.offset,
                limit: self.page.limit,
                ascending: self.page.ascending,
                sort_by: self.sorting_column.value().unwrap_or_default(),
            }
        }

        fn encode(page: UserPage) -> Value {
            encode(&page, Api::V1)
        }
    }
}

pub mod v2 {
    //! UserService.ListUsers: the users of the org a top-level organizationIdQuery names (the
    //! caller's own without one), where the caller holds `user.read`.

    use serde_json::Value;

    use super::{encode, read, Api, Queries};
    use crate::api::body::{EnumField, JsonBody, Page};
    use crate::api::route::HttpRoute;
    use crate::api::v2::{ActsIn, V2};
    use crate::domain::user_list::{ListUsers, UserField, UserPage};
    use crate::error::Result;

    pub struct ListUsersRequest {
        queries: Queries,
        page: Page,
        sorting_column: EnumField<UserField>,
    }

    impl std::fmt::Debug for ListUsersRequest {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("ListUsersRequest")
                .field("queries", &self.queries.queries)
                .field("page", &self.page)
                .finish_non_exhaustive()
        }
    }

    impl V2 for ListUsersRequest {
        type Op = ListUsers;
        const PROCEDURE: &'static str = "/zitadel.user.v2.UserService/ListUsers";
        const REST: Option<HttpRoute> = Some(HttpRoute::post("/v2/users"));
        const REQUEST: &'static str = "ListUsersRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            Ok(ListUsersRequest {
                page: message.page("query")?,
                sorting_column: EnumField::read(message, "sortingColumn")?,
                queries: read(message, Api::V2)?,
            })
        }

        fn validate(&self) -> Result<()> {
            if let Some(error) = &self.queries.invalid {
                return Err(error.clone());
            }
            self.sorting_column.validate(Self::REQUEST, "SortingColumn")
        }

        fn acts_in(&self) -> ActsIn {
            // Empty: the caller's own org.
            ActsIn::Org(self.queries.org_id.clone().unwrap_or_default())
        }

        fn operation(&self) -> ListUsers {
            ListUsers {
                queries: self.queries.queries.clone(),
                offset: self.page.offset,
                limit: self.page.limit,
                ascending: self.page.ascending,
                sort_by: self.sorting_column.value().unwrap_or_default(),
            }
        }

        fn encode(page: UserPage) -> Value {
            encode(&page, Api::V2)
        }
    }
}
