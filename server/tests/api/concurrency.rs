//! Many clients writing at once, as real use does: vendors saving answers to their own
//! assessments, Admins editing the same settings. No request may fail with a server error,
//! and nothing acknowledged may be lost. Runs on SQLite and on PostgreSQL.

use assay_core::access::Role;
use assay_core::api::{AnswerView, AssessmentView, PortalAssessment, TemplateView, VendorView};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::assessments::{emailed_token, vendor_session};
use crate::helpers::{TestApp, get_with, post_with, spawn_app};

const VENDORS: usize = 8;
const SAVES_PER_VENDOR: u32 = 25;

const CSV: &str = "type,id,text,required,condition\n\
yes_no,q_encrypt,Do you encrypt customer data at rest?,true,\n\
long_text,q_notes,Anything else?,false,\n";

/// What every client's requests were answered, in one list.
async fn all_of<T>(tasks: Vec<tokio::task::JoinHandle<Vec<T>>>) -> Vec<T> {
    let mut out = Vec::new();
    for task in tasks {
        out.extend(task.await.expect("a client task"));
    }
    out
}

/// One organisation sends the same questionnaire to `count` vendors; returns each
/// vendor's portal session.
async fn vendors_with_open_assessments(app: &TestApp, count: usize) -> Vec<reqwest::Client> {
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    app.create_user("Acme", "admin@acme.test", Role::Admin)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    let template: TemplateView = post_with(
        &pro,
        &app.url("/api/templates"),
        &json!({ "content": CSV, "format": "csv", "title": "Concurrency" }),
    )
    .await
    .json()
    .await
    .expect("template");
    let published = post_with(
        &pro,
        &app.url(&format!("/api/templates/{}/publish", template.id)),
        &json!({}),
    )
    .await;
    assert_eq!(published.status(), StatusCode::OK);
    let mut sessions = Vec::new();
    for n in 0..count {
        let vendor: VendorView = post_with(
            &pro,
            &app.url("/api/vendors"),
            &json!({ "legal_name": format!("Vendor {n}"), "system_access": "read_only", "criticality": "medium" }),
        )
        .await
        .json()
        .await
        .expect("vendor");
        let email = format!("contact{n}@vendor{n}.test");
        let sent = post_with(
            &pro,
            &app.url("/api/assessments"),
            &json!({ "vendor_id": vendor.id, "template_id": template.id, "due_date": "2099-01-31",
                     "recipients": [{ "name": format!("Contact {n}"), "email": email }] }),
        )
        .await;
        assert_eq!(sent.status(), StatusCode::CREATED);
        let _: AssessmentView = sent.json().await.expect("assessment");
        let token = emailed_token(app, &email).await;
        sessions.push(vendor_session(app, &token).await);
    }
    sessions
}

#[tokio::test]
async fn vendors_saving_at_once_never_see_a_server_error_and_every_acknowledged_answer_is_kept() {
    let app = spawn_app().await;
    let vendors = vendors_with_open_assessments(&app, VENDORS).await;
    let mut tasks = Vec::new();
    for (n, vendor) in vendors.iter().cloned().enumerate() {
        let url = app.url("/api/portal/answers/q_notes");
        let encrypt = app.url("/api/portal/answers/q_encrypt");
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            let mut version = 0;
            let mut acknowledged = None;
            for i in 0..SAVES_PER_VENDOR {
                let value = format!("vendor {n}, save {i}");
                let response = vendor
                    .put(&url)
                    .json(&json!({ "value": value, "version": version }))
                    .send()
                    .await
                    .expect("the server answers");
                statuses.push(response.status());
                if response.status() == StatusCode::OK {
                    let saved: AnswerView = response.json().await.expect("answer");
                    version = saved.version;
                    acknowledged = Some(saved.value);
                }
                // A second question read and written in the same breath.
                let yes_no = if i % 2 == 0 { "yes" } else { "no" };
                let response = vendor
                    .put(&encrypt)
                    .json(&json!({ "value": yes_no, "version": i }))
                    .send()
                    .await
                    .expect("the server answers");
                statuses.push(response.status());
            }
            (statuses, acknowledged)
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("the vendor's task"));
    }
    let all: Vec<StatusCode> = results.iter().flat_map(|(s, _)| s.clone()).collect();
    let server_errors = all.iter().filter(|s| s.is_server_error()).count();
    assert_eq!(
        server_errors,
        0,
        "{server_errors} of {} concurrent saves failed with a server error on {}: {:?}",
        all.len(),
        app.expected_database,
        all.iter()
            .filter(|s| s.is_server_error())
            .collect::<Vec<_>>()
    );
    for (n, (vendor, (_, acknowledged))) in vendors.iter().zip(&results).enumerate() {
        let portal: PortalAssessment = get_with(vendor, &app.url("/api/portal/assessment"))
            .await
            .json()
            .await
            .expect("portal");
        assert_eq!(
            portal.answers.get("q_notes").map(|a| a.value.clone()),
            acknowledged.clone(),
            "vendor {n}: the last acknowledged answer must be what is stored"
        );
        assert_eq!(
            acknowledged.as_deref(),
            Some(format!("vendor {n}, save {}", SAVES_PER_VENDOR - 1).as_str()),
            "vendor {n}: each vendor saves its own answer in turn, so every save is accepted"
        );
    }
}

