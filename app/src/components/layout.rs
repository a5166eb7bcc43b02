//! The frame around every page: skip link, header with navigation, main area, footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::routes::AppRoute;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <a class="brand" href=AppRoute::Home.href() aria-label="Assay home">
                <span class="brand-mark" aria-hidden="true">"A"</span>
                <span class="brand-name">"Assay"</span>
            </a>
            <nav aria-label="Main">
                <ul class="nav">
                    {AppRoute::NAV
                        .iter()
                        .map(|route| {
                            view! {
                                <li>
                                    <A href=route.href() exact=true>
                                        {route.label()}
                                    </A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        </header>
        <main id="main" class="page" tabindex="-1">
            {children()}
        </main>
        <footer class="footer">
            <p>"Assay — vendor due diligence"</p>
        </footer>
    }
}
