//! The organisation's single sign-on settings (Admin): its OpenID provider, the email
//! domains allowed, the role new users get from a claim, and whether password sign-in is
//! refused except for the break-glass Admin.

use assay_core::access::Role;
use assay_core::api::{SsoRoleMapping, SsoSettingsRequest, SsoSettingsView, UserView};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::form::{FieldError, invalid};
use crate::components::status::{ErrorNotice, Loading, Outcome};

/// One row of the role mapping as edited.
#[derive(Clone, Copy)]
struct MappingRow {
    key: u32,
    value: RwSignal<String>,
    role: RwSignal<String>,
}

/// The server's message about `prefix` or one of its items (`role_mapping[1].role`).
fn about(error: Option<&ApiError>, prefix: &str) -> Option<String> {
    error
        .filter(|e| e.field().is_some_and(|f| f.starts_with(prefix)))
        .map(ToString::to_string)
}

/// The card: whether single sign-on is on, and the way to change it. The settings form is
/// downloaded when asked for: it is set up once, and the users page is visited often.
#[component]
pub fn SingleSignOn() -> impl IntoView {
    let open = RwSignal::new(false);
    let settings = LocalResource::new(api::sso_settings);
    view! {
        <section class="card" aria-labelledby="sso-heading" data-testid="sso-settings">
            <h2 id="sso-heading">"Single sign-on"</h2>
            <p class="muted small">"Let your people sign in with your identity provider (OpenID Connect). New users are created on their first sign-in with the role your provider's claim maps to."</p>
            {move || if open.get() {
                settings_form()
            } else {
                view! {
                    <Suspense fallback=|| view! { <Loading label="Loading the single sign-on settings…" /> }>
                        {move || Suspend::new(async move {
                            match settings.await {
                                Ok(settings) => view! { <p data-testid="sso-status">{status(&settings)}</p> }.into_any(),
                                Err(error) => view! { <ErrorNotice error /> }.into_any(),
                            }
                        })}
                    </Suspense>
                    <button type="button" class="button-secondary" on:click=move |_| open.set(true)>
                        "Change single sign-on settings"
                    </button>
                }
                .into_any()
            }}
        </section>
    }
}

/// Whether single sign-on is on, in a sentence.
fn status(settings: &SsoSettingsView) -> String {
    match (settings.enabled, settings.issuer_url.trim()) {
        (false, "") => "Off: not set up.".to_owned(),
        (false, issuer) => format!("Off: set up for {issuer}, but not allowed."),
        (true, issuer) if settings.sso_required => format!(
            "On: people sign in through {issuer}, and only that way (the break-glass Admin excepted)."
        ),
        (true, issuer) => {
            format!("On: people sign in through {issuer} or with their password.")
        }
    }
}

/// The settings form, downloaded when first opened.
#[cfg(feature = "client")]
fn settings_form() -> AnyView {
    view! {
        <crate::components::lazy::OnDemand what="The single sign-on settings"
            load=Box::new(|| Box::pin(sso_form_part())) />
    }
    .into_any()
}

/// Without the client app (the portal's build) nothing shows this page, and a split point
/// (an exported function the linker keeps) would weigh on the portal: an ordinary call.
#[cfg(not(feature = "client"))]
fn settings_form() -> AnyView {
    view! { <Settings /> }.into_any()
}

#[cfg(feature = "client")]
#[leptos::wasm_split::wasm_split(sso_settings, wasm_split_path = ::leptos::wasm_split, fallible)]
fn sso_form_part() -> Result<AnyView, crate::components::lazy::NotLoaded> {
    Ok(view! { <Settings /> }.into_any())
}

