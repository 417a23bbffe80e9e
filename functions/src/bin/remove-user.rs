//! RemoveUser — `DELETE /management/v1/users/{userId}`: the user becomes deleted, with its secret, userName, grants and memberships.
//! v2: DeleteUser, `DELETE /v2/users/{userId}`; the Connect procedure and REST path are routes of this function.

use shared::api::v1_and_v2;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<user::RemoveUser, user::RemoveUser>)
}
