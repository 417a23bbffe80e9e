//! The SAM template, compiled in so that no function disagrees with it: the routes
//! (`routes`) and the table's definition (`store::table`) are read from it.

pub const TEMPLATE_YAML: &str = include_str!("../../template.yaml");
