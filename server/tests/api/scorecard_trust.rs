//! A verdict people can trust: the vendor never receives the answer key, reading a
//! scorecard never writes, versions are recorded by the events that change the card, and a
//! risk acceptance or a closed remediation stops a finding holding the tier up.

use assay_core::access::Role;
use assay_core::api::ScorecardView;
use assay_core::risk::RiskTier;
use assay_core::scoring::{FindingKind, SettledBy};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};
use time::Duration;

use crate::helpers::{TestApp, get_with, spawn_app};
use crate::review::{Submitted, submitted};

/// Every table's row count, by table name (both databases).
async fn row_counts(app: &TestApp) -> Vec<(String, i64)> {
    let backend = app.db.get_database_backend();
    let tables_sql = match backend {
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        _ => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        }
    };
    let tables = app
        .db
        .query_all_raw(Statement::from_string(backend, tables_sql))
        .await
        .expect("tables");
    let mut out = Vec::new();
    for row in tables {
        let name: String = row.try_get("", "name").expect("table name");
        let count = app
            .db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM \"{name}\""),
            ))
            .await
            .expect("count")
            .expect("a row");
        let n: i64 = count.try_get("", "n").expect("count");
        out.push((name, n));
    }
    out
}

async fn scorecard_as(client: &reqwest::Client, app: &TestApp, s: &Submitted) -> ScorecardView {
    let response = get_with(client, &app.url(&s.path("/scorecard"))).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("scorecard")
}

fn knock_out_key(card: &ScorecardView) -> String {
    card.card
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::KnockOut)
        .expect("the MFA knock-out")
        .key
        .clone()
}

#[tokio::test]
async fn the_vendor_portal_receives_the_questionnaire_without_the_answer_key() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let response = get_with(&s.vendor, &app.url("/api/portal/assessment")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("body");
    let portal: Value = serde_json::from_str(&text).expect("json");
    assert!(
        portal["template"]["items"].is_array(),
        "the vendor still gets every question: {portal}"
    );
    assert!(
        portal["template"].get("scoring").is_none(),
        "no scoring rules in the portal's template: {}",
        portal["template"]
    );
    for secret in [
        "knock_outs",
        "contract_checks",
        "at_most_bands",
        "No MFA for administrative access",
        "cap_when_unmet",
    ] {
        assert!(
            !text.contains(secret),
            "the portal payload gives away `{secret}`"
        );
    }
    // The client side keeps the full template.
    let client_view = get_with(&s.risk, &app.url(&s.path(""))).await;
    assert_eq!(client_view.status(), StatusCode::OK);
    assert!(
        client_view
            .text()
            .await
            .expect("body")
            .contains("knock_outs"),
        "the client's view of the assessment keeps the scoring rules"
    );
}

#[tokio::test]
async fn an_auditors_visit_changes_nothing_in_the_database() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    // A risk acceptance that lapses makes today's card differ from the stored version:
    // the case in which reading used to store a new one.
    let before = s.scorecard(&app).await;
    let accepted = s
        .post(
            &app,
            "/acceptances",
            &json!({ "finding_key": knock_out_key(&before), "reason": "Hardware keys ordered",
                     "expires_on": (app.clock.now().date() + Duration::days(1)).to_string() }),
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::CREATED);
    let stored: ScorecardView = accepted.json().await.expect("scorecard");
    assert!(stored.card.residual_tier < before.card.residual_tier);
    app.clock.advance(Duration::days(3));
    app.create_user("Acme", "auditor@acme.test", Role::Auditor)
        .await;
    let auditor = app.signed_in("auditor@acme.test").await;
    let counts = row_counts(&app).await;
    let live = scorecard_as(&auditor, &app, &s).await;
    assert_ne!(
        live.card.residual_tier, stored.card.residual_tier,
        "the lapsed acceptance shows at once on the live card"
    );
    for path in [
        s.path("/scorecard"),
        s.path(""),
        "/api/dashboard".to_owned(),
        "/api/assessments".to_owned(),
        format!("/api/vendors/{}", s.sent.assessment.vendor_id),
        "/api/remediations".to_owned(),
    ] {
        let response = get_with(&auditor, &app.url(&path)).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    assert_eq!(
        row_counts(&app).await,
        counts,
        "reading as an Auditor on {} adds or removes no row anywhere",
        app.expected_database
    );
    assert_eq!(
        scorecard_as(&auditor, &app, &s).await.version,
        live.version,
        "no version was stored by reading"
    );
}

