//! The isolation matrix of the vendor lifecycle: two organisations, three vendors, every
//! endpoint that names a vendor, template, assessment or evidence file, and every kind of
//! principal (each role of the other organisation, each vendor session, a delegate).
//! Nobody reaches what is not theirs: a foreign object answers exactly like a missing one
//! (404), and no response carries any of its data.

use assay_core::access::Role;
use assay_core::api::{AssessmentView, EvidenceView, TemplateView, VendorSummary, VendorView};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::assessments::emailed_token;
use crate::helpers::{TestApp, get_with, new_client, post_with, spawn_app};

const CSV: &str = "section,type,id,text,required,condition\n\
,section,sec_a,Encryption,false,\n\
Encryption,yes_no,q_encrypt,Do you encrypt customer data at rest?,true,\n\
Encryption,evidence,q_report,Upload your report,false,\n\
,section,sec_b,Breach notification,false,\n\
Breach notification,duration_hours,q_notify,Hours to notify us,true,\n\
Breach notification,evidence,q_plan,Upload your incident plan,false,\n";

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

/// One vendor with an assessment sent to it, its contact's session and one evidence file.
struct Sent {
    vendor: VendorView,
    assessment: AssessmentView,
    contact: reqwest::Client,
    evidence: EvidenceView,
}

struct Org {
    procurement: reqwest::Client,
    template: TemplateView,
}

async fn org(app: &TestApp, name: &str, domain: &str) -> Org {
    for (email, role) in [
        (format!("admin@{domain}"), Role::Admin),
        (format!("pro@{domain}"), Role::Procurement),
        (format!("risk@{domain}"), Role::RiskManager),
        (format!("audit@{domain}"), Role::Auditor),
    ] {
        app.create_user(name, &email, role).await;
    }
    let procurement = app.signed_in(&format!("pro@{domain}")).await;
    let template: TemplateView = post_with(
        &procurement,
        &app.url("/api/templates"),
        &json!({ "content": CSV, "format": "csv", "title": format!("{name} private questionnaire") }),
    )
    .await
    .json()
    .await
    .expect("template");
    let published = post_with(
        &procurement,
        &app.url(&format!("/api/templates/{}/publish", template.id)),
        &json!({}),
    )
    .await;
    assert_eq!(published.status(), StatusCode::OK, "setup: published");
    Org {
        procurement,
        template,
    }
}

async fn open(app: &TestApp, token: &str) -> reqwest::Client {
    let client = new_client();
    let opened = post_with(
        &client,
        &app.url("/api/portal/session"),
        &json!({ "token": token }),
    )
    .await;
    assert_eq!(
        opened.status(),
        StatusCode::NO_CONTENT,
        "setup: portal opens"
    );
    client
}

async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    question: &str,
    marker: &str,
) -> EvidenceView {
    // Distinct contents per vendor, so each file's SHA-256 is its own.
    let mut bytes = PDF.to_vec();
    bytes.extend_from_slice(format!("% {marker}\n").as_bytes());
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("secret.pdf"),
        )
        .text("question_id", question.to_owned());
    let response = client
        .post(app.url("/api/portal/evidence"))
        .header("sec-fetch-site", "same-origin")
        .multipart(form)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::CREATED, "setup: uploaded");
    response.json().await.expect("evidence")
}

