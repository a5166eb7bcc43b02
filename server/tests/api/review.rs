//! The review loop: a risk manager reads the scorecard, asks for a clarification the vendor
//! answers, overrides a score, turns a finding into a remediation item, decides, and the
//! decided scorecard stays frozen.

use assay_core::access::Role;
use assay_core::api::{PortalAssessment, RemediationView, ScorecardView};
use assay_core::assessment::AssessmentStatus;
use assay_core::review::{DecisionOutcome, ReviewStatus};
use assay_core::risk::RiskTier;
use assay_core::scoring::FindingKind;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::assessments::{Sent, put_answer, send_template, vendor_session};
use crate::helpers::{TestApp, get_with, post_with, spawn_app};

/// A small scored template: encryption, breach notification against the contract, and a
/// knock-out on administrator MFA.
pub const SCORED: &str = r#"{
  "title": "Scored mini",
  "items": [{ "type": "section", "id": "s", "title": "Controls", "items": [
    { "type": "question", "id": "enc_rest", "text": "Is customer data encrypted at rest?", "kind": { "kind": "yes_no" }, "required": true, "na_allowed": false },
    { "type": "question", "id": "brn_hours", "text": "Within how many hours do you notify a breach?", "kind": { "kind": "duration_hours" }, "required": true, "na_allowed": false },
    { "type": "question", "id": "mfa_admin", "text": "Do administrators use MFA?", "kind": { "kind": "yes_no" }, "required": true, "na_allowed": false }
  ]}],
  "scoring": {
    "questions": {
      "enc_rest": { "category": "encryption", "weight": 1, "rule": { "rule": "yes_no", "yes": 1.0, "no": 0.0 } },
      "brn_hours": { "category": "breach_notification", "weight": 1, "rule": { "rule": "at_most_bands", "bands": [[24, 1.0], [72, 0.7]], "otherwise": 0.0 } },
      "mfa_admin": { "category": "access_control", "weight": 1, "rule": { "rule": "yes_no", "yes": 1.0, "no": 0.0 } }
    },
    "knock_outs": [{ "question_id": "mfa_admin", "below": 1.0, "min_tier": "high", "title": "No MFA for administrative access" }],
    "contract_checks": [{ "question_id": "brn_hours", "threshold": "contract_breach_notification_hours", "at_most": true, "title": "Breach notification slower than the contract requires" }]
  }
}"#;

pub struct Submitted {
    pub sent: Sent,
    pub vendor: reqwest::Client,
    pub risk: reqwest::Client,
}

/// Sends the scored template to a vendor whose contract demands 72-hour breach notice; the
/// vendor answers yes / 96 / no and submits.
pub async fn submitted(app: &TestApp) -> Submitted {
    let sent = send_template(app, SCORED, "json").await;
    let contract = sent
        .procurement
        .put(app.url(&format!(
            "/api/vendors/{}/contract",
            sent.assessment.vendor_id
        )))
        .json(&json!({ "breach_notification_hours": 72 }))
        .send()
        .await
        .expect("contract");
    assert_eq!(
        contract.status(),
        StatusCode::OK,
        "{:?}",
        contract.text().await
    );
    let vendor = vendor_session(app, &sent.token).await;
    for (q, v) in [
        ("enc_rest", "yes"),
        ("brn_hours", "96"),
        ("mfa_admin", "no"),
    ] {
        assert_eq!(
            put_answer(app, &vendor, q, v, 0).await.status(),
            StatusCode::OK
        );
    }
    let submit = post_with(&vendor, &app.url("/api/portal/submit"), &json!({})).await;
    assert_eq!(submit.status(), StatusCode::OK);
    app.create_user("Acme", "risk@acme.test", Role::RiskManager)
        .await;
    let risk = app.signed_in("risk@acme.test").await;
    Submitted { sent, vendor, risk }
}

impl Submitted {
    pub fn path(&self, rest: &str) -> String {
        format!("/api/assessments/{}{rest}", self.sent.assessment.id)
    }

    pub async fn scorecard(&self, app: &TestApp) -> ScorecardView {
        let response = get_with(&self.risk, &app.url(&self.path("/scorecard"))).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("scorecard")
    }

    /// A remediation item for the scorecard's last finding, due on `due`, as the Risk
    /// manager raises it.
    pub async fn remediate_last_finding(
        &self,
        app: &TestApp,
        due: &str,
    ) -> assay_core::api::RemediationView {
        let card = self.scorecard(app).await;
        let key = card.card.findings.last().expect("a finding").key.clone();
        let created = post_with(
            &self.risk,
            &app.url("/api/remediations"),
            &json!({ "assessment_id": self.sent.assessment.id, "finding_key": key,
                     "due_date": due, "closure_evidence": "MFA policy" }),
        )
        .await;
        assert_eq!(created.status(), StatusCode::CREATED, "the item is raised");
        created.json().await.expect("a remediation item")
    }

