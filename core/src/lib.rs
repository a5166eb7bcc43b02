//! Assay's pure domain: no IO, no async; compiles to native and `wasm32-unknown-unknown`
//! so the browser and the server run the same rules.

pub mod access;
pub mod answer;
pub mod answer_sheet;
pub mod api;
pub mod assessment;
pub mod baseline;
pub mod bulk;
pub mod condition;
pub mod contract;
pub mod country;
pub mod day;
pub mod delivery;
pub mod editor_text;
pub mod evaluate;
pub mod import;
pub mod incident;
pub mod input;
pub mod money;
pub mod named;
pub mod pack;
#[cfg(feature = "pack-archive")]
pub mod pack_archive;
pub mod portfolio;
pub mod regex;
pub mod regime;
pub mod review;
pub mod risk;
pub mod schedule;
pub mod scoring;
pub mod scoring_rules;
pub mod subprocessor;
pub mod template;
pub mod text;
pub mod transfer;
