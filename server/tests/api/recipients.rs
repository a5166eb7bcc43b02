//! Delivery per recipient: the assessment page says for each link whether its email is
//! queued, delivered, retrying, bounced or failed (with the mail server's reason), whether
//! the vendor opened it, and whether it was withdrawn; Procurement resends or withdraws one
//! recipient's link from there. The assessments list carries the decision's outcome.

use assay_core::access::Role;
use assay_core::api::{AssessmentSummary, CursorPage, ErrorResponse, InvitationView};
use assay_core::delivery::{REASON_LENGTH, RecipientStatus};
use assay_core::review::DecisionOutcome;
use assay_core::schedule::MAX_DELIVERY_ATTEMPTS;
use assay_server::db::entities::assessment_invitation as invitation;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use time::Duration;

use crate::assessments::{
    Sent, emailed_token, put_answer, send, send_csv, send_in, vendor_session,
};
use crate::helpers::{TestApp, get_with, new_client, post_with, spawn_app, spawn_app_with};
use crate::smtp::{self, SmtpServer};

/// Two sections, so a delegate's link has a scope of its own.
const SECTIONS: &str = "section,type,id,text,required,condition\n\
,section,sec_enc,Encryption,false,\n\
Encryption,yes_no,q_encrypt,Do you encrypt customer data at rest?,true,\n\
,section,sec_breach,Breach notification,false,\n\
Breach notification,duration_hours,q_notify,Hours to notify us of a breach,false,\n";

/// Every link of the assessment as Procurement's page shows it, oldest first.
async fn recipients(app: &TestApp, sent: &Sent) -> Vec<InvitationView> {
    sent.as_procurement_sees_it(app).await.invitations
}

/// The one link to `email` that is not withdrawn (fails if there are more or none).
async fn live_link(app: &TestApp, sent: &Sent, email: &str) -> InvitationView {
    let live: Vec<InvitationView> = recipients(app, sent)
        .await
        .into_iter()
        .filter(|i| i.recipient_email == email && !i.revoked)
        .collect();
    assert_eq!(live.len(), 1, "one live link to {email}: {live:?}");
    live.into_iter().next().expect("one link")
}

/// `POST /api/assessments/{id}/recipients/{action}` for `email`, as `client`.
async fn act(
    app: &TestApp,
    client: &reqwest::Client,
    sent: &Sent,
    action: &str,
    email: &str,
) -> reqwest::Response {
    post_with(
        client,
        &app.url(&format!(
            "/api/assessments/{}/recipients/{action}",
            sent.assessment.id
        )),
        &json!({ "email": email }),
    )
    .await
}

/// Opening the portal with `token`: its status code.
async fn open_with(app: &TestApp, token: &str) -> StatusCode {
    post_with(
        &new_client(),
        &app.url("/api/portal/session"),
        &json!({ "token": token }),
    )
    .await
    .status()
}

/// Vera delegates the breach section to Sam: the assessment then has a contact's link and a
/// delegate's, each with an email. Returns Sam's token.
async fn with_delegate(app: &TestApp, sent: &Sent) -> String {
    let vera = vendor_session(app, &sent.token).await;
    let delegated = post_with(
        &vera,
        &app.url("/api/portal/delegations"),
        &json!({ "section_id": "sec_breach", "name": "Sam Lee", "email": "sam@vendor.test" }),
    )
    .await;
    assert_eq!(delegated.status(), StatusCode::CREATED, "setup: delegated");
    emailed_token(app, "sam@vendor.test").await
}

#[tokio::test]
async fn an_invitation_is_queued_then_delivered_at_the_time_the_mail_server_accepted_it() {
    let server = SmtpServer::start().await;
    let app = spawn_app_with(|s| smtp::configure(s, server.port)).await;
    let sent = send(&app).await;
    let queued = live_link(&app, &sent, "vera@vendor.test").await;
    assert_eq!(queued.status, RecipientStatus::Queued);
    assert!(queued.delivered_at.is_none() && queued.delivery_error.is_none());
    assert_eq!(queued.section_title, None, "the whole questionnaire");

    app.clock.advance(Duration::minutes(2));
    let round = app.scheduler.run_once().await.expect("a delivery round");

    assert_eq!(round.delivery.map(|d| d.sent), Some(1));
    server.wait_for(1).await;
    let delivered = live_link(&app, &sent, "vera@vendor.test").await;
    assert_eq!(delivered.status, RecipientStatus::Delivered);
    let instant = |text: &str| {
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            .expect("an RFC 3339 time")
    };
    let at = delivered.delivered_at.clone().expect("the delivery time");
    assert!(
        instant(&at) > instant(&delivered.sent_at),
        "delivered {at}, after it was queued at {}",
        delivered.sent_at
    );
    assert_eq!(delivered.delivery_error, None);
    assert!(!delivered.opened);
}

