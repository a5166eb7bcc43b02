//! The frame around every page: skip link, header with navigation and the user menu, main
//! area, footer.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::auth::use_auth;
use crate::routes::AppRoute;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Whatever the server says, this browser is signed out afterwards.
            let _ = api::logout().await;
            auth.me.set(None);
            navigate(AppRoute::SignIn.href(), Default::default());
        });
    };
    let nav = move || {
        auth.me.with(|me| me.is_some()).then(|| {
            AppRoute::NAV
                .iter()
                .filter(|route| route.permission().is_none_or(|p| auth.can(p)))
                .map(|route| {
                    view! {
                        <li>
                            <A href=route.href() exact=true>
                                {route.label()}
                            </A>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    // Under 900 px the navigation and the user menu fold behind a menu button. Following
    // a link in it folds them again, so the new page is not hidden under the menu.
    let menu_open = RwSignal::new(false);
    let close_on_link = move |ev: leptos::ev::MouseEvent| {
        let on_link = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|el| el.closest("a").ok().flatten())
            .is_some();
        if on_link {
            menu_open.set(false);
        }
    };
    let menu_button = NodeRef::<html::Button>::new();
    let close_on_escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && menu_open.get_untracked() {
            menu_open.set(false);
            if let Some(button) = menu_button.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar" on:keydown=close_on_escape>
            <a class="brand" href=AppRoute::Home.href() aria-label="Assay home">
                <span class="brand-mark" aria-hidden="true">"A"</span>
                <span class="brand-name">"Assay"</span>
            </a>
            <button
                type="button"
                class="menu-button button-secondary"
                node_ref=menu_button
                aria-controls="site-menu"
                aria-expanded=move || if menu_open.get() { "true" } else { "false" }
                on:click=move |_| menu_open.update(|open| *open = !*open)
            >
                <span class="menu-icon" aria-hidden="true"></span>
                "Menu"
            </button>
            <div id="site-menu" class="topbar-menu" class:open=move || menu_open.get() on:click=close_on_link>
                <nav aria-label="Main">
                    <ul class="nav">{nav}</ul>
                </nav>
                <div class="user-menu">
                    {move || match auth.me.get() {
                        Some(me) => view! {
                            <span class="muted small signed-in-as" data-testid="signed-in-as">
                                {me.user.display_name.clone()} " · " {me.organization.name.clone()}
                            </span>
                            <A href=AppRoute::Account.href()>"Account"</A>
                            <button type="button" class="button-secondary" on:click=sign_out.clone()>
                                "Sign out"
                            </button>
                        }
                            .into_any(),
                        None => view! { <A href=AppRoute::SignIn.href()>"Sign in"</A> }.into_any(),
                    }}
                </div>
            </div>
        </header>
        <PageBody children />
    }
}

/// Shows its children only to a signed-in user; others are sent to the sign-in page.
#[component]
pub fn RequireAuth(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    // Only signing in or out re-renders the page; updates of the user's details must not
    // rebuild it (that would lose what the page shows, such as fresh recovery codes).
    let signed_in = Memo::new(move |_| auth.me.with(Option::is_some));
    move || {
        if !auth.checked.get() {
            view! { <crate::components::status::Loading label="Loading…" /> }.into_any()
        } else if !signed_in.get() {
            view! { <leptos_router::components::Redirect path=AppRoute::SignIn.href() /> }
                .into_any()
        } else {
            children().into_any()
        }
    }
}

/// The portal's frame: vendors have no account, so no navigation and no sign-in.
#[component]
pub fn PortalLayout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <span class="brand" aria-label="Assay">
                <span class="brand-mark" aria-hidden="true">"A"</span>
                <span class="brand-name">"Assay"</span>
            </span>
        </header>
        <PageBody children />
    }
}

/// The main area and footer under either frame's header.
#[component]
fn PageBody(children: Children) -> impl IntoView {
    view! {
        <main id="main" class="page" tabindex="-1">
            {children()}
        </main>
        <footer class="footer">
            <p>"Assay — vendor due diligence"</p>
        </footer>
    }
}
