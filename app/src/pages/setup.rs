//! First run: whoever holds the link `assay serve` printed (`/setup?token=…`) names the
//! organisation and becomes its first Admin, signed in at once.

use assay_core::api::SetupRequest;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::form::{FieldError, FormError, invalid};
use crate::routes::AppRoute;

/// The fields the server (or the browser, for the repeated password) may name in an error.
const FIELDS: &[&str] = &[
    "organization_name",
    "admin_name",
    "admin_email",
    "password",
    "password_confirmation",
];

#[component]
pub fn SetupPage() -> impl IntoView {
    let token = use_query_map()
        .read_untracked()
        .get("token")
        .filter(|t| !t.trim().is_empty());
    let status = LocalResource::new(api::setup_status);
    // A memo, so the form is built once: the status arriving (still "needed") must not rebuild
    // it and drop what was already typed.
    let already_set_up =
        Memo::new(move |_| matches!(status.get(), Some(Ok(status)) if !status.needed));
    view! {
        <Title text="Set up Assay" />
        <section class="card narrow">
            <h1>"Set up Assay"</h1>
            {move || match (token.clone(), already_set_up.get()) {
                (_, true) => view! {
                    <div class="alert alert-info" role="status" data-testid="already-set-up">
                        <p>"Assay is already set up. Sign in, or ask an Admin of your organisation to invite you."</p>
                        <p><a class="button" href=AppRoute::SignIn.href()>"Sign in"</a></p>
                    </div>
                }.into_any(),
                (None, false) => view! {
                    <div class="alert alert-error" role="alert" data-testid="setup-link-needed">
                        <p>"This page needs the setup link that "<code>"assay serve"</code>
                            " printed when it started (the address ends in ?token= and a long code). Open that link; if Assay has been restarted since, open the newest one."</p>
                    </div>
                }.into_any(),
                (Some(token), false) => view! { <SetupForm token /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn SetupForm(token: String) -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let organization_name = RwSignal::new(String::new());
    let admin_name = RwSignal::new(String::new());
    let admin_email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let submit = Action::new_local(|request: &SetupRequest| {
        let request = request.clone();
        async move { api::complete_setup(request).await }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(me)) => {
            auth.set_me(Some(me));
            navigate(AppRoute::Home.href(), Default::default());
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if password.get_untracked() != confirm.get_untracked() {
            error.set(Some(ApiError::local(
                "password_confirmation",
                "The two passwords differ.",
            )));
            return;
        }
        error.set(None);
        submit.dispatch(SetupRequest {
            token: token.clone(),
            organization_name: organization_name.get_untracked(),
            admin_name: admin_name.get_untracked(),
            admin_email: admin_email.get_untracked(),
            password: password.get_untracked(),
        });
    };
    let error = Signal::from(error);
    let input = move |id: &'static str,
                      field: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      autocomplete: &'static str,
                      help: Option<&'static str>,
                      value: RwSignal<String>| {
        let error_id = format!("{id}-error");
        let help_id = format!("{id}-help");
        let described_by = match help {
            Some(_) => format!("{help_id} {error_id}"),
            None => error_id.clone(),
        };
        view! {
            <div class="field">
                <label for=id>{label}</label>
                {help.map(|help| view! { <p class="muted small" id=help_id>{help}</p> })}
                <input id=id name=field type=kind autocomplete=autocomplete required bind:value=value
                    aria-invalid=invalid(error, field) aria-describedby=described_by />
                <FieldError error field id=error_id />
            </div>
        }
    };
    const PASSWORD_HELP: Option<&str> =
        Some("At least 12 characters. A few unrelated words make a strong, memorable password.");
    view! {
        <p>"Name your organisation and create its first account, an Admin, who can then invite everyone else. You are signed in as soon as it is done."</p>
        <form on:submit=on_submit novalidate>
            {input("setup-organization", "organization_name", "Organisation name", "text", "organization", None, organization_name)}
            {input("setup-name", "admin_name", "Your name", "text", "name", None, admin_name)}
            {input("setup-email", "admin_email", "Your email address", "email", "email", None, admin_email)}
            {input("setup-password", "password", "Password", "password", "new-password", PASSWORD_HELP, password)}
            {input("setup-confirm", "password_confirmation", "Repeat the password", "password", "new-password", None, confirm)}
            <FormError error fields=FIELDS />
            <button type="submit" disabled=move || submit.pending().get()>
                {move || if submit.pending().get() { "Setting up…" } else { "Create organisation" }}
            </button>
        </form>
    }
}