#[tokio::test]
async fn a_recipient_the_mail_server_refuses_shows_bounced_with_its_reason_on_one_short_line() {
    let server = SmtpServer::start_refusing().await;
    let app = spawn_app_with(|s| smtp::configure(s, server.port)).await;
    let sent = send(&app).await;

    let round = app.scheduler.run_once().await.expect("a delivery round");

    assert_eq!(
        round.delivery.map(|d| d.failed),
        Some(1),
        "refused for good"
    );
    let bounced = live_link(&app, &sent, "vera@vendor.test").await;
    assert_eq!(bounced.status, RecipientStatus::Bounced);
    let reason = bounced.delivery_error.expect("the mail server's reason");
    assert!(
        reason.contains("550") && reason.contains("Recipient address rejected"),
        "{reason}"
    );
    assert!(
        !reason.contains('\n') && !reason.contains('\r'),
        "one line: {reason:?}"
    );
    assert!(reason.chars().count() <= REASON_LENGTH, "{reason}");
    assert_eq!(bounced.retry_at, None, "a refusal is not retried");
    assert_eq!(bounced.delivered_at, None);
}

#[tokio::test]
async fn an_invitation_whose_every_attempt_fails_shows_retrying_then_failed_with_the_reason() {
    // Nothing listens on the port: every attempt is refused at connection.
    let port = smtp::free_port();
    let app = spawn_app_with(|s| smtp::configure(s, port)).await;
    let sent = send(&app).await;

    app.scheduler.run_once().await.expect("a delivery round");

    let retrying = live_link(&app, &sent, "vera@vendor.test").await;
    assert_eq!(retrying.status, RecipientStatus::Retrying);
    assert!(retrying.retry_at.is_some(), "when it is tried again");
    assert!(retrying.delivery_error.is_some(), "why it failed so far");

    for _ in 1..MAX_DELIVERY_ATTEMPTS {
        app.clock.advance(Duration::days(2));
        app.scheduler.run_once().await.expect("a delivery round");
    }

    let failed = live_link(&app, &sent, "vera@vendor.test").await;
    assert_eq!(failed.status, RecipientStatus::Failed, "{failed:?}");
    let reason = failed.delivery_error.expect("the reason");
    assert!(!reason.is_empty() && !reason.contains('\n'), "{reason:?}");
    assert_eq!(failed.retry_at, None, "no more attempts");
}

#[tokio::test]
async fn opening_the_link_shows_opened_with_the_time() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    assert_eq!(
        live_link(&app, &sent, "vera@vendor.test").await.opened_at,
        None
    );

    vendor_session(&app, &sent.token).await;

    let opened = live_link(&app, &sent, "vera@vendor.test").await;
    assert_eq!(opened.status, RecipientStatus::Opened);
    assert!(opened.opened && opened.opened_at.is_some());
}

#[tokio::test]
async fn resending_to_one_recipient_gives_them_a_new_working_link_and_leaves_the_others_alone() {
    let app = spawn_app().await;
    let sent = send_csv(&app, SECTIONS).await;
    let sam_token = with_delegate(&app, &sent).await;

    let resent = act(&app, &sent.procurement, &sent, "resend", "Sam@Vendor.test ").await;

    assert_eq!(resent.status(), StatusCode::OK);
    let view: assay_core::api::AssessmentView = resent.json().await.expect("the assessment");
    let sams: Vec<&InvitationView> = view
        .invitations
        .iter()
        .filter(|i| i.recipient_email == "sam@vendor.test")
        .collect();
    assert_eq!(sams.len(), 2, "the old link and the new: {sams:?}");
    assert_eq!(sams[0].status, RecipientStatus::Revoked);
    assert!(sams[0].revoked_at.is_some());
    assert_eq!(sams[1].status, RecipientStatus::Queued);
    assert_eq!(
        sams[1].section_id.as_deref(),
        Some("sec_breach"),
        "a delegate keeps its section"
    );
    assert_eq!(
        sams[1].section_title.as_deref(),
        Some("Breach notification")
    );
    let new_token = emailed_token(&app, "sam@vendor.test").await;
    assert_ne!(new_token, sam_token);
    assert_eq!(
        open_with(&app, &sam_token).await,
        StatusCode::GONE,
        "the old link"
    );
    let sam = vendor_session(&app, &new_token).await;
    let portal: assay_core::api::PortalAssessment =
        get_with(&sam, &app.url("/api/portal/assessment"))
            .await
            .json()
            .await
            .expect("portal");
    assert_eq!(portal.section.as_deref(), Some("sec_breach"));
    assert_eq!(
        open_with(&app, &sent.token).await,
        StatusCode::NO_CONTENT,
        "Vera's link still works"
    );
    assert_eq!(
        live_link(&app, &sent, "vera@vendor.test").await.status,
        RecipientStatus::Opened
    );
}