    pub async fn post(&self, app: &TestApp, rest: &str, body: &Value) -> reqwest::Response {
        post_with(&self.risk, &app.url(&self.path(rest)), body).await
    }

    /// Records the decision `body` describes, asserting that it was accepted.
    pub async fn decide(&self, app: &TestApp, body: &Value) {
        let decided = self.post(app, "/decision", body).await;
        assert_eq!(decided.status(), StatusCode::OK, "setup: decided");
    }
}

#[tokio::test]
async fn the_scorecard_explains_the_score_with_findings_linked_to_the_answers() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let card = s.scorecard(&app).await;
    assert_eq!(card.version, 1);
    assert!(!card.provisional && !card.frozen);
    // enc 100, breach 0 (96 > 72 band), access 0 → 33.333…, published as 33.3.
    let overall = card.card.overall.expect("scored");
    assert_eq!(overall, 33.3, "one decimal, no float noise");
    assert_eq!(card.card.residual_tier, RiskTier::High, "the MFA knock-out");
    let mismatch = card
        .card
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::ContractMismatch && f.title.starts_with("Breach"))
        .expect("the contract mismatch");
    assert_eq!(mismatch.question_id.as_deref(), Some("brn_hours"));
    assert!(
        mismatch.reason.contains("96") && mismatch.reason.contains("72"),
        "{}",
        mismatch.reason
    );
    let breakdown = card
        .card
        .questions
        .iter()
        .find(|q| q.id == "enc_rest")
        .expect("per question");
    assert_eq!(breakdown.points, Some(1.0));
    assert_eq!(
        breakdown.contribution, 33.33,
        "contributions carry two decimals"
    );
    // Reading it again changes nothing: no new version.
    assert_eq!(s.scorecard(&app).await.version, 1);
}

#[tokio::test]
async fn a_clarification_goes_to_the_vendor_and_back() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let asked = s
        .post(
            &app,
            "/clarifications",
            &json!({ "question_id": "brn_hours", "message": "Your DPA says 48 hours. Which is right?" }),
        )
        .await;
    assert_eq!(asked.status(), StatusCode::CREATED);
    let card: ScorecardView = asked.json().await.expect("view");
    assert_eq!(card.status, AssessmentStatus::ReturnedForClarification);
    assert_eq!(
        card.reviews.get("brn_hours"),
        Some(&ReviewStatus::ClarificationRequested)
    );

    // The vendor sees the question, may change only that answer, replies and resubmits.
    let portal: PortalAssessment = get_with(&s.vendor, &app.url("/api/portal/assessment"))
        .await
        .json()
        .await
        .expect("portal");
    assert_eq!(portal.status, AssessmentStatus::ReturnedForClarification);
    assert_eq!(portal.clarifications.len(), 1);
    assert!(portal.clarifications[0].message.contains("DPA"));
    assert_eq!(portal.changeable, vec!["brn_hours".to_owned()]);
    let other = put_answer(&app, &s.vendor, "enc_rest", "no", 1).await;
    assert_eq!(other.status(), StatusCode::CONFLICT, "not asked about");
    let fixed = put_answer(&app, &s.vendor, "brn_hours", "48", 1).await;
    assert_eq!(fixed.status(), StatusCode::OK);
    let reply = post_with(
        &s.vendor,
        &app.url("/api/portal/clarifications"),
        &json!({ "question_id": "brn_hours", "message": "48 hours is right; corrected." }),
    )
    .await;
    assert_eq!(reply.status(), StatusCode::CREATED);
    let resubmit = post_with(&s.vendor, &app.url("/api/portal/submit"), &json!({})).await;
    assert_eq!(resubmit.status(), StatusCode::OK);

    let card = s.scorecard(&app).await;
    assert_eq!(card.status, AssessmentStatus::Submitted);
    assert_eq!(card.reviews.get("brn_hours"), Some(&ReviewStatus::Answered));
    assert_eq!(card.clarifications.len(), 2);
    assert_eq!(card.version, 2, "the changed answer made a new version");
    assert!(
        !card
            .card
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::ContractMismatch),
        "48 h meets the 72 h contract"
    );
    let accepted = s
        .risk
        .put(app.url(&s.path("/reviews/brn_hours")))
        .json(&json!({ "status": "accepted" }))
        .send()
        .await
        .expect("accept");
    assert_eq!(accepted.status(), StatusCode::OK);
    let card: ScorecardView = accepted.json().await.expect("view");
    assert_eq!(card.status, AssessmentStatus::UnderReview);
    assert_eq!(card.reviews.get("brn_hours"), Some(&ReviewStatus::Accepted));
}

