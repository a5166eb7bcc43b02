//! The app's routes as an enum, so links cannot point at a page that does not exist.

use assay_core::access::Permission;

/// A page of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppRoute {
    Home,
    SignIn,
    Users,
    Audit,
    Account,
    Invitation,
}

impl AppRoute {
    /// The path to link to.
    pub fn href(self) -> &'static str {
        match self {
            AppRoute::Home => "/",
            AppRoute::SignIn => "/sign-in",
            AppRoute::Users => "/users",
            AppRoute::Audit => "/audit",
            AppRoute::Account => "/account",
            AppRoute::Invitation => "/invitation",
        }
    }

    /// The label used in navigation.
    pub fn label(self) -> &'static str {
        match self {
            AppRoute::Home => "Overview",
            AppRoute::SignIn => "Sign in",
            AppRoute::Users => "Users",
            AppRoute::Audit => "Audit log",
            AppRoute::Account => "Account",
            AppRoute::Invitation => "Invitation",
        }
    }

    /// What a user needs to see the page in the navigation (`None`: any signed-in user).
    pub fn permission(self) -> Option<Permission> {
        match self {
            AppRoute::Users => Some(Permission::ManageUsers),
            AppRoute::Audit => Some(Permission::ReadAuditLog),
            AppRoute::Home | AppRoute::SignIn | AppRoute::Account | AppRoute::Invitation => None,
        }
    }

    /// Pages listed in the main navigation for signed-in users, in order.
    pub const NAV: &'static [AppRoute] = &[AppRoute::Home, AppRoute::Users, AppRoute::Audit];
}
