//! Authentication: password hashing, sign-in throttling, the session principal and CSRF.

pub mod common_passwords;
pub mod csrf;
pub mod password;
pub mod session;
pub mod throttle;
pub mod totp;
