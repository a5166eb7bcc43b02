//! The template library: the built-in baseline and imported templates (VSAQ, OSCAL, CSV
//! or Assay JSON), with their published versions; import a file and publish a version.

use assay_core::access::Permission;
use assay_core::api::{ImportTemplateRequest, TemplateView};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::status::{ErrorNotice, Loading, Outcome, UploadProgress};
use crate::routes::template_href;

/// Where an import stands.
#[derive(Debug, Clone, PartialEq)]
enum Import {
    Idle,
    Reading(String),
    Uploading(String),
    Done(String),
    Failed(ApiError),
}

async fn read_text(file: &web_sys::File) -> Option<String> {
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()?;
    text.as_string()
}

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let auth = use_auth();
    let version = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        version.track();
        api::templates()
    });
    let outcome: RwSignal<Option<Result<String, ApiError>>> = RwSignal::new(None);
    let publish = Action::new_local(|id: &uuid::Uuid| {
        let id = *id;
        async move { api::publish_template(id).await }
    });
    Effect::new(move |_| match publish.value().get() {
        Some(Ok(t)) => {
            let latest = t
                .versions
                .iter()
                .map(|v| v.version)
                .max()
                .unwrap_or_default();
            outcome.set(Some(Ok(format!(
                "{} published as version {latest}.",
                t.title
            ))));
            version.update(|v| *v += 1);
        }
        Some(Err(error)) => outcome.set(Some(Err(error))),
        None => {}
    });
    let can_manage = move || auth.can(Permission::ManageTemplates);
    let row = move |t: TemplateView| {
        let id = t.id;
        let latest = t.versions.iter().map(|v| v.version).max();
        let questions = t.summary["questions"].as_u64().unwrap_or_default();
        view! {
            <tr data-testid="template-row">
                <td><a href=template_href(id)>{t.title.clone()}</a> {t.built_in.then(|| view! { " " <span class="badge">"Built in"</span> })}
                    {(t.unpublished_changes && !t.versions.is_empty()).then(|| view! { " " <span class="badge badge-warn">"Unpublished changes"</span> })}</td>
                <td>{t.source_format.clone()}</td>
                <td>{questions}</td>
                <td>{match latest {
                    Some(v) => view! { <span class="badge badge-ok">{format!("Version {v}")}</span> }.into_any(),
                    None => view! { <span class="badge badge-warn">"Draft"</span> }.into_any(),
                }}</td>
                <td>{(!t.built_in && can_manage()).then(|| view! {
                    <button type="button" class="button-secondary" on:click=move |_| { publish.dispatch(id); }>"Publish"</button>
                })}</td>
            </tr>
        }
    };
    view! {
        <Title text="Templates" />
        <h1>"Questionnaire templates"</h1>
        <Outcome outcome=outcome />
        <section class="card">
            <p class="muted small">"Sending uses a template's latest published version; publishing never changes what was already sent."</p>
            <Suspense fallback=|| view! { <Loading label="Loading templates…" /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => view! {
                            <table>
                                <thead><tr><th>"Template"</th><th>"Format"</th><th>"Questions"</th><th>"Published"</th><th><span class="visually-hidden">"Actions"</span></th></tr></thead>
                                <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        {move || can_manage().then(|| view! { <NewTemplate /> <ImportTemplate version /> })}
    }
}

#[component]
fn ImportTemplate(version: RwSignal<u32>) -> impl IntoView {
    let state = RwSignal::new(Import::Idle);
    let title = RwSignal::new(String::new());
    let format = RwSignal::new(String::new());
    let file_input = NodeRef::<leptos::html::Input>::new();
    let progress = RwSignal::new(None::<api::Progress>);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(file) = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.item(0))
        else {
            state.set(Import::Failed(ApiError::local(
                "content",
                "Choose a template file first.",
            )));
            return;
        };
        let name = file.name();
        let workbook = format.get_untracked() == "xlsx"
            || name.to_ascii_lowercase().ends_with(".xlsx")
            || file.type_() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        state.set(Import::Reading(name.clone()));
        spawn_local(async move {
            let chosen_title = Some(title.get_untracked()).filter(|t| !t.trim().is_empty());
            let imported = if workbook {
                progress.set(None);
                state.set(Import::Uploading(name.clone()));
                api::import_workbook(&file, chosen_title.as_deref(), move |p| {
                    progress.set(Some(p))
                })
                .await
            } else {
                let Some(content) = read_text(&file).await else {
                    state.set(Import::Failed(ApiError::Network));
                    return;
                };
                progress.set(None);
                state.set(Import::Uploading(name.clone()));
                api::import_template(ImportTemplateRequest {
                    content,
                    format: Some(format.get_untracked()).filter(|f| !f.is_empty()),
                    title: chosen_title,
                })
                .await
            };
            match imported {
                Ok(t) => {
                    state.set(Import::Done(format!(
                        "Imported \"{}\" as a draft. Publish it to send it.",
                        t.title
                    )));
                    if let Some(input) = file_input.get_untracked() {
                        input.set_value("");
                    }
                    version.update(|v| *v += 1);
                }
                Err(error) => state.set(Import::Failed(error)),
            }
        });
    };
    let busy = move || matches!(state.get(), Import::Reading(_) | Import::Uploading(_));
    view! {
        <section class="card narrow" aria-labelledby="import-heading">
            <h2 id="import-heading">"Import a template"</h2>
            <p class="muted small">"An Excel workbook or CSV file (one row per question, the layout of “Download as Excel” on a template's page), Google VSAQ (JSON), a NIST OSCAL catalog (JSON) or Assay JSON. Errors name the line (in a workbook, the sheet, row and column) and the item."</p>
            {move || match state.get() {
                Import::Idle => ().into_any(),
                Import::Reading(name) => view! { <Loading label=format!("Reading {name}…") /> }.into_any(),
                Import::Uploading(name) => view! { <UploadProgress name progress /> }.into_any(),
                Import::Done(message) => view! { <div class="alert alert-info" role="status"><p>{message}</p></div> }.into_any(),
                Import::Failed(error) => view! { <ErrorNotice error /> }.into_any(),
            }}
            <form on:submit=on_submit>
                <div class="field">
                    <label for="import-file">"Template file"</label>
                    <input id="import-file" type="file" accept=".xlsx,.csv,.json,.txt" node_ref=file_input />
                </div>
                <div class="field">
                    <label for="import-format">"Format"</label>
                    <select id="import-format" bind:value=format>
                        <option value="">"Detect"</option>
                        <option value="vsaq">"VSAQ"</option>
                        <option value="oscal">"OSCAL"</option>
                        <option value="xlsx">"Excel workbook"</option>
                        <option value="csv">"CSV"</option>
                        <option value="json">"Assay JSON"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="import-title">"Title (optional)"</label>
                    <input id="import-title" type="text" bind:value=title />
                </div>
                <button type="submit" disabled=busy>"Import"</button>
            </form>
        </section>
    }
}

/// A blank template to fill in with the editor.
const BLANK: &str = r#"{"title":"New questionnaire","items":[{"type":"section","id":"general","title":"General","items":[{"type":"question","id":"q_1","text":"New question?","kind":{"kind":"yes_no"},"required":true}]}]}"#;

#[component]
fn NewTemplate() -> impl IntoView {
    let navigate = leptos_router::hooks::use_navigate();
    let create = Action::new_local(|_: &()| {
        api::import_template(ImportTemplateRequest {
            content: BLANK.to_owned(),
            format: Some("json".to_owned()),
            title: None,
        })
    });
    Effect::new(move |_| {
        if let Some(Ok(t)) = create.value().get() {
            navigate(&template_href(t.id), Default::default());
        }
    });
    view! {
        <section class="card narrow">
            <h2>"Write a template"</h2>
            {move || create.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <p class="muted small">"Start from a blank questionnaire and build it in the editor, with a live preview."</p>
            <button type="button" on:click=move |_| { create.dispatch(()); }>"New template"</button>
        </section>
    }
}
