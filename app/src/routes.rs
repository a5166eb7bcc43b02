//! The app's routes as an enum, so links cannot point at a page that does not exist.

use assay_core::access::Permission;

/// A page of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppRoute {
    Home,
    Dashboard,
    SignIn,
    Vendors,
    Assessments,
    Templates,
    ScoringModels,
    Schedules,
    Users,
    Tokens,
    Audit,
    Incidents,
    FourthParties,
    Regulations,
    Account,
    Invitation,
    /// First run: the first organisation and its Admin, from the link `assay serve` prints.
    Setup,
    /// The vendor portal, opened from an invitation link (no account).
    Portal,
}

impl AppRoute {
    /// The path to link to.
    pub fn href(self) -> &'static str {
        match self {
            AppRoute::Home => "/",
            AppRoute::Dashboard => "/dashboard",
            AppRoute::ScoringModels => "/scoring-models",
            AppRoute::Tokens => "/tokens",
            AppRoute::Schedules => "/schedules",
            AppRoute::SignIn => "/sign-in",
            AppRoute::Vendors => "/vendors",
            AppRoute::Assessments => "/assessments",
            AppRoute::Templates => "/templates",
            AppRoute::Users => "/users",
            AppRoute::Audit => "/audit",
            AppRoute::Incidents => "/incidents",
            AppRoute::FourthParties => "/fourth-parties",
            AppRoute::Regulations => "/regulations",
            AppRoute::Account => "/account",
            AppRoute::Invitation => "/invitation",
            AppRoute::Setup => "/setup",
            AppRoute::Portal => "/portal",
        }
    }

    /// The label used in navigation.
    pub fn label(self) -> &'static str {
        match self {
            AppRoute::Home => "Overview",
            AppRoute::Dashboard => "Dashboard",
            AppRoute::ScoringModels => "Scoring models",
            AppRoute::Tokens => "API tokens",
            AppRoute::Schedules => "Schedules",
            AppRoute::SignIn => "Sign in",
            AppRoute::Vendors => "Vendors",
            AppRoute::Assessments => "Assessments",
            AppRoute::Templates => "Templates",
            AppRoute::Users => "Users",
            AppRoute::Audit => "Audit log",
            AppRoute::Incidents => "Incidents",
            AppRoute::FourthParties => "Fourth parties",
            AppRoute::Regulations => "Regulations",
            AppRoute::Account => "Account",
            AppRoute::Invitation => "Invitation",
            AppRoute::Setup => "Set up Assay",
            AppRoute::Portal => "Questionnaire",
        }
    }

    /// What a user needs to see the page in the navigation (`None`: any signed-in user).
    pub fn permission(self) -> Option<Permission> {
        match self {
            AppRoute::Vendors | AppRoute::FourthParties | AppRoute::Regulations => {
                Some(Permission::ReadVendors)
            }
            AppRoute::Dashboard | AppRoute::ScoringModels | AppRoute::Schedules => {
                Some(Permission::ReadAssessments)
            }
            AppRoute::Tokens => Some(Permission::ManageApiTokens),
            AppRoute::Assessments => Some(Permission::ReadAssessments),
            AppRoute::Templates => Some(Permission::ReadAssessments),
            AppRoute::Users => Some(Permission::ManageUsers),
            AppRoute::Audit => Some(Permission::ReadAuditLog),
            AppRoute::Incidents => Some(Permission::ReadIncidents),
            AppRoute::Home
            | AppRoute::SignIn
            | AppRoute::Account
            | AppRoute::Invitation
            | AppRoute::Setup
            | AppRoute::Portal => None,
        }
    }

    /// Pages listed in the main navigation for signed-in users, in order.
    pub const NAV: &'static [AppRoute] = &[
        AppRoute::Home,
        AppRoute::Dashboard,
        AppRoute::Vendors,
        AppRoute::Assessments,
        AppRoute::Incidents,
        AppRoute::FourthParties,
        AppRoute::Templates,
        AppRoute::ScoringModels,
        AppRoute::Schedules,
        AppRoute::Users,
        AppRoute::Tokens,
        AppRoute::Audit,
    ];
}

/// The page of one vendor.
pub fn vendor_href(id: uuid::Uuid) -> String {
    format!("/vendors/{id}")
}

/// The page of one assessment.
pub fn assessment_href(id: uuid::Uuid) -> String {
    format!("/assessments/{id}")
}

/// The page of one bulk send: its progress and each vendor's result.
pub fn bulk_send_href(id: uuid::Uuid) -> String {
    format!("/bulk-sends/{id}")
}

/// The page of one incident.
pub fn incident_href(id: uuid::Uuid) -> String {
    format!("/incidents/{id}")
}

/// The editor of one template.
pub fn template_href(id: uuid::Uuid) -> String {
    format!("/templates/{id}")
}

/// The `:id` of the current route, when it is a UUID.
pub fn id_param() -> impl Fn() -> Option<uuid::Uuid> + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        leptos::prelude::Read::read(&params)
            .get("id")
            .and_then(|s| uuid::Uuid::parse_str(&s).ok())
    }
}
