//! Keyboard focus after a re-render: when the control a user pressed goes away with the
//! view it changed, focus moves to what now says what happened, instead of to the page's top.

use leptos::prelude::*;

/// Focuses the element with `id` once the next frame has rendered (it may not exist yet).
pub fn focus_after_render(id: &'static str) {
    request_animation_frame(move || {
        if let Some(element) = document()
            .get_element_by_id(id)
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = element.focus();
        }
    });
}
