//! Where the token function's private key comes from in AWS: Secrets Manager, read once at
//! cold start and kept in memory, so no function's configuration (and no template output)
//! holds it, and no token costs a network call for it.

use aws_sdk_secretsmanager::error::DisplayErrorContext;

use super::keys::SigningKey;

/// Reads the secret (a PKCS#8 PEM, as `SigningKey::generate_pem` writes it) and parses it.
pub async fn signing_key_from_secrets_manager(
    client: &aws_sdk_secretsmanager::Client,
    secret_id: &str,
) -> Result<SigningKey, String> {
    let output = client
        .get_secret_value()
        .secret_id(secret_id)
        .send()
        .await
        .map_err(|e| format!("signing key secret {secret_id}: {}", DisplayErrorContext(e)))?;
    let pem = output
        .secret_string()
        .ok_or_else(|| format!("signing key secret {secret_id}: no SecretString"))?;
    SigningKey::from_pem(pem)
}

/// The client for the function's own region and role.
pub async fn secrets_manager_client() -> aws_sdk_secretsmanager::Client {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    aws_sdk_secretsmanager::Client::new(&config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_secretsmanager::operation::get_secret_value::{
        GetSecretValueError, GetSecretValueOutput,
    };
    use aws_sdk_secretsmanager::types::error::ResourceNotFoundException;
    use aws_smithy_mocks::{mock, mock_client};

    const SECRET_ID: &str = "zitadel-lite/signing-key";

    #[tokio::test]
    async fn reads_the_named_secret_once_and_parses_it() {
        let pem = SigningKey::generate_pem();
        let expected = SigningKey::from_pem(&pem).unwrap().public.kid;
        let rule = mock!(aws_sdk_secretsmanager::Client::get_secret_value)
            .match_requests(|request| request.secret_id() == Some(SECRET_ID))
            .then_output(move || {
                GetSecretValueOutput::builder()
                    .secret_string(pem.clone())
                    .build()
            });
        let client = mock_client!(aws_sdk_secretsmanager, [&rule]);
        let key = signing_key_from_secrets_manager(&client, SECRET_ID)
            .await
            .unwrap();
        assert_eq!(key.public.kid, expected);
        // The key signs from memory: more signatures make no more calls.
        key.sign_rs256(b"a").unwrap();
        key.sign_rs256(b"b").unwrap();
        assert_eq!(rule.num_calls(), 1);
    }

    #[tokio::test]
    async fn a_missing_or_unusable_secret_is_an_error_that_names_it() {
        let missing = mock!(aws_sdk_secretsmanager::Client::get_secret_value).then_error(|| {
            GetSecretValueError::ResourceNotFoundException(
                ResourceNotFoundException::builder()
                    .message("Secrets Manager can't find the specified secret.")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_secretsmanager, [&missing]);
        let error = signing_key_from_secrets_manager(&client, SECRET_ID)
            .await
            .err()
            .unwrap();
        assert!(
            error.contains(SECRET_ID) && error.contains("find"),
            "{error}"
        );

        let binary = mock!(aws_sdk_secretsmanager::Client::get_secret_value)
            .then_output(|| GetSecretValueOutput::builder().build());
        let client = mock_client!(aws_sdk_secretsmanager, [&binary]);
        let error = signing_key_from_secrets_manager(&client, SECRET_ID)
            .await
            .err()
            .unwrap();
        assert!(error.contains("no SecretString"), "{error}");

        let garbage = mock!(aws_sdk_secretsmanager::Client::get_secret_value).then_output(|| {
            GetSecretValueOutput::builder()
                .secret_string("not a key")
                .build()
        });
        let client = mock_client!(aws_sdk_secretsmanager, [&garbage]);
        assert!(signing_key_from_secrets_manager(&client, SECRET_ID)
            .await
            .is_err());
    }
}
