//! The portfolio dashboard follows the scorecards, and only the organisation's own vendors.

use assay_core::access::Role;
use assay_core::api::DashboardView;
use assay_core::assessment::AssessmentStatus;
use assay_core::risk::RiskTier;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{get_with, post_with, spawn_app};
use crate::review::{Submitted, submitted};

#[tokio::test]
async fn the_dashboard_counts_tiers_statuses_findings_and_remediation() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    s.remediate_last_finding(&app, "2099-03-31").await;

    let dashboard: DashboardView = get_with(&s.risk, &app.url("/api/dashboard"))
        .await
        .json()
        .await
        .expect("dashboard");
    assert_eq!(dashboard.vendors, 1);
    let high = dashboard
        .by_residual_tier
        .iter()
        .find(|c| c.key == RiskTier::High)
        .expect("high");
    assert_eq!(high.count, 1);
    let cell = dashboard
        .heat_map
        .iter()
        .find(|c| c.inherent == RiskTier::Low && c.residual == RiskTier::High)
        .expect("cell");
    assert_eq!(cell.count, 1, "inherent low, residual high (knock-out)");
    assert_eq!(dashboard.heat_map.iter().map(|c| c.count).sum::<u64>(), 1);
    let submitted = dashboard
        .assessments_by_status
        .iter()
        .find(|c| c.key == AssessmentStatus::Submitted)
        .expect("submitted");
    assert_eq!(submitted.count, 1);
    assert!(
        dashboard
            .frequent_findings
            .iter()
            .any(|f| f.title == "No MFA for administrative access" && f.vendors == 1)
    );
    assert_eq!(dashboard.open_remediations.len(), 1);
    assert!(dashboard.overdue.is_empty());

    let filtered: DashboardView = get_with(&s.risk, &app.url("/api/dashboard?criticality=high"))
        .await
        .json()
        .await
        .expect("dashboard");
    assert_eq!(filtered.vendors, 0);
    assert!(filtered.open_remediations.is_empty());

    app.create_user("Other", "risk@other.test", Role::RiskManager)
        .await;
    let other = app.signed_in("risk@other.test").await;
    let theirs: DashboardView = get_with(&other, &app.url("/api/dashboard"))
        .await
        .json()
        .await
        .expect("dashboard");
    assert_eq!(theirs.vendors, 0);
    assert!(theirs.frequent_findings.is_empty() && theirs.open_remediations.is_empty());
    let remediations: serde_json::Value = get_with(&other, &app.url("/api/remediations"))
        .await
        .json()
        .await
        .expect("remediations");
    assert_eq!(
        remediations["items"],
        json!([]),
        "another organisation's items stay out"
    );
    assert_eq!(remediations["total"], 0);
}

#[tokio::test]
async fn a_what_if_previews_tier_changes_before_a_model_is_published() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    // Make the vendor pass the knock-out so the average decides the tier.
    let given = s
        .post(
            &app,
            "/overrides",
            &json!({ "question_id": "mfa_admin", "points": 1.0, "reason": "verified" }),
        )
        .await;
    assert_eq!(given.status(), StatusCode::CREATED);
    // Now 66.7 overall: adequate (≥ 60) → one tier below Low stays Low.
    let preview = post_with(
        &s.risk,
        &app.url("/api/scoring-models/what-if"),
        &json!({ "category_weights": { "encryption": 0.0, "access_control": 0.0 }, "strong": 80.0, "adequate": 60.0 }),
    )
    .await;
    assert_eq!(preview.status(), StatusCode::OK);
    let preview: assay_core::api::WhatIfView = preview.json().await.expect("what-if");
    assert_eq!(preview.current_version, 0);
    let row = &preview.rows[0];
    assert!(
        row.proposed_overall.expect("scored") < 1e-9,
        "only breach notification counts"
    );
    assert_eq!(
        preview.changed,
        usize::from(row.current_tier != row.proposed_tier)
    );

    let bad = post_with(
        &s.risk,
        &app.url("/api/scoring-models"),
        &json!({ "strong": 50.0, "adequate": 60.0 }),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let published = post_with(
        &s.risk,
        &app.url("/api/scoring-models"),
        &json!({ "category_weights": { "encryption": 2.0 }, "strong": 85.0, "adequate": 65.0, "note": "Encryption counts double" }),
    )
    .await;
    assert_eq!(published.status(), StatusCode::CREATED);
    let models: Vec<assay_core::api::ScoringModelView> =
        get_with(&s.risk, &app.url("/api/scoring-models"))
            .await
            .json()
            .await
            .expect("models");
    assert_eq!(models.iter().map(|m| m.version).collect::<Vec<_>>(), [1, 0]);
    // Publishing marks the submitted cards; the scheduler's next sweep records them.
    let report = app.scheduler.run_once().await.expect("round");
    assert_eq!(report.scorecards, 1, "the sweep records the changed card");
    let card = s.scorecard(&app).await;
    assert_eq!(
        card.card.model_version, "1",
        "open assessments use the new model"
    );
    assert!(card.version >= 3, "the new model made a new version");
    let pro = post_with(
        &s.sent.procurement,
        &app.url("/api/scoring-models"),
        &json!({ "strong": 80.0, "adequate": 60.0 }),
    )
    .await;
    assert_eq!(pro.status(), StatusCode::FORBIDDEN);
}

