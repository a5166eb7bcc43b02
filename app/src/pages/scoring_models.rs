//! The organisation's scoring model: the current weights and thresholds, the version
//! history, and an editor that previews a change on every vendor before publishing it.

use assay_core::access::Permission;
use assay_core::api::{ScoringModelRequest, ScoringModelView, WhatIfRow, WhatIfView};
use assay_core::risk::RiskTier;
use assay_core::scoring::Category;
use assay_core::template::Severity;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::charts::format_value;
use crate::components::format::short_time;
use crate::components::status::tier_badge;
use crate::components::status::{ErrorNotice, Loading, Outcome};
use crate::routes::vendor_href;

mod exchange_rates;

/// A category's weight in a model: categories left out weigh 1.
fn weight_of(model: &ScoringModelView, category: Category) -> f64 {
    model
        .category_weights
        .get(&category)
        .copied()
        .unwrap_or(1.0)
}

/// The wire name of the form field for a category's weight, as the server names it.
fn weight_field(category: Category) -> String {
    format!("category_weights.{}", category.as_str())
}

/// A problem with the form: on one of its fields, or about the request as a whole.
#[derive(Debug, Clone, PartialEq)]
enum Problem {
    Field { field: String, message: String },
    Other(Box<ApiError>),
}

/// Whether `field` is one the editor shows, so its message can go next to it.
fn is_form_field(field: &str) -> bool {
    matches!(field, "strong" | "adequate" | "note" | "category_weights")
        || Category::ALL.iter().any(|c| weight_field(*c) == field)
}

impl From<ApiError> for Problem {
    fn from(error: ApiError) -> Self {
        match error.field() {
            Some(field) if is_form_field(field) => Problem::Field {
                field: field.to_owned(),
                message: error.to_string(),
            },
            _ => Problem::Other(Box::new(error)),
        }
    }
}

fn number(field: String, label: &str, text: &str) -> Result<f64, Problem> {
    assay_core::text::parse_number(text.trim()).ok_or_else(|| Problem::Field {
        field,
        message: format!("Enter a number for {label}."),
    })
}

/// The tiers an open finding of each severity holds the residual tier at (`None`: nothing).
type Floors = std::collections::BTreeMap<Severity, RiskTier>;

/// "At least High", or "Holds nothing".
fn floor_text(floor: Option<RiskTier>) -> String {
    floor.map_or_else(
        || "Holds nothing".to_owned(),
        |t| format!("At least {}", t.label()),
    )
}

/// The request the form describes, or the first field that is not a number (the server
/// checks the ranges and says which field is wrong).
fn model_request(
    weights: &[(Category, String)],
    strong: &str,
    adequate: &str,
    floors: Floors,
    note: &str,
) -> Result<ScoringModelRequest, Problem> {
    let mut category_weights = std::collections::BTreeMap::new();
    for (category, text) in weights {
        let weight = number(
            weight_field(*category),
            &format!("the weight of {}", category.label()),
            text,
        )?;
        category_weights.insert(*category, weight);
    }
    Ok(ScoringModelRequest {
        category_weights,
        strong: number("strong".to_owned(), "the strong threshold", strong)?,
        adequate: number("adequate".to_owned(), "the adequate threshold", adequate)?,
        finding_floors: floors,
        note: note.trim().to_owned(),
    })
}

/// "1 vendor would change tier", "3 vendors would change tier".
fn changed_text(changed: usize) -> String {
    match changed {
        0 => "No vendor would change tier.".to_owned(),
        1 => "1 vendor would change tier.".to_owned(),
        n => format!("{n} vendors would change tier."),
    }
}

