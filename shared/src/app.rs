//! What a function keeps between invocations: the DynamoDB client, the keys and the
//! configuration. Built once per cold start (or once for the whole local API).

use crate::auth::key_source;
use crate::auth::keys::{KeySet, SigningKey};
use crate::auth::secret_checks::SecretChecks;
use crate::config::Config;
use crate::store::Store;

pub struct App {
    pub config: Config,
    pub store: Store,
    pub keys: KeySet,
    /// Present only where the private key is configured (the token function, the local API).
    /// Read once here, at cold start: no token costs a call for it.
    pub signer: Option<SigningKey>,
    /// Secret checks that succeeded, remembered while the process is warm.
    pub secret_checks: SecretChecks,
}

impl App {
    /// For a Lambda function: everything from the environment.
    pub async fn from_env() -> Result<App, String> {
        let config = Config::from_env()?;
        App::new(config).await
    }

    pub async fn new(config: Config) -> Result<App, String> {
        let signer = match (&config.signing_key_pem, &config.signing_key_secret) {
            (Some(pem), _) => Some(SigningKey::from_pem(pem)?),
            (None, Some(secret_id)) => {
                let client = key_source::secrets_manager_client().await;
                Some(key_source::signing_key_from_secrets_manager(&client, secret_id).await?)
            }
            (None, None) => None,
        };
        let keys = match (&config.public_keys_pem, &signer) {
            (Some(pems), _) => KeySet::from_pems(pems)?,
            (None, Some(signer)) => KeySet::from_signer(signer),
            (None, None) => {
                return Err("set PUBLIC_KEYS_PEM (or SIGNING_KEY_PEM) to verify tokens".into())
            }
        };
        let store = Store::connect(&config.table_name, config.dynamodb_endpoint.as_deref()).await;
        Ok(App {
            config,
            store,
            keys,
            signer,
            secret_checks: SecretChecks::default(),
        })
    }

    /// Logs as one JSON line per event, as CloudWatch wants them; once per process.
    pub fn init_logging() {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(
            // The SDK logs every refused condition as a warning; those are answers, not faults.
            "info,aws_smithy_runtime=error,aws_smithy_runtime_api=error,aws_sdk_dynamodb=error,aws_config=warn,dynoxide=error",
        ));
        let _ = tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .with_current_span(true)
            .with_span_list(false)
            .with_target(false)
            .try_init();
    }
}
