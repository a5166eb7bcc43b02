//! API tests: each boots the real application on a random port with a fresh database
//! (a temporary SQLite file, or a fresh PostgreSQL database when
//! `ASSAY_TEST_POSTGRES_URL` is set).

mod answers;
mod assessment_pages;
mod assessments;
mod audit;
mod auth;
mod cli;
mod concurrency;
mod dashboard;
mod database_upkeep;
mod delegation;
mod errors;
mod evidence;
mod evidence_details;
mod exports;
mod frontend;
mod health;
mod helpers;
mod hostile_input;
mod incidents;
mod isolation;
mod isolation_matrix;
mod list_pages;
mod list_plans;
mod mfa;
mod money_and_time;
mod openapi;
mod outbox;
mod review;
mod s3;
mod scheduler_rounds;
mod schedules;
mod scorecard_trust;
mod session_ends;
mod session_writes;
mod setup;
mod sign_in_capacity;
mod sign_in_races;
mod smtp;
mod template_drafts;
mod templates;
mod tokens;
mod users;
mod vendors;
mod work;
