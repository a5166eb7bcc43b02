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

use assay_core::input::{self, Lines};

use crate::error::{Error, Result};

/// Runs CPU-bound domain work (scoring, evaluating a template's conditions) on the
/// blocking pool, so a large template or an expensive condition never holds up the async
/// workers that answer everyone else's requests.
pub(crate) async fn compute<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(Error::internal)
}

/// A one-line text people typed (a name, a role, a title): trimmed, at most `max`
/// characters, no control or text-direction characters; empty only when not `required`.
pub(crate) fn text_field(field: &str, value: &str, max: usize, required: bool) -> Result<String> {
    let value = input::clean(value, max, Lines::One)
        .map_err(|e| Error::validation(field, e.to_string()))?;
    if required && value.is_empty() {
        return Err(Error::validation(field, "This field is required."));
    }
    Ok(value)
}

/// As [`text_field`], for text that may span lines (notes, messages, reasons).
pub(crate) fn text_block(field: &str, value: &str, max: usize, required: bool) -> Result<String> {
    let value = input::clean(value, max, Lines::Many)
        .map_err(|e| Error::validation(field, e.to_string()))?;
    if required && value.is_empty() {
        return Err(Error::validation(field, "This field is required."));
    }
    Ok(value)
}

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
