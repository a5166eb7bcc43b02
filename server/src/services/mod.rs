//! Use cases: validation of inputs into domain types, transactions, resource-level checks,
//! and an audit entry for every write.

pub mod accounts;
pub mod assessments;
pub mod audit;
pub mod dashboard;
pub mod evidence;
pub mod exports;
pub mod mailer;
pub mod mfa;
pub mod remediations;
pub mod review;
pub mod scoring_models;
pub mod templates;
pub mod tokens;
pub mod vendors;
