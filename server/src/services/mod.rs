//! Use cases: validation of inputs into domain types, transactions, resource-level checks,
//! and an audit entry for every write.

pub mod accounts;
pub mod assessments;
pub mod audit;
pub mod bulk_sends;
pub mod contracts;
pub mod dashboard;
pub mod delivery;
pub mod evidence;
pub mod exchange_rates;
pub mod exports;
pub mod incidents;
pub mod letters;
pub mod mailer;
pub mod mfa;
pub(crate) mod org_settings;
pub mod packs;
pub mod pages;
pub mod portal_scope;
pub mod regulation;
pub mod remediation_views;
pub mod remediations;
pub mod review;
pub mod scheduler;
pub mod schedules;
pub mod scoring_models;
pub mod setup;
pub mod signing_keys;
pub mod sso;
pub mod subprocessors;
pub mod templates;
pub mod tokens;
pub mod vendors;
pub mod work;

use std::collections::BTreeMap;

use assay_core::api::AnswerView;
use assay_core::assessment;
use assay_core::evaluate::Answers;
use assay_core::input::{self, Lines};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

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

pub(crate) use crate::db::{restored, stored};

pub(crate) fn illegal(e: assessment::IllegalTransition) -> Error {
    Error::Conflict {
        code: "illegal_transition",
        message: e.to_string(),
    }
}

/// A moment on the wire: RFC 3339 to the second (`2026-12-03T15:38:41Z`), never with the
/// nanoseconds the database keeps.
pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&Rfc3339)
        .unwrap_or_default()
}

pub(crate) fn flat(answers: &BTreeMap<String, AnswerView>) -> Answers {
    Answers(
        answers
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect(),
    )
}

pub(crate) fn parse_date(field: &str, text: &str) -> Result<Date> {
    Date::parse(
        text.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| Error::validation(field, "Use a date like 2027-01-31."))
}

pub(crate) fn text(field: &str, value: &str, what: &str) -> Result<String> {
    let value = crate::services::text_block(field, value, MAX_TEXT_BLOCK, false)?;
    if value.is_empty() {
        return Err(Error::validation(field, format!("Enter {what}.")));
    }
    Ok(value)
}

/// How many ids one `IN (…)` list carries: well under SQLite's 32,766 and PostgreSQL's
/// 65,535 bound parameters, and small enough that each list is read by its index.
pub(crate) const IN_CHUNK: usize = 500;

/// The longest message, reason or note people write (review texts, remediation notes).
pub(crate) const MAX_TEXT_BLOCK: usize = 10_000;