#[tokio::test]
async fn an_override_needs_a_reason_shows_on_the_scorecard_and_in_the_audit_log() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let no_reason = s
        .post(
            &app,
            "/overrides",
            &json!({ "question_id": "mfa_admin", "points": 1.0, "reason": " " }),
        )
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = no_reason.json().await.expect("error");
    assert_eq!(body["error"]["field"], "reason");
    let past = s
        .post(
            &app,
            "/overrides",
            &json!({ "question_id": "mfa_admin", "points": 1.0, "reason": "x", "expires_on": "2020-01-01" }),
        )
        .await;
    assert_eq!(past.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let given = s
        .post(
            &app,
            "/overrides",
            &json!({ "question_id": "mfa_admin", "points": 1.0, "reason": "Hardware keys verified on site", "expires_on": "2099-12-31" }),
        )
        .await;
    assert_eq!(given.status(), StatusCode::CREATED);
    let card: ScorecardView = given.json().await.expect("view");
    let mfa = card
        .card
        .questions
        .iter()
        .find(|q| q.id == "mfa_admin")
        .expect("mfa");
    assert_eq!(mfa.points, Some(1.0));
    assert_eq!(mfa.overridden.as_ref().map(|o| o.computed), Some(Some(0.0)));
    assert!(card.overrides[0].active);
    assert_eq!(card.overrides[0].reason, "Hardware keys verified on site");
    assert!(
        !card
            .card
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::KnockOut),
        "the overridden control passes"
    );
    assert_eq!(card.version, 2);

    let tier = s
        .post(
            &app,
            "/overrides",
            &json!({ "residual_tier": "low", "reason": "Board exception 2026-14" }),
        )
        .await;
    assert_eq!(tier.status(), StatusCode::CREATED);
    let card: ScorecardView = tier.json().await.expect("view");
    assert_eq!(card.card.residual_tier, RiskTier::Low);
    assert!(card.card.residual_overridden.is_some());

    let admin = app.signed_in("admin@acme.test").await;
    let audit: Value = get_with(
        &admin,
        &app.url("/api/audit?action=review.score_overridden"),
    )
    .await
    .json()
    .await
    .expect("audit");
    let text = audit.to_string();
    assert!(text.contains("Hardware keys verified on site"), "{text}");
    assert!(text.contains("Board exception 2026-14"), "{text}");

    // Withdrawn, the computed value is back.
    let id = card
        .overrides
        .iter()
        .find(|o| o.residual_tier.is_some() && o.active)
        .expect("tier override")
        .id;
    let withdrawn = s
        .risk
        .delete(app.url(&s.path(&format!("/overrides/{id}"))))
        .send()
        .await
        .expect("withdraw");
    assert_eq!(withdrawn.status(), StatusCode::OK);
    let card: ScorecardView = withdrawn.json().await.expect("view");
    assert!(card.card.residual_overridden.is_none());
}

#[tokio::test]
async fn an_override_lapses_after_its_last_day() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let today = time::OffsetDateTime::now_utc().date();
    let given = s
        .post(
            &app,
            "/overrides",
            &json!({ "question_id": "mfa_admin", "points": 1.0, "reason": "Until today", "expires_on": today.to_string() }),
        )
        .await;
    assert_eq!(given.status(), StatusCode::CREATED);
    let raw: Value = given.json().await.expect("view");
    assert_eq!(
        raw["next_change"]["on"],
        json!(today.next_day().expect("tomorrow").to_string()),
        "dates go over the wire as YYYY-MM-DD"
    );
    let card: ScorecardView = serde_json::from_value(raw).expect("view");
    assert!(card.overrides[0].active, "applies on its last day");
    let change = card.next_change.expect("the lapse is announced");
    assert_eq!(change.on, today.next_day().expect("tomorrow"));
    assert_eq!(
        change.residual_tier,
        RiskTier::High,
        "the knock-out returns"
    );
    // Move the last day into the past in the database: the override no longer applies.
    app.db
        .execute_unprepared(&format!(
            "UPDATE score_overrides SET expires_on = '{}'",
            today.previous_day().expect("yesterday")
        ))
        .await
        .expect("update");
    let card = s.scorecard(&app).await;
    assert!(!card.overrides[0].active);
    let mfa = card
        .card
        .questions
        .iter()
        .find(|q| q.id == "mfa_admin")
        .expect("mfa");
    assert_eq!(mfa.points, Some(0.0));
    assert!(mfa.overridden.is_none());
    assert_eq!(card.card.residual_tier, RiskTier::High);
}

