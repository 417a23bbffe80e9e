//! Configuration, read once per cold start from the environment.

/// argon2id cost parameters for machine secrets (OWASP's minimum is m=19 MiB, t=2, p=1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Argon2Params {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for Argon2Params {
    fn default() -> Self {
        Argon2Params {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// DynamoDB table holding everything.
    pub table_name: String,
    /// Another DynamoDB than AWS's (dynoxide, DynamoDB Local). Unset in AWS.
    pub dynamodb_endpoint: Option<String>,
    /// `iss` of issued tokens; tokens from any other issuer are refused. Unset: the https URL
    /// of the domain the request came to (API Gateway's own domain, or a custom one).
    pub issuer: Option<String>,
    /// The instance's domain: orgs get `<name>.<instance domain>` as primary domain.
    pub instance_domain: String,
    /// The id of the ZITADEL project: management tokens must carry it in `aud`.
    pub zitadel_project_id: String,
    pub token_lifetime_secs: u64,
    pub argon2: Argon2Params,
    /// PKCS#8 PEM of the RS256 signing key (local runs and tests; in AWS the token function reads
    /// it from Secrets Manager instead, see `signing_key_secret`).
    pub signing_key_pem: Option<String>,
    /// The Secrets Manager secret (name or ARN) holding the signing key: the token function in
    /// AWS reads it at cold start.
    pub signing_key_secret: Option<String>,
    /// PEMs of the public keys that tokens may be signed with (current and previous ones).
    pub public_keys_pem: Option<String>,
}

pub const DEFAULT_ZITADEL_PROJECT_ID: &str = "100000000000000001";

impl Config {
    pub fn from_env() -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let number = |name: &str, default: u64| -> Result<u64, String> {
            match var(name) {
                Some(v) => v
                    .trim()
                    .parse()
                    .map_err(|_| format!("{name} must be a number, got {v:?}")),
                None => Ok(default),
            }
        };
        let defaults = Argon2Params::default();
        let read_file = |name: &str| -> Result<Option<String>, String> {
            match var(name) {
                Some(path) => std::fs::read_to_string(&path)
                    .map(Some)
                    .map_err(|e| format!("{name}={path}: {e}")),
                None => Ok(None),
            }
        };
        Ok(Config {
            table_name: var("TABLE_NAME").unwrap_or_else(|| "zitadel-lite".into()),
            dynamodb_endpoint: var("DYNAMODB_ENDPOINT"),
            issuer: var("ISSUER"),
            instance_domain: var("INSTANCE_DOMAIN").unwrap_or_else(|| "localhost".into()),
            zitadel_project_id: var("ZITADEL_PROJECT_ID")
                .unwrap_or_else(|| DEFAULT_ZITADEL_PROJECT_ID.into()),
            token_lifetime_secs: number("TOKEN_LIFETIME_SECONDS", 12 * 3600)?,
            argon2: Argon2Params {
                memory_kib: number("ARGON2_MEMORY_KIB", defaults.memory_kib.into())? as u32,
                iterations: number("ARGON2_ITERATIONS", defaults.iterations.into())? as u32,
                parallelism: number("ARGON2_PARALLELISM", defaults.parallelism.into())? as u32,
            },
            signing_key_pem: var("SIGNING_KEY_PEM").or(read_file("SIGNING_KEY_FILE")?),
            signing_key_secret: var("SIGNING_KEY_SECRET_ID"),
            public_keys_pem: var("PUBLIC_KEYS_PEM").or(read_file("PUBLIC_KEYS_FILE")?),
        })
    }
}
