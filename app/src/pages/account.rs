//! The signed-in user's own account: who they are, and a password change.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api;
use crate::auth::use_auth;
use crate::components::status::ErrorNotice;

#[component]
pub fn AccountPage() -> impl IntoView {
    let auth = use_auth();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let change = Action::new_local(|(current, new): &(String, String)| {
        let (current, new) = (current.clone(), new.clone());
        async move { api::change_password(current, new).await }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        change.dispatch((current.get_untracked(), new.get_untracked()));
    };
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            current.set(String::new());
            new.set(String::new());
        }
    });
    view! {
        <Title text="Account" />
        <h1>"Your account"</h1>
        {move || auth.me.get().map(|me| view! {
            <section class="card">
                <dl class="facts">
                    <div><dt>"Name"</dt><dd>{me.user.display_name}</dd></div>
                    <div><dt>"Email"</dt><dd>{me.user.email}</dd></div>
                    <div><dt>"Role"</dt><dd>{me.user.role.label()}</dd></div>
                    <div><dt>"Organisation"</dt><dd>{me.organization.name}</dd></div>
                </dl>
            </section>
        })}
        <section class="card narrow" aria-labelledby="password-heading">
            <h2 id="password-heading">"Change password"</h2>
            <p class="muted">"Changing your password signs you out everywhere else."</p>
            {move || match change.value().get() {
                Some(Ok(())) => view! { <div class="alert alert-info" role="status"><p>"Your password has been changed."</p></div> }.into_any(),
                Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
                None => ().into_any(),
            }}
            <form on:submit=on_submit>
                <div class="field">
                    <label for="current-password">"Current password"</label>
                    <input id="current-password" type="password" autocomplete="current-password" required bind:value=current />
                </div>
                <div class="field">
                    <label for="new-password">"New password"</label>
                    <input id="new-password" type="password" autocomplete="new-password" required minlength="12" maxlength="128" bind:value=new />
                </div>
                <button type="submit" disabled=move || change.pending().get()>"Change password"</button>
            </form>
        </section>
    }
}
