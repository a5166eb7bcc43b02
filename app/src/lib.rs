//! Assay's browser UI (Leptos 0.8, client-side rendered): the router, the layout, pages and
//! the typed API client. `frontend` mounts [`App`]; nothing here touches the server's code.

pub mod api;
pub mod auth;
pub mod components;
pub mod pages;
pub mod routes;

use crate::components::status::render_errors;
use crate::pages::portal::PortalPage;
use leptos::prelude::*;
#[cfg(feature = "client")]
use leptos_meta::{Title, provide_meta_context};
#[cfg(feature = "client")]
use {
    crate::components::layout::{Layout, RequireAuth},
    crate::components::lazy::{NotLoaded, NotLoadedNotice},
    crate::pages::{
        account::AccountPage,
        assessments::{AssessmentPage, AssessmentsPage},
        audit::AuditPage,
        bulk_sends::BulkSendPage,
        dashboard::DashboardPage,
        fourth_parties::FourthPartiesPage,
        incidents::{IncidentPage, IncidentsPage},
        invitation::InvitationPage,
        not_found::NotFoundPage,
        regulations::RegulationsPage,
        schedules::SchedulesPage,
        scoring_models::ScoringModelsPage,
        setup::SetupPage,
        template_editor::TemplateEditorPage,
        templates::TemplatesPage,
        tokens::TokensPage,
        users::UsersPage,
        vendor_register::VendorRegisterPage,
        vendors::{VendorPage, VendorsPage},
    },
    leptos_router::components::{Route, Router, Routes},
    leptos_router::{Lazy, path},
};

/// The vendor portal on its own (the `assay-portal` bundle served at `/portal`): no client
/// pages, no sign-in and no router (it has one page), so vendors download only what they use.
#[component]
pub fn PortalApp() -> impl IntoView {
    // No leptos_meta either: the portal names its tab itself (`components::questionnaire::set_title`).
    view! {
        <crate::components::layout::PortalLayout>
            <ErrorBoundary fallback=render_errors>
                <PortalPage />
            </ErrorBoundary>
        </crate::components::layout::PortalLayout>
    }
}

/// Declares a signed-in page that is downloaded when first visited: a unit struct whose
/// [`LazyRoute`](leptos_router::LazyRoute) view wraps the page in [`RequireAuth`], and the
/// function holding that view, a split point of the wasm module (`scripts/build-wasm` cuts
/// it out; elsewhere it is an ordinary function). The split is `fallible`: when the download
/// fails the page says so and offers to try again, instead of the module aborting.
#[cfg(feature = "client")]
macro_rules! lazy_page {
    ($($route:ident, $split:ident => $page:ident;)*) => {$(
        lazy_route!($route, $split => view! { <RequireAuth><$page /></RequireAuth> });
    )*};
}

/// A page downloaded when first visited, showing `$view`: see [`lazy_page!`].
#[cfg(feature = "client")]
macro_rules! lazy_route {
    ($route:ident, $split:ident => $view:expr) => {
        struct $route;

        #[leptos::wasm_split::wasm_split($split, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $split() -> Result<AnyView, NotLoaded> {
            Ok($view.into_any())
        }

        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $split().await.unwrap_or_else(|NotLoaded| {
                    // A reload fetches the page again (and a newer build's file names).
                    let retry = Callback::new(|()| {
                        let _ = window().location().reload();
                    });
                    view! { <NotLoadedNotice what="This page" retry /> }.into_any()
                })
            }
        }
    };
}

#[cfg(feature = "client")]
lazy_page! {
    DashboardRoute, dashboard_page => DashboardPage;
    VendorsRoute, vendors_page => VendorsPage;
    VendorRoute, vendor_page => VendorPage;
    AssessmentsRoute, assessments_page => AssessmentsPage;
    AssessmentRoute, assessment_page => AssessmentPage;
    BulkSendRoute, bulk_send_page => BulkSendPage;
    TemplatesRoute, templates_page => TemplatesPage;
    TemplateEditorRoute, template_editor_page => TemplateEditorPage;
    ScoringModelsRoute, scoring_models_page => ScoringModelsPage;
    UsersRoute, users_page => UsersPage;
    TokensRoute, tokens_page => TokensPage;
    SchedulesRoute, schedules_page => SchedulesPage;
    AuditRoute, audit_page => AuditPage;
    IncidentsRoute, incidents_page => IncidentsPage;
    IncidentRoute, incident_page => IncidentPage;
    FourthPartiesRoute, fourth_parties_page => FourthPartiesPage;
    RegulationsRoute, regulations_page => RegulationsPage;
    AccountRoute, account_page => AccountPage;
}