/// More vendors than SQLite takes bound parameters in one statement (32,766): the dashboard
/// and the portfolio export read them in bounded lists, so a large portfolio still shows and
/// exports every vendor (it used to fail with "too many SQL variables").
#[tokio::test]
async fn a_portfolio_larger_than_one_statements_parameter_limit_shows_and_exports() {
    const VENDORS: usize = 32_800;
    let app = spawn_app().await;
    let s = submitted(&app).await;
    copy_vendor(&app, &s, VENDORS - 1, true).await;

    let response = get_with(&s.risk, &app.url("/api/dashboard")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let dashboard: DashboardView = response.json().await.expect("dashboard");
    assert_eq!(dashboard.vendors, VENDORS as u64);
    let high = dashboard
        .by_residual_tier
        .iter()
        .find(|c| c.key == RiskTier::High)
        .expect("high");
    assert_eq!(high.count, VENDORS as u64, "every copy is scored High");
    let submitted = dashboard
        .assessments_by_status
        .iter()
        .find(|c| c.key == AssessmentStatus::Submitted)
        .expect("submitted");
    assert_eq!(submitted.count, VENDORS as u64);
    assert!(
        dashboard
            .frequent_findings
            .iter()
            .any(|f| f.title == "No MFA for administrative access" && f.vendors == VENDORS as u64)
    );

    let response = get_with(&s.risk, &app.url("/api/exports/portfolio.csv")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let csv = response.text().await.expect("csv");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), VENDORS, "one row per vendor");
    assert!(
        rows.iter().all(|r| r.contains(",Low,High,33.3,")),
        "every row carries its vendor's scorecard"
    );
    assert!(rows.iter().any(|r| r.starts_with("Copy 32799,")));
}

/// The what-if loads its inputs for many vendors at once; each row must still be scored from
/// that vendor's own answers and overrides. One vendor answered and has an override (Low by
/// its score, Medium with its open High finding);
/// 600 copies of its vendor and assessment have neither (every required question 0, the MFA
/// knock-out fires). 601 vendors also span two chunks of the batched reads.
#[tokio::test]
async fn a_what_if_scores_each_vendor_from_its_own_answers_and_overrides() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    let given = s
        .post(
            &app,
            "/overrides",
            &json!({ "question_id": "mfa_admin", "points": 1.0, "reason": "verified" }),
        )
        .await;
    assert_eq!(given.status(), StatusCode::CREATED);
    let card = s.scorecard(&app).await;
    copy_vendor(&app, &s, 600, false).await;

    let preview = post_with(
        &s.risk,
        &app.url("/api/scoring-models/what-if"),
        &json!({ "strong": 80.0, "adequate": 60.0 }),
    )
    .await;
    assert_eq!(preview.status(), StatusCode::OK);
    let preview: assay_core::api::WhatIfView = preview.json().await.expect("what-if");
    assert_eq!(preview.rows.len(), 601);
    let original = preview
        .rows
        .iter()
        .find(|r| r.vendor_id == s.sent.assessment.vendor_id)
        .expect("the answered vendor");
    assert_eq!(original.current_tier, card.card.residual_tier);
    assert_eq!(
        original.current_tier,
        RiskTier::Medium,
        "its score alone gives Low; its open High finding holds the tier at Medium"
    );
    assert!(
        card.card.held_by.is_some(),
        "the card names the finding that holds the tier"
    );
    assert_eq!(original.current_overall, card.card.overall);
    for row in preview
        .rows
        .iter()
        .filter(|r| r.vendor_id != s.sent.assessment.vendor_id)
    {
        assert_eq!(row.current_overall, Some(0.0), "{}", row.vendor_name);
        assert_eq!(row.current_tier, RiskTier::High, "{}", row.vendor_name);
        assert_eq!(row.proposed_tier, row.current_tier);
    }
    assert_eq!(preview.changed, 0, "the same model changes nothing");
}

