//! Tables wider than a phone.

use leptos::prelude::*;

/// A table that may be wider than the screen scrolls sideways inside this region, never the
/// page; the region takes the keyboard focus (and is named) so that people who cannot
/// swipe or use a mouse can scroll it with the arrow keys.
#[component]
pub fn ScrollRegion(#[prop(into)] label: String, children: Children) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label=label>
            {children()}
        </div>
    }
}