#[tokio::test]
async fn withdrawing_one_recipients_link_stops_only_theirs() {
    let app = spawn_app().await;
    let sent = send_csv(&app, SECTIONS).await;
    let sam_token = with_delegate(&app, &sent).await;

    let revoked = act(&app, &sent.procurement, &sent, "revoke", "sam@vendor.test").await;

    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(open_with(&app, &sam_token).await, StatusCode::GONE);
    assert_eq!(open_with(&app, &sent.token).await, StatusCode::NO_CONTENT);
    let sam = recipients(&app, &sent)
        .await
        .into_iter()
        .find(|i| i.recipient_email == "sam@vendor.test")
        .expect("Sam's link is still listed");
    assert_eq!(sam.status, RecipientStatus::Revoked);
    // Withdrawn links can be sent again while the vendor answers.
    let again = act(&app, &sent.procurement, &sent, "resend", "sam@vendor.test").await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        live_link(&app, &sent, "sam@vendor.test").await.status,
        RecipientStatus::Queued
    );
}

#[tokio::test]
async fn a_recipient_is_not_sent_a_new_link_once_the_vendor_has_submitted() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let vera = vendor_session(&app, &sent.token).await;
    assert_eq!(
        put_answer(&app, &vera, "q_encrypt", "no", 0).await.status(),
        StatusCode::OK
    );
    let submitted = post_with(&vera, &app.url("/api/portal/submit"), &json!({})).await;
    assert_eq!(submitted.status(), StatusCode::OK, "setup: submitted");

    let resent = act(&app, &sent.procurement, &sent, "resend", "vera@vendor.test").await;

    assert_eq!(resent.status(), StatusCode::CONFLICT);
    let error: ErrorResponse = resent.json().await.expect("error body");
    assert_eq!(error.error.code, "not_with_vendor");
    assert_eq!(recipients(&app, &sent).await.len(), 1, "no link was made");
}

#[tokio::test]
async fn an_address_the_assessment_was_not_sent_to_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let sent = send(&app).await;

    for (action, address) in [
        ("resend", "nobody@vendor.test"),
        ("revoke", "nobody@vendor.test"),
        ("resend", "not an address"),
    ] {
        let response = act(&app, &sent.procurement, &sent, action, address).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{action} {address}"
        );
        let error: ErrorResponse = response.json().await.expect("error body");
        assert_eq!(
            error.error.field.as_deref(),
            Some("email"),
            "{action} {address}"
        );
    }
    assert_eq!(
        open_with(&app, &sent.token).await,
        StatusCode::NO_CONTENT,
        "Vera's link is untouched"
    );
}

#[tokio::test]
async fn another_organisations_assessment_is_not_found() {
    let app = spawn_app().await;
    let acme = send(&app).await;
    let globex = send_in(&app, "Globex", crate::assessments::CSV, "csv").await;

    for action in ["resend", "revoke"] {
        let response = act(&app, &globex.procurement, &acme, action, "vera@vendor.test").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{action}");
    }
    assert_eq!(
        open_with(&app, &acme.token).await,
        StatusCode::NO_CONTENT,
        "Acme's link is untouched"
    );
}

#[tokio::test]
async fn a_role_that_cannot_send_assessments_can_neither_resend_nor_withdraw() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    app.create_user("Acme", "risk@acme.test", Role::RiskManager)
        .await;
    app.create_user("Acme", "auditor@acme.test", Role::Auditor)
        .await;

    for who in ["risk@acme.test", "auditor@acme.test"] {
        let client = app.signed_in(who).await;
        for action in ["resend", "revoke"] {
            let response = act(&app, &client, &sent, action, "vera@vendor.test").await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{who} {action}");
        }
    }
    assert_eq!(recipients(&app, &sent).await.len(), 1, "nothing changed");
}