/// Copies the submitted vendor and its assessment `n` times with new ids, straight into the
/// database (as the benchmark seeds), named "Copy 00001" and on; with `scorecards`, its
/// stored scorecard too, so each copy is a scored vendor. The copies have no answers.
async fn copy_vendor(app: &crate::helpers::TestApp, s: &Submitted, n: usize, scorecards: bool) {
    use assay_server::db::entities::{assessment, scorecard, vendor};
    use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};

    let v = vendor::Entity::find_by_id(s.sent.assessment.vendor_id)
        .one(&app.db)
        .await
        .expect("read")
        .expect("vendor");
    let a = assessment::Entity::find_by_id(s.sent.assessment.id)
        .one(&app.db)
        .await
        .expect("read")
        .expect("assessment");
    let c = scorecard::Entity::find()
        .filter(scorecard::Column::AssessmentId.eq(a.id))
        .one(&app.db)
        .await
        .expect("read")
        .expect("scorecard");
    let numbers: Vec<usize> = (1..=n).collect();
    for batch in numbers.chunks(1_000) {
        let mut vendors = Vec::with_capacity(batch.len());
        let mut assessments = Vec::with_capacity(batch.len());
        let mut cards = Vec::with_capacity(batch.len());
        for number in batch {
            let vendor_id = uuid::Uuid::new_v4();
            let assessment_id = uuid::Uuid::new_v4();
            vendors.push(
                vendor::Model {
                    id: vendor_id,
                    legal_name: format!("Copy {number:05}"),
                    ..v.clone()
                }
                .into_active_model(),
            );
            assessments.push(
                assessment::Model {
                    id: assessment_id,
                    vendor_id,
                    ..a.clone()
                }
                .into_active_model(),
            );
            cards.push(
                scorecard::Model {
                    id: uuid::Uuid::new_v4(),
                    assessment_id,
                    ..c.clone()
                }
                .into_active_model(),
            );
        }
        vendor::Entity::insert_many(vendors)
            .exec(&app.db)
            .await
            .expect("vendors");
        assessment::Entity::insert_many(assessments)
            .exec(&app.db)
            .await
            .expect("assessments");
        if scorecards {
            scorecard::Entity::insert_many(cards)
                .exec(&app.db)
                .await
                .expect("scorecards");
        }
    }
}

/// Registers a vendor through the API (no assessment), as procurement does, and returns its id.
pub async fn register_vendor(
    app: &crate::helpers::TestApp,
    client: &reqwest::Client,
    body: serde_json::Value,
) -> uuid::Uuid {
    let response = post_with(client, &app.url("/api/vendors"), &body).await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "registering {body} failed: {:?}",
        response.text().await
    );
    let vendor: assay_core::api::VendorView = response.json().await.expect("vendor");
    vendor.id
}

/// A vendor that was never assessed has no residual tier: it used to be counted as Low in
/// the tier chart (six vendors there, four on the heat map). Now both charts count the
/// assessed vendors and the rest are "not assessed".
#[tokio::test]
async fn unassessed_vendors_are_not_counted_as_low_and_the_tier_chart_agrees_with_the_heat_map() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    for name in ["Never Asked Ltd", "Not Yet GmbH"] {
        register_vendor(
            &app,
            &s.sent.procurement,
            json!({ "legal_name": name, "system_access": "none", "criticality": "low" }),
        )
        .await;
    }

    let response = get_with(&s.risk, &app.url("/api/dashboard")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let dashboard: DashboardView = response.json().await.expect("dashboard");
    assert_eq!(dashboard.vendors, 3, "one assessed vendor and two new ones");
    assert_eq!(
        dashboard.not_assessed, 2,
        "the two vendors without a scorecard are counted as not assessed"
    );
    let count = |tier: RiskTier| {
        dashboard
            .by_residual_tier
            .iter()
            .find(|c| c.key == tier)
            .map_or(0, |c| c.count)
    };
    assert_eq!(
        count(RiskTier::Low),
        0,
        "unassessed vendors must not show as Low: {:?}",
        dashboard.by_residual_tier
    );
    assert_eq!(count(RiskTier::High), 1, "the assessed vendor is High");
    let bars: u64 = dashboard.by_residual_tier.iter().map(|c| c.count).sum();
    let cells: u64 = dashboard.heat_map.iter().map(|c| c.count).sum();
    assert_eq!(
        bars, cells,
        "the tier chart ({bars}) and the heat map ({cells}) count the same vendors"
    );
    assert_eq!(
        bars + dashboard.not_assessed,
        dashboard.vendors,
        "assessed and not assessed make up every vendor shown"
    );
}

/// A filter value the dashboard cannot read is a 422 naming the parameter, in the API's
/// error format, not a plain-text 400.
#[tokio::test]
async fn a_bad_dashboard_filter_is_a_422_naming_the_parameter() {
    let app = spawn_app().await;
    let s = submitted(&app).await;
    for (query, field) in [
        ("criticality=severe", "criticality"),
        ("owner_id=not-a-uuid", "owner_id"),
    ] {
        let response = get_with(&s.risk, &app.url(&format!("/api/dashboard?{query}"))).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query} should be refused"
        );
        let body: serde_json::Value = response.json().await.expect("an error body");
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
    }
    let blank = get_with(
        &s.risk,
        &app.url("/api/dashboard?criticality=&owner_id=&tag="),
    )
    .await;
    assert_eq!(
        blank.status(),
        StatusCode::OK,
        "blank filters (as the page's “Any” sends) are no filter"
    );
}
