//! The template editor's findings rules: knock-outs, evidence requirements and contract
//! checks, each a row edited in place. Numbers that do not parse are shown at the field and
//! block saving (like conditions); values that parse but scoring cannot use are core's
//! template problems, listed at the top of the editor.

use std::collections::BTreeMap;

use assay_core::risk::RiskTier;
use assay_core::scoring::{
    ContractCheck, EvidenceKind, EvidenceRequirement, KnockOut, ScoringRules, Threshold,
};
use assay_core::template::Template;
use leptos::prelude::*;

/// What the rows share: the draft and the editor's blocking errors, by field id.
#[derive(Clone, Copy)]
struct Rules {
    draft: RwSignal<Template>,
    errors: RwSignal<BTreeMap<String, String>>,
}

impl Rules {
    fn knock_out(self, index: usize, change: impl FnOnce(&mut KnockOut)) {
        self.draft.update(|t| {
            t.scoring
                .knock_outs
                .get_mut(index)
                .map(change)
                .unwrap_or(())
        });
    }

    fn evidence(self, index: usize, change: impl FnOnce(&mut EvidenceRequirement)) {
        self.draft
            .update(|t| t.scoring.evidence.get_mut(index).map(change).unwrap_or(()));
    }

    fn contract_check(self, index: usize, change: impl FnOnce(&mut ContractCheck)) {
        self.draft.update(|t| {
            t.scoring
                .contract_checks
                .get_mut(index)
                .map(change)
                .unwrap_or(())
        });
    }
}

/// A question as the rows' selects offer it.
#[derive(Clone, PartialEq)]
struct QuestionChoice {
    id: String,
    text: String,
    numeric: bool,
}

impl QuestionChoice {
    fn label(&self) -> String {
        let text: String = self.text.chars().take(60).collect();
        let more = if self.text.chars().count() > 60 {
            "…"
        } else {
            ""
        };
        format!("{} — {text}{more}", self.id)
    }
}

/// The three lists.
#[derive(Clone, Copy, PartialEq)]
enum List {
    KnockOuts,
    Evidence,
    ContractChecks,
}

impl List {
    /// Starts the ids of the list's fields (and so of their errors).
    fn prefix(self) -> &'static str {
        match self {
            List::KnockOuts => "ko-",
            List::Evidence => "ev-",
            List::ContractChecks => "cc-",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            List::KnockOuts => "Knock-outs",
            List::Evidence => "Evidence requirements",
            List::ContractChecks => "Contract checks",
        }
    }

    fn help(self) -> &'static str {
        match self {
            List::KnockOuts => {
                "A critical control scoring below the bar keeps the residual tier at least at the tier given, whatever the average."
            }
            List::Evidence => {
                "The question needs one of the kinds of evidence, valid on the scoring date; while it is missing its points are capped."
            }
            List::ContractChecks => {
                "A number, hours or amount answer that must meet a value or the vendor's contract; a mismatch is a finding (points come from the question's scoring)."
            }
        }
    }

    /// The row's name in its Remove button and in error messages.
    fn noun(self) -> &'static str {
        match self {
            List::KnockOuts => "Knock-out",
            List::Evidence => "Evidence requirement",
            List::ContractChecks => "Contract check",
        }
    }

    fn test_id(self) -> &'static str {
        match self {
            List::KnockOuts => "knock-out-row",
            List::Evidence => "evidence-row",
            List::ContractChecks => "contract-check-row",
        }
    }

    /// The question the list's rule at `index` is about.
    fn question_id(self, rules: &ScoringRules, index: usize) -> Option<&str> {
        match self {
            List::KnockOuts => rules.knock_outs.get(index).map(|r| r.question_id.as_str()),
            List::Evidence => rules.evidence.get(index).map(|r| r.question_id.as_str()),
            List::ContractChecks => rules
                .contract_checks
                .get(index)
                .map(|r| r.question_id.as_str()),
        }
    }

    fn set_question_id(self, rules: &mut ScoringRules, index: usize, question_id: String) {
        let id = match self {
            List::KnockOuts => rules.knock_outs.get_mut(index).map(|r| &mut r.question_id),
            List::Evidence => rules.evidence.get_mut(index).map(|r| &mut r.question_id),
            List::ContractChecks => rules
                .contract_checks
                .get_mut(index)
                .map(|r| &mut r.question_id),
        };
        if let Some(id) = id {
            *id = question_id;
        }
    }

    fn len(self, rules: &ScoringRules) -> usize {
        match self {
            List::KnockOuts => rules.knock_outs.len(),
            List::Evidence => rules.evidence.len(),
            List::ContractChecks => rules.contract_checks.len(),
        }
    }

    fn remove(self, rules: &mut ScoringRules, index: usize) {
        fn drop_at<T>(list: &mut Vec<T>, index: usize) {
            if index < list.len() {
                list.remove(index);
            }
        }
        match self {
            List::KnockOuts => drop_at(&mut rules.knock_outs, index),
            List::Evidence => drop_at(&mut rules.evidence, index),
            List::ContractChecks => drop_at(&mut rules.contract_checks, index),
        }
    }

    /// Appends a new rule about the question it most likely fits: a scored question for a
    /// knock-out (an unscored one never fires), a number question for a contract check.
    fn add(self, template: &mut Template) {
        let pick = |fits: &dyn Fn(&assay_core::template::Question) -> bool| {
            template
                .questions()
                .find(|q| fits(q))
                .or_else(|| template.questions().next())
                .map(|q| q.id.clone())
                .unwrap_or_default()
        };
        match self {
            List::KnockOuts => {
                let question_id = pick(&|q| template.scoring.questions.contains_key(&q.id));
                template.scoring.knock_outs.push(KnockOut {
                    question_id,
                    below: 0.5,
                    min_tier: RiskTier::High,
                    title: "Critical control failed".to_owned(),
                });
            }
            List::Evidence => {
                let question_id = pick(&|_| true);
                template.scoring.evidence.push(EvidenceRequirement {
                    question_id,
                    alternatives: vec![EvidenceKind::Soc2Type2, EvidenceKind::Iso27001Certificate],
                    max_period_age_days: Some(365),
                    cap_when_unmet: 0.5,
                });
            }
            List::ContractChecks => {
                let question_id = pick(&|q| q.kind.is_numeric());
                template.scoring.contract_checks.push(ContractCheck {
                    question_id,
                    threshold: Threshold::ContractBreachNotificationHours,
                    at_most: true,
                    title: "Does not meet the contract".to_owned(),
                });
            }
        }
    }
}

