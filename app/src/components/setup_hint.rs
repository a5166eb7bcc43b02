//! The hint a new installation gives where people look for a way in: no organisation
//! exists yet, so nobody can sign in until someone opens the setup link.

use leptos::prelude::*;

use crate::api;

/// Shown only while the server says setup is needed (`GET /api/setup`).
#[component]
pub fn SetupHint() -> impl IntoView {
    let status = LocalResource::new(api::setup_status);
    move || {
        matches!(status.get(), Some(Ok(status)) if status.needed).then(|| {
            view! {
                <div class="alert alert-info" role="status" data-testid="setup-hint">
                    <p>"This installation has no organisation yet, so nobody can sign in. Open the setup link that "
                        <code>"assay serve"</code>
                        " printed when it started: it creates the organisation and its first Admin."</p>
                </div>
            }
        })
    }
}
