//! The table's definition lives once, in `template.yaml`; local tables are created from it.

use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
};
use serde_yaml::Value;

use super::Store;
use crate::template::TEMPLATE_YAML;

/// The logical id of the table in `template.yaml`.
pub const TABLE_RESOURCE: &str = "Table";

#[derive(Debug, Clone, PartialEq)]
pub struct TableDefinition {
    pub attributes: Vec<(String, String)>,
    pub key_schema: Vec<(String, String)>,
}

fn pairs(value: &Value, a: &str, b: &str) -> Result<Vec<(String, String)>, String> {
    let list = value.as_sequence().ok_or("expected a list")?;
    list.iter()
        .map(|entry| {
            let get = |k: &str| {
                entry
                    .get(k)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or(format!("missing {k}"))
            };
            Ok((get(a)?, get(b)?))
        })
        .collect()
}

pub fn table_definition() -> Result<TableDefinition, String> {
    let template: Value =
        serde_yaml::from_str(TEMPLATE_YAML).map_err(|e| format!("template.yaml: {e}"))?;
    let props = template
        .get("Resources")
        .and_then(|r| r.get(TABLE_RESOURCE))
        .and_then(|t| t.get("Properties"))
        .ok_or("template.yaml has no Resources.Table.Properties")?;
    let attributes = pairs(
        props
            .get("AttributeDefinitions")
            .ok_or("no AttributeDefinitions")?,
        "AttributeName",
        "AttributeType",
    )?;
    let key_schema = pairs(
        props.get("KeySchema").ok_or("no KeySchema")?,
        "AttributeName",
        "KeyType",
    )?;
    Ok(TableDefinition {
        attributes,
        key_schema,
    })
}

fn key_elements(keys: &[(String, String)]) -> Result<Vec<KeySchemaElement>, String> {
    keys.iter()
        .map(|(name, kind)| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(KeyType::from(kind.as_str()))
                .build()
                .map_err(|e| e.to_string())
        })
        .collect()
}

impl Store {
    /// Creates the table as `template.yaml` defines it, unless it exists. For local DynamoDBs.
    pub async fn ensure_table(&self) -> Result<(), String> {
        match self
            .client
            .describe_table()
            .table_name(&self.table)
            .send()
            .await
        {
            Ok(_) => return Ok(()),
            Err(e) if e.code() == Some("ResourceNotFoundException") => {}
            Err(e) => return Err(format!("DescribeTable: {}", DisplayErrorContext(e))),
        }
        let definition = table_definition()?;
        let mut create = self
            .client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .set_key_schema(Some(key_elements(&definition.key_schema)?));
        for (name, kind) in &definition.attributes {
            create = create.attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(name)
                    .attribute_type(ScalarAttributeType::from(kind.as_str()))
                    .build()
                    .map_err(|e| e.to_string())?,
            );
        }
        match create.send().await {
            Ok(_) => Ok(()),
            // Another process created it in the meantime.
            Err(e) if e.code() == Some("ResourceInUseException") => Ok(()),
            Err(e) => Err(format!("CreateTable: {}", DisplayErrorContext(e))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_defines_pk_and_sk() {
        let definition = table_definition().unwrap();
        assert_eq!(
            definition.key_schema,
            vec![("pk".into(), "HASH".into()), ("sk".into(), "RANGE".into())]
        );
        assert!(definition.attributes.contains(&("pk".into(), "S".into())));
    }
}
