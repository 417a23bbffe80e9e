//! RemoveUser (v2: DeleteUser): the user becomes deleted, with its secret, userName, grants and memberships.

use shared::api::{v1, v1_and_v2, v2};

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<
        v1::users::RemoveUserRequest,
        v2::users::DeleteUserRequest,
    >())
}