#[tokio::test]
async fn resending_and_withdrawing_one_recipient_are_audited_with_the_address() {
    let app = spawn_app().await;
    let sent = send(&app).await;

    let resent = act(&app, &sent.procurement, &sent, "resend", "vera@vendor.test").await;
    let revoked = act(&app, &sent.procurement, &sent, "revoke", "vera@vendor.test").await;

    assert_eq!(resent.status(), StatusCode::OK);
    assert_eq!(revoked.status(), StatusCode::OK);
    let admin = app.signed_in("admin@acme.test").await;
    let audit = app.audit_log(&admin).await;
    let entry = |action: &str| {
        audit
            .iter()
            .find(|e| e.action == action)
            .unwrap_or_else(|| panic!("an {action} entry"))
            .clone()
    };
    let resend = entry("assessment.recipient_resent");
    assert_eq!(resend.actor, "pro@acme.test");
    assert_eq!(
        resend.target_id.as_deref(),
        Some(sent.assessment.id.to_string().as_str())
    );
    assert_eq!(resend.detail["email"], "vera@vendor.test");
    assert_eq!(resend.detail["links"], 1);
    let revoke = entry("assessment.recipient_links_revoked");
    assert_eq!(revoke.detail["email"], "vera@vendor.test");
    assert_eq!(revoke.detail["links"], 1, "the resent link");
}

#[tokio::test]
async fn several_resends_at_once_leave_exactly_one_live_link_per_address_and_scope() {
    let app = spawn_app().await;
    let sent = send_csv(&app, SECTIONS).await;
    with_delegate(&app, &sent).await;

    let mut tasks = Vec::new();
    for n in 0..6 {
        let (client, url) = (
            sent.procurement.clone(),
            app.url(&format!(
                "/api/assessments/{}/recipients/resend",
                sent.assessment.id
            )),
        );
        let email = if n % 2 == 0 {
            "vera@vendor.test"
        } else {
            "sam@vendor.test"
        };
        tasks.push(tokio::spawn(async move {
            post_with(&client, &url, &json!({ "email": email }))
                .await
                .status()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("the request task"));
    }

    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "every resend went through, none failed: {statuses:?}"
    );
    for email in ["vera@vendor.test", "sam@vendor.test"] {
        let live = invitation::Entity::find()
            .filter(invitation::Column::AssessmentId.eq(sent.assessment.id))
            .filter(invitation::Column::RecipientEmail.eq(email))
            .filter(invitation::Column::RevokedAt.is_null())
            .all(&app.db)
            .await
            .expect("query");
        assert_eq!(live.len(), 1, "one live link to {email}: {live:?}");
        assert!(live[0].outbox_id.is_some(), "its email is recorded");
    }
    let token = emailed_token(&app, "vera@vendor.test").await;
    vendor_session(&app, &token).await;
}

#[tokio::test]
async fn the_assessments_list_carries_the_decision_once_made() {
    let app = spawn_app().await;
    let s = crate::review::submitted(&app).await;
    let list = |client: reqwest::Client, query: String| {
        let url = app.url(&format!("/api/assessments?{query}"));
        async move {
            let page: CursorPage<AssessmentSummary> = get_with(&client, &url)
                .await
                .json()
                .await
                .expect("the list");
            page.items
        }
    };
    let before = list(s.risk.clone(), String::new()).await;
    assert_eq!(before[0].decision, None, "not decided yet");

    s.decide(
        &app,
        &json!({ "outcome": "rejected", "rationale": "No MFA for administrators." }),
    )
    .await;

    let all = list(s.risk.clone(), String::new()).await;
    let vendors = list(
        s.risk.clone(),
        format!("vendor_id={}", s.sent.assessment.vendor_id),
    )
    .await;
    assert_eq!(all[0].decision, Some(DecisionOutcome::Rejected));
    assert_eq!(
        vendors[0].decision,
        Some(DecisionOutcome::Rejected),
        "the vendor page's list"
    );
}

#[tokio::test]
async fn the_assessment_page_reads_every_recipients_delivery_in_the_same_statements() {
    let app = spawn_app().await;
    let sent = send(&app).await;
    let path = app.url(&format!("/api/assessments/{}", sent.assessment.id));
    let cost = || async {
        let before = app.queries.get();
        let response = get_with(&sent.procurement, &path).await;
        assert_eq!(response.status(), StatusCode::OK);
        app.queries.get() - before
    };
    let _warm = cost().await;
    let one = cost().await;
    for _ in 0..5 {
        let resent = act(&app, &sent.procurement, &sent, "resend", "vera@vendor.test").await;
        assert_eq!(resent.status(), StatusCode::OK, "setup: resent");
    }
    assert_eq!(recipients(&app, &sent).await.len(), 6, "setup: six links");

    let six = cost().await;

    assert_eq!(
        six, one,
        "six links with their emails cost {six} statements, one cost {one}: delivery is read per link"
    );
}
