//! The signed-in user's own account: who they are, and a password change.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use leptos::task::spawn_local;

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
        <MfaSection />
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

/// Two-factor authentication: set-up with a QR code, recovery codes shown once, turn off.
#[component]
fn MfaSection() -> impl IntoView {
    let auth = use_auth();
    let enabled = move || {
        auth.me
            .with(|me| me.as_ref().is_some_and(|m| m.user.mfa_enabled))
    };
    let setup = Action::new_local(|_: &()| api::mfa_setup());
    let code = RwSignal::new(String::new());
    let enable = Action::new_local(|code: &String| {
        let code = code.clone();
        async move { api::mfa_enable(code).await }
    });
    let password = RwSignal::new(String::new());
    let disable = Action::new_local(|password: &String| {
        let password = password.clone();
        async move { api::mfa_disable(password).await }
    });
    let refresh_me = move || {
        spawn_local(async move {
            if let Ok(me) = api::me().await {
                auth.set_me(me);
            }
        })
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = enable.value().get() {
            refresh_me();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = disable.value().get() {
            password.set(String::new());
            setup.value().set(None);
            enable.value().set(None);
            refresh_me();
        }
    });
    view! {
        <section class="card narrow" aria-labelledby="mfa-heading">
            <h2 id="mfa-heading">"Two-factor authentication"</h2>
            {move || auth.me.with(|me| me.as_ref().is_some_and(|m| m.mfa_enrolment_required)).then(|| view! {
                <div class="alert alert-error" role="alert"><p>"Your organisation requires two-factor authentication. Set it up to continue using Assay."</p></div>
            })}
            {move || match enable.value().get() {
                Some(Ok(codes)) => view! {
                    <div class="alert alert-info" role="status">
                        <p>"Two-factor authentication is on. Keep these recovery codes somewhere safe: each signs you in once if you lose your device. They are shown only now."</p>
                        <ul class="codes" data-testid="recovery-codes">
                            {codes.recovery_codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                        </ul>
                    </div>
                }.into_any(),
                _ => ().into_any(),
            }}
            {move || if enabled() {
                view! {
                    <p><span class="badge badge-ok">"On"</span> " Sign-in asks for a code from your authenticator app."</p>
                    {move || disable.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
                    <form on:submit=move |ev: SubmitEvent| { ev.prevent_default(); disable.dispatch(password.get_untracked()); }>
                        <div class="field">
                            <label for="mfa-off-password">"Password (to turn it off)"</label>
                            <input id="mfa-off-password" type="password" autocomplete="current-password" required bind:value=password />
                        </div>
                        <button type="submit" class="button-secondary">"Turn off two-factor authentication"</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <p class="muted">"Protect your account with a code from an authenticator app in addition to your password."</p>
                    {move || match setup.value().get() {
                        None => view! {
                            <button type="button" on:click=move |_| { setup.dispatch(()); }>"Set up two-factor authentication"</button>
                        }.into_any(),
                        Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
                        Some(Ok(details)) => view! {
                            <ol class="steps">
                                <li>"Scan this QR code with your authenticator app:"
                                    <div class="qr" inner_html=details.qr_svg.clone()></div>
                                    <p class="small">"Or enter this key by hand: " <code data-testid="mfa-secret">{details.secret.clone()}</code></p>
                                </li>
                                <li>"Enter the 6-digit code the app shows:"</li>
                            </ol>
                            {move || enable.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
                            <form on:submit=move |ev: SubmitEvent| { ev.prevent_default(); enable.dispatch(code.get_untracked()); }>
                                <div class="field">
                                    <label for="mfa-code">"Code from the app"</label>
                                    <input id="mfa-code" type="text" inputmode="numeric" autocomplete="one-time-code" required bind:value=code />
                                </div>
                                <button type="submit" disabled=move || enable.pending().get()>"Turn on"</button>
                            </form>
                        }.into_any(),
                    }}
                }.into_any()
            }}
        </section>
    }
}