// The vendor's subprocessor register, for a vendor on a portal session (no account, so
// no `RequireAuth`): downloaded when first visited, like the signed-in pages.
#[cfg(feature = "client")]
lazy_route!(VendorRegisterRoute, vendor_register_page => view! { <VendorRegisterPage /> });

// Answers that came back by email, entered from a workbook by a signed-in user.
#[cfg(feature = "client")]
lazy_route!(AssessmentAnswersRoute, assessment_answers_page => view! { <RequireAuth><crate::pages::assessment_answers::AssessmentAnswersPage /></RequireAuth> });

// Answers from a spreadsheet, for a vendor on a portal session, like the register.
#[cfg(feature = "client")]
lazy_route!(VendorAnswersRoute, vendor_answers_page => view! { <crate::pages::vendor_answers::VendorAnswersPage /> });

// Accepting an invitation and setting up a new installation: once per person and once ever,
// so their forms are not in everyone's first download.
#[cfg(feature = "client")]
lazy_route!(InvitationRoute, invitation_page => view! { <InvitationPage /> });
#[cfg(feature = "client")]
lazy_route!(SetupRoute, setup_page => view! { <SetupPage /> });

// The evidence-pack verifier, for auditors without an account: the archive reader and the
// signature check come with it, not with the first download.
#[cfg(feature = "client")]
lazy_route!(VerifyPackRoute, verify_pack_page => view! { <crate::pages::verify_pack::VerifyPackPage /> });

// The home page and sign-in: the first page of a visitor, but only of a visitor. Kept out
// of the first download, every page opened directly (a link in an email, a bookmark)
// downloads only its own code beside the framework; the two fetch their own parts.
#[cfg(feature = "client")]
lazy_route!(HomeRoute, home_page => view! { <crate::pages::home::HomePage /> });
#[cfg(feature = "client")]
lazy_route!(SignInRoute, sign_in_page => view! { <crate::pages::sign_in::SignInPage /> });

/// The whole application: the router and the layout are in the first download; every page
/// is fetched when first visited.
#[cfg(feature = "client")]
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
                    <Route path=path!("/") view={Lazy::<HomeRoute>::new()} />
                    <Route path=path!("/sign-in") view={Lazy::<SignInRoute>::new()} />
                    <Route path=path!("/invitation") view={Lazy::<InvitationRoute>::new()} />
                    <Route path=path!("/setup") view={Lazy::<SetupRoute>::new()} />
                    <Route path=path!("/dashboard") view={Lazy::<DashboardRoute>::new()} />
                    <Route path=path!("/vendors") view={Lazy::<VendorsRoute>::new()} />
                    <Route path=path!("/vendors/:id") view={Lazy::<VendorRoute>::new()} />
                    <Route path=path!("/assessments") view={Lazy::<AssessmentsRoute>::new()} />
                    <Route path=path!("/assessments/:id") view={Lazy::<AssessmentRoute>::new()} />
                    <Route path=path!("/assessments/:id/answers") view={Lazy::<AssessmentAnswersRoute>::new()} />
                    <Route path=path!("/bulk-sends/:id") view={Lazy::<BulkSendRoute>::new()} />
                    <Route path=path!("/templates") view={Lazy::<TemplatesRoute>::new()} />
                    <Route path=path!("/templates/:id") view={Lazy::<TemplateEditorRoute>::new()} />
                    <Route path=path!("/scoring-models") view={Lazy::<ScoringModelsRoute>::new()} />
                    <Route path=path!("/users") view={Lazy::<UsersRoute>::new()} />
                    <Route path=path!("/tokens") view={Lazy::<TokensRoute>::new()} />
                    <Route path=path!("/schedules") view={Lazy::<SchedulesRoute>::new()} />
                    <Route path=path!("/audit") view={Lazy::<AuditRoute>::new()} />
                    <Route path=path!("/incidents") view={Lazy::<IncidentsRoute>::new()} />
                    <Route path=path!("/incidents/:id") view={Lazy::<IncidentRoute>::new()} />
                    <Route path=path!("/fourth-parties") view={Lazy::<FourthPartiesRoute>::new()} />
                    <Route path=path!("/regulations") view={Lazy::<RegulationsRoute>::new()} />
                    <Route path=path!("/vendor-register") view={Lazy::<VendorRegisterRoute>::new()} />
                    <Route path=path!("/verify-pack") view={Lazy::<VerifyPackRoute>::new()} />
                    <Route path=path!("/vendor-answers") view={Lazy::<VendorAnswersRoute>::new()} />
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} />
                </Routes>
                </ErrorBoundary>
            </Layout>
        </Router>
    }
}