async fn send(app: &TestApp, org: &Org, legal_name: &str, contact: &str) -> Sent {
    let vendor: VendorView = post_with(
        &org.procurement,
        &app.url("/api/vendors"),
        &json!({ "legal_name": legal_name, "system_access": "read_only", "criticality": "high",
                 "contacts": [{ "name": "Contact", "email": contact }] }),
    )
    .await
    .json()
    .await
    .expect("vendor");
    let response = post_with(
        &org.procurement,
        &app.url("/api/assessments"),
        &json!({ "vendor_id": vendor.id, "template_id": org.template.id, "due_date": "2099-01-31",
                 "recipients": [{ "name": "Contact", "email": contact }] }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED, "setup: sent");
    let assessment: AssessmentView = response.json().await.expect("assessment");
    let client = open(app, &emailed_token(app, contact).await).await;
    let saved = client
        .put(app.url("/api/portal/answers/q_encrypt"))
        .json(&json!({ "value": "yes", "version": 0 }))
        .send()
        .await
        .expect("request");
    assert_eq!(saved.status(), StatusCode::OK, "setup: answered");
    let evidence = upload(app, &client, "q_report", legal_name).await;
    Sent {
        vendor,
        assessment,
        contact: client,
        evidence,
    }
}

type Request = (Method, String, Option<Value>);

/// Every request that names one of `sent`'s objects, as a principal would send it.
fn requests(sent: &Sent, template: &TemplateView) -> Vec<Request> {
    requests_for(
        sent.vendor.id,
        sent.assessment.id,
        sent.evidence.id,
        template.id,
    )
}

/// The same requests for objects that do not exist.
fn missing() -> Vec<Request> {
    let id = uuid::Uuid::now_v7;
    requests_for(id(), id(), id(), id())
}

fn requests_for(v: uuid::Uuid, a: uuid::Uuid, e: uuid::Uuid, t: uuid::Uuid) -> Vec<Request> {
    vec![
        (Method::GET, format!("/api/vendors/{v}"), None),
        (
            Method::PATCH,
            format!("/api/vendors/{v}"),
            Some(json!({ "legal_name": "Hijacked" })),
        ),
        (Method::DELETE, format!("/api/vendors/{v}"), None),
        (
            Method::PUT,
            format!("/api/vendors/{v}/contract"),
            Some(json!({ "breach_notification_hours": 999 })),
        ),
        (Method::GET, format!("/api/assessments/{a}"), None),
        (
            Method::PATCH,
            format!("/api/assessments/{a}"),
            Some(json!({ "due_date": "2099-12-31" })),
        ),
        (
            Method::POST,
            format!("/api/assessments/{a}/resend"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/api/assessments/{a}/revoke"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/api/assessments/{a}/cancel"),
            Some(json!({})),
        ),
        (Method::GET, format!("/api/evidence/{e}"), None),
        (Method::GET, format!("/api/portal/evidence/{e}"), None),
        (Method::GET, format!("/api/templates/{t}"), None),
        (
            Method::POST,
            format!("/api/templates/{t}/publish"),
            Some(json!({})),
        ),
        (
            Method::PUT,
            format!("/api/templates/{t}/draft"),
            Some(json!({ "title": "Hijacked", "items": [
            { "type": "question", "id": "q1", "text": "A?", "kind": { "kind": "yes_no" } } ] })),
        ),
        (Method::DELETE, format!("/api/portal/evidence/{e}"), None),
    ]
}

async fn call(
    app: &TestApp,
    client: &reqwest::Client,
    (method, path, body): &Request,
) -> (StatusCode, String) {
    let mut request = client
        .request(method.clone(), app.url(path))
        .header("sec-fetch-site", "same-origin");
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let body = response.text().await.expect("body");
    // Request ids differ by construction; everything else must not.
    let body = body
        .split("\"request_id\"")
        .next()
        .unwrap_or_default()
        .to_owned();
    (status, body)
}

/// `client`'s answers on `foreign` must be exactly its answers on missing objects, and
/// never show any of `secrets`.
async fn assert_like_missing(
    app: &TestApp,
    who: &str,
    client: &reqwest::Client,
    foreign: Vec<Request>,
    secrets: &[String],
) {
    for (request, absent) in foreign.iter().zip(missing()) {
        let (status, body) = call(app, client, request).await;
        let (missing_status, missing_body) = call(app, client, &absent).await;
        assert_eq!(
            (status, &body),
            (missing_status, &missing_body),
            "{who}: {} {} differs from a missing object",
            request.0,
            request.1
        );
        assert!(
            matches!(
                status,
                StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
            ),
            "{who}: {} {} answered {status}",
            request.0,
            request.1
        );
        assert_reveals_nothing(who, &request.1, &body, secrets);
    }
}

/// What a response must never contain of `sent`.
fn secrets(sent: &Sent, template: &TemplateView) -> Vec<String> {
    vec![
        sent.vendor.legal_name.clone(),
        sent.assessment.id.to_string(),
        sent.evidence.sha256.clone(),
        template.title.clone(),
        "%PDF".to_owned(),
    ]
}

fn assert_reveals_nothing(who: &str, path: &str, body: &str, secrets: &[String]) {
    for secret in secrets {
        assert!(
            !body.contains(secret.as_str()),
            "{who} on {path}: the body shows `{secret}`: {body}"
        );
    }
}

#[tokio::test]
async fn nobody_reaches_another_organisations_or_another_vendors_objects() {
    let app = spawn_app().await;
    let alpha = org(&app, "Alpha", "alpha.test").await;
    let beta = org(&app, "Beta", "beta.test").await;
    let a1 = send(
        &app,
        &alpha,
        "Alpha Secret Vendor One",
        "one@vendor-a1.test",
    )
    .await;
    let a2 = send(
        &app,
        &alpha,
        "Alpha Secret Vendor Two",
        "two@vendor-a2.test",
    )
    .await;
    let b1 = send(&app, &beta, "Beta Secret Vendor", "three@vendor-b1.test").await;
    // A delegate of A1's breach section.
    let delegated = post_with(
        &a1.contact,
        &app.url("/api/portal/delegations"),
        &json!({ "section_id": "sec_b", "name": "Del", "email": "del@vendor-a1.test" }),
    )
    .await;
    assert_eq!(delegated.status(), StatusCode::CREATED, "setup: delegated");
    let delegate = open(&app, &emailed_token(&app, "del@vendor-a1.test").await).await;

    let mut beta_users = Vec::new();
    for role in ["admin", "pro", "risk", "audit"] {
        beta_users.push((
            format!("beta {role}"),
            app.signed_in(&format!("{role}@beta.test")).await,
        ));
    }

    // 1. Every Beta user, on every Alpha object: exactly like a missing object (404, or
    //    the 403 their role gets for that action anywhere; 401 on vendor endpoints).
    for sent in [&a1, &a2] {
        let secrets = secrets(sent, &alpha.template);
        for (who, client) in &beta_users {
            assert_like_missing(&app, who, client, requests(sent, &alpha.template), &secrets).await;
        }
    }
    // Beta's admin and procurement, who may do all of it in their own organisation, get
    // 404 for every client endpoint.
    for (who, client) in beta_users.iter().take(2) {
        for request in requests(&a1, &alpha.template) {
            if request.1.starts_with("/api/portal/") {
                continue;
            }
            let (status, _) = call(&app, client, &request).await;
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "{who}: {} {}",
                request.0,
                request.1
            );
        }
    }

    // 2. Vendor sessions (another vendor of the same organisation, another organisation's
    //    vendor, and a delegate) on client endpoints and on other assessments' files.
    let vendors = [
        ("vendor A2 on A1", &a2.contact, &a1),
        ("vendor B1 on A1", &b1.contact, &a1),
        ("vendor A1 on B1", &a1.contact, &b1),
        ("delegate of A1 on A2", &delegate, &a2),
        ("delegate of A1 on B1", &delegate, &b1),
    ];
    for (who, client, target) in vendors {
        let template = if target.vendor.id == b1.vendor.id {
            &beta.template
        } else {
            &alpha.template
        };
        let secrets = secrets(target, template);
        assert_like_missing(&app, who, client, requests(target, template), &secrets).await;
        for request in requests(target, template) {
            let (status, _) = call(&app, client, &request).await;
            let expected = if request.1.starts_with("/api/portal/") {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::UNAUTHORIZED // vendor sessions never reach client endpoints
            };
            assert_eq!(status, expected, "{who}: {} {}", request.0, request.1);
        }
    }
    // The delegate does not reach its own assessment's file outside its section either.
    let (status, body) = call(
        &app,
        &delegate,
        &(
            Method::GET,
            format!("/api/portal/evidence/{}", a1.evidence.id),
            None,
        ),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "delegate on A1's other section"
    );
    assert!(!body.contains("%PDF"));

    // 3. Lists and the portal show only what is the principal's own.
    for (who, client) in &beta_users {
        for path in [
            "/api/vendors",
            "/api/assessments",
            "/api/templates",
            "/api/outbox",
        ] {
            let (_, body) = call(&app, client, &(Method::GET, path.to_owned(), None)).await;
            for sent in [&a1, &a2] {
                assert_reveals_nothing(who, path, &body, &secrets(sent, &alpha.template));
            }
        }
    }
    for (who, client, own, others) in [
        ("vendor A1", &a1.contact, &a1, vec![&a2, &b1]),
        ("vendor A2", &a2.contact, &a2, vec![&a1, &b1]),
        ("vendor B1", &b1.contact, &b1, vec![&a1, &a2]),
    ] {
        let (status, body) = call(
            &app,
            client,
            &(Method::GET, "/api/portal/assessment".to_owned(), None),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{who}");
        assert!(
            body.contains(&own.assessment.id.to_string()),
            "{who} sees its own"
        );
        for other in others {
            assert!(
                !body.contains(&other.assessment.id.to_string()),
                "{who} sees another assessment"
            );
            assert!(
                !body.contains(&other.evidence.id.to_string()),
                "{who} sees another file"
            );
        }
    }

    // 4. Foreign ids in a body are refused without saying whether they exist.
    let foreign_send = post_with(
        &beta.procurement,
        &app.url("/api/assessments"),
        &json!({ "vendor_id": a1.vendor.id, "template_id": alpha.template.id, "due_date": "2099-01-31",
                 "recipients": [{ "name": "X", "email": "x@beta.test" }] }),
    )
    .await;
    assert_eq!(foreign_send.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_reveals_nothing(
        "beta procurement",
        "/api/assessments",
        &foreign_send.text().await.expect("body"),
        &secrets(&a1, &alpha.template),
    );

    // 5. Nothing above changed Alpha's objects.
    let alpha_pro = &alpha.procurement;
    let still: VendorView = get_with(
        alpha_pro,
        &app.url(&format!("/api/vendors/{}", a1.vendor.id)),
    )
    .await
    .json()
    .await
    .expect("vendor");
    assert_eq!(still.legal_name, "Alpha Secret Vendor One");
    assert!(
        still
            .contract
            .is_none_or(|c| c.terms.breach_notification_hours != Some(999.0))
    );
    let listed: assay_core::api::CursorPage<VendorSummary> =
        get_with(alpha_pro, &app.url("/api/vendors"))
            .await
            .json()
            .await
            .expect("vendors");
    assert_eq!(listed.total, 2, "neither Alpha vendor was archived");
    for sent in [&a1, &a2] {
        let seen: AssessmentView = get_with(
            alpha_pro,
            &app.url(&format!("/api/assessments/{}", sent.assessment.id)),
        )
        .await
        .json()
        .await
        .expect("assessment");
        assert_eq!(
            seen.status,
            assay_core::assessment::AssessmentStatus::InProgress,
            "not cancelled"
        );
        assert_eq!(seen.due_date, "2099-01-31", "due date untouched");
        assert!(
            seen.invitations.iter().any(|i| !i.revoked),
            "links untouched"
        );
    }
}