#[tokio::test]
async fn closing_a_remediation_item_rescores_and_a_decision_freezes_the_scorecard() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let card = s.scorecard(&app).await;
    let knock_out = card
        .card
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::KnockOut)
        .expect("knock-out");
    let created = post_with(
        &s.risk,
        &app.url("/api/remediations"),
        &json!({ "assessment_id": s.sent.assessment.id, "finding_key": knock_out.key,
                 "due_date": "2099-03-31", "closure_evidence": "Screenshot of the enforced MFA policy" }),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let item: RemediationView = created.json().await.expect("item");
    assert_eq!(item.title, "No MFA for administrative access");
    assert_eq!(item.question_id.as_deref(), Some("mfa_admin"));
    let again = post_with(
        &s.risk,
        &app.url("/api/remediations"),
        &json!({ "assessment_id": s.sent.assessment.id, "finding_key": knock_out.key,
                 "due_date": "2099-03-31", "closure_evidence": "x" }),
    )
    .await;
    assert_eq!(
        again.status(),
        StatusCode::CONFLICT,
        "one open item per finding"
    );

    // The vendor sees the item, commits to a date and fixes the answer.
    let portal: PortalAssessment = get_with(&s.vendor, &app.url("/api/portal/assessment"))
        .await
        .json()
        .await
        .expect("portal");
    assert_eq!(portal.remediations.len(), 1);
    assert_eq!(portal.changeable, vec!["mfa_admin".to_owned()]);
    let committed = s
        .vendor
        .put(app.url(&format!("/api/portal/remediations/{}", item.id)))
        .json(&json!({ "vendor_committed_date": "2099-02-28" }))
        .send()
        .await
        .expect("commit");
    assert_eq!(committed.status(), StatusCode::OK);
    assert_eq!(
        put_answer(&app, &s.vendor, "enc_rest", "no", 1)
            .await
            .status(),
        StatusCode::CONFLICT,
        "only the remediated answer may change"
    );
    assert_eq!(
        put_answer(&app, &s.vendor, "mfa_admin", "yes", 1)
            .await
            .status(),
        StatusCode::OK
    );
    let closed = post_with(
        &s.risk,
        &app.url(&format!("/api/remediations/{}/close", item.id)),
        &json!({ "note": "Policy screenshot verified" }),
    )
    .await;
    assert_eq!(closed.status(), StatusCode::OK);
    let card = s.scorecard(&app).await;
    assert!(
        !card
            .card
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::KnockOut)
    );
    assert!(
        card.card.overall.expect("scored") > 60.0,
        "{:?}",
        card.card.overall
    );
    assert_eq!(
        card.remediations[0].vendor_committed_date.as_deref(),
        Some("2099-02-28")
    );
    assert_eq!(card.version, 2);

    let conditional = s
        .post(
            &app,
            "/decision",
            &json!({ "outcome": "approved_with_conditions", "conditions": [], "rationale": "ok" }),
        )
        .await;
    assert_eq!(
        conditional.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "conditions listed"
    );
    let decided = s
        .post(
            &app,
            "/decision",
            &json!({ "outcome": "approved_with_conditions",
                     "conditions": ["Breach notice within 72 hours in the next DPA"],
                     "rationale": "Strong controls; the notice period is contracted." }),
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK);
    let card: ScorecardView = decided.json().await.expect("view");
    assert_eq!(card.status, AssessmentStatus::Completed);
    assert!(card.frozen);
    let decision = card.decision.expect("decision");
    assert_eq!(decision.outcome, DecisionOutcome::ApprovedWithConditions);
    assert_eq!(decision.scorecard_version, card.version);

    // A frozen version never changes; the review is closed.
    let twice = s
        .post(
            &app,
            "/decision",
            &json!({ "outcome": "rejected", "rationale": "changed my mind" }),
        )
        .await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    let frozen = get_with(
        &s.risk,
        &app.url(&s.path(&format!(
            "/scorecard?version={}",
            decision.scorecard_version
        ))),
    )
    .await;
    let frozen: ScorecardView = frozen.json().await.expect("frozen");
    assert!(frozen.frozen);
    assert_eq!(frozen.card, card.card);
    assert_eq!(
        put_answer(&app, &s.vendor, "mfa_admin", "no", 2)
            .await
            .status(),
        StatusCode::CONFLICT,
        "answers are locked once decided and nothing is open"
    );
}

