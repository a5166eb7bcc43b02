//! `/verify-pack`: an auditor checks an evidence pack in the browser, without an account.
//! The chosen file is read and verified here (`assay_core::pack_archive` and
//! `assay_core::pack::verify`, the same code as `assay pack verify`); nothing of it is sent
//! to the server. Only the organisation's published key may be fetched, on request.

use assay_core::pack::{self, FileStatus, PackReport, SignatureStatus};
use assay_core::pack_archive::{PackArchive, key_from_text};
use leptos::prelude::*;
use leptos_meta::Title;
use wasm_bindgen::JsCast;

use crate::components::format::short_time;

/// Where the check stands.
#[derive(Clone, PartialEq)]
enum Check {
    Idle,
    Reading(String),
    Checking(String),
    /// The file's name, and what is wrong with it as a whole (not a ZIP archive, unreadable).
    Unopenable(String, String),
    Done(String, Box<PackReport>),
}

/// The pack's bytes, verified with `key` (the organisation's key) or the key it carries.
fn verify(bytes: &[u8], key: Option<&[u8; 32]>) -> Result<PackReport, String> {
    let mut archive = PackArchive::open(std::io::Cursor::new(bytes))?;
    Ok(pack::verify(&mut archive, key.map(|k| &k[..])))
}

async fn read_bytes(file: &web_sys::File) -> Option<Vec<u8>> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    let buffer: js_sys::ArrayBuffer = buffer.dyn_into().ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The verdict in a sentence a reader of this page can act on.
fn verdict(report: &PackReport) -> String {
    if !report.valid {
        let n = report.problems.len();
        return format!(
            "Not valid: {n} problem{} found. Do not rely on this pack.",
            if n == 1 { "" } else { "s" }
        );
    }
    if report.key_checked {
        "Valid: the signature verifies with the key you gave and every file matches the manifest."
            .to_owned()
    } else {
        "Valid as far as the pack itself goes: every file matches the manifest and the signature verifies with the key the pack carries. That key was not checked against the organisation's published key: fetch it below or paste it."
            .to_owned()
    }
}

fn signature_text(status: SignatureStatus) -> &'static str {
    match status {
        SignatureStatus::Valid => "Valid",
        SignatureStatus::Invalid => "Does not verify",
        SignatureStatus::Missing => "Missing",
        SignatureStatus::NoKey => "Not checked (no usable key)",
    }
}

fn status_class(status: FileStatus) -> &'static str {
    match status {
        FileStatus::Matches => "badge badge-ok",
        _ => "badge badge-danger",
    }
}

