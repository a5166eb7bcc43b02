//! The review of one assessment, as a risk manager works through it: the scorecard (overall,
//! categories, tiers, findings linked to their answers and evidence, the per-question
//! breakdown), accepting answers or asking the vendor, overrides with reasons, remediation
//! items, the decision, and the exports.

use std::collections::BTreeMap;

use assay_core::access::Permission;
use assay_core::api::{
    AcceptRiskRequest, AnswerView, ClarificationRequest, ClarificationView,
    CreateRemediationRequest, DecisionRequest, EvidenceView, OverrideRequest, RemediationView,
    ScorecardView,
};
use assay_core::import::vsaq::plain_text;
use assay_core::review::{
    AuthorKind, DecisionOutcome, RemediationStatus, ReviewStatus, needs_attention,
};
use assay_core::risk::RiskTier;
use assay_core::scoring::{Finding, QuestionScore};
use assay_core::template::Template;
use assay_core::text::fixed;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::charts::BarChart;
use crate::components::format::short_time;
use crate::components::status::tier_badge;
use crate::components::status::{ErrorNotice, Loading, Outcome};
use crate::components::table::ScrollRegion;

/// One thing a reviewer does; each answers with the updated scorecard.
#[derive(Debug, Clone)]
enum Act {
    Accept(String),
    Ask(ClarificationRequest),
    Override(OverrideRequest),
    Withdraw(uuid::Uuid),
    Remediate(CreateRemediationRequest),
    Close(uuid::Uuid, String),
    AcceptRisk(AcceptRiskRequest),
    WithdrawAcceptance(uuid::Uuid),
    Decide(DecisionRequest),
}

impl Act {
    fn done(&self) -> &'static str {
        match self {
            Act::Accept(_) => "Answer accepted.",
            Act::Ask(_) => {
                "Question sent to the vendor; the assessment is returned for clarification."
            }
            Act::Override(_) => "Override recorded.",
            Act::Withdraw(_) => "Override withdrawn.",
            Act::Remediate(_) => "Remediation item created.",
            Act::Close(..) => "Remediation item closed; the scorecard was recomputed.",
            Act::AcceptRisk(_) => {
                "Risk accepted; the finding no longer holds the residual tier up."
            }
            Act::WithdrawAcceptance(_) => "Risk acceptance withdrawn; the finding counts again.",
            Act::Decide(_) => "Decision recorded; the scorecard version is frozen.",
        }
    }

    async fn run(self, id: uuid::Uuid) -> Result<ScorecardView, ApiError> {
        match self {
            Act::Accept(q) => api::accept_answer(id, &q).await,
            Act::Ask(request) => api::request_clarification(id, request).await,
            Act::Override(request) => api::add_override(id, request).await,
            Act::Withdraw(o) => api::withdraw_override(id, o).await,
            Act::Remediate(request) => {
                api::create_remediation(request).await?;
                api::scorecard(id).await
            }
            Act::Close(r, note) => {
                api::close_remediation(r, note).await?;
                api::scorecard(id).await
            }
            Act::AcceptRisk(request) => api::accept_risk(id, request).await,
            Act::WithdrawAcceptance(a) => api::withdraw_acceptance(id, a).await,
            Act::Decide(request) => api::decide(id, request).await,
        }
    }
}

/// Everything the review sections share.
#[derive(Clone, Copy)]
struct Review {
    id: uuid::Uuid,
    card: RwSignal<Option<ScorecardView>>,
    act: Action<Act, (&'static str, Result<ScorecardView, ApiError>)>,
    /// The last action's error, shown where the reviewer acted.
    error: RwSignal<Option<ApiError>>,
    can_review: bool,
    can_decide: bool,
    /// The reviewer's choice between every question and those needing attention; kept
    /// across actions (each redraws the scorecard). Unset: needing attention, if any do.
    show_all: RwSignal<Option<bool>>,
}

impl Review {
    fn dispatch(&self, act: Act) {
        self.act.dispatch(act);
    }

    fn closed(&self) -> bool {
        self.card
            .get()
            .is_some_and(|c| c.decision.is_some() || c.provisional)
    }
}

fn points(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |p| fixed(p, 2))
}

/// "The built-in default model", "Model version 3".
fn model_text(version: &str) -> String {
    if version == "0" {
        "The built-in default model".to_owned()
    } else {
        format!("Model version {version}")
    }
}

fn score(value: Option<f64>) -> String {
    value.map_or_else(
        || "Not scored".to_owned(),
        |s| format!("{} / 100", fixed(s, 1)),
    )
}

