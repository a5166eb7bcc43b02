//! Shown for any path the router does not know.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::routes::AppRoute;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Title text="Page not found" />
        <section class="card">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. It may have moved, or the link may be mistyped."</p>
            <p><a class="button" href=AppRoute::Home.href()>"Back to the overview"</a></p>
        </section>
    }
}
