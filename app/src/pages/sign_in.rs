//! Sign in with email and password, or through the organisation's identity provider
//! (single sign-on, which comes back here with `?sso_error=<code>` when it is refused).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::setup_hint::SetupHint;
use crate::components::status::ErrorNotice;
use crate::routes::AppRoute;

/// `value` percent-encoded for a query string.
fn query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What a refused single sign-on means, for the person who tried.
fn sso_message(code: &str) -> &'static str {
    match code {
        "unknown_organization" => {
            "No organisation has that name. Check the organisation's short name with your Admin."
        }
        "not_configured" => {
            "Your organisation has not set up single sign-on. Sign in with your email and password."
        }
        "state_invalid" => {
            "That sign-in link was already used, has expired or was started in another browser. Start single sign-on again."
        }
        "provider_refused" | "provider_unavailable" => {
            "Your identity provider did not complete the sign-in. Try again; if it keeps failing, tell your Admin."
        }
        "token_invalid" | "token_expired" => {
            "The identity provider's answer could not be trusted, so you were not signed in. Try again; if it keeps failing, tell your Admin."
        }
        "email_missing" | "email_unverified" => {
            "Your identity provider did not confirm your email address, so Assay cannot tell who you are."
        }
        "domain_not_allowed" => {
            "Your email address's domain is not allowed to sign in to this organisation."
        }
        "account_elsewhere" => "Your email address belongs to another organisation in Assay.",
        "account_deactivated" => "Your account is deactivated. Ask your Admin to reactivate it.",
        _ => "Single sign-on did not complete. Try again.",
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let sso_error = move || {
        query
            .with(|q| q.get("sso_error"))
            .map(|code| sso_message(&code))
    };
    let organization = RwSignal::new(String::new());
    // The browser itself goes to the provider and back: a navigation, not a form post (the
    // page's CSP keeps form submissions on this origin, redirects included).
    let start_sso = move |ev: SubmitEvent| {
        ev.prevent_default();
        let slug = organization.get_untracked();
        let target = format!(
            "/api/auth/oidc/start?organization={}",
            query_value(slug.trim())
        );
        let _ = window().location().set_href(&target);
    };
    let auth = use_auth();
    let navigate = use_navigate();
    let navigate_home = navigate.clone();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // Shown once the server says the password was right and a second factor is needed.
    let needs_code = RwSignal::new(false);
    let login = Action::new_local(
        |(email, password, code): &(String, String, Option<String>)| {
            let (email, password, code) = (email.clone(), password.clone(), code.clone());
            async move { api::login(email, password, code).await }
        },
    );
    Effect::new(move |_| match login.value().get() {
        Some(Ok(me)) => {
            let target = if me.mfa_enrolment_required {
                AppRoute::Account
            } else {
                AppRoute::Home
            };
            auth.set_me(Some(me));
            navigate(target.href(), Default::default());
        }
        Some(Err(error)) if matches!(error.code(), Some("mfa_required" | "invalid_mfa_code")) => {
            needs_code.set(true);
        }
        _ => {}
    });
    // Someone already signed in has nothing to do here: home, without a history entry.
    {
        let navigate = navigate_home;
        Effect::new(move |_| {
            let signed_in = auth.checked.get() && auth.me.with(Option::is_some);
            if signed_in && login.value().with_untracked(Option::is_none) {
                navigate(
                    AppRoute::Home.href(),
                    leptos_router::NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        });
    }
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let code = needs_code.get_untracked().then(|| code.get_untracked());
        login.dispatch((email.get_untracked(), password.get_untracked(), code));
    };
    let error = move || match login.value().get() {
        // Asking for the code is the next step, not an error.
        Some(Err(error)) if error.code() == Some("mfa_required") => None,
        Some(Err(error)) => Some(error),
        _ => None,
    };
    view! {
        <Title text="Sign in" />
        <section class="card narrow">
            <h1>"Sign in"</h1>
            <SetupHint />
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
                {move || needs_code.get().then(|| view! {
                    <div class="field">
                        <label for="totp">"Authentication code"</label>
                        <p class="muted small" id="totp-help">"The 6-digit code from your authenticator app, or one of your recovery codes."</p>
                        <input id="totp" name="totp" type="text" inputmode="numeric" autocomplete="one-time-code"
                            aria-describedby="totp-help" autofocus bind:value=code />
                    </div>
                })}
                <button type="submit" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </section>
        <section class="card narrow" aria-labelledby="sso-heading">
            <h2 id="sso-heading">"Single sign-on"</h2>
            {move || sso_error().map(|message| view! {
                <div class="alert alert-error" role="alert" data-testid="sso-error"><p>{message}</p></div>
            })}
            <form on:submit=start_sso>
                <div class="field">
                    <label for="sso-organization">"Organisation"</label>
                    <p class="muted small" id="sso-organization-help">"Its short name in Assay, e.g. acme (ask your Admin)."</p>
                    <input id="sso-organization" name="organization" type="text" autocomplete="organization" required
                        aria-describedby="sso-organization-help" bind:value=organization />
                </div>
                // Not "Sign in …": the password form's button is found by that name.
                <button type="submit">"Continue with single sign-on"</button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organisation_name_is_encoded_for_the_query() {
        assert_eq!(query_value("acme-corp"), "acme-corp");
        assert_eq!(query_value("a&b=c d"), "a%26b%3Dc%20d");
        assert_eq!(query_value("é"), "%C3%A9");
    }
}
