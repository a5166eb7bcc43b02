//! Use cases: validation of inputs into domain types, transactions, resource-level checks,
//! and an audit entry for every write.

pub mod accounts;
pub mod assessments;
pub mod audit;
pub mod dashboard;
pub mod delivery;
pub mod evidence;
pub mod exports;
pub mod incidents;
pub mod letters;
pub mod mailer;
pub mod mfa;
pub mod remediations;
pub mod review;
pub mod scheduler;
pub mod schedules;
pub mod scoring_models;
pub mod templates;
pub mod tokens;
pub mod vendors;

use crate::error::{Error, Result};

/// The stored name of a string enum (its serde name).
pub(crate) fn stored<T: serde::Serialize>(value: T) -> Result<String> {
    match serde_json::to_value(value).map_err(|e| Error::Internal(e.into()))? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(Error::Internal(anyhow::anyhow!(
            "expected a string enum, got {other}"
        ))),
    }
}

/// The string enum a stored name names.
pub(crate) fn restored<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|e| Error::Internal(e.into()))
}
