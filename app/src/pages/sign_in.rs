//! Sign in with email and password.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::status::ErrorNotice;
use crate::routes::AppRoute;

#[component]
pub fn SignInPage() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let login = Action::new_local(|(email, password): &(String, String)| {
        let (email, password) = (email.clone(), password.clone());
        async move { api::login(email, password).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(me)) = login.value().get() {
            auth.me.set(Some(me));
            navigate(AppRoute::Home.href(), Default::default());
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        login.dispatch((email.get_untracked(), password.get_untracked()));
    };
    let error = move || match login.value().get() {
        Some(Err(error)) => Some(error),
        _ => None,
    };
    view! {
        <Title text="Sign in" />
        <section class="card narrow">
            <h1>"Sign in"</h1>
            {move || error().map(|error: ApiError| view! { <ErrorNotice error /> })}
            <form on:submit=on_submit novalidate>
                <div class="field">
                    <label for="email">"Email address"</label>
                    <input id="email" name="email" type="email" autocomplete="username" required
                        bind:value=email />
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password"
                        autocomplete="current-password" required bind:value=password />
                </div>
                <button type="submit" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </section>
    }
}
