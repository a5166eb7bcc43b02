//! An assessment as an OSCAL `assessment-results` document (OSCAL 1.2), for GRC tools that
//! read OSCAL: the questionnaire's questions are the reviewed controls, each answer is an
//! observation (with the evidence files given for it), each question gets a finding whose
//! target is satisfied or not, and each scorecard finding is a risk (open, closed when
//! remediated, deviation approved when accepted).
//!
//! Assay has no separate assessment plan: `import-ap` points at the questionnaire as sent,
//! described in the back matter. Every UUID is derived (version 5) from the assessment's id
//! and the scorecard version, so exporting the same scorecard twice gives the same document
//! apart from `last-modified`.

use std::collections::BTreeMap;

use assay_core::api::{AssessmentView, ScorecardView};
use assay_core::scoring::{Finding, QuestionStatus, SettledBy};
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

/// The OSCAL version the document follows.
pub const OSCAL_VERSION: &str = "1.2.1";

/// The namespace of Assay's own properties (`props[].ns`).
pub const NAMESPACE: &str = "urn:assay:oscal";

/// What the document is made from: the export's data as people read it.
pub struct Input<'a> {
    pub organisation: &'a str,
    pub assessment: &'a AssessmentView,
    pub scorecard: &'a ScorecardView,
    /// Question texts by id (empty when the template snapshot is missing).
    pub texts: &'a BTreeMap<String, String>,
    /// Answers as people read them, by question id.
    pub answers: &'a BTreeMap<String, String>,
    pub generated_at: OffsetDateTime,
}

/// A control id from a question id: OSCAL tokens start with a letter or `_` and hold
/// letters, digits, `.`, `-` and `_`; anything else becomes `_`, and an id that starts
/// otherwise gets a `q-` prefix.
pub fn control_id(question_id: &str) -> String {
    let mut id: String = question_id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        id.insert_str(0, "q-");
    }
    id
}

/// A one-line title: OSCAL titles may not hold line breaks, nor be empty.
fn line(text: &str, fallback: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.is_empty() {
        fallback.to_owned()
    } else {
        joined
    }
}

/// An Assay property.
fn prop(name: &str, value: impl std::fmt::Display) -> Value {
    json!({ "name": name, "ns": NAMESPACE, "value": line(&value.to_string(), "-") })
}

/// An OSCAL datetime (with its offset) from Assay's RFC 3339 strings.
fn datetime(at: &str, fallback: &str) -> String {
    if at.is_empty() {
        fallback.to_owned()
    } else {
        at.to_owned()
    }
}

fn risk_status(finding: &Finding) -> &'static str {
    match finding.settled {
        None => "open",
        Some(SettledBy::Remediated) => "closed",
        Some(SettledBy::Accepted) => "deviation-approved",
    }
}

