//! RemoveUser (v2: DeleteUser): the user becomes deleted, with its secret, userName, grants and memberships.

use shared::api::rpc::users::{v1, v2};
use shared::api::v1_and_v2;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<v1::RemoveUserRequest, v2::DeleteUserRequest>())
}
