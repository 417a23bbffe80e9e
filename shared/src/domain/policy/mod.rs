//! The policy tier: the rules commands decide by that span several aggregates: `reach` (whom a
//! caller may act on: the containment rule) and `owner` (the instance keeps an active
//! IAM_OWNER). Reads the model; never writes, except the conditions it adds to a command's
//! transaction.

pub mod owner;
pub mod reach;