/// The document, as JSON ready to write.
pub fn assessment_results(input: &Input) -> Value {
    let a = input.assessment;
    let s = input.scorecard;
    let card = &s.card;
    let namespace = Uuid::new_v5(
        &a.id,
        format!("assessment-results:{}", s.version).as_bytes(),
    );
    let id = |name: &str| Uuid::new_v5(&namespace, name.as_bytes()).to_string();
    let generated = crate::services::rfc3339(input.generated_at);
    let started = datetime(&a.created_at, &generated);
    let ended = a.submitted_at.clone().unwrap_or_else(|| generated.clone());
    let text_of = |qid: &str| {
        input
            .texts
            .get(qid)
            .map(|t| line(t, qid))
            .unwrap_or_else(|| qid.to_owned())
    };

    // The evidence files, as back-matter resources with their SHA-256.
    let evidence_resource = |eid: &Uuid| id(&format!("evidence:{eid}"));
    let mut resources = vec![json!({
        "uuid": id("questionnaire"),
        "title": line(&format!("{} v{}", a.title, a.template_version), "Questionnaire"),
        "description": "The questionnaire as sent to the vendor; its questions are the controls reviewed. Assay keeps no separate assessment plan.",
        "props": [prop("template-id", a.template_id), prop("template-version", a.template_version)],
        "rlinks": [{ "href": format!("/api/templates/{}", a.template_id), "media-type": "application/json" }],
    })];
    for file in &a.evidence {
        let mut props = vec![prop("size-bytes", file.size)];
        if let Some(kind) = &file.kind {
            props.push(prop("evidence-kind", kind));
        }
        if let Some(expires) = &file.expires_on {
            props.push(prop("expires-on", expires));
        }
        resources.push(json!({
            "uuid": evidence_resource(&file.id),
            "title": line(&file.file_name, "Evidence file"),
            "description": format!("Evidence the vendor gave{}, uploaded {}.",
                file.question_id.as_deref().map(|q| format!(" for {}", text_of(q))).unwrap_or_default(),
                file.uploaded_at),
            "props": props,
            "rlinks": [{
                "href": format!("/api/evidence/{}", file.id),
                "media-type": line(&file.file_type, "application/octet-stream"),
                "hashes": [{ "algorithm": "SHA-256", "value": file.sha256 }],
            }],
        }));
    }

    // One observation per answered question.
    let mut observations = Vec::new();
    let mut observation_of = BTreeMap::new();
    for q in &card.questions {
        let Some(answer) = input.answers.get(&q.id) else {
            continue;
        };
        let uuid = id(&format!("observation:{}", q.id));
        observation_of.insert(q.id.as_str(), uuid.clone());
        let evidence: Vec<Value> = a
            .evidence
            .iter()
            .filter(|f| f.question_id.as_deref() == Some(q.id.as_str()))
            .map(|f| {
                json!({
                    "href": format!("#{}", evidence_resource(&f.id)),
                    "description": format!("{} (SHA-256 {})", line(&f.file_name, "Evidence file"), f.sha256),
                })
            })
            .collect();
        let justification = a
            .answers
            .get(&q.id)
            .and_then(|v| v.justification.clone())
            .map(|j| format!("\n\nJustification: {j}"))
            .unwrap_or_default();
        let mut observation = json!({
            "uuid": uuid,
            "title": line(&format!("Answer to {}", text_of(&q.id)), "Answer"),
            "description": format!("{}\n\nThe vendor answered: {}{justification}", text_of(&q.id), line(answer, "(empty)")),
            "props": [prop("question-id", &q.id)],
            "methods": ["INTERVIEW"],
            "types": ["control-objective"],
            "collected": ended,
        });
        if !evidence.is_empty() {
            observation["relevant-evidence"] = Value::Array(evidence);
        }
        observations.push(observation);
    }

    // One risk per scorecard finding.
    let mut risks = Vec::new();
    let mut risks_of: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for f in &card.findings {
        let uuid = id(&format!("risk:{}", f.key));
        if let Some(qid) = &f.question_id {
            risks_of.entry(qid.as_str()).or_default().push(uuid.clone());
        }
        let mut props = vec![
            prop("severity", f.severity.as_str()),
            prop("finding-kind", f.kind.as_str()),
        ];
        if let Some(tier) = f.holds_tier {
            props.push(prop("holds-tier", tier.as_str()));
        }
        if let Some(settled) = f.settled {
            props.push(prop("settled-by", settled.as_str()));
        }
        let mut risk = json!({
            "uuid": uuid,
            "title": line(&f.title, "Finding"),
            "description": f.reason,
            "statement": format!("{}: {}", f.severity.label(), f.reason),
            "props": props,
            "status": risk_status(f),
        });
        if let Some(obs) = f.question_id.as_deref().and_then(|q| observation_of.get(q)) {
            risk["related-observations"] = json!([{ "observation-uuid": obs }]);
        }
        risks.push(risk);
    }

    // One finding per reviewed question, and one per finding that is not about a question.
    let mut findings = Vec::new();
    let mut reviewed = Vec::new();
    for q in &card.questions {
        if q.status == QuestionStatus::Hidden {
            continue;
        }
        let control = control_id(&q.id);
        reviewed.push(json!({ "control-id": control }));
        let open_risks: Vec<&Finding> = card
            .findings
            .iter()
            .filter(|f| f.question_id.as_deref() == Some(q.id.as_str()) && f.settled.is_none())
            .collect();
        let full_points = q.points.is_some_and(|p| p >= 1.0);
        let satisfied = open_risks.is_empty()
            && (q.status == QuestionStatus::NotApplicable
                || (q.status == QuestionStatus::Scored && full_points));
        let state = if satisfied {
            "satisfied"
        } else {
            "not-satisfied"
        };
        let how = match q.status {
            QuestionStatus::Scored => format!(
                "Scored {:.0} of 100 points (weight {}, {}).",
                q.points.unwrap_or(0.0) * 100.0,
                q.weight,
                q.category.label()
            ),
            QuestionStatus::NotApplicable => "Not applicable to this vendor.".to_owned(),
            QuestionStatus::Unanswered => "Not answered.".to_owned(),
            QuestionStatus::Hidden => String::new(),
        };
        let mut finding = json!({
            "uuid": id(&format!("finding:{}", q.id)),
            "title": line(&text_of(&q.id), &q.id),
            "description": how,
            "props": [prop("question-id", &q.id), prop("category", q.category.as_str())],
            "target": {
                "type": "objective-id",
                "target-id": control,
                "status": { "state": state },
            },
        });
        if let Some(obs) = observation_of.get(q.id.as_str()) {
            finding["related-observations"] = json!([{ "observation-uuid": obs }]);
        }
        if let Some(uuids) = risks_of.get(q.id.as_str()) {
            finding["related-risks"] =
                Value::Array(uuids.iter().map(|u| json!({ "risk-uuid": u })).collect());
        }
        findings.push(finding);
    }
    for f in card.findings.iter().filter(|f| f.question_id.is_none()) {
        findings.push(json!({
            "uuid": id(&format!("finding:{}", f.key)),
            "title": line(&f.title, "Finding"),
            "description": f.reason,
            "props": [prop("severity", f.severity.as_str())],
            "target": {
                "type": "statement-id",
                "target-id": control_id(&format!("assay-{}", f.kind.as_str())),
                "status": { "state": if f.settled.is_some() { "satisfied" } else { "not-satisfied" } },
            },
            "related-risks": [{ "risk-uuid": id(&format!("risk:{}", f.key)) }],
        }));
    }

    let mut result_props = vec![
        prop("scorecard-version", s.version),
        prop("scoring-method", &card.method_version),
        prop("inherent-tier", card.inherent_tier.as_str()),
        prop("residual-tier", card.residual_tier.as_str()),
    ];
    if let Some(overall) = card.overall {
        result_props.push(prop("overall-score", format!("{overall:.1}")));
    }
    let mut remarks = format!(
        "Residual tier {} (inherent {}).",
        card.residual_tier.label(),
        card.inherent_tier.label()
    );
    if let Some(decision) = &s.decision {
        result_props.push(prop("decision", decision.outcome.as_str()));
        remarks.push_str(&format!(
            "\n\nDecision: {} by {} on {}. {}",
            decision.outcome.label(),
            decision.decided_by,
            decision.decided_at,
            decision.rationale
        ));
        for condition in &decision.conditions {
            remarks.push_str(&format!("\n- Condition: {condition}"));
        }
    }
    let control_selection = if reviewed.is_empty() {
        json!({ "include-all": {} })
    } else {
        json!({ "include-controls": reviewed })
    };
    let mut result = json!({
        "uuid": id("result"),
        "title": line(&format!("Scorecard version {} of {}", s.version, a.vendor_name), "Scorecard"),
        "description": format!(
            "{}'s answers to {} v{}, scored by Assay (method {}, model {}).",
            a.vendor_name, a.title, a.template_version, card.method_version, card.model_version
        ),
        "start": started,
        "end": ended,
        "props": result_props,
        "reviewed-controls": {
            "description": "The questions of the questionnaire as sent, each a control objective.",
            "control-selections": [control_selection],
        },
        "remarks": remarks,
    });
    if !observations.is_empty() {
        result["observations"] = Value::Array(observations);
    }
    if !risks.is_empty() {
        result["risks"] = Value::Array(risks);
    }
    if !findings.is_empty() {
        result["findings"] = Value::Array(findings);
    }

    json!({
        "assessment-results": {
            "uuid": id("document"),
            "metadata": {
                "title": line(&format!("Security assessment of {}: {}", a.vendor_name, a.title), "Security assessment"),
                "last-modified": generated,
                "version": s.version.to_string(),
                "oscal-version": OSCAL_VERSION,
                "props": [prop("assessment-id", a.id), prop("vendor-id", a.vendor_id)],
                "roles": [
                    { "id": "assessor", "title": "Assessor" },
                    { "id": "assessed-party", "title": "Assessed vendor" },
                ],
                "parties": [
                    { "uuid": id("party:client"), "type": "organization", "name": line(input.organisation, "Client") },
                    { "uuid": id("party:vendor"), "type": "organization", "name": line(&a.vendor_name, "Vendor") },
                ],
                "responsible-parties": [
                    { "role-id": "assessor", "party-uuids": [id("party:client")] },
                    { "role-id": "assessed-party", "party-uuids": [id("party:vendor")] },
                ],
            },
            "import-ap": {
                "href": format!("#{}", id("questionnaire")),
                "remarks": "The questionnaire as sent stands in for the assessment plan.",
            },
            "results": [result],
            "back-matter": { "resources": resources },
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_ids_become_oscal_tokens() {
        assert_eq!(control_id("enc_at_rest"), "enc_at_rest");
        assert_eq!(control_id("1.2 access"), "q-1.2_access");
        assert_eq!(control_id("ac/2"), "ac_2");
        assert_eq!(control_id(""), "q-");
    }

    #[test]
    fn titles_are_one_line_and_never_empty() {
        assert_eq!(line("a\nb  c", "x"), "a b c");
        assert_eq!(line(" \n ", "x"), "x");
    }
}