#[tokio::test]
async fn versions_are_recorded_by_events_and_a_dated_change_by_the_scheduler_on_its_day() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let first = s.scorecard(&app).await;
    assert_eq!(first.version, 1, "submission records version 1");
    assert_eq!(
        first.card.residual_tier,
        RiskTier::High,
        "the MFA knock-out"
    );
    let key = knock_out_key(&first);
    assert_eq!(
        first.card.held_by.as_ref().map(|h| h.finding_key.as_str()),
        Some(key.as_str()),
        "the knock-out is named as what holds the tier"
    );

    let accepted = s
        .post(
            &app,
            "/acceptances",
            &json!({ "finding_key": key, "reason": "Hardware keys ordered; rollout by March",
                     "expires_on": (app.clock.now().date() + Duration::days(10)).to_string() }),
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::CREATED);
    let accepted: ScorecardView = accepted.json().await.expect("scorecard");
    assert_eq!(accepted.version, 2, "the acceptance records a version");
    let knock_out = accepted
        .card
        .findings
        .iter()
        .find(|f| f.key == key)
        .expect("an accepted finding stays listed");
    assert_eq!(knock_out.settled, Some(SettledBy::Accepted));
    assert!(
        accepted.card.residual_tier < RiskTier::High,
        "the accepted knock-out no longer holds the tier at High: {:?}",
        accepted.card.held_by
    );
    assert_eq!(accepted.acceptances.len(), 1);
    assert!(accepted.acceptances[0].active);
    assert_eq!(
        accepted.next_change.as_ref().map(|c| c.on),
        Some(app.clock.now().date() + Duration::days(11)),
        "the day after the acceptance's last day is announced"
    );

    for _ in 0..3 {
        assert_eq!(
            s.scorecard(&app).await.version,
            2,
            "reading records nothing"
        );
    }
    assert_eq!(
        app.scheduler.run_once().await.expect("round").scorecards,
        0,
        "nothing is due before the acceptance lapses"
    );

    app.clock.advance(Duration::days(11));
    assert_eq!(
        s.scorecard(&app).await.version,
        2,
        "the lapse shows on the live card but is not stored by reading"
    );
    let report = app.scheduler.run_once().await.expect("round");
    assert_eq!(
        report.scorecards, 1,
        "the scheduler records the dated change"
    );
    let lapsed = s.scorecard(&app).await;
    assert_eq!(lapsed.version, 3);
    assert_eq!(lapsed.card.residual_tier, RiskTier::High);
    assert_eq!(
        app.scheduler.run_once().await.expect("round").scorecards,
        0,
        "each dated change is recorded once"
    );

    let contract = s
        .sent
        .procurement
        .put(app.url(&format!(
            "/api/vendors/{}/contract",
            s.sent.assessment.vendor_id
        )))
        .json(&json!({ "breach_notification_hours": 120 }))
        .send()
        .await
        .expect("contract");
    assert_eq!(contract.status(), StatusCode::OK);
    let after_contract = s.scorecard(&app).await;
    assert_eq!(
        after_contract.version, 4,
        "a contract change records the latest scorecard"
    );
    assert!(
        !after_contract
            .card
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::ContractMismatch),
        "96 h meets a 120 h contract"
    );
}

#[tokio::test]
async fn a_closed_remediation_item_stops_its_finding_holding_the_tier() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let card = s.scorecard(&app).await;
    let key = knock_out_key(&card);
    let created = crate::helpers::post_with(
        &s.risk,
        &app.url("/api/remediations"),
        &json!({ "assessment_id": s.sent.assessment.id, "finding_key": key,
                 "due_date": (app.clock.now().date() + Duration::days(30)).to_string(),
                 "closure_evidence": "Screenshot of the MFA policy" }),
    )
    .await;
    assert_eq!(
        created.status(),
        StatusCode::CREATED,
        "{:?}",
        created.text().await
    );
    let item: Value = created.json().await.expect("item");
    assert_eq!(
        s.scorecard(&app).await.card.residual_tier,
        RiskTier::High,
        "an open remediation item does not settle the finding"
    );
    let closed = crate::helpers::post_with(
        &s.risk,
        &app.url(&format!(
            "/api/remediations/{}/close",
            item["id"].as_str().expect("id")
        )),
        &json!({ "note": "MFA enforced for every administrator; policy screenshot received" }),
    )
    .await;
    assert_eq!(closed.status(), StatusCode::OK, "{:?}", closed.text().await);
    let after = s.scorecard(&app).await;
    assert_eq!(
        after.version,
        card.version + 1,
        "the closure records a version"
    );
    assert!(
        after.card.residual_tier < RiskTier::High,
        "the remediated knock-out no longer holds the tier: {:?}",
        after.card.held_by
    );
    assert_eq!(
        after
            .card
            .findings
            .iter()
            .find(|f| f.key == key)
            .and_then(|f| f.settled),
        Some(SettledBy::Remediated)
    );
}

