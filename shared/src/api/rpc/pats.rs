//! Personal access tokens of machine users, on v1 and v2 (`domain::pat`).

use serde_json::{json, Value};

use crate::api::body::JsonBody;
use crate::domain::pat::PersonalAccessToken;
use crate::error::{Code, Error, Result};
use crate::time::Timestamp;

pub mod v1 {
    //! AddPersonalAccessToken, ListPersonalAccessTokens, GetPersonalAccessTokenByIDs,
    //! RemovePersonalAccessToken on the Management API v1.

    use super::*;

    use crate::api::body::Page;
    use crate::api::route::HttpRoute;
    use crate::api::v1::{Rest, RestV1};
    use crate::api::{json, validate};
    use crate::domain::pat::{
        AddPersonalAccessToken, GetPersonalAccessToken, ListPersonalAccessTokens,
        NewPersonalAccessToken, PersonalAccessTokenPage, RemovePersonalAccessToken, V1_SCOPES,
    };
    use crate::domain::{Details, UserId};

    /// v1's view of a token (`zitadel.user.v1.PersonalAccessToken`).
    fn token(t: &PersonalAccessToken) -> Value {
        json::object(json!({
            "id": t.id,
            "details": json::details(&t.details),
            "expirationDate": t.expiration.to_rfc3339(),
            "scopes": t.scopes,
        }))
    }

    #[derive(Debug)]
    pub struct AddPersonalAccessTokenRequest {
        user_id: UserId,
        expiration: Option<Timestamp>,
    }

    impl RestV1 for AddPersonalAccessTokenRequest {
        type Op = AddPersonalAccessToken;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/users/{userId}/pats");
        const REQUEST: &'static str = "AddPersonalAccessTokenRequest";

        fn decode(request: &Rest) -> Result<Self> {
            Ok(AddPersonalAccessTokenRequest {
                user_id: UserId(request.path("userId")),
                expiration: request.body.optional_timestamp("expirationDate")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)
        }

        fn operation(&self) -> AddPersonalAccessToken {
            AddPersonalAccessToken {
                user_id: self.user_id.clone(),
                expiration: self.expiration,
                scopes: V1_SCOPES,
            }
        }

        fn encode(new: NewPersonalAccessToken) -> Value {
            json!({
                "tokenId": new.token_id,
                "token": new.token,
                "details": json::details(&new.details),
            })
        }
    }

    #[derive(Debug)]
    pub struct ListPersonalAccessTokensRequest {
        user_id: UserId,
        page: Page,
    }

    impl RestV1 for ListPersonalAccessTokensRequest {
        type Op = ListPersonalAccessTokens;
        const ROUTE: HttpRoute = HttpRoute::post("/management/v1/users/{userId}/pats/_search");
        const REQUEST: &'static str = "ListPersonalAccessTokensRequest";

        fn decode(request: &Rest) -> Result<Self> {
            Ok(ListPersonalAccessTokensRequest {
                user_id: UserId(request.path("userId")),
                page: request.body.page("query")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)
        }

        fn operation(&self) -> ListPersonalAccessTokens {
            ListPersonalAccessTokens {
                user_id: self.user_id.clone(),
                token_ids: Vec::new(),
                org_ids: Vec::new(),
                offset: self.page.offset,
                limit: self.page.limit,
                ascending: self.page.ascending,
            }
        }

        fn encode(page: PersonalAccessTokenPage) -> Value {
            json::object(json!({
                "details": {
                    "totalResult": page.total.to_string(),
                    "viewTimestamp": Timestamp::now().to_rfc3339(),
                },
                "result": page.tokens.iter().map(token).collect::<Vec<_>>(),
            }))
        }
    }

    // The requests that name a user and one of its tokens in the path.
    user_credential_by_ids! {
        token_id: "tokenId", "TokenId";
        GetPersonalAccessTokenByIdsRequest: "GetPersonalAccessTokenByIDsRequest",
            HttpRoute::get("/management/v1/users/{userId}/pats/{tokenId}"),
            GetPersonalAccessToken, |t: PersonalAccessToken| json!({ "token": token(&t) });
        RemovePersonalAccessTokenRequest: "RemovePersonalAccessTokenRequest",
            HttpRoute::delete("/management/v1/users/{userId}/pats/{tokenId}"),
            RemovePersonalAccessToken, |details: Details| json::details_only(&details);
    }
}

pub mod v2 {
    //! zitadel.user.v2.UserService: AddPersonalAccessToken, ListPersonalAccessTokens,
    //! RemovePersonalAccessToken, over Connect and REST. A user may manage its own tokens
    //! without a role, as ZITADEL's user checks let it.

    use super::*;

    use crate::api::body::Page;
    use crate::api::route::HttpRoute;
    use crate::api::v2::{date, date_of, ActsIn, V2};
    use crate::api::validate;
    use crate::domain::id::user_key;
    use crate::domain::pat::{
        AddPersonalAccessToken, ListPersonalAccessTokens, NewPersonalAccessToken,
        PersonalAccessTokenPage, RemovePersonalAccessToken, V2_SCOPES,
    };
    use crate::domain::{Details, UserId};

    #[derive(Debug)]
    pub struct AddPersonalAccessTokenRequest {
        user_id: UserId,
        expiration: Option<Timestamp>,
    }

    impl V2 for AddPersonalAccessTokenRequest {
        type Op = AddPersonalAccessToken;
        const PROCEDURE: &'static str = "/zitadel.user.v2.UserService/AddPersonalAccessToken";
        const REST: Option<HttpRoute> = Some(HttpRoute::post("/v2/users/{userId}/pats"));
        const REQUEST: &'static str = "AddPersonalAccessTokenRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            Ok(AddPersonalAccessTokenRequest {
                user_id: UserId(message.string("userId")?),
                expiration: message.optional_timestamp("expirationDate")?,
            })
        }