#[tokio::test]
async fn only_risk_managers_review_and_procurement_only_reads() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let pro = &s.sent.procurement;
    let read = get_with(pro, &app.url(&s.path("/scorecard"))).await;
    assert_eq!(read.status(), StatusCode::OK);
    for (rest, body) in [
        (
            "/clarifications",
            json!({ "question_id": "enc_rest", "message": "?" }),
        ),
        (
            "/overrides",
            json!({ "residual_tier": "low", "reason": "x" }),
        ),
        (
            "/decision",
            json!({ "outcome": "approved", "rationale": "x" }),
        ),
    ] {
        let refused = post_with(pro, &app.url(&s.path(rest)), &body).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{rest}");
    }
    let decide_early = s
        .post(
            &app,
            "/decision",
            &json!({ "outcome": "approved", "rationale": "fine" }),
        )
        .await;
    assert_eq!(
        decide_early.status(),
        StatusCode::OK,
        "a submitted assessment can be decided"
    );
}

#[tokio::test]
async fn another_organisation_reaches_none_of_the_review_endpoints() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let card = s.scorecard(&app).await;
    let key = card.card.findings[0].key.clone();
    let item: RemediationView = post_with(
        &s.risk,
        &app.url("/api/remediations"),
        &json!({ "assessment_id": s.sent.assessment.id, "finding_key": key,
                 "due_date": "2099-03-31", "closure_evidence": "x" }),
    )
    .await
    .json()
    .await
    .expect("item");
    app.create_user("Other", "admin@other.test", Role::Admin)
        .await;
    let other = app.signed_in("admin@other.test").await;
    let id = s.sent.assessment.id;
    let posts = [
        (
            format!("/api/assessments/{id}/clarifications"),
            json!({ "question_id": "enc_rest", "message": "?" }),
        ),
        (
            format!("/api/assessments/{id}/overrides"),
            json!({ "residual_tier": "low", "reason": "x" }),
        ),
        (
            format!("/api/assessments/{id}/decision"),
            json!({ "outcome": "approved", "rationale": "x" }),
        ),
        (
            "/api/remediations".to_owned(),
            json!({ "assessment_id": id, "finding_key": key, "due_date": "2099-03-31", "closure_evidence": "x" }),
        ),
        (
            format!("/api/remediations/{}/close", item.id),
            json!({ "note": "x" }),
        ),
    ];
    for (path, body) in posts {
        let response = post_with(&other, &app.url(&path), &body).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let review = other
        .put(app.url(&format!("/api/assessments/{id}/reviews/enc_rest")))
        .json(&json!({ "status": "accepted" }))
        .send()
        .await
        .expect("review");
    assert_eq!(review.status(), StatusCode::NOT_FOUND);
    let patch = other
        .patch(app.url(&format!("/api/remediations/{}", item.id)))
        .json(&json!({ "due_date": "2099-04-30" }))
        .send()
        .await
        .expect("patch");
    assert_eq!(patch.status(), StatusCode::NOT_FOUND);
    let listed: Value = get_with(
        &other,
        &app.url(&format!("/api/remediations?assessment_id={id}")),
    )
    .await
    .json()
    .await
    .expect("list");
    assert_eq!(
        listed,
        json!({ "items": [], "total": 0 }),
        "another organisation lists none"
    );

    // A vendor session of another assessment cannot touch this one's remediation item.
    let other_vendor = crate::helpers::new_vendor(
        &s.sent.procurement,
        &app.url("/api/vendors"),
        "Other Vendor Ltd",
    )
    .await;
    let second = post_with(
        &s.sent.procurement,
        &app.url("/api/assessments"),
        &json!({ "vendor_id": other_vendor, "template_id": s.sent.assessment.template_id,
                 "due_date": "2099-01-31", "recipients": [{ "name": "Sam", "email": "sam@vendor.test" }] }),
    )
    .await;
    assert_eq!(second.status(), StatusCode::CREATED);
    let token = crate::assessments::emailed_token(&app, "sam@vendor.test").await;
    let stranger = vendor_session(&app, &token).await;
    let commit = stranger
        .put(app.url(&format!("/api/portal/remediations/{}", item.id)))
        .json(&json!({ "vendor_committed_date": "2099-02-28" }))
        .send()
        .await
        .expect("commit");
    assert_eq!(commit.status(), StatusCode::NOT_FOUND);
    // Nothing changed for Acme.
    let after = s.scorecard(&app).await;
    assert_eq!(after.status, AssessmentStatus::Submitted);
    assert!(after.overrides.is_empty() && after.decision.is_none());
    assert!(after.remediations[0].vendor_committed_date.is_none());
}
