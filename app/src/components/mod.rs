//! Building blocks shared by pages.

pub mod charts;
pub mod format;
pub mod layout;
pub mod status;