#[tokio::test]
async fn a_risk_acceptance_needs_a_reason_a_real_finding_and_a_future_last_day() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let key = knock_out_key(&s.scorecard(&app).await);
    let yesterday = (app.clock.now().date() - Duration::days(1)).to_string();
    for (body, field) in [
        (json!({ "finding_key": key, "reason": "  " }), "reason"),
        (
            json!({ "finding_key": "nothing:here", "reason": "ok" }),
            "finding_key",
        ),
        (
            json!({ "finding_key": key, "reason": "ok", "expires_on": yesterday }),
            "expires_on",
        ),
    ] {
        let response = s.post(&app, "/acceptances", &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        let error: Value = response.json().await.expect("error");
        assert_eq!(error["error"]["field"], field, "{error}");
    }
    let auditor = {
        app.create_user("Acme", "auditor@acme.test", Role::Auditor)
            .await;
        app.signed_in("auditor@acme.test").await
    };
    let refused = crate::helpers::post_with(
        &auditor,
        &app.url(&s.path("/acceptances")),
        &json!({ "finding_key": key, "reason": "I say so" }),
    )
    .await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "an Auditor cannot accept risk"
    );
    let accepted: ScorecardView = s
        .post(
            &app,
            "/acceptances",
            &json!({ "finding_key": key, "reason": "Board accepted until rollout" }),
        )
        .await
        .json()
        .await
        .expect("scorecard");
    let id = accepted.acceptances[0].id;
    let withdrawn = s
        .risk
        .delete(app.url(&s.path(&format!("/acceptances/{id}"))))
        .send()
        .await
        .expect("withdraw");
    assert_eq!(withdrawn.status(), StatusCode::OK);
    let withdrawn: ScorecardView = withdrawn.json().await.expect("scorecard");
    assert_eq!(
        withdrawn.card.residual_tier,
        RiskTier::High,
        "the finding holds again"
    );
    assert!(withdrawn.acceptances[0].withdrawn);
    app.create_user("Acme", "audit-admin@acme.test", Role::Admin)
        .await;
    let admin = app.signed_in("audit-admin@acme.test").await;
    let log: Value = get_with(&admin, &app.url("/api/audit?limit=100"))
        .await
        .json()
        .await
        .expect("audit");
    let text = log.to_string();
    assert!(
        text.contains("review.risk_accepted") && text.contains("review.risk_acceptance_withdrawn"),
        "both are in the audit log: {text}"
    );
}

#[tokio::test]
async fn a_new_scoring_model_is_recorded_on_every_submitted_card_by_the_next_sweep() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    assert_eq!(s.scorecard(&app).await.version, 1);
    let published = crate::helpers::post_with(
        &s.risk,
        &app.url("/api/scoring-models"),
        &json!({ "category_weights": { "encryption": 5.0 }, "strong": 80.0, "adequate": 60.0,
                 "note": "Encryption weighs five times" }),
    )
    .await;
    assert_eq!(
        published.status(),
        StatusCode::CREATED,
        "{:?}",
        published.text().await
    );
    let live = s.scorecard(&app).await;
    assert_eq!(
        live.card.model_version, "1",
        "the live card uses the new model at once"
    );
    assert_eq!(
        live.version, 1,
        "publishing records nothing inside the request"
    );
    let report = app.scheduler.run_once().await.expect("round");
    assert_eq!(report.scorecards, 1, "the sweep records the changed card");
    let recorded = s.scorecard(&app).await;
    assert_eq!(recorded.version, 2);
    assert_eq!(recorded.versions[0].overall, live.card.overall);
}
