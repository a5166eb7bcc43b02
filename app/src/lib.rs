//! Assay's browser UI (Leptos 0.8, client-side rendered): the router, the layout, pages and
//! the typed API client. `frontend` mounts [`App`]; nothing here touches the server's code.

pub mod api;
pub mod auth;
pub mod components;
pub mod pages;
pub mod routes;

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::{Layout, RequireAuth};
use crate::components::status::render_errors;
use crate::pages::{
    account::AccountPage,
    assessments::{AssessmentPage, AssessmentsPage},
    audit::AuditPage,
    dashboard::DashboardPage,
    home::HomePage,
    incidents::{IncidentPage, IncidentsPage},
    invitation::InvitationPage,
    not_found::NotFoundPage,
    portal::PortalPage,
    schedules::SchedulesPage,
    scoring_models::ScoringModelsPage,
    setup::SetupPage,
    sign_in::SignInPage,
    template_editor::TemplateEditorPage,
    templates::TemplatesPage,
    tokens::TokensPage,
    users::UsersPage,
    vendors::{VendorPage, VendorsPage},
};

/// The vendor portal on its own (the `assay-portal` bundle served at `/portal`): no client
/// pages, no sign-in, so vendors download only what they use.
#[component]
pub fn PortalApp() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Assay".to_owned() } else { format!("{page} · Assay") }
        } />
        <Router>
            <crate::components::layout::PortalLayout>
                <ErrorBoundary fallback=render_errors>
                <Routes fallback=|| view! { <PortalPage /> }>
                    <Route path=path!("/portal") view=PortalPage />
                </Routes>
                </ErrorBoundary>
            </crate::components::layout::PortalLayout>
        </Router>
    }
}

/// The whole application.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    auth::provide_auth();
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Assay".to_owned() } else { format!("{page} · Assay") }
        } />
        <Router>
            <Layout>
                // A page that fails unexpectedly shows a readable message inside the
                // layout instead of a blank screen.
                <ErrorBoundary fallback=render_errors>
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route path=path!("/invitation") view=InvitationPage />
                    <Route path=path!("/setup") view=SetupPage />
                    <Route path=path!("/dashboard") view=|| view! { <RequireAuth><DashboardPage /></RequireAuth> } />
                    <Route path=path!("/vendors") view=|| view! { <RequireAuth><VendorsPage /></RequireAuth> } />
                    <Route path=path!("/vendors/:id") view=|| view! { <RequireAuth><VendorPage /></RequireAuth> } />
                    <Route path=path!("/assessments") view=|| view! { <RequireAuth><AssessmentsPage /></RequireAuth> } />
                    <Route path=path!("/assessments/:id") view=|| view! { <RequireAuth><AssessmentPage /></RequireAuth> } />
                    <Route path=path!("/templates") view=|| view! { <RequireAuth><TemplatesPage /></RequireAuth> } />
                    <Route path=path!("/templates/:id") view=|| view! { <RequireAuth><TemplateEditorPage /></RequireAuth> } />
                    <Route path=path!("/scoring-models") view=|| view! { <RequireAuth><ScoringModelsPage /></RequireAuth> } />
                    <Route path=path!("/users") view=|| view! { <RequireAuth><UsersPage /></RequireAuth> } />
                    <Route path=path!("/tokens") view=|| view! { <RequireAuth><TokensPage /></RequireAuth> } />
                    <Route path=path!("/schedules") view=|| view! { <RequireAuth><SchedulesPage /></RequireAuth> } />
                    <Route path=path!("/audit") view=|| view! { <RequireAuth><AuditPage /></RequireAuth> } />
                    <Route path=path!("/incidents") view=|| view! { <RequireAuth><IncidentsPage /></RequireAuth> } />
                    <Route path=path!("/incidents/:id") view=|| view! { <RequireAuth><IncidentPage /></RequireAuth> } />
                    <Route path=path!("/account") view=|| view! { <RequireAuth><AccountPage /></RequireAuth> } />
                </Routes>
                </ErrorBoundary>
            </Layout>
        </Router>
    }
}