/// A finite number, or what is wrong with the text.
fn parse_number(text: &str) -> Result<f64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("enter a number.".to_owned());
    }
    assay_core::text::parse_number(text).ok_or_else(|| format!("“{text}” is not a number."))
}

/// Whole days, or none for an empty field.
fn parse_days(text: &str) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>()
        .map(Some)
        .map_err(|_| format!("“{text}” is not a whole number of days (leave it empty for any)."))
}

/// The knock-outs, evidence requirements and contract checks of the draft.
#[component]
pub fn FindingRules(
    draft: RwSignal<Template>,
    /// The editor's blocking errors; fields that do not parse add theirs here.
    errors: RwSignal<BTreeMap<String, String>>,
) -> impl IntoView {
    let rules = Rules { draft, errors };
    let questions = Memo::new(move |_| {
        draft.with(|t| {
            t.questions()
                .map(|q| QuestionChoice {
                    id: q.id.clone(),
                    text: q.text.clone(),
                    numeric: q.kind.is_numeric(),
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="card" aria-labelledby="finding-rules-heading" data-testid="finding-rules">
            <h2 id="finding-rules-heading">"Findings and evidence rules"</h2>
            <p class="muted small">"How failed controls, missing evidence and contract terms become findings. Problems show at the top, beside Save."</p>
            <RuleList rules list=List::KnockOuts questions />
            <RuleList rules list=List::Evidence questions />
            <RuleList rules list=List::ContractChecks questions />
        </section>
    }
}

#[component]
fn RuleList(rules: Rules, list: List, questions: Memo<Vec<QuestionChoice>>) -> impl IntoView {
    // Bumped when rows are added or removed; typing only updates the draft, so inputs keep
    // their focus. Rows are rebuilt from the draft, so errors of unparsed text go with them.
    let version = RwSignal::new(0u32);
    let change = move |apply: Box<dyn FnOnce(&mut Template)>| {
        rules.draft.update(|t| apply(t));
        rules
            .errors
            .update(|e| e.retain(|key, _| !key.starts_with(list.prefix())));
        version.update(|n| *n += 1);
    };
    let rows = move || {
        version.track();
        let count = rules.draft.with_untracked(|t| list.len(&t.scoring));
        (0..count)
            .map(|index| {
                let row = match list {
                    List::KnockOuts => view! { <KnockOutRow rules index /> }.into_any(),
                    List::Evidence => view! { <EvidenceRow rules index /> }.into_any(),
                    List::ContractChecks => {
                        view! { <ContractCheckRow rules index /> }.into_any()
                    }
                };
                let name = format!("Remove {} {}", list.noun().to_lowercase(), index + 1);
                let current = Memo::new(move |_| {
                    rules.draft.with(|t| {
                        list.question_id(&t.scoring, index)
                            .unwrap_or_default()
                            .to_owned()
                    })
                });
                let pick = Callback::new(move |question_id: String| {
                    rules
                        .draft
                        .update(|t| list.set_question_id(&mut t.scoring, index, question_id));
                });
                view! {
                    <div class="card item-card" data-testid=list.test_id()>
                        <QuestionSelect id=format!("{}{index}-question", list.prefix()) questions current
                            numeric_only=list == List::ContractChecks on_pick=pick />
                        {row}
                        <div class="actions">
                            <button type="button" class="button-secondary" aria-label=name
                                on:click=move |_| change(Box::new(move |t| list.remove(&mut t.scoring, index)))>"Remove"</button>
                        </div>
                    </div>
                }
            })
            .collect_view()
    };
    let add_label = match list {
        List::KnockOuts => "Add knock-out",
        List::Evidence => "Add evidence requirement",
        List::ContractChecks => "Add contract check",
    };
    view! {
        <h3>{list.heading()}</h3>
        <p class="muted small">{list.help()}</p>
        {rows}
        <button type="button" class="button-secondary" on:click=move |_| change(Box::new(move |t| list.add(t)))>{add_label}</button>
    }
}

/// The question a rule is about; for a contract check only number questions are offered.
/// A rule naming no (fitting) question keeps its value, marked, so nothing changes unseen.
#[component]
fn QuestionSelect(
    id: String,
    questions: Memo<Vec<QuestionChoice>>,
    current: Memo<String>,
    numeric_only: bool,
    on_pick: Callback<String>,
) -> impl IntoView {
    let options = move || {
        let current = current.get();
        questions.with(|all| {
            let offered: Vec<&QuestionChoice> =
                all.iter().filter(|q| q.numeric || !numeric_only).collect();
            let stray = (!offered.iter().any(|q| q.id == current)).then(|| {
                let label = match all.iter().find(|q| q.id == current) {
                    Some(q) => format!("{} (its answer is not a number)", q.label()),
                    None if current.is_empty() => "Choose a question".to_owned(),
                    None => format!("{current} (not a question)"),
                };
                view! { <option value=current.clone() selected=true>{label}</option> }
            });
            let offered = offered
                .into_iter()
                .map(|q| {
                    let selected = q.id == current;
                    view! { <option value=q.id.clone() selected=selected>{q.label()}</option> }
                })
                .collect_view();
            view! { {stray} {offered} }
        })
    };
    view! {
        <div class="field">
            <label for=id.clone() class="small">"Question"</label>
            <select id=id prop:value=move || current.get() on:change=move |ev| on_pick.run(event_target_value(&ev))>
                {options}
            </select>
        </div>
    }
}

/// A number typed as text: parsed on every change, applied to the draft when it parses,
/// otherwise an error at the field that also blocks saving.
#[component]
fn NumberInput(
    rules: Rules,
    id: String,
    label: &'static str,
    /// Names the field in the blocking error ("Knock-out 1, score").
    context: String,
    value: RwSignal<String>,
    apply: Callback<String, Result<(), String>>,
) -> impl IntoView {
    let key = id.clone();
    let error = {
        let key = id.clone();
        Memo::new(move |_| rules.errors.with(|e| e.get(&key).cloned()))
    };
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        value.set(text.clone());
        let outcome = apply.run(text);
        rules.errors.update(|e| match outcome {
            Ok(()) => {
                e.remove(&key);
            }
            Err(message) => {
                e.insert(key.clone(), format!("{context}: {message}"));
            }
        });
    };
    view! {
        <div class="field">
            <label for=id.clone() class="small">{label}</label>
            <input id=id type="text" inputmode="decimal" prop:value=move || value.get() on:input=on_input
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=move || error.get().is_some().then(|| described.clone()) />
            {move || error.get().map(|e| view! { <p class="field-error" role="alert" id=error_id.clone()>{e}</p> })}
        </div>
    }
}

/// A finding's title.
#[component]
fn TitleInput(id: String, initial: String, on_input: Callback<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone() class="small">"Finding title"</label>
            <input id=id type="text" prop:value=initial on:input=move |ev| on_input.run(event_target_value(&ev)) />
        </div>
    }
}

#[component]
fn KnockOutRow(rules: Rules, index: usize) -> impl IntoView {
    let Some(ko) = rules
        .draft
        .with_untracked(|t| t.scoring.knock_outs.get(index).cloned())
    else {
        return ().into_any();
    };
    let id = move |field: &str| format!("ko-{index}-{field}");
    let below = RwSignal::new(assay_core::text::number(ko.below));
    view! {
        <div class="filters">
            <NumberInput rules id=id("below") label="Fires below this score (0 to 1)"
                context=format!("Knock-out {}, score", index + 1) value=below
                apply=Callback::new(move |text: String| {
                    let v = parse_number(&text)?;
                    rules.knock_out(index, |k| k.below = v);
                    Ok(())
                }) />
            <div class="field">
                <label for=id("tier") class="small">"Residual tier at least"</label>
                <select id=id("tier") on:change=move |ev| {
                    if let Some(tier) = RiskTier::parse(&event_target_value(&ev)) {
                        rules.knock_out(index, |k| k.min_tier = tier);
                    }
                }>
                    {RiskTier::ALL.into_iter().map(|t| view! { <option value=t.as_str() selected=t == ko.min_tier>{t.label()}</option> }).collect_view()}
                </select>
            </div>
            <TitleInput id=id("title") initial=ko.title
                on_input=Callback::new(move |v| rules.knock_out(index, |k| k.title = v)) />
        </div>
    }
    .into_any()
}

#[component]
fn EvidenceRow(rules: Rules, index: usize) -> impl IntoView {
    let Some(req) = rules
        .draft
        .with_untracked(|t| t.scoring.evidence.get(index).cloned())
    else {
        return ().into_any();
    };
    let id = move |field: &str| format!("ev-{index}-{field}");
    let days = RwSignal::new(
        req.max_period_age_days
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let cap = RwSignal::new(assay_core::text::number(req.cap_when_unmet));
    let kinds = EvidenceKind::ALL
        .into_iter()
        .map(|kind| {
            let box_id = id(&format!("kind-{}", kind.as_str()));
            let for_id = box_id.clone();
            let checked = req.alternatives.contains(&kind);
            view! {
                <label class="checkbox small" for=for_id>
                    <input id=box_id type="checkbox" prop:checked=checked on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        rules.evidence(index, |e| {
                            e.alternatives.retain(|k| *k != kind);
                            if on {
                                e.alternatives.push(kind);
                                // In the order the editor lists them, so saves diff cleanly.
                                e.alternatives.sort_by_key(|k| EvidenceKind::ALL.iter().position(|a| a == k));
                            }
                        });
                    } />
                    {kind.label()}
                </label>
            }
        })
        .collect_view();
    view! {
        <div class="filters">
            <NumberInput rules id=id("days") label="Report period ended at most this many days ago (empty: any)"
                context=format!("Evidence requirement {}, days", index + 1) value=days
                apply=Callback::new(move |text: String| {
                    let d = parse_days(&text)?;
                    rules.evidence(index, |e| e.max_period_age_days = d);
                    Ok(())
                }) />
            <NumberInput rules id=id("cap") label="Points capped at, while unmet (0 to 1)"
                context=format!("Evidence requirement {}, cap", index + 1) value=cap
                apply=Callback::new(move |text: String| {
                    let v = parse_number(&text)?;
                    rules.evidence(index, |e| e.cap_when_unmet = v);
                    Ok(())
                }) />
        </div>
        <fieldset class="field">
            <legend class="small">"Accepted evidence (any one)"</legend>
            {kinds}
        </fieldset>
    }
    .into_any()
}

/// The threshold select's value for a threshold.
fn threshold_name(threshold: Threshold) -> &'static str {
    match threshold {
        Threshold::Fixed(_) => "fixed",
        Threshold::ContractBreachNotificationHours => "contract_hours",
        Threshold::ContractMinimumInsurance => "contract_insurance",
    }
}

#[component]
fn ContractCheckRow(rules: Rules, index: usize) -> impl IntoView {
    let Some(check) = rules
        .draft
        .with_untracked(|t| t.scoring.contract_checks.get(index).cloned())
    else {
        return ().into_any();
    };
    let id = move |field: &str| format!("cc-{index}-{field}");
    let kind = RwSignal::new(threshold_name(check.threshold));
    let fixed = RwSignal::new(match check.threshold {
        Threshold::Fixed(v) => v.to_string(),
        _ => String::new(),
    });
    let fixed_id = id("fixed");
    let on_threshold = {
        let fixed_id = fixed_id.clone();
        move |ev: leptos::ev::Event| {
            let threshold = match event_target_value(&ev).as_str() {
                "contract_hours" => Threshold::ContractBreachNotificationHours,
                "contract_insurance" => Threshold::ContractMinimumInsurance,
                _ => Threshold::Fixed(parse_number(&fixed.get_untracked()).unwrap_or_else(|_| {
                    fixed.set("0".to_owned());
                    0.0
                })),
            };
            // A hidden value field cannot block saving.
            rules.errors.update(|e| {
                e.remove(&fixed_id);
            });
            kind.set(threshold_name(threshold));
            rules.contract_check(index, |c| c.threshold = threshold);
        }
    };
    let thresholds = [
        ("fixed", "A fixed value"),
        ("contract_hours", "The contract's breach-notification hours"),
        ("contract_insurance", "The contract's minimum insurance"),
    ];
    let initial_kind = threshold_name(check.threshold);
    view! {
        <div class="filters">
            <div class="field">
                <label for=id("direction") class="small">"The answer must be"</label>
                <select id=id("direction") on:change=move |ev| {
                    let at_most = event_target_value(&ev) == "at_most";
                    rules.contract_check(index, |c| c.at_most = at_most);
                }>
                    <option value="at_most" selected=check.at_most>"at most"</option>
                    <option value="at_least" selected=!check.at_most>"at least"</option>
                </select>
            </div>
            <div class="field">
                <label for=id("threshold") class="small">"Threshold"</label>
                <select id=id("threshold") on:change=on_threshold>
                    {thresholds.into_iter().map(|(v, l)| view! { <option value=v selected=v == initial_kind>{l}</option> }).collect_view()}
                </select>
            </div>
            <div style:display=move || if kind.get() == "fixed" { "" } else { "none" }>
                <NumberInput rules id=fixed_id label="Value"
                    context=format!("Contract check {}, value", index + 1) value=fixed
                    apply=Callback::new(move |text: String| {
                        let v = parse_number(&text)?;
                        rules.contract_check(index, |c| c.threshold = Threshold::Fixed(v));
                        Ok(())
                    }) />
            </div>
            <TitleInput id=id("title") initial=check.title
                on_input=Callback::new(move |v| rules.contract_check(index, |c| c.title = v)) />
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_days_parse_or_say_what_is_wrong() {
        assert_eq!(parse_number(" 0.5 "), Ok(0.5));
        assert_eq!(
            parse_number("2"),
            Ok(2.0),
            "range is core's problem, not a parse error"
        );
        assert_eq!(
            parse_number("half"),
            Err("“half” is not a number.".to_owned())
        );
        assert!(parse_number("NaN").is_err(), "not a finite number");
        assert_eq!(parse_number(""), Err("enter a number.".to_owned()));
        assert_eq!(parse_days(""), Ok(None));
        assert_eq!(parse_days("365"), Ok(Some(365)));
        assert!(parse_days("1.5").is_err());
    }

    #[test]
    fn new_rules_pick_a_question_they_fit() {
        let mut template = Template::new(
            "T",
            vec![
                assay_core::template::Item::Question(assay_core::template::Question {
                    id: "yes".to_owned(),
                    text: "Yes?".to_owned(),
                    help: None,
                    kind: assay_core::template::QuestionKind::YesNo,
                    required: false,
                    na_allowed: false,
                    condition: None,
                }),
                assay_core::template::Item::Question(assay_core::template::Question {
                    id: "hours".to_owned(),
                    text: "Hours?".to_owned(),
                    help: None,
                    kind: assay_core::template::QuestionKind::DurationHours,
                    required: false,
                    na_allowed: false,
                    condition: None,
                }),
            ],
        );
        List::ContractChecks.add(&mut template);
        List::KnockOuts.add(&mut template);
        assert_eq!(template.scoring.contract_checks[0].question_id, "hours");
        assert_eq!(
            template.scoring.knock_outs[0].question_id, "yes",
            "no question is scored, so the first one"
        );
        List::KnockOuts.remove(&mut template.scoring, 0);
        assert!(template.scoring.knock_outs.is_empty());
        assert_eq!(
            template
                .problems()
                .iter()
                .filter(|p| p.level == assay_core::template::ProblemLevel::Error)
                .count(),
            0,
            "a new contract check is valid as added"
        );
    }
}