/// The settings and the organisation's users (for the break-glass Admin), then the form.
#[component]
fn Settings() -> impl IntoView {
    let loaded = LocalResource::new(|| async {
        let settings = api::sso_settings().await?;
        let users = api::users().await?;
        Ok::<_, ApiError>((settings, users))
    });
    view! {
        <Suspense fallback=|| view! { <Loading label="Loading the single sign-on settings…" /> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok((settings, users)) => {
                        // The button that opened the form is gone: keyboard focus goes to
                        // its first control.
                        crate::components::focus::focus_after_render("sso-enabled");
                        view! { <SsoForm settings users /> }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn role_options(selected: RwSignal<String>) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|r| {
            view! { <option value=r.as_str() selected=move || selected.get() == r.as_str()>{r.label()}</option> }
        })
        .collect_view()
}

#[component]
fn SsoForm(settings: SsoSettingsView, users: Vec<UserView>) -> impl IntoView {
    let enabled = RwSignal::new(settings.enabled);
    let issuer = RwSignal::new(settings.issuer_url.clone());
    let client_id = RwSignal::new(settings.client_id.clone());
    let secret = RwSignal::new(String::new());
    let has_secret = RwSignal::new(settings.has_secret);
    let domains = RwSignal::new(settings.allowed_domains.join(", "));
    let role_claim = RwSignal::new(settings.role_claim.clone().unwrap_or_default());
    let default_role = RwSignal::new(settings.default_role.clone());
    let required = RwSignal::new(settings.sso_required);
    let break_glass = RwSignal::new(
        settings
            .break_glass_user_id
            .map(|id| id.to_string())
            .unwrap_or_default(),
    );
    let next_key = StoredValue::new(0u32);
    let new_row = move |value: String, role: String| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        MappingRow {
            key,
            value: RwSignal::new(value),
            role: RwSignal::new(role),
        }
    };
    let rows = RwSignal::new(
        settings
            .role_mapping
            .iter()
            .map(|m| new_row(m.claim_value.clone(), m.role.clone()))
            .collect::<Vec<_>>(),
    );
    let admins: Vec<UserView> = users
        .into_iter()
        .filter(|u| u.active && u.role == Role::Admin)
        .collect();

    let outcome: RwSignal<Option<Result<String, ApiError>>> = RwSignal::new(None);
    let error = Signal::derive(move || outcome.get().and_then(Result::err));
    let save = Action::new_local(|request: &SsoSettingsRequest| {
        let request = request.clone();
        async move { api::put_sso_settings(&request).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(saved)) => {
            has_secret.set(saved.has_secret);
            secret.set(String::new());
            outcome.set(Some(Ok("Single sign-on settings saved.".to_owned())));
        }
        Some(Err(error)) => outcome.set(Some(Err(error))),
        None => {}
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let secret = secret.get_untracked();
        let request = SsoSettingsRequest {
            enabled: enabled.get_untracked(),
            issuer_url: issuer.get_untracked(),
            client_id: client_id.get_untracked(),
            client_secret: (!secret.is_empty()).then_some(secret),
            allowed_domains: domains
                .get_untracked()
                .split([',', ' ', '\n'])
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned)
                .collect(),
            role_claim: Some(role_claim.get_untracked()).filter(|c| !c.trim().is_empty()),
            role_mapping: rows
                .get_untracked()
                .iter()
                .map(|row| SsoRoleMapping {
                    claim_value: row.value.get_untracked(),
                    role: row.role.get_untracked(),
                })
                .collect(),
            default_role: default_role.get_untracked(),
            sso_required: required.get_untracked(),
            break_glass_user_id: break_glass.get_untracked().parse().ok(),
        };
        save.dispatch(request);
    };
    let redirect_uri = settings.redirect_uri.clone();
    view! {
        <p class="small">"Register this redirect URI at your provider: "<code data-testid="sso-redirect-uri">{redirect_uri}</code></p>
        <Outcome outcome />
        <form on:submit=on_submit novalidate data-testid="sso-form">
            <div class="field checkbox">
                <input id="sso-enabled" type="checkbox" bind:checked=enabled />
                <label for="sso-enabled">"Allow signing in with single sign-on"</label>
            </div>
            <div class="field">
                <label for="sso-issuer">"Issuer URL"</label>
                <input id="sso-issuer" type="url" bind:value=issuer aria-describedby="sso-issuer-hint sso-issuer-error"
                    aria-invalid=invalid(error, "issuer_url") />
                <p id="sso-issuer-hint" class="muted small">"Your provider's issuer, e.g. https://login.example.com/realms/staff (its discovery document is read from there)."</p>
                <FieldError error field="issuer_url" id="sso-issuer-error" />
            </div>
            <div class="field">
                <label for="sso-client-id">"Client id"</label>
                <input id="sso-client-id" type="text" bind:value=client_id aria-describedby="sso-client-id-error"
                    aria-invalid=invalid(error, "client_id") />
                <FieldError error field="client_id" id="sso-client-id-error" />
            </div>
            <div class="field">
                <label for="sso-secret">"Client secret"</label>
                <input id="sso-secret" type="password" autocomplete="off" bind:value=secret
                    aria-describedby="sso-secret-hint sso-secret-error" aria-invalid=invalid(error, "client_secret") />
                <p id="sso-secret-hint" class="muted small">
                    {move || if has_secret.get() { "A secret is stored (it is never shown). Leave empty to keep it." } else { "No secret is stored yet." }}
                </p>
                <FieldError error field="client_secret" id="sso-secret-error" />
            </div>
            <div class="field">
                <label for="sso-domains">"Allowed email domains"</label>
                <input id="sso-domains" type="text" bind:value=domains aria-describedby="sso-domains-hint sso-domains-error" />
                <p id="sso-domains-hint" class="muted small">"Separated by commas, e.g. acme.example, acme.co.uk. Leave empty to allow any domain your provider vouches for."</p>
                {move || error.with(|e| about(e.as_ref(), "allowed_domains")).map(|m| view! {
                    <p class="field-error" id="sso-domains-error" role="alert">{m}</p>
                })}
            </div>
            <div class="field">
                <label for="sso-role-claim">"Role claim"</label>
                <input id="sso-role-claim" type="text" bind:value=role_claim aria-describedby="sso-role-claim-hint" />
                <p id="sso-role-claim-hint" class="muted small">"The ID-token claim whose value picks a new user's role, e.g. groups. Existing users keep the role set in Assay."</p>
            </div>
            <fieldset>
                <legend>"Role mapping"</legend>
                <p class="muted small">"Checked in order: the first value the claim holds gives the role."</p>
                <For each=move || rows.get() key=|row| row.key let:row>
                    {
                        let value_id = format!("sso-map-value-{}", row.key);
                        let role_id = format!("sso-map-role-{}", row.key);
                        view! {
                            <div class="filters" data-testid="sso-mapping-row">
                                <div class="field">
                                    <label for=value_id.clone()>"Claim value"</label>
                                    <input id=value_id type="text" bind:value=row.value />
                                </div>
                                <div class="field">
                                    <label for=role_id.clone()>"Role"</label>
                                    <select id=role_id on:change=move |ev| row.role.set(event_target_value(&ev))>
                                        {role_options(row.role)}
                                    </select>
                                </div>
                                <button type="button" class="button-secondary"
                                    on:click=move |_| rows.update(|r| r.retain(|x| x.key != row.key))>"Remove"</button>
                            </div>
                        }
                    }
                </For>
                {move || error.with(|e| about(e.as_ref(), "role_mapping")).map(|m| view! {
                    <p class="field-error" role="alert">{m}</p>
                })}
                <button type="button" class="button-secondary"
                    on:click=move |_| rows.update(|r| r.push(new_row(String::new(), Role::Auditor.as_str().to_owned())))>"Add a mapping"</button>
            </fieldset>
            <div class="field">
                <label for="sso-default-role">"Role when the claim is absent or matches no row"</label>
                <select id="sso-default-role" on:change=move |ev| default_role.set(event_target_value(&ev))
                    aria-describedby="sso-default-role-error">
                    {role_options(default_role)}
                </select>
                <FieldError error field="default_role" id="sso-default-role-error" />
            </div>
            <div class="field checkbox">
                <input id="sso-required" type="checkbox" bind:checked=required aria-describedby="sso-required-error" />
                <label for="sso-required">"Require single sign-on: refuse password sign-in, except for the break-glass Admin"</label>
            </div>
            <FieldError error field="sso_required" id="sso-required-error" />
            <div class="field">
                <label for="sso-break-glass">"Break-glass Admin"</label>
                <select id="sso-break-glass" on:change=move |ev| break_glass.set(event_target_value(&ev))
                    aria-describedby="sso-break-glass-hint sso-break-glass-error">
                    <option value="" selected=move || break_glass.get().is_empty()>"Nobody"</option>
                    {admins.into_iter().map(|a| {
                        let id = a.id.to_string();
                        let selected = id.clone();
                        view! { <option value=id selected=move || break_glass.get() == selected>{format!("{} ({})", a.display_name, a.email)}</option> }
                    }).collect_view()}
                </select>
                <p id="sso-break-glass-hint" class="muted small">"The one Admin who may still sign in with a password when your provider is down. Needed when single sign-on is required."</p>
                <FieldError error field="break_glass_user_id" id="sso-break-glass-error" />
            </div>
            <div class="actions">
                <button type="submit" disabled=move || save.pending().get()>"Save single sign-on"</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(enabled: bool, issuer: &str, required: bool) -> SsoSettingsView {
        SsoSettingsView {
            enabled,
            issuer_url: issuer.to_owned(),
            client_id: String::new(),
            has_secret: false,
            allowed_domains: Vec::new(),
            role_claim: None,
            role_mapping: Vec::new(),
            default_role: "auditor".to_owned(),
            sso_required: required,
            break_glass_user_id: None,
            redirect_uri: String::new(),
        }
    }

    #[test]
    fn the_status_says_whether_and_how_people_sign_in() {
        assert_eq!(status(&settings(false, "", false)), "Off: not set up.");
        assert_eq!(
            status(&settings(false, "https://idp.test", false)),
            "Off: set up for https://idp.test, but not allowed."
        );
        assert_eq!(
            status(&settings(true, "https://idp.test", false)),
            "On: people sign in through https://idp.test or with their password."
        );
        assert!(
            status(&settings(true, "https://idp.test", true)).contains("only that way"),
            "a required sign-on says passwords are refused"
        );
    }
}
