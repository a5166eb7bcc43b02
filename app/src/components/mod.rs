//! Building blocks shared by pages.

#[cfg(feature = "client")]
pub mod answer_import;
pub mod assessments;
pub mod charts;
pub mod countries;
pub mod evidence;
pub mod focus;
pub mod form;
pub mod format;
pub mod incidents;
pub mod layout;
pub mod lazy;
pub mod pager;
pub mod questionnaire;
pub mod setup_hint;
pub mod status;
pub mod subprocessors;
pub mod table;
