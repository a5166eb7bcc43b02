//! One module per page.

pub mod account;
pub mod audit;
pub mod home;
pub mod invitation;
pub mod not_found;
pub mod sign_in;
pub mod users;