        fn validate(&self) -> Result<()> {
            validate::required(Self::REQUEST, "UserId", &self.user_id)?;
            if self.expiration.is_none() {
                return Err(Error::validation(format!(
                    "invalid {}.ExpirationDate: value is required",
                    Self::REQUEST
                )));
            }
            Ok(())
        }

        fn acts_in(&self) -> ActsIn {
            ActsIn::OwnerOf(user_key(&self.user_id))
        }

        fn is_about(&self, user_id: &str) -> bool {
            self.user_id.0 == user_id
        }

        fn operation(&self) -> AddPersonalAccessToken {
            AddPersonalAccessToken {
                user_id: self.user_id.clone(),
                expiration: self.expiration,
                scopes: V2_SCOPES,
            }
        }

        fn encode(new: NewPersonalAccessToken) -> Value {
            json!({
                "creationDate": date(&new.details),
                "tokenId": new.token_id,
                "token": new.token,
            })
        }
    }

    v2_user_credential_removal! {
        RemovePersonalAccessTokenRequest: "/zitadel.user.v2.UserService/RemovePersonalAccessToken",
            HttpRoute::delete("/v2/users/{userId}/pats/{tokenId}"), RemovePersonalAccessToken,
            token_id: "tokenId", "TokenId"
    }

    /// The most filters a list takes (as ListAuthorizations).
    const MAX_FILTERS: usize = 20;

    /// ListPersonalAccessTokens: the tokens of the user its `userIdFilter` names, narrowed by
    /// `tokenIdFilter`s and an `organizationIdFilter`. **Our decision**: a `userIdFilter` is
    /// required (tokens are stored per user; ZITADEL would list every token the caller may
    /// read), and date filters are refused as not supported.
    #[derive(Debug)]
    pub struct ListPersonalAccessTokensRequest {
        page: Page,
        user_ids: Vec<String>,
        token_ids: Vec<String>,
        org_ids: Vec<String>,
        unsupported: Option<String>,
    }

    impl V2 for ListPersonalAccessTokensRequest {
        type Op = ListPersonalAccessTokens;
        const PROCEDURE: &'static str = "/zitadel.user.v2.UserService/ListPersonalAccessTokens";
        const REST: Option<HttpRoute> = Some(HttpRoute::post("/v2/users/pats/search"));
        const REQUEST: &'static str = "ListPersonalAccessTokensRequest";

        fn decode(message: &JsonBody) -> Result<Self> {
            let mut request = ListPersonalAccessTokensRequest {
                page: message.page("pagination")?,
                user_ids: Vec::new(),
                token_ids: Vec::new(),
                org_ids: Vec::new(),
                unsupported: None,
            };
            for filter in message.objects("filters", MAX_FILTERS)? {
                let id_of = |name: &str| -> Result<Option<String>> {
                    match filter.has(name) {
                        true => Ok(Some(filter.object(name)?.string("id")?)),
                        false => Ok(None),
                    }
                };
                if let Some(id) = id_of("userIdFilter")? {
                    request.user_ids.push(id);
                } else if let Some(id) = id_of("tokenIdFilter")? {
                    request.token_ids.push(id);
                } else if let Some(id) = id_of("organizationIdFilter")? {
                    request.org_ids.push(id);
                } else {
                    request.unsupported = Some(
                        ["createdDateFilter", "expirationDateFilter"]
                            .into_iter()
                            .find(|name| filter.has(name))
                            .unwrap_or("(empty)")
                            .to_string(),
                    );
                }
            }
            Ok(request)
        }

        fn validate(&self) -> Result<()> {
            if let Some(filter) = &self.unsupported {
                return Err(Error::new(
                    Code::InvalidArgument,
                    "USERv2-PatFlt",
                    format!("Errors.Query.InvalidRequest: filter {filter} is not supported here"),
                ));
            }
            let user = self.user_ids.first();
            if user.is_none_or(|id| id.is_empty())
                || self.user_ids.iter().any(|id| Some(id) != user)
            {
                return Err(Error::invalid(
                    "USERv2-PatUsr",
                    "Errors.Query.InvalidRequest: name one user with a userIdFilter",
                ));
            }
            for id in self
                .user_ids
                .iter()
                .chain(&self.token_ids)
                .chain(&self.org_ids)
            {
                validate::length("IDFilter", "Id", id, 0, Some(200))?;
            }
            Ok(())
        }

        fn acts_in(&self) -> ActsIn {
            ActsIn::OwnerOf(self.user_ids.first().and_then(|id| user_key(id)))
        }

        fn is_about(&self, user_id: &str) -> bool {
            self.user_ids.first().is_some_and(|id| id == user_id)
        }

        fn operation(&self) -> ListPersonalAccessTokens {
            ListPersonalAccessTokens {
                user_id: UserId(self.user_ids.first().cloned().unwrap_or_default()),
                token_ids: self.token_ids.clone(),
                org_ids: self.org_ids.clone(),
                offset: self.page.offset,
                limit: self.page.limit,
                ascending: self.page.ascending,
            }
        }

        fn encode(page: PersonalAccessTokenPage) -> Value {
            let result: Vec<Value> = page
                .tokens
                .iter()
                .map(|t| {
                    json!({
                        "creationDate": date_of(t.details.creation_date),
                        "changeDate": date_of(t.details.change_date),
                        "id": t.id,
                        "userId": t.user_id,
                        "organizationId": t.org_id,
                        "expirationDate": t.expiration.to_rfc3339(),
                    })
                })
                .collect();
            json!({
                "pagination": {
                    "totalResult": page.total.to_string(),
                    "appliedLimit": page.limit.to_string(),
                },
                "result": result,
            })
        }
    }
}
