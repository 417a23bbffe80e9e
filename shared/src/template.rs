//! The SAM template, compiled in so that no function disagrees with it: the routes
//! (`routes`) and the table's definition (`store::table`) are read from it.

pub const TEMPLATE_YAML: &str = include_str!("../../template.yaml");

#[cfg(test)]
mod tests {
    use serde_yaml::Value;

    fn template() -> Value {
        serde_yaml::from_str(super::TEMPLATE_YAML).unwrap()
    }

    /// Issue 12: bounded by the API, the functions' concurrency adjustable, no log kept forever.
    #[test]
    fn the_api_is_throttled_and_every_function_logs_with_a_retention() {
        let template = template();
        let resources = template["Resources"].as_mapping().unwrap();
        let routes = &resources["HttpApi"]["Properties"]["DefaultRouteSettings"];
        assert!(!routes["ThrottlingRateLimit"].is_null(), "{routes:?}");
        assert!(!routes["ThrottlingBurstLimit"].is_null(), "{routes:?}");
        let globals = &template["Globals"]["Function"];
        assert!(!globals["ReservedConcurrentExecutions"].is_null());
        assert!(template["Parameters"]["FunctionReservedConcurrency"].is_mapping());
        let mut functions = 0;
        for (name, resource) in resources {
            if resource["Type"] != "AWS::Serverless::Function" {
                continue;
            }
            functions += 1;
            let name = name.as_str().unwrap();
            let logs = &resources[format!("{name}Logs").as_str()];
            assert_eq!(logs["Type"], "AWS::Logs::LogGroup", "{name}");
            let group = format!("{:?}", logs["Properties"]["LogGroupName"]);
            assert!(
                group.contains(&format!("/aws/lambda/${{{name}}}")),
                "{name}: {group}"
            );
            assert!(!logs["Properties"]["RetentionInDays"].is_null(), "{name}");
        }
        assert!(functions >= 20);
    }

    /// No private key in any function's configuration or in the outputs: the token function
    /// alone gets the secret's name and the right to read it (at cold start).
    #[test]
    fn no_function_is_configured_with_a_private_key() {
        assert!(!super::TEMPLATE_YAML.contains("resolve:secretsmanager"));
        assert!(!super::TEMPLATE_YAML.contains("SIGNING_KEY_PEM"));
        let template = template();
        let resources = template["Resources"].as_mapping().unwrap();
        let mut readers = Vec::new();
        for (name, resource) in resources {
            let properties = &resource["Properties"];
            let variables = format!("{:?}", properties["Environment"]);
            let policies = format!("{:?}", properties["Policies"]);
            if policies.contains("AWSSecretsManagerGetSecretValuePolicy") {
                readers.push(name.as_str().unwrap().to_string());
                assert!(variables.contains("SIGNING_KEY_SECRET_ID"), "{variables}");
            }
        }
        assert_eq!(readers, ["OAuthTokenFunction"]);
        let outputs = format!("{:?}", template["Outputs"]);
        assert!(!outputs.contains("SigningKey"), "{outputs}");
    }
}