#[component]
pub fn VerifyPackPage() -> impl IntoView {
    let check = RwSignal::new(Check::Idle);
    let bytes: StoredValue<Option<Vec<u8>>> = StoredValue::new(None);
    let key_text = RwSignal::new(String::new());
    let key_error: RwSignal<Option<String>> = RwSignal::new(None);
    let fetch_error: RwSignal<Option<String>> = RwSignal::new(None);

    // Verifies the chosen file again with the key as typed (none when the field is empty).
    let run = move || {
        let name = match check.get_untracked() {
            Check::Done(name, _)
            | Check::Unopenable(name, _)
            | Check::Reading(name)
            | Check::Checking(name) => name,
            Check::Idle => return,
        };
        let typed = key_text.get_untracked();
        let key = if typed.trim().is_empty() {
            None
        } else if let Some(key) = key_from_text(&typed) {
            Some(key)
        } else {
            key_error.set(Some(
                "Give the public key as 64 hex digits or as a PEM PUBLIC KEY.".to_owned(),
            ));
            return;
        };
        key_error.set(None);
        check.set(Check::Checking(name.clone()));
        // Let the page say "Checking…" before the work (a large pack takes a moment).
        set_timeout(
            move || {
                let result = bytes.with_value(|b| b.as_deref().map(|b| verify(b, key.as_ref())));
                check.set(match result {
                    Some(Ok(report)) => Check::Done(name, Box::new(report)),
                    Some(Err(why)) => Check::Unopenable(name, why),
                    None => Check::Idle,
                });
            },
            std::time::Duration::from_millis(30),
        );
    };

    let choose = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        let name = file.name();
        check.set(Check::Reading(name.clone()));
        fetch_error.set(None);
        leptos::task::spawn_local(async move {
            match read_bytes(&file).await {
                Some(read) => {
                    bytes.set_value(Some(read));
                    run();
                }
                None => check.set(Check::Unopenable(
                    name,
                    "the browser could not read the file".to_owned(),
                )),
            }
        });
    };

    let fetch_key = move |slug: String| {
        fetch_error.set(None);
        leptos::task::spawn_local(async move {
            match crate::api::signing_key(&slug).await {
                Ok(view) => {
                    key_text.set(view.public_key);
                    run();
                }
                Err(e) => fetch_error.set(Some(format!(
                    "The published key of “{slug}” could not be fetched from this server: {e}"
                ))),
            }
        });
    };

    view! {
        <Title text="Verify an evidence pack" />
        <h1>"Verify an evidence pack"</h1>
        <p>"An evidence pack is the signed archive of a decided assessment. Choose one to check that every file is the one the organisation signed. "
           <strong>"The pack is checked in this browser; nothing of it is uploaded."</strong></p>
        <section class="card" aria-labelledby="pack-choose-heading">
            <h2 id="pack-choose-heading">"The pack"</h2>
            <div class="field">
                <label for="pack-file">"Evidence pack (.zip)"</label>
                <input id="pack-file" type="file" accept=".zip,application/zip" on:change=choose data-testid="pack-file" />
            </div>
            <div class="field">
                <label for="pack-key">"The organisation's public key (optional: 64 hex digits or a PEM PUBLIC KEY)"</label>
                <textarea id="pack-key" rows="3" prop:value=move || key_text.get()
                    aria-invalid=move || if key_error.get().is_some() { "true" } else { "false" }
                    aria-describedby="pack-key-error"
                    on:input=move |ev| key_text.set(event_target_value(&ev)) data-testid="pack-key"></textarea>
                {move || key_error.get().map(|m| view! { <p class="field-error" id="pack-key-error" role="alert">{m}</p> })}
            </div>
            <div class="actions">
                <button type="button" on:click=move |_| run()
                    disabled=move || matches!(check.get(), Check::Idle | Check::Reading(_) | Check::Checking(_))>
                    "Check again with this key"
                </button>
            </div>
        </section>
        <div aria-live="polite">
            {move || match check.get() {
                Check::Idle => ().into_any(),
                Check::Reading(name) => view! { <p>{format!("Reading {name}…")}</p> }.into_any(),
                Check::Checking(name) => view! { <p>{format!("Checking {name}…")}</p> }.into_any(),
                Check::Unopenable(name, why) => view! {
                    <div class="alert alert-error" data-testid="pack-verdict">
                        <p>{format!("{name} cannot be checked: {why}.")}</p>
                    </div>
                }.into_any(),
                Check::Done(name, report) => view! { <Report name report=*report fetch_key fetch_error /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Report(
    name: String,
    report: PackReport,
    fetch_key: impl Fn(String) + Copy + Send + Sync + 'static,
    fetch_error: RwSignal<Option<String>>,
) -> impl IntoView {
    let class = if report.valid {
        "alert alert-ok"
    } else {
        "alert alert-error"
    };
    let checked = format!("{} files checked.", report.files.len());
    let offer_fetch = (!report.key_checked)
        .then(|| report.signer.as_ref().map(|s| s.organization.clone()))
        .flatten();
    view! {
        <section class="card" aria-labelledby="pack-report-heading" data-testid="pack-report">
            <h2 id="pack-report-heading">{name}</h2>
            <div class=class data-testid="pack-verdict"><p>{verdict(&report)}</p></div>
            {offer_fetch.map(|slug| view! {
                <p>
                    <button type="button" class="button-secondary" on:click=move |_| fetch_key(slug.clone()) data-testid="fetch-key">
                        "Check against the key this server publishes for the organisation"
                    </button>
                </p>
                {move || fetch_error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            })}
            <dl class="facts">
                <dt>"Signature"</dt><dd data-testid="pack-signature">{signature_text(report.signature)}</dd>
                {report.signer.clone().map(|s| view! {
                    <dt>"Signed by"</dt>
                    <dd data-testid="pack-signer">{format!("Organisation “{}”, key fingerprint {}", s.organization, s.fingerprint)}</dd>
                })}
                {report.created_at.clone().map(|at| view! { <dt>"Created"</dt><dd>{short_time(&at)}</dd> })}
                {report.assessment_id.map(|id| view! { <dt>"Assessment"</dt><dd>{id.to_string()}</dd> })}
            </dl>
            {(!report.problems.is_empty()).then(|| view! {
                <h3>"Problems"</h3>
                <ul data-testid="pack-problems">
                    {report.problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}
                </ul>
            })}
            <h3>"Files"</h3>
            <crate::components::table::ScrollRegion label="Files of the pack">
                <table>
                    <thead><tr><th scope="col">"File"</th><th scope="col">"Result"</th></tr></thead>
                    <tbody>
                        {report.files.iter().map(|f| view! {
                            <tr data-testid="pack-file-row">
                                <td>{f.path.clone()}</td>
                                <td><span class=status_class(f.status)>{match f.status {
                                    FileStatus::Matches => "Matches",
                                    FileStatus::Changed => "Changed",
                                    FileStatus::Missing => "Missing",
                                    FileStatus::Unlisted => "Not in the manifest",
                                    FileStatus::Unreadable => "Unreadable",
                                }}</span></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </crate::components::table::ScrollRegion>
            <p class="muted">{checked}</p>
        </section>
    }
}
