//! Export renderers: pure functions from a view of the data to the bytes of a file (and,
//! for templates, back). The services gather the data (`services::exports`); nothing here
//! reads the database.

pub mod answer_workbook;
pub mod csv;
pub mod oscal;
pub mod pack_archive;
pub mod pdf;
pub mod report;
pub mod template_workbook;
pub mod xlsx;
