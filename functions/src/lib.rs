//! Every Lambda function of the API, by binary name (`BuildProperties.Binary` in
//! `template.yaml`): the table is made by `build.rs` from `src/bin/*.rs`, so it holds exactly
//! the endpoint each binary serves.

use shared::api::Endpoint;

/// A Lambda binary and the endpoint it serves.
pub struct Function {
    pub binary: &'static str,
    pub endpoint: &'static dyn Endpoint,
}

include!(concat!(env!("OUT_DIR"), "/functions.rs"));

/// The function built as `binary`.
pub fn find(binary: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.binary == binary)
}
