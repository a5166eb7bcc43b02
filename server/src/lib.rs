//! Assay's server as a library, so the binary stays thin and tests boot the real thing.

pub mod auth;
pub mod bench;
pub mod caller;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod error;
pub mod exports;
pub mod public_url;
pub mod request_id;
pub mod routes;
pub mod services;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod web;
pub mod zone;
