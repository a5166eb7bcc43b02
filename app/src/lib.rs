//! Assay's browser UI (Leptos 0.8, client-side rendered): the router, the layout, pages and
//! the typed API client. `frontend` mounts [`App`]; nothing here touches the server's code.

pub mod api;
pub mod components;
pub mod pages;
pub mod routes;

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::Layout;
use crate::pages::{home::HomePage, not_found::NotFoundPage};

/// The whole application.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Assay".to_owned() } else { format!("{page} · Assay") }
        } />
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=HomePage />
                </Routes>
            </Layout>
        </Router>
    }
}
