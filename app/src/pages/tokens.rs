//! API tokens (Admin): the list with revocation, and a form that creates a token and shows
//! it this once.

use assay_core::access::TokenScope;
use assay_core::api::{ApiTokenView, CreateApiTokenRequest, CreatedApiToken};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use crate::api::{self, ApiError};
use crate::components::format::short_time;
use crate::components::status::{ErrorNotice, Loading, Outcome};

/// The request the form describes; an empty date means "until revoked".
fn token_request(name: &str, scope: &str, expires_on: &str) -> CreateApiTokenRequest {
    CreateApiTokenRequest {
        name: name.trim().to_owned(),
        scope: TokenScope::parse(scope).unwrap_or(TokenScope::ReadOnly),
        expires_on: Some(expires_on.trim().to_owned()).filter(|d| !d.is_empty()),
    }
}

/// The server's message when it is about `field`.
fn message_for(error: &Option<ApiError>, field: &str) -> Option<String> {
    error
        .as_ref()
        .filter(|e| e.field() == Some(field))
        .map(ToString::to_string)
}

#[component]
pub fn TokensPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let tokens = LocalResource::new(move || {
        version.track();
        api::api_tokens()
    });
    let outcome: RwSignal<Option<Result<String, ApiError>>> = RwSignal::new(None);
    let confirming: RwSignal<Option<uuid::Uuid>> = RwSignal::new(None);
    let revoke = Action::new_local(|id: &uuid::Uuid| {
        let id = *id;
        async move { api::revoke_api_token(id).await }
    });
    Effect::new(move |_| match revoke.value().get() {
        Some(Ok(())) => {
            confirming.set(None);
            outcome.set(Some(Ok("Token revoked; it no longer works.".to_owned())));
            version.update(|v| *v += 1);
        }
        Some(Err(error)) => outcome.set(Some(Err(error))),
        None => {}
    });
    let row = move |token: ApiTokenView| {
        let id = token.id;
        let name = token.name.clone();
        view! {
            <tr data-testid="token-row">
                <td>{token.name.clone()}</td>
                <td>{token.scope.label()}</td>
                <td><code>{format!("{}…", token.prefix)}</code></td>
                <td>{token.expires_at.as_deref().map(short_time).unwrap_or_else(|| "Never".to_owned())}</td>
                <td>{token.last_used_at.as_deref().map(short_time).unwrap_or_else(|| "Never".to_owned())}</td>
                <td>{token.created_by.clone()} <span class="muted small">{format!(" · {}", short_time(&token.created_at))}</span></td>
                <td>
                    {if token.revoked {
                        view! { <span class="badge badge-danger" data-testid="token-revoked">"Revoked"</span> }.into_any()
                    } else {
                        view! { <span class="badge badge-ok">"Active"</span> }.into_any()
                    }}
                </td>
                <td>
                    {(!token.revoked).then(|| view! {
                        {move || if confirming.get() == Some(id) {
                            view! {
                                <span class="confirm" role="group" aria-label=format!("Revoke {name}?")>
                                    <span class="small">"Revoke for good? "</span>
                                    <button type="button" class="button-danger" data-testid="confirm-revoke"
                                        disabled=move || revoke.pending().get()
                                        on:click=move |_| { revoke.dispatch(id); }>"Yes, revoke"</button>
                                    <button type="button" class="button-secondary"
                                        on:click=move |_| confirming.set(None)>"Keep"</button>
                                </span>
                            }.into_any()
                        } else {
                            view! {
                                <button type="button" class="button-secondary" data-testid="revoke-token"
                                    on:click=move |_| confirming.set(Some(id))>"Revoke"</button>
                            }.into_any()
                        }}
                    })}
                </td>
            </tr>
        }
    };
    view! {
        <Title text="API tokens" />
        <h1>"API tokens"</h1>
        <p class="muted">"Tokens let scripts and reporting tools call the Assay API as the person who created them, limited to the token's scope. They never manage users, the organisation or other tokens."</p>
        <Outcome outcome />
        <section class="card">
            <Suspense fallback=|| view! { <Loading label="Loading tokens…" /> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted" data-testid="tokens-empty">"No API tokens yet."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <table data-testid="tokens">
                                <thead><tr>
                                    <th>"Name"</th><th>"Scope"</th><th>"Prefix"</th><th>"Expires (UTC)"</th>
                                    <th>"Last used"</th><th>"Created by"</th><th>"Status"</th>
                                    <th><span class="visually-hidden">"Actions"</span></th>
                                </tr></thead>
                                <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <NewToken version />
    }
}

