//! AddMachineUser — `POST /management/v1/users/machine`: a machine user in the context org.

use shared::api::v1_and_v2;
use shared::domain::user;

fn main() -> Result<(), lambda_http::Error> {
    shared::api::run_lambda(v1_and_v2::<user::AddMachineUser, user::AddMachineUser>)
}
