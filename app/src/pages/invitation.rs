//! An invited person sets their password. The token is read from the URL fragment, which
//! the browser never sends to a server.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api;
use crate::components::status::ErrorNotice;
use crate::routes::AppRoute;

fn token_from_fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.trim_start_matches('#')
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .map(str::to_owned)
        .filter(|t| !t.is_empty())
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let token = token_from_fragment();
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let mismatch = RwSignal::new(false);
    let accept = Action::new_local(|(token, password): &(String, String)| {
        let (token, password) = (token.clone(), password.clone());
        async move { api::accept_invitation(token, password).await }
    });
    let has_token = token.is_some();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let matches = password.get_untracked() == confirm.get_untracked();
        mismatch.set(!matches);
        if let (true, Some(token)) = (matches, token.clone()) {
            accept.dispatch((token, password.get_untracked()));
        }
    };
    view! {
        <Title text="Set your password" />
        <section class="card narrow">
            <h1>"Set your password"</h1>
            {(!has_token).then(|| view! {
                <div class="alert alert-error" role="alert">
                    <p>"This link is incomplete. Open the link from your email again."</p>
                </div>
            })}
            {move || match accept.value().get() {
                Some(Ok(())) => view! {
                    <div class="alert alert-info" role="status">
                        <p>"Your password is set. You can now sign in."</p>
                        <p><a class="button" href=AppRoute::SignIn.href()>"Sign in"</a></p>
                    </div>
                }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
                None => ().into_any(),
            }}
            <form on:submit=on_submit>
                <p class="muted">"Use at least 12 characters. A few unrelated words make a strong, memorable password."</p>
                <div class="field">
                    <label for="new-password">"New password"</label>
                    <input id="new-password" type="password" autocomplete="new-password" required
                        minlength="12" maxlength="128" bind:value=password />
                </div>
                <div class="field">
                    <label for="confirm-password">"Repeat the password"</label>
                    <input id="confirm-password" type="password" autocomplete="new-password" required
                        bind:value=confirm />
                    {move || mismatch.get().then(|| view! { <p class="field-error">"The two passwords differ."</p> })}
                </div>
                <button type="submit" disabled=move || !has_token || accept.pending().get()>"Set password"</button>
            </form>
        </section>
    }
}
