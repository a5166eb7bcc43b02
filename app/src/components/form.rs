//! Form pieces shared by pages: the server's message about one field, shown beside it, and
//! the data-type checkboxes.

use std::collections::BTreeSet;

use assay_core::risk::DataType;
use leptos::prelude::*;

use crate::api::ApiError;

/// The message of `error` when it is about `field`.
pub fn message_for(error: Option<&ApiError>, field: &str) -> Option<String> {
    error
        .filter(|e| e.field() == Some(field))
        .map(ToString::to_string)
}

/// `aria-invalid` for the input of `field`: "true" while the last error is about it.
pub fn invalid(
    error: Signal<Option<ApiError>>,
    field: &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || {
        if error.with(|e| message_for(e.as_ref(), field).is_some()) {
            "true"
        } else {
            "false"
        }
    }
}

/// The error under the input of `field` (give the input `aria-describedby=id`).
#[component]
pub fn FieldError(
    #[prop(into)] error: Signal<Option<ApiError>>,
    field: &'static str,
    #[prop(into)] id: String,
) -> impl IntoView {
    move || {
        error.with(|e| message_for(e.as_ref(), field)).map(|message| {
            view! { <p class="field-error" id=id.clone() role="alert" data-testid="field-error">{message}</p> }
        })
    }
}

/// An error not about any of `fields`, shown once for the whole form.
#[component]
pub fn FormError(
    #[prop(into)] error: Signal<Option<ApiError>>,
    fields: &'static [&'static str],
) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| e.field().is_none_or(|f| !fields.contains(&f)))
            .map(|error| view! { <crate::components::status::ErrorNotice error /> })
    }
}

/// The kinds of data a vendor handles (or an incident touched), one checkbox each.
#[component]
pub fn DataTypeChoices(
    selected: RwSignal<BTreeSet<DataType>>,
    legend: &'static str,
) -> impl IntoView {
    view! {
        <fieldset class="field">
            <legend>{legend}</legend>
            {DataType::ALL.into_iter().map(|d| view! {
                <label class="checkbox">
                    <input type="checkbox" prop:checked=move || selected.with(|s| s.contains(&d))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected.update(|s| { if on { s.insert(d); } else { s.remove(&d); } });
                        } />
                    {d.label()}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// A labelled text input bound to `value`, with the error about `field` under it.
pub fn text_field(
    id: &'static str,
    field: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<ApiError>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type="text" bind:value=value
                aria-invalid=invalid(error, field) aria-describedby=error_id.clone() />
            <FieldError error field id=error_id />
        </div>
    }
}