#[component]
fn NewToken(version: RwSignal<u32>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let scope = RwSignal::new(TokenScope::ReadOnly.as_str().to_owned());
    let expires_on = RwSignal::new(String::new());
    let created: RwSignal<Option<CreatedApiToken>> = RwSignal::new(None);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let create = Action::new_local(|request: &CreateApiTokenRequest| {
        let request = request.clone();
        async move { api::create_api_token(request).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(token)) => {
            error.set(None);
            created.set(Some(token));
            name.set(String::new());
            expires_on.set(String::new());
            version.update(|v| *v += 1);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        created.set(None);
        create.dispatch(token_request(
            &name.get_untracked(),
            &scope.get_untracked(),
            &expires_on.get_untracked(),
        ));
    };
    let general = move || {
        error
            .get()
            .filter(|e| !matches!(e.field(), Some("name" | "expires_on")))
    };
    let name_error = move || message_for(&error.get(), "name");
    let expires_error = move || message_for(&error.get(), "expires_on");
    view! {
        {move || created.get().map(|token| view! { <ShowOnce token on_done=move || created.set(None) /> })}
        <section class="card narrow" aria-labelledby="new-token-heading">
            <h2 id="new-token-heading">"Create a token"</h2>
            {move || general().map(|error| view! { <ErrorNotice error /> })}
            <form on:submit=on_submit data-testid="token-form">
                <div class="field">
                    <label for="token-name">"Name"</label>
                    <input id="token-name" type="text" required maxlength="100" bind:value=name
                        aria-invalid=move || name_error().is_some().to_string()
                        aria-describedby="token-name-error" />
                    {move || name_error().map(|m| view! { <p class="field-error" id="token-name-error">{m}</p> })}
                </div>
                <div class="field">
                    <label for="token-scope">"Scope"</label>
                    <select id="token-scope" bind:value=scope>
                        {TokenScope::ALL.into_iter().map(|s| view! { <option value=s.as_str()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="token-expires">"Last day it works (optional)"</label>
                    <input id="token-expires" type="date" bind:value=expires_on
                        aria-invalid=move || expires_error().is_some().to_string()
                        aria-describedby="token-expires-hint token-expires-error" />
                    <p id="token-expires-hint" class="muted small">"Leave empty for a token that works until revoked."</p>
                    {move || expires_error().map(|m| view! { <p class="field-error" id="token-expires-error">{m}</p> })}
                </div>
                <button type="submit" disabled=move || create.pending().get()>"Create token"</button>
            </form>
        </section>
    }
}

/// The new token, shown this once, with a copy button.
#[component]
fn ShowOnce(token: CreatedApiToken, on_done: impl Fn() + 'static) -> impl IntoView {
    let copied: RwSignal<Option<bool>> = RwSignal::new(None);
    let secret = token.token.clone();
    let copy = move |_| {
        let secret = secret.clone();
        spawn_local(async move {
            // `navigator.clipboard` is missing outside secure contexts; calling it would throw.
            let navigator = window().navigator();
            let present = web_sys::js_sys::Reflect::get(&navigator, &"clipboard".into())
                .is_ok_and(|c| !c.is_undefined());
            let ok = present
                && wasm_bindgen_futures::JsFuture::from(navigator.clipboard().write_text(&secret))
                    .await
                    .is_ok();
            copied.set(Some(ok));
        });
    };
    view! {
        <section class="card alert-token" aria-labelledby="token-created-heading" data-testid="token-created">
            <h2 id="token-created-heading">{format!("Token \u{201c}{}\u{201d} created", token.view.name)}</h2>
            <div class="alert alert-warn" role="alert">
                <p><strong>"Copy it now: it will not be shown again."</strong>" Assay keeps only a hash; if you lose it, revoke it and create another."</p>
            </div>
            <label for="new-token">"Token"</label>
            <div class="copy-row">
                <input id="new-token" type="text" readonly data-testid="new-token" prop:value=token.token.clone()
                    on:focus=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        input.select();
                    } />
                <button type="button" on:click=copy data-testid="copy-token">"Copy"</button>
            </div>
            <p class="small" role="status" aria-live="polite">
                {move || match copied.get() {
                    Some(true) => "Copied to the clipboard.",
                    Some(false) => "The browser would not copy it; select the text and copy it by hand.",
                    None => "",
                }}
            </p>
            <button type="button" class="button-secondary" on:click=move |_| on_done()>"I have stored it"</button>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_date_means_until_revoked() {
        let request = token_request(" Board reporting ", "read_write", " ");
        assert_eq!(request.name, "Board reporting", "the name is trimmed");
        assert_eq!(request.scope, TokenScope::ReadWrite);
        assert_eq!(request.expires_on, None, "no date, no expiry");
        assert_eq!(
            token_request("x", "read_only", "2027-01-31")
                .expires_on
                .as_deref(),
            Some("2027-01-31")
        );
    }

    #[test]
    fn field_messages_only_show_on_their_field() {
        let error = Some(ApiError::local("expires_on", "That day has passed."));
        assert_eq!(
            message_for(&error, "expires_on").as_deref(),
            Some("That day has passed.")
        );
        assert_eq!(message_for(&error, "name"), None);
    }
}