fn severity_class(finding: &Finding) -> &'static str {
    match finding.severity {
        assay_core::template::Severity::Critical => "badge badge-danger",
        assay_core::template::Severity::High => "badge badge-warn",
        assay_core::template::Severity::Medium => "badge",
    }
}

/// The review panel of an assessment's page.
#[component]
pub fn ReviewPanel(
    id: uuid::Uuid,
    template: Template,
    answers: BTreeMap<String, AnswerView>,
    evidence: Vec<EvidenceView>,
    /// The scorecard, set as it loads and after each action; the assessment's header reads
    /// its status and decision from it.
    card: RwSignal<Option<ScorecardView>>,
) -> impl IntoView {
    let auth = use_auth();
    let outcome: RwSignal<Option<Result<String, ApiError>>> = RwSignal::new(None);
    let error = RwSignal::new(None);
    let act = Action::new_local(move |a: &Act| {
        let a = a.clone();
        async move { (a.done(), a.run(id).await) }
    });
    Effect::new(move |_| match act.value().get() {
        Some((message, Ok(updated))) => {
            card.set(Some(updated));
            error.set(None);
            outcome.set(Some(Ok(message.to_owned())));
        }
        Some((_, Err(e))) => {
            error.set(Some(e.clone()));
            outcome.set(Some(Err(e)));
        }
        None => {}
    });
    let review = Review {
        id,
        card,
        act,
        error,
        can_review: auth.can(Permission::ReviewAssessments),
        can_decide: auth.can(Permission::DecideAssessments),
        show_all: RwSignal::new(None),
    };
    let loaded = LocalResource::new(move || api::scorecard(id));
    let can_export = auth.can(Permission::Export);
    let texts: BTreeMap<String, String> = template
        .questions()
        .map(|q| (q.id.clone(), plain_text(&q.text)))
        .collect();
    let texts = StoredValue::new(texts);
    let answers = StoredValue::new(AnswerView::as_read(&template, &answers));
    let evidence = StoredValue::new(evidence);
    view! {
        <section class="card" aria-labelledby="scorecard-heading" data-testid="scorecard">
            <h2 id="scorecard-heading">"Scorecard"</h2>
            <Outcome outcome=outcome />
            <Suspense fallback=|| view! { <Loading label="Computing the scorecard…" /> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(view) => {
                            card.set(Some(view));
                            ().into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
            {move || card.get().map(|c| {
                // The decision is what the review is for: it comes first, and on a wide
                // screen it stays in view beside the details that are there to check it.
                let panel = c.decision.is_some() || (review.can_decide && !c.provisional);
                view! {
                    <Summary card=c.clone() />
                    {can_export.then(|| view! { <Downloads id decided=c.decision.is_some() /> })}
                    <div class="review-layout" class:with-panel=panel>
                        {panel.then(|| view! {
                            <aside class="decision-panel" aria-labelledby="decision-heading" data-testid="decision-panel">
                                <Decision review card=c.clone() />
                            </aside>
                        })}
                        <div class="review-details">
                            <h3>"Categories"</h3>
                            <CategoryChart card=c.clone() />
                            <Findings review card=c.clone() texts=texts.get_value() evidence=evidence.get_value() />
                            <Breakdown review card=c.clone() texts=texts.get_value() answers=answers.get_value() />
                            <Overrides review card=c.clone() />
                            <Acceptances review card=c.clone() />
                            <Remediations review items=c.remediations.clone() />
                        </div>
                    </div>
                }
            })}
        </section>
    }
}

#[component]
fn Summary(card: ScorecardView) -> impl IntoView {
    let c = &card.card;
    let residual_note = c
        .residual_overridden
        .as_ref()
        .map(|o| format!(" (overridden; computed {})", o.computed.label()));
    let version = if card.provisional {
        "Provisional: the vendor has not submitted".to_owned()
    } else {
        format!(
            "Version {}{}",
            card.version,
            if card.frozen {
                ", frozen by the decision"
            } else {
                ""
            }
        )
    };
    view! {
        <dl class="facts">
            <div><dt>"Overall"</dt><dd class="score" data-testid="overall">{score(c.overall)}</dd></div>
            <div><dt>"Inherent tier"</dt><dd>{tier_badge(c.inherent_tier)}</dd></div>
            <div><dt>"Residual tier"</dt><dd data-testid="residual-tier">{tier_badge(c.residual_tier)}{residual_note}</dd></div>
            <div><dt>"Scorecard"</dt><dd data-testid="scorecard-version">{version}</dd></div>
            <div><dt>"Scoring model"</dt><dd>{model_text(&c.model_version)}</dd></div>
            <div><dt>"As of"</dt><dd><time>{card.as_of.clone()}</time></dd></div>
        </dl>
        {c.held_by.clone().map(|h| view! {
            <p class="alert alert-warn" role="note" data-testid="held-by">
                {format!(
                    "The score alone gives {}; the open finding “{}” holds the residual tier at {}. Remediate it or accept the risk to release it.",
                    h.from_score.label(), h.title, h.tier.label()
                )}
            </p>
        })}
        {card.next_change.clone().map(|n| view! {
            <div class="alert alert-info" role="note" data-testid="next-change">
                <p>{n.sentence(c)}</p>
            </div>
        })}
    }
}

#[component]
fn Downloads(id: uuid::Uuid, decided: bool) -> impl IntoView {
    view! {
        <p class="actions">
            <a class="button" href=format!("/api/assessments/{id}/export.pdf") download data-testid="download-pdf">"Download PDF"</a>
            " "
            <a class="button-secondary" href=format!("/api/assessments/{id}/export.json") download>"JSON"</a>
            " "
            <a class="button-secondary" href=format!("/api/assessments/{id}/export.csv") download>"CSV"</a>
            " "
            <a class="button-secondary" href=format!("/api/assessments/{id}/oscal") download title="OSCAL assessment results, for GRC tools">"OSCAL"</a>
            {decided.then(|| view! {
                " "
                <a class="button-secondary" href=format!("/api/assessments/{id}/pack") download data-testid="download-pack">"Evidence pack"</a>
                " "
                <a href="/verify-pack">"Verify a pack"</a>
            })}
        </p>
    }
}

/// Category scores out of 100 as bars.
#[component]
fn CategoryChart(card: ScorecardView) -> impl IntoView {
    let bars: Vec<(String, f64, Option<String>)> = card
        .card
        .categories
        .iter()
        .map(|c| (c.category.label().to_owned(), c.score, None))
        .collect();
    if bars.is_empty() {
        return view! { <p class="muted">"No scored categories yet."</p> }.into_any();
    }
    view! { <BarChart title="Category scores out of 100" bars max=100.0 testid="category-chart" /> }
        .into_any()
}

#[component]
fn Findings(
    review: Review,
    card: ScorecardView,
    texts: BTreeMap<String, String>,
    evidence: Vec<EvidenceView>,
) -> impl IntoView {
    let findings = card.card.findings.clone();
    let acceptances = card.acceptances.clone();
    let open_keys: Vec<String> = card
        .remediations
        .iter()
        .filter(|r| r.status == RemediationStatus::Open)
        .map(|r| r.finding_key.clone())
        .collect();
    view! {
        <h3>"Findings"</h3>
        {if findings.is_empty() {
            view! { <p class="muted">"No findings."</p> }.into_any()
        } else {
            view! {
                <ul class="findings" data-testid="findings">
                    {findings.into_iter().map(|f| {
                        let question = f.question_id.clone().map(|q| {
                            let text = texts.get(&q).cloned().unwrap_or_else(|| q.clone());
                            view! { <a href=format!("#q-{q}")>{text}</a> }
                        });
                        let files: Vec<_> = evidence
                            .iter()
                            .filter(|e| f.evidence_ids.contains(&e.id.to_string()))
                            .map(|e| view! { <a href=format!("/api/evidence/{}", e.id) download=e.file_name.clone()>{e.file_name.clone()}</a> " " })
                            .collect();
                        let tracked = open_keys.contains(&f.key);
                        let settled = f.settled.map(|by| {
                            let until = acceptances
                                .iter()
                                .find(|a| a.active && a.finding_key == f.key)
                                .and_then(|a| a.expires_on.clone())
                                .map(|d| format!(" until {d}"))
                                .unwrap_or_default();
                            view! { <span class="badge badge-ok" data-testid="finding-settled">{format!("{}{until}", by.label())}</span> }
                        });
                        let holds = f.holds_tier.map(|t| view! {
                            <span class="muted small">{format!(" Holds the residual tier at {} or worse.", t.label())}</span>
                        });
                        let open = f.settled.is_none();
                        view! {
                            <li data-testid="finding">
                                <span class=severity_class(&f)>{f.severity.label()}</span> " "
                                <strong>{f.title.clone()}</strong> " " {settled}
                                <p class="small">{f.reason.clone()} {holds}</p>
                                {question.map(|q| view! { <p class="small">"Answer: " {q}</p> })}
                                {(!files.is_empty()).then(|| view! { <p class="small">"Evidence: " {files}</p> })}
                                {if tracked {
                                    view! { <p class="small"><span class="badge">"Remediation open"</span></p> }.into_any()
                                } else if review.can_review && !review.closed() && open {
                                    view! { <RemediateForm review key=f.key.clone() /> }.into_any()
                                } else {
                                    ().into_any()
                                }}
                                {(open && review.can_decide && !review.closed()).then(|| view! { <AcceptRiskForm review key=f.key.clone() /> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

/// A risk manager accepts the risk of one open finding, with a reason and a last day.
#[component]
fn AcceptRiskForm(review: Review, key: String) -> impl IntoView {
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let key = StoredValue::new(key);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let last = until.get_untracked();
        review.dispatch(Act::AcceptRisk(AcceptRiskRequest {
            finding_key: key.get_value(),
            reason: reason.get_untracked(),
            expires_on: (!last.trim().is_empty()).then_some(last),
        }));
        open.set(false);
    };
    move || {
        if !open.get() {
            return view! {
                <button type="button" class="button-secondary small" data-testid="accept-risk"
                    on:click=move |_| open.set(true)>"Accept the risk"</button>
            }
            .into_any();
        }
        let id = format!("accept-{}", key.get_value().len());
        view! {
            <form class="inline-form" on:submit=submit data-testid="accept-risk-form">
                <div class="field">
                    <label for=format!("{id}-reason")>"Why the risk is accepted"</label>
                    <input id=format!("{id}-reason") required bind:value=reason />
                    <p class="muted small">"Shown on the scorecard, in exports and in the audit log."</p>
                </div>
                <div class="field">
                    <label for=format!("{id}-until")>"Accepted until (optional)"</label>
                    <input id=format!("{id}-until") type="date" bind:value=until />
                </div>
                <div class="actions">
                    <button type="submit">"Accept the risk"</button> " "
                    <button type="button" class="button-secondary" on:click=move |_| open.set(false)>"Cancel"</button>
                </div>
            </form>
        }
        .into_any()
    }
}

/// Risk acceptances given on this assessment, active or not.
#[component]
fn Acceptances(review: Review, card: ScorecardView) -> impl IntoView {
    let list = card.acceptances.clone();
    (!list.is_empty()).then(|| {
        view! {
            <h3>"Risk acceptances"</h3>
            <ul data-testid="acceptances">
                {list.into_iter().map(|a| {
                    let state = if a.withdrawn {
                        "Withdrawn".to_owned()
                    } else if a.active {
                        a.expires_on.clone().map_or_else(|| "Active".to_owned(), |d| format!("Active until {d}"))
                    } else {
                        "Lapsed".to_owned()
                    };
                    let id = a.id;
                    view! {
                        <li data-testid="acceptance">
                            <strong>{a.finding_title.clone()}</strong> ": " {a.reason.clone()}
                            <span class="muted small">{format!(" — {} by {}, {}", state, a.created_by, short_time(&a.created_at))}</span>
                            {(a.active && review.can_decide && !review.closed()).then(|| view! {
                                " "
                                <button type="button" class="button-secondary small"
                                    on:click=move |_| review.dispatch(Act::WithdrawAcceptance(id))>"Withdraw"</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn RemediateForm(review: Review, key: String) -> impl IntoView {
    let open = RwSignal::new(false);
    let due = RwSignal::new(String::new());
    let closure = RwSignal::new(String::new());
    // The owner: the reviewer by default, or anyone in the organisation.
    let me = use_auth().me;
    let owner = RwSignal::new(
        me.with_untracked(|m| m.as_ref().map(|m| m.user.id.to_string()))
            .unwrap_or_default(),
    );
    // Loaded when the form first opens, not once per finding.
    let people: RwSignal<Vec<assay_core::api::PersonView>> = RwSignal::new(Vec::new());
    let show = move |_| {
        open.set(true);
        if people.with_untracked(Vec::is_empty) {
            leptos::task::spawn_local(async move {
                if let Ok(list) = api::people().await {
                    people.set(list);
                }
            });
        }
    };
    let key = StoredValue::new(key);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        review.dispatch(Act::Remediate(CreateRemediationRequest {
            assessment_id: review.id,
            finding_key: key.get_value(),
            owner_id: uuid::Uuid::parse_str(&owner.get_untracked()).ok(),
            due_date: due.get_untracked(),
            vendor_committed_date: None,
            closure_evidence: closure.get_untracked(),
        }));
        open.set(false);
    };
    move || {
        if !open.get() {
            return view! {
                <button type="button" class="button-secondary small" on:click=show>"Create remediation item"</button>
            }
            .into_any();
        }
        let id = format!("rem-{}", key.get_value().len());
        view! {
            <form class="inline-form" on:submit=submit>
                <div class="field">
                    <label for=format!("{id}-due")>"Due date"</label>
                    <input id=format!("{id}-due") type="date" required bind:value=due />
                </div>
                <div class="field">
                    <label for=format!("{id}-closure")>"What closes it"</label>
                    <input id=format!("{id}-closure") required bind:value=closure />
                    <p class="muted small">"For example: A SOC 2 Type II report covering 2027"</p>
                </div>
                <div class="field">
                    <label for=format!("{id}-owner")>"Owner"</label>
                    <select id=format!("{id}-owner") bind:value=owner>
                        <option value="">"Nobody yet"</option>
                        {move || people.get().into_iter().map(|p| {
                            let value = p.id.to_string();
                            let selected = owner.get_untracked() == value;
                            view! { <option value=value selected=selected>{format!("{} ({})", p.display_name, p.role.label())}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="actions">
                    <button type="submit">"Create"</button> " "
                    <button type="button" class="button-secondary" on:click=move |_| open.set(false)>"Cancel"</button>
                </div>
            </form>
        }
        .into_any()
    }
}

fn review_badge(status: Option<ReviewStatus>) -> impl IntoView {
    status.map(|s| {
        let class = match s {
            ReviewStatus::Accepted => "badge badge-ok",
            ReviewStatus::ClarificationRequested => "badge badge-warn",
            ReviewStatus::Answered => "badge",
        };
        view! { <span class=class data-testid="review-status">{s.label()}</span> }
    })
}

#[component]
fn Breakdown(
    review: Review,
    card: ScorecardView,
    texts: BTreeMap<String, String>,
    answers: BTreeMap<String, String>,
) -> impl IntoView {
    let reviews = card.reviews.clone();
    let threads = card.clarifications.clone();
    // Each row with whether it still asks something of the reviewer (core decides).
    let rows: Vec<(QuestionScore, bool)> = card
        .card
        .questions
        .iter()
        .map(|q| {
            let attention = needs_attention(q, reviews.get(&q.id).copied());
            (q.clone(), attention)
        })
        .collect();
    let waiting = rows.iter().filter(|(_, a)| *a).count();
    let total = rows.len();
    // The rows that need attention first, unless there are none.
    let all = Signal::derive(move || review.show_all.get().unwrap_or(waiting == 0));
    let rows = StoredValue::new(rows);
    let (texts, answers) = (StoredValue::new(texts), StoredValue::new(answers));
    let (reviews, threads) = (StoredValue::new(reviews), StoredValue::new(threads));
    view! {
        <h3 id="breakdown-heading">"Per question"</h3>
        <fieldset class="choice-row" data-testid="breakdown-filter">
            <legend>"Show"</legend>
            <label class="choice">
                <input type="radio" name="breakdown-filter" prop:checked=move || !all.get() on:change=move |_| review.show_all.set(Some(false)) />
                {format!(" Needs attention ({waiting})")}
            </label>
            <label class="choice">
                <input type="radio" name="breakdown-filter" prop:checked=move || all.get() on:change=move |_| review.show_all.set(Some(true)) />
                {format!(" All questions ({total})")}
            </label>
        </fieldset>
        <ScrollRegion label="Answers and their points"><table class="breakdown" data-testid="breakdown" aria-labelledby="breakdown-heading">
            <thead><tr>
                <th>"Question"</th><th>"Answer"</th><th>"Points"</th><th>"Weight"</th><th>"Contribution"</th><th>"Review"</th>
            </tr></thead>
            <tbody>
                {move || {
                    let shown_all = all.get();
                    rows.get_value().into_iter().filter(|(_, attention)| shown_all || *attention).map(|(q, _)| {
                        let text = texts.with_value(|t| t.get(&q.id).cloned()).unwrap_or_else(|| q.id.clone());
                        let answer = answers.with_value(|a| a.get(&q.id).cloned()).unwrap_or_default();
                        let thread: Vec<ClarificationView> = threads.with_value(|t| t.iter().filter(|c| c.question_id == q.id).cloned().collect());
                        let status = reviews.with_value(|r| r.get(&q.id).copied());
                        view! {
                            <QuestionRow review q text answer status thread />
                        }
                    }).collect_view()
                }}
            </tbody>
        </table></ScrollRegion>
        {move || (!all.get() && waiting == 0).then(|| view! { <p class="muted">"Nothing needs attention."</p> })}
    }
}

#[component]
fn QuestionRow(
    review: Review,
    q: QuestionScore,
    text: String,
    answer: String,
    status: Option<ReviewStatus>,
    thread: Vec<ClarificationView>,
) -> impl IntoView {
    let form: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let message = RwSignal::new(String::new());
    let new_points = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let id = StoredValue::new(q.id.clone());
    let points_text = match &q.overridden {
        Some(o) => format!("{} (computed {})", points(q.points), points(o.computed)),
        None => points(q.points),
    };
    let ask = move |ev: SubmitEvent| {
        ev.prevent_default();
        review.dispatch(Act::Ask(ClarificationRequest {
            question_id: id.get_value(),
            message: message.get_untracked(),
        }));
        form.set(None);
    };
    let give = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(value) = assay_core::text::parse_number(new_points.get_untracked().trim()) else {
            review.error.set(Some(ApiError::local(
                "points",
                "Enter points between 0 and 1, e.g. 0.7.",
            )));
            return;
        };
        let last = expires.get_untracked();
        review.dispatch(Act::Override(OverrideRequest {
            question_id: Some(id.get_value()),
            points: Some(value),
            residual_tier: None,
            reason: reason.get_untracked(),
            expires_on: (!last.is_empty()).then_some(last),
        }));
        form.set(None);
    };
    let can_act = move || review.can_review && !review.closed();
    let menu_label = format!("Actions for the question “{text}”");
    view! {
        <tr id=format!("q-{}", q.id) data-testid=format!("review-{}", q.id)>
            <td>{text}<br /><span class="muted small"><code>{q.id.clone()}</code> " · " {q.category.label()}</span></td>
            <td>{if answer.is_empty() { "—".to_owned() } else { answer }}</td>
            <td data-testid="points">{points_text}</td>
            <td>{assay_core::text::number(q.weight)}</td>
            <td>{fixed(q.contribution, 2)}</td>
            <td>
                {review_badge(status)}
                {move || can_act().then(|| {
                    // One menu per row: the table stays readable, the actions a click away.
                    let menu = NodeRef::<leptos::html::Details>::new();
                    let close = move || {
                        if let Some(menu) = menu.get() {
                            menu.set_open(false);
                        }
                    };
                    view! {
                        <details class="row-menu" node_ref=menu>
                            <summary class="button-secondary small" aria-label=menu_label.clone()>"Actions"</summary>
                            <div class="row-menu-items">
                                {(status != Some(ReviewStatus::Accepted)).then(|| view! {
                                    <button type="button" class="button-secondary small" on:click=move |_| { close(); review.dispatch(Act::Accept(id.get_value())); }>"Accept"</button>
                                })}
                                <button type="button" class="button-secondary small" on:click=move |_| { close(); form.set(Some("ask")); }>"Ask vendor"</button>
                                <button type="button" class="button-secondary small" on:click=move |_| { close(); form.set(Some("override")); }>"Override"</button>
                            </div>
                        </details>
                    }
                })}
            </td>
        </tr>
        {(!thread.is_empty()).then(|| view! {
            <tr class="thread-row"><td colspan="6">
                <ol class="thread" data-testid="thread">
                    {thread.into_iter().map(|c| view! {
                        <li class=if c.author_kind == AuthorKind::Vendor { "from-vendor" } else { "from-reviewer" }>
                            <strong>{c.author.clone()}</strong> " (" {c.author_kind.label()} ", " <time datetime=c.created_at.clone()>{short_time(&c.created_at)}</time> "): " {c.message.clone()}
                        </li>
                    }).collect_view()}
                </ol>
            </td></tr>
        })}
        {move || match form.get() {
            Some("ask") => view! {
                <tr><td colspan="6">
                    <form class="inline-form" on:submit=ask>
                        <div class="field">
                            <label for=format!("ask-{}", id.get_value())>"Your question to the vendor"</label>
                            <textarea id=format!("ask-{}", id.get_value()) required bind:value=message></textarea>
                        </div>
                        <div class="actions">
                            <button type="submit">"Send to the vendor"</button> " "
                            <button type="button" class="button-secondary" on:click=move |_| form.set(None)>"Cancel"</button>
                        </div>
                    </form>
                </td></tr>
            }.into_any(),
            Some(_) => view! {
                <tr><td colspan="6">
                    <form class="inline-form" on:submit=give data-testid="override-form">
                        <div class="field">
                            <label for=format!("pts-{}", id.get_value())>"Points (0 to 1)"</label>
                            <input id=format!("pts-{}", id.get_value()) inputmode="decimal" required bind:value=new_points />
                        </div>
                        <div class="field">
                            <label for=format!("why-{}", id.get_value())>"Reason (shown to auditors)"</label>
                            <textarea id=format!("why-{}", id.get_value()) required bind:value=reason></textarea>
                        </div>
                        <div class="field">
                            <label for=format!("until-{}", id.get_value())>"Last day (optional)"</label>
                            <input id=format!("until-{}", id.get_value()) type="date" bind:value=expires />
                        </div>
                        <div class="actions">
                            <button type="submit">"Override"</button> " "
                            <button type="button" class="button-secondary" on:click=move |_| form.set(None)>"Cancel"</button>
                        </div>
                        {move || review.error.get().filter(|e| e.field().is_some()).map(|error| view! { <ErrorNotice error /> })}
                    </form>
                </td></tr>
            }.into_any(),
            None => ().into_any(),
        }}
    }
}

#[component]
fn Overrides(review: Review, card: ScorecardView) -> impl IntoView {
    let tier = RwSignal::new("medium".to_owned());
    let reason = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let give = move |ev: SubmitEvent| {
        ev.prevent_default();
        let chosen = RiskTier::ALL
            .into_iter()
            .find(|t| t.label().eq_ignore_ascii_case(&tier.get_untracked()));
        let last = expires.get_untracked();
        review.dispatch(Act::Override(OverrideRequest {
            question_id: None,
            points: None,
            residual_tier: chosen,
            reason: reason.get_untracked(),
            expires_on: (!last.is_empty()).then_some(last),
        }));
    };
    let list = card.overrides.clone();
    let can_act = review.can_review && card.decision.is_none() && !card.provisional;
    view! {
        <h3>"Overrides"</h3>
        {if list.is_empty() {
            view! { <p class="muted">"No overrides."</p> }.into_any()
        } else {
            view! {
                <ScrollRegion label="Overrides"><table data-testid="overrides">
                    <thead><tr><th>"What"</th><th>"Reason"</th><th>"By"</th><th>"Last day"</th><th>"State"</th><th></th></tr></thead>
                    <tbody>
                        {list.into_iter().map(|o| {
                            let what = match (&o.question_id, o.points, o.residual_tier) {
                                (Some(q), Some(p), _) => format!("{q}: {} points", fixed(p, 2)),
                                (_, _, Some(t)) => format!("Residual tier: {}", t.label()),
                                _ => String::new(),
                            };
                            let state = if o.withdrawn { "Withdrawn" } else if o.active { "Active" } else { "Lapsed" };
                            let oid = o.id;
                            view! {
                                <tr>
                                    <td>{what}</td><td>{o.reason.clone()}</td><td>{o.created_by.clone()}</td>
                                    <td>{o.expires_on.clone().unwrap_or_else(|| "Until withdrawn".to_owned())}</td>
                                    <td>{state}</td>
                                    <td>{(can_act && o.active).then(|| view! {
                                        <button type="button" class="button-secondary small" on:click=move |_| review.dispatch(Act::Withdraw(oid))>"Withdraw"</button>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table></ScrollRegion>
            }.into_any()
        }}
        {can_act.then(|| view! {
            <details>
                <summary>"Override the residual tier"</summary>
                <form class="inline-form" on:submit=give>
                    <div class="field">
                        <label for="tier-override">"Residual tier"</label>
                        <select id="tier-override" bind:value=tier>
                            {RiskTier::ALL.iter().map(|t| view! { <option value=t.label().to_lowercase()>{t.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="tier-reason">"Reason (shown to auditors)"</label>
                        <textarea id="tier-reason" required bind:value=reason></textarea>
                    </div>
                    <div class="field">
                        <label for="tier-until">"Last day (optional)"</label>
                        <input id="tier-until" type="date" bind:value=expires />
                    </div>
                    <div class="actions"><button type="submit">"Override tier"</button></div>
                </form>
            </details>
        })}
    }
}

#[component]
fn Remediations(review: Review, items: Vec<RemediationView>) -> impl IntoView {
    view! {
        <h3>"Remediation"</h3>
        {if items.is_empty() {
            view! { <p class="muted">"No remediation items. Create one from a finding."</p> }.into_any()
        } else {
            view! {
                <ScrollRegion label="Remediation items"><table data-testid="remediations">
                    <thead><tr><th>"Item"</th><th>"Owner"</th><th>"Due"</th><th>"Vendor committed"</th><th>"Closes with"</th><th>"Status"</th><th></th></tr></thead>
                    <tbody>
                        {items.into_iter().map(|r| view! { <RemediationRow review r /> }).collect_view()}
                    </tbody>
                </table></ScrollRegion>
            }.into_any()
        }}
    }
}

#[component]
fn RemediationRow(review: Review, r: RemediationView) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let rid = r.id;
    let close = move |ev: SubmitEvent| {
        ev.prevent_default();
        review.dispatch(Act::Close(rid, note.get_untracked()));
    };
    let is_open = r.status == RemediationStatus::Open;
    view! {
        <tr data-testid="remediation">
            <td>{r.title.clone()}<br /><span class="muted small">{r.severity.label()}</span></td>
            <td>{r.owner_name.clone().unwrap_or_else(|| "—".to_owned())}</td>
            <td><time>{r.due_date.clone()}</time>{r.overdue.then(|| view! { " " <span class="badge badge-danger">"Overdue"</span> })}</td>
            <td>{r.vendor_committed_date.clone().unwrap_or_else(|| "—".to_owned())}</td>
            <td>{r.closure_evidence.clone()}</td>
            <td>{r.status.label()}{r.closing_note.clone().map(|n| view! { <p class="muted small">{n}</p> })}</td>
            <td>{(is_open && review.can_review).then(|| view! {
                {move || if open.get() {
                    view! {
                        <form class="inline-form" on:submit=close>
                            <label for=format!("close-{rid}")>"What closed it"</label>
                            <input id=format!("close-{rid}") required bind:value=note />
                            <button type="submit">"Close item"</button>
                        </form>
                    }.into_any()
                } else {
                    view! { <button type="button" class="button-secondary small" on:click=move |_| open.set(true)>"Close…"</button> }.into_any()
                }}
            })}</td>
        </tr>
    }
}

#[component]
fn Decision(review: Review, card: ScorecardView) -> impl IntoView {
    if let Some(d) = card.decision.clone() {
        return view! {
            <h3 id="decision-heading">"Decision"</h3>
            <div class="alert alert-info" data-testid="decision">
                <p><strong>{d.outcome.label()}</strong> " by " {d.decided_by.clone()} " on " <time datetime=d.decided_at.clone()>{short_time(&d.decided_at)}</time>
                   {format!(" (scorecard version {})", d.scorecard_version)}</p>
                <p>{d.rationale.clone()}</p>
                {(!d.conditions.is_empty()).then(|| view! {
                    <ul>{d.conditions.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}</ul>
                })}
            </div>
        }
        .into_any();
    }
    if !review.can_decide || card.provisional {
        return ().into_any();
    }
    // Nothing is chosen for the reviewer: the outcome is theirs to pick.
    let outcome = RwSignal::new(String::new());
    let conditions = RwSignal::new(String::new());
    let rationale = RwSignal::new(String::new());
    let unchosen = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = DecisionOutcome::parse(&outcome.get_untracked()) else {
            unchosen.set(true);
            return;
        };
        unchosen.set(false);
        let listed: Vec<String> = conditions
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        review.dispatch(Act::Decide(DecisionRequest {
            outcome: chosen,
            conditions: if chosen == DecisionOutcome::ApprovedWithConditions {
                listed
            } else {
                Vec::new()
            },
            rationale: rationale.get_untracked(),
        }));
    };
    view! {
        <h3 id="decision-heading">"Decision"</h3>
        <form on:submit=submit data-testid="decision-form" novalidate>
            <fieldset aria-describedby="outcome-error">
                <legend>"Outcome"</legend>
                <div class="choices">
                    {DecisionOutcome::ALL.iter().map(|o| {
                        let value = o.as_str();
                        view! {
                            <label class="choice">
                                <input type="radio" name="outcome" value=value
                                    prop:checked=move || outcome.get() == value
                                    on:change=move |_| { outcome.set(value.to_owned()); unchosen.set(false); } />
                                {o.label()}
                            </label>
                        }
                    }).collect_view()}
                </div>
                <p id="outcome-error" class="field-error" role="alert"
                    style:display=move || if unchosen.get() { "" } else { "none" }>
                    "Choose an outcome."
                </p>
            </fieldset>
            {move || (outcome.get() == DecisionOutcome::ApprovedWithConditions.as_str()).then(|| view! {
                <div class="field">
                    <label for="conditions">"Conditions (one per line)"</label>
                    <textarea id="conditions" required bind:value=conditions></textarea>
                </div>
            })}
            <div class="field">
                <label for="rationale">"Rationale"</label>
                <textarea id="rationale" required bind:value=rationale></textarea>
            </div>
            <div class="actions"><button type="submit">"Record decision"</button></div>
            {move || review.error.get().filter(|e| matches!(e.field(), Some("conditions" | "rationale")) || e.code() == Some("clarification_pending")).map(|error| view! { <ErrorNotice error /> })}
        </form>
    }
    .into_any()
}