#[tokio::test]
async fn admins_editing_the_same_settings_at_once_get_answers_never_server_errors() {
    let app = spawn_app().await;
    app.create_user("Acme", "admin@acme.test", Role::Admin)
        .await;
    let mut admins = Vec::new();
    for _ in 0..6 {
        admins.push(app.signed_in("admin@acme.test").await);
    }
    let current: Value = get_with(&admins[0], &app.url("/api/settings/schedules"))
        .await
        .json()
        .await
        .expect("schedules");
    // Each admin saves the schedules, a new exchange-rate table and the time zone in turn.
    let mut tasks = Vec::new();
    for (n, admin) in admins.into_iter().enumerate() {
        let schedules = app.url("/api/settings/schedules");
        let rates = app.url("/api/settings/exchange-rates");
        let organization = app.url("/api/organization");
        let today = app.clock.today().to_string();
        let mut body = current.clone();
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for i in 0..9u64 {
                let request = match i % 3 {
                    0 => {
                        body["reassessment_due_days"] = json!(10 + n as u64 * 10 + i);
                        admin.put(&schedules).json(&body)
                    }
                    1 => admin.put(&rates).json(&json!({
                        "base": "EUR", "quoted_on": today,
                        "rates": [{ "currency": "USD", "rate": 0.9 + (n as f64) / 100.0 + (i as f64) / 1000.0 }]
                    })),
                    _ => {
                        let zone = ["Europe/Berlin", "America/New_York", "Asia/Tokyo"][n % 3];
                        admin
                            .patch(&organization)
                            .json(&json!({ "time_zone": zone }))
                    }
                };
                let response = request.send().await.expect("the server answers");
                statuses.push((i % 3, response.status()));
            }
            statuses
        }));
    }
    let statuses = all_of(tasks).await;
    assert!(
        statuses
            .iter()
            .all(|(_, s)| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
        "concurrent edits on {} answer 200 or 409, never a server error: {statuses:?}",
        app.expected_database
    );
    let saved_tables = statuses
        .iter()
        .filter(|(kind, s)| *kind == 1 && *s == StatusCode::OK)
        .count();
    let tables: assay_core::api::ExchangeRatesView = get_with(
        &app.signed_in("admin@acme.test").await,
        &app.url("/api/settings/exchange-rates"),
    )
    .await
    .json()
    .await
    .expect("exchange rates");
    assert_eq!(
        usize::from(tables.current.is_some()) + tables.earlier.len(),
        saved_tables,
        "every acknowledged exchange-rate table is kept"
    );
    let verify = app
        .audit_verification(&app.signed_in("admin@acme.test").await)
        .await;
    assert_eq!(
        verify["intact"],
        json!(true),
        "the audit chain stays whole under concurrent writes: {verify}"
    );
}

