//! One module per page.

pub mod account;
pub mod assessments;
pub mod audit;
pub mod dashboard;
pub mod exchange_rates;
pub mod home;
pub mod incidents;
pub mod invitation;
pub mod not_found;
pub mod portal;
pub mod review;
pub mod schedules;
pub mod scoring_models;
pub mod setup;
pub mod sign_in;
pub mod template_editor;
pub mod template_rules;
pub mod templates;
pub mod tokens;
pub mod users;
pub mod vendors;
