//! The vendor's subprocessor register, reached from the portal on the same portal session
//! (no account): the subprocessors the client holds for the vendor, and the dated change
//! notices it sends. A page of the main app rather than of the portal, so the portal's own
//! first download carries none of it.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn VendorRegisterPage() -> impl IntoView {
    view! {
        <Title text="Your subprocessors" />
        <p><a href="/portal" rel="external">"Back to the questionnaire"</a></p>
        <crate::components::subprocessors::PortalRegister />
    }
}
