//! The app's routes as an enum, so links cannot point at a page that does not exist.

/// A page of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppRoute {
    Home,
}

impl AppRoute {
    /// The path to link to.
    pub fn href(self) -> &'static str {
        match self {
            AppRoute::Home => "/",
        }
    }

    /// The label used in navigation.
    pub fn label(self) -> &'static str {
        match self {
            AppRoute::Home => "Overview",
        }
    }

    /// Pages listed in the main navigation, in order.
    pub const NAV: &'static [AppRoute] = &[AppRoute::Home];
}