#[tokio::test]
async fn editors_saving_and_publishing_one_template_at_once_never_get_server_errors() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let template: TemplateView = post_with(
        &app.signed_in("pro@acme.test").await,
        &app.url("/api/templates"),
        &json!({ "content": CSV, "format": "csv", "title": "Shared draft" }),
    )
    .await
    .json()
    .await
    .expect("template");
    let draft_of = |id| {
        let app = &app;
        async move {
            let opened: TemplateView = get_with(
                &app.signed_in("pro@acme.test").await,
                &app.url(&format!("/api/templates/{id}")),
            )
            .await
            .json()
            .await
            .expect("template");
            opened.draft.expect("the template has a draft")
        }
    };
    let draft = draft_of(template.id).await;
    let mut tasks = Vec::new();
    for editor in 0..6u32 {
        let client = app.signed_in("pro@acme.test").await;
        let draft_url = app.url(&format!("/api/templates/{}/draft", template.id));
        let publish_url = app.url(&format!("/api/templates/{}/publish", template.id));
        let mut body = draft.clone();
        tasks.push(tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for i in 0..8u32 {
                let title = format!("Edited by {editor}, round {i}");
                body["title"] = json!(title);
                let saved = client
                    .put(&draft_url)
                    .json(&body)
                    .send()
                    .await
                    .expect("the server answers");
                outcomes.push(("save", saved.status(), Some(title)));
                if i % 3 == 2 {
                    let published = client
                        .post(&publish_url)
                        .json(&json!({}))
                        .send()
                        .await
                        .expect("the server answers");
                    outcomes.push(("publish", published.status(), None));
                }
            }
            outcomes
        }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.extend(task.await.expect("task"));
    }
    let failures: Vec<_> = outcomes
        .iter()
        .filter(|(_, status, _)| *status != StatusCode::OK && *status != StatusCode::CONFLICT)
        .collect();
    assert!(
        failures.is_empty(),
        "concurrent draft saves and publishes on {} answer 200 or 409 (nothing changed), never an error: {failures:?}",
        app.expected_database
    );
    let saved_titles: Vec<&String> = outcomes
        .iter()
        .filter(|(what, status, _)| *what == "save" && *status == StatusCode::OK)
        .filter_map(|(_, _, title)| title.as_ref())
        .collect();
    assert!(
        !saved_titles.is_empty(),
        "at least one draft save is acknowledged"
    );
    let stored = draft_of(template.id).await["title"]
        .as_str()
        .expect("a title")
        .to_owned();
    assert!(
        saved_titles.contains(&&stored),
        "the stored draft is one that was acknowledged, whole: {stored:?}"
    );
}

#[tokio::test]
async fn risk_managers_accepting_one_finding_at_once_leave_one_acceptance_and_no_server_error() {
    let app = spawn_app().await;
    let s = crate::review::submitted(&app).await;
    let card = s.scorecard(&app).await;
    let key = card
        .card
        .findings
        .iter()
        .find(|f| f.kind == assay_core::scoring::FindingKind::KnockOut)
        .expect("the MFA knock-out")
        .key
        .clone();
    let mut tasks = Vec::new();
    for n in 0..6u32 {
        let email = format!("risk{n}@acme.test");
        app.create_user("Acme", &email, Role::RiskManager).await;
        let client = app.signed_in(&email).await;
        let url = app.url(&s.path("/acceptances"));
        let key = key.clone();
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for i in 0..5u32 {
                let response = client
                    .post(&url)
                    .json(&json!({ "finding_key": key, "reason": format!("Accepted by {n}, round {i}") }))
                    .send()
                    .await
                    .expect("the server answers");
                statuses.push(response.status());
            }
            statuses
        }));
    }
    let statuses = all_of(tasks).await;
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
        "concurrent acceptances on {} answer 201 or 409, never a server error: {statuses:?}",
        app.expected_database
    );
    let after = s.scorecard(&app).await;
    let active = after.acceptances.iter().filter(|a| a.active).count();
    assert_eq!(
        active, 1,
        "a new acceptance replaces the previous one: exactly one holds afterwards"
    );
}