#[component]
pub fn ScoringModelsPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let models = LocalResource::new(move || {
        version.track();
        api::scoring_models()
    });
    let outcome: RwSignal<Option<Result<String, ApiError>>> = RwSignal::new(None);
    view! {
        <Title text="Scoring models" />
        <h1>"Scoring models"</h1>
        <Outcome outcome />
        <Suspense fallback=|| view! { <Loading label="Loading scoring models…" /> }>
            {move || Suspend::new(async move {
                match models.await {
                    Ok(list) => match list.first().cloned() {
                        Some(current) => view! {
                            <CurrentModel model=current.clone() />
                            <ProposeChange current version outcome />
                            <History list />
                        }.into_any(),
                        None => view! { <p class="muted">"No scoring model yet."</p> }.into_any(),
                    },
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
        <exchange_rates::ExchangeRatesSection />
    }
}

#[component]
fn CurrentModel(model: ScoringModelView) -> impl IntoView {
    let heading = if model.version == 0 {
        "Current model: the built-in default".to_owned()
    } else {
        format!("Current model: version {}", model.version)
    };
    view! {
        <section class="card" aria-labelledby="current-model-heading" data-testid="current-model">
            <h2 id="current-model-heading">{heading}</h2>
            <dl class="facts">
                <div><dt>"Strong from"</dt><dd data-testid="current-strong">{format_value(model.strong)}</dd></div>
                <div><dt>"Adequate from"</dt><dd data-testid="current-adequate">{format_value(model.adequate)}</dd></div>
                {Severity::ALL.into_iter().map(|s| view! {
                    <div>
                        <dt>{format!("Open {} finding", s.label())}</dt>
                        <dd data-testid=format!("current-floor-{}", s.as_str())>{floor_text(model.finding_floors.get(&s).copied())}</dd>
                    </div>
                }).collect_view()}
            </dl>
            <table class="compact">
                <thead><tr><th>"Category"</th><th>"Weight"</th></tr></thead>
                <tbody>
                    {Category::ALL.into_iter().map(|c| view! {
                        <tr><td>{c.label()}</td><td>{format_value(weight_of(&model, c))}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn History(list: Vec<ScoringModelView>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="history-heading">
            <h2 id="history-heading">"Version history"</h2>
            <table data-testid="model-history">
                <thead><tr><th>"Version"</th><th>"Note"</th><th>"By"</th><th>"When (UTC)"</th></tr></thead>
                <tbody>
                    {list.into_iter().map(|m| view! {
                        <tr data-testid="model-version">
                            <td>{if m.version == 0 { "Default".to_owned() } else { m.version.to_string() }}</td>
                            <td>{if m.note.is_empty() { "—".to_owned() } else { m.note }}</td>
                            <td>{m.created_by.unwrap_or_else(|| "Assay (built-in)".to_owned())}</td>
                            <td>{m.created_at.as_deref().map(short_time).unwrap_or_else(|| "—".to_owned())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The message for `field`, shown under it, when the last problem was about it.
fn field_message(problem: RwSignal<Option<Problem>>, field: String) -> Option<String> {
    problem.with(|p| match p {
        Some(Problem::Field { field: f, message }) if *f == field => Some(message.clone()),
        _ => None,
    })
}

/// A form field's error line (and the id its input points at with `aria-describedby`).
#[component]
fn FieldError(problem: RwSignal<Option<Problem>>, field: String, id: String) -> impl IntoView {
    move || {
        field_message(problem, field.clone())
            .map(|message| view! { <p class="field-error" id=id.clone() data-testid="field-error">{message}</p> })
    }
}

/// The way to propose a change. The editor, with its what-if preview, is downloaded when
/// asked for: most visits read the current model and its history.
#[component]
fn ProposeChange(
    current: ScoringModelView,
    version: RwSignal<u32>,
    outcome: RwSignal<Option<Result<String, ApiError>>>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let current = StoredValue::new(current);
    move || {
        if open.get() {
            editor::on_demand(current.get_value(), version, outcome)
        } else {
            view! {
                <section class="card" aria-labelledby="editor-heading">
                    <h2 id="editor-heading">"Propose a change"</h2>
                    <p class="muted small">"Try other weights, thresholds and finding bounds, see which vendors would change tier, then publish them as a new version."</p>
                    <button type="button" data-testid="propose-change" on:click=move |_| open.set(true)>"Propose a change"</button>
                </section>
            }
            .into_any()
        }
    }
}

mod editor {
    use super::*;

    /// The editor, downloaded when first opened.
    #[cfg(feature = "client")]
    pub(super) fn on_demand(
        current: ScoringModelView,
        version: RwSignal<u32>,
        outcome: RwSignal<Option<Result<String, ApiError>>>,
    ) -> AnyView {
        view! {
            <crate::components::lazy::OnDemand what="The model editor"
                load=Box::new(move || Box::pin(editor_part(current.clone(), version, outcome))) />
        }
        .into_any()
    }

    /// Without the client app (the portal's build) nothing shows this page, and a split
    /// point (an exported function the linker keeps) would weigh on the portal: an ordinary call.
    #[cfg(not(feature = "client"))]
    pub(super) fn on_demand(
        current: ScoringModelView,
        version: RwSignal<u32>,
        outcome: RwSignal<Option<Result<String, ApiError>>>,
    ) -> AnyView {
        view! { <ModelEditor current version outcome /> }.into_any()
    }

    #[cfg(feature = "client")]
    #[leptos::wasm_split::wasm_split(model_editor, wasm_split_path = ::leptos::wasm_split, fallible)]
    fn editor_part(
        current: ScoringModelView,
        version: RwSignal<u32>,
        outcome: RwSignal<Option<Result<String, ApiError>>>,
    ) -> Result<AnyView, crate::components::lazy::NotLoaded> {
        // The button that opened the editor is gone: keyboard focus goes to its first field.
        crate::components::focus::focus_after_render("weight-encryption");
        Ok(view! { <ModelEditor current version outcome /> }.into_any())
    }
}

#[component]
fn ModelEditor(
    current: ScoringModelView,
    version: RwSignal<u32>,
    outcome: RwSignal<Option<Result<String, ApiError>>>,
) -> impl IntoView {
    let auth = use_auth();
    let weights: Vec<(Category, RwSignal<String>)> = Category::ALL
        .into_iter()
        .map(|c| (c, RwSignal::new(format_value(weight_of(&current, c)))))
        .collect();
    let strong = RwSignal::new(format_value(current.strong));
    let adequate = RwSignal::new(format_value(current.adequate));
    let floors: Vec<(Severity, RwSignal<String>)> = Severity::ALL
        .into_iter()
        .map(|s| {
            let chosen = current.finding_floors.get(&s).map(|t| t.as_str());
            (s, RwSignal::new(chosen.unwrap_or_default().to_owned()))
        })
        .collect();
    let note = RwSignal::new(String::new());
    let problem: RwSignal<Option<Problem>> = RwSignal::new(None);
    let preview: RwSignal<Option<WhatIfView>> = RwSignal::new(None);
    let next_version = current.version + 1;

    let read = {
        let weights = weights.clone();
        let floors = floors.clone();
        move || {
            let values: Vec<(Category, String)> = weights
                .iter()
                .map(|(c, s)| (*c, s.get_untracked()))
                .collect();
            let floors: Floors = floors
                .iter()
                .filter_map(|(s, t)| RiskTier::parse(&t.get_untracked()).map(|t| (*s, t)))
                .collect();
            model_request(
                &values,
                &strong.get_untracked(),
                &adequate.get_untracked(),
                floors,
                &note.get_untracked(),
            )
        }
    };
    let what_if = Action::new_local(|request: &ScoringModelRequest| {
        let request = request.clone();
        async move { api::what_if(request).await }
    });
    let publish = Action::new_local(|request: &ScoringModelRequest| {
        let request = request.clone();
        async move { api::publish_scoring_model(request).await }
    });
    Effect::new(move |_| match what_if.value().get() {
        Some(Ok(view)) => {
            problem.set(None);
            preview.set(Some(view));
        }
        Some(Err(error)) => problem.set(Some(error.into())),
        None => {}
    });
    Effect::new(move |_| match publish.value().get() {
        Some(Ok(model)) => {
            outcome.set(Some(Ok(format!(
                "Version {} published; assessments are scored with it from now on.",
                model.version
            ))));
            version.update(|v| *v += 1);
        }
        Some(Err(error)) => problem.set(Some(error.into())),
        None => {}
    });
    let on_preview = {
        let read = read.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            match read() {
                Ok(request) => {
                    what_if.dispatch(request);
                }
                Err(p) => problem.set(Some(p)),
            }
        }
    };
    let on_publish = move |_| match read() {
        Ok(request) => {
            outcome.set(None);
            publish.dispatch(request);
        }
        Err(p) => problem.set(Some(p)),
    };
    let weight_inputs = weights
        .iter()
        .map(|(category, value)| {
            let field = weight_field(*category);
            let id = format!("weight-{}", category.as_str());
            let error_id = format!("{id}-error");
            let invalid = {
                let field = field.clone();
                move || field_message(problem, field.clone()).is_some().to_string()
            };
            view! {
                <div class="field">
                    <label for=id.clone()>{category.label()}</label>
                    <input id=id type="number" min="0" max="100" step="0.1" required
                        data-testid=format!("weight-{}", category.as_str())
                        aria-invalid=invalid aria-describedby=error_id.clone() bind:value=*value />
                    <FieldError problem field id=error_id />
                </div>
            }
        })
        .collect_view();
    let floor_inputs = floors
        .iter()
        .map(|(severity, value)| {
            let value = *value;
            let id = format!("floor-{}", severity.as_str());
            view! {
                <div class="field">
                    <label for=id.clone()>{format!("An open {} finding", severity.label())}</label>
                    <select id=id.clone() data-testid=id
                        on:change=move |ev| value.set(event_target_value(&ev))>
                        <option value="" selected=value.get_untracked().is_empty()>"Holds nothing"</option>
                        {RiskTier::ALL.into_iter().map(|t| view! {
                            <option value=t.as_str() selected=value.get_untracked() == t.as_str()>
                                {format!("Holds the tier at {} or worse", t.label())}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
            }
        })
        .collect_view();
    let invalid = move |field: &'static str| {
        move || {
            field_message(problem, field.to_owned())
                .is_some()
                .to_string()
        }
    };
    view! {
        <section class="card" aria-labelledby="editor-heading">
            <h2 id="editor-heading">"Propose a change"</h2>
            <p class="muted small">"Weights are relative (0 to 100; 0 leaves a category out). A score at or above the strong threshold is strong, at or above the adequate threshold adequate."</p>
            {move || problem.with(|p| match p {
                Some(Problem::Other(error)) => Some(view! { <ErrorNotice error=(**error).clone() /> }),
                _ => None,
            })}
            <form on:submit=on_preview data-testid="model-editor">
                <fieldset class="field">
                    <legend>"Category weights"</legend>
                    <FieldError problem field="category_weights".to_owned() id="weights-error".to_owned() />
                    <div class="weights-grid">{weight_inputs}</div>
                </fieldset>
                <div class="filters">
                    <div class="field">
                        <label for="model-strong">"Strong threshold"</label>
                        <input id="model-strong" type="number" min="0" max="100" step="0.1" required
                            aria-invalid=invalid("strong") aria-describedby="model-strong-error" bind:value=strong />
                        <FieldError problem field="strong".to_owned() id="model-strong-error".to_owned() />
                    </div>
                    <div class="field">
                        <label for="model-adequate">"Adequate threshold"</label>
                        <input id="model-adequate" type="number" min="0" max="100" step="0.1" required
                            aria-invalid=invalid("adequate") aria-describedby="model-adequate-error" bind:value=adequate />
                        <FieldError problem field="adequate".to_owned() id="model-adequate-error".to_owned() />
                    </div>
                </div>
                <fieldset class="field">
                    <legend>"Findings bound the residual tier"</legend>
                    <p class="muted small">"While a finding is open (not remediated, not accepted), the residual tier is at least the tier chosen for its severity."</p>
                    <div class="filters">{floor_inputs}</div>
                </fieldset>
                <div class="field">
                    <label for="model-note">"Note (why this change)"</label>
                    <textarea id="model-note" rows="2" aria-invalid=invalid("note")
                        aria-describedby="model-note-error" bind:value=note></textarea>
                    <FieldError problem field="note".to_owned() id="model-note-error".to_owned() />
                </div>
                <div class="actions">
                    <button type="submit" class="button-secondary" data-testid="preview-model"
                        disabled=move || what_if.pending().get()>"Preview impact"</button>
                    {move || auth.can(Permission::DecideAssessments).then(|| view! {
                        <button type="button" data-testid="publish-model"
                            disabled=move || publish.pending().get()
                            on:click=on_publish.clone()>{format!("Publish as version {next_version}")}</button>
                    })}
                </div>
            </form>
            {move || what_if.pending().get().then(|| view! { <Loading label="Scoring every vendor under the proposal…" /> })}
            {move || preview.get().map(|view| view! { <Preview view /> })}
        </section>
    }
}

fn overall(score: Option<f64>) -> String {
    score.map_or_else(|| "Not scored".to_owned(), format_value)
}

fn preview_row(row: WhatIfRow) -> impl IntoView {
    let changed = row.current_tier != row.proposed_tier;
    view! {
        <tr class:changed=changed data-testid="what-if-row" data-changed=changed.to_string()>
            <td><a href=vendor_href(row.vendor_id)>{row.vendor_name}</a></td>
            <td>{overall(row.current_overall)} " " {tier_badge(row.current_tier)}</td>
            <td>{overall(row.proposed_overall)} " " {tier_badge(row.proposed_tier)}</td>
            <td>{if changed { "Tier changes" } else { "—" }}</td>
        </tr>
    }
}

#[component]
fn Preview(view: WhatIfView) -> impl IntoView {
    view! {
        <h3>"Impact of the proposal"</h3>
        <p role="status" data-testid="what-if-changed"><strong>{changed_text(view.changed)}</strong></p>
        {if view.rows.is_empty() {
            view! { <p class="muted">"No vendor has a scorecard yet."</p> }.into_any()
        } else {
            view! {
                <table data-testid="what-if">
                    <thead><tr>
                        <th>"Vendor"</th>
                        <th>{format!("Current (version {})", view.current_version)}</th>
                        <th>"Proposed"</th>
                        <th>"Change"</th>
                    </tr></thead>
                    <tbody>{view.rows.into_iter().map(preview_row).collect_view()}</tbody>
                </table>
            }.into_any()
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_weights(text: &str) -> Vec<(Category, String)> {
        Category::ALL
            .into_iter()
            .map(|c| (c, text.to_owned()))
            .collect()
    }

    #[test]
    fn the_form_becomes_a_request_with_every_category() {
        let request = model_request(
            &all_weights("1.5"),
            "80",
            "60",
            Floors::new(),
            "  board review ",
        )
        .expect("a form of numbers is a request");
        assert_eq!(request.category_weights.len(), Category::ALL.len());
        assert_eq!(
            request.category_weights.get(&Category::Encryption),
            Some(&1.5)
        );
        assert_eq!((request.strong, request.adequate), (80.0, 60.0));
        assert_eq!(request.note, "board review", "the note is trimmed");
    }

    #[test]
    fn a_weight_that_is_not_a_number_names_its_field() {
        let mut weights = all_weights("1");
        weights[1].1 = "lots".to_owned();
        let problem =
            model_request(&weights, "80", "60", Floors::new(), "").expect_err("not a number");
        assert_eq!(
            problem,
            Problem::Field {
                field: format!("category_weights.{}", weights[1].0.as_str()),
                message: format!("Enter a number for the weight of {}.", weights[1].0.label()),
            }
        );
    }

    #[test]
    fn server_errors_on_known_fields_go_next_to_them() {
        let error = |field: &str| {
            ApiError::local(
                field,
                "The strong threshold must be between the adequate threshold and 100.",
            )
        };
        assert!(
            matches!(Problem::from(error("strong")), Problem::Field { field, .. } if field == "strong")
        );
        assert!(matches!(
            Problem::from(error("category_weights.insurance")),
            Problem::Field { .. }
        ));
        assert!(
            matches!(Problem::from(error("elsewhere")), Problem::Other(_)),
            "unknown fields are shown above the form"
        );
    }

    #[test]
    fn floors_read_as_people_say_them() {
        assert_eq!(floor_text(Some(RiskTier::High)), "At least High");
        assert_eq!(floor_text(None), "Holds nothing");
    }

    #[test]
    fn missing_categories_weigh_one() {
        let model = ScoringModelView {
            version: 0,
            category_weights: [(Category::Insurance, 0.5)].into_iter().collect(),
            strong: 80.0,
            adequate: 60.0,
            finding_floors: Floors::new(),
            note: String::new(),
            created_at: None,
            created_by: None,
        };
        assert_eq!(weight_of(&model, Category::Insurance), 0.5);
        assert_eq!(weight_of(&model, Category::Governance), 1.0);
    }

    #[test]
    fn the_change_count_reads_as_a_sentence() {
        assert_eq!(changed_text(1), "1 vendor would change tier.");
        assert_eq!(changed_text(3), "3 vendors would change tier.");
    }
}
