//! The vendor portal (no account): opened from an invitation link whose token is in the
//! URL fragment, it opens the questionnaire (rendered by
//! [`components::questionnaire`](crate::components::questionnaire)) or says why it cannot.

use leptos::prelude::*;

use crate::api;
use crate::components::questionnaire::{Questionnaire, set_title};
use crate::components::status::{ErrorNotice, Loading};

/// Takes the token from `#token=…` and removes it from the address bar and history, so it
/// is neither bookmarked nor shown to someone looking over the vendor's shoulder.
fn take_token() -> Option<String> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let token = hash
        .trim_start_matches('#')
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .filter(|t| !t.is_empty())?
        .to_owned();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/portal"));
    }
    Some(token)
}

#[component]
pub fn PortalPage() -> impl IntoView {
    set_title("Questionnaire");
    let token = take_token();
    let portal = LocalResource::new(move || {
        let token = token.clone();
        async move {
            if let Some(token) = token {
                api::open_portal(token).await?;
            }
            api::portal_assessment().await
        }
    });
    view! {
        <Suspense fallback=|| view! { <Loading label="Opening your questionnaire…" /> }>
            {move || Suspend::new(async move {
                match portal.await {
                    Ok(portal) => view! { <Questionnaire portal /> }.into_any(),
                    Err(error) if error.is_unauthorized() || error.status() == Some(404) => view! {
                        <section class="card narrow">
                            <h1>"Open your questionnaire"</h1>
                            <p>"Use the personal link from your invitation email. If it does not work, ask your contact to send a new one."</p>
                        </section>
                    }.into_any(),
                    Err(error) => view! {
                        <section class="card narrow">
                            <h1>"This link cannot be used"</h1>
                            <ErrorNotice error />
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
