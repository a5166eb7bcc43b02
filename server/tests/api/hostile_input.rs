//! Input sent to break the server: nesting deep enough to overflow a recursive parser,
//! patterns that make a backtracking matcher run for seconds, control characters and
//! text-direction overrides in names, and LIKE wildcards in searches. Each gets a clear
//! 4xx (or a correct, quick answer) and the server keeps answering everyone else.

use assay_core::access::Role;
use assay_core::api::{CursorPage, ErrorResponse, TemplateView, VendorSummary};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::assessments::{put_answer, send_csv, vendor_session};
use crate::helpers::{TestApp, get_with, post_with, spawn_app};

async fn import(
    app: &TestApp,
    client: &reqwest::Client,
    content: &str,
    format: &str,
) -> reqwest::Response {
    post_with(
        client,
        &app.url("/api/templates"),
        &json!({ "content": content, "format": format, "title": "Hostile" }),
    )
    .await
}

async fn still_answers(app: &TestApp, after: &str) {
    let health = get_with(&app.client, &app.url("/api/health")).await;
    assert_eq!(
        health.status(),
        StatusCode::OK,
        "the server must keep answering after {after}"
    );
}

#[tokio::test]
async fn deeply_nested_conditions_and_imports_are_refused_and_the_server_keeps_answering() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    let cases = [
        (
            "1,500 `!` before an id",
            format!(
                "type,id,text,required,condition\nyes_no,a,A?,true,\nyes_no,b,B?,true,{}a\n",
                "!".repeat(1_500)
            ),
            "csv",
        ),
        (
            "10,000 `!` before an id",
            format!(
                "type,id,text,required,condition\nyes_no,a,A?,true,\nyes_no,b,B?,true,{}a\n",
                "!".repeat(10_000)
            ),
            "csv",
        ),
        (
            "300,000 nested parentheses",
            format!(
                "type,id,text,required,condition\nyes_no,a,A?,true,\nyes_no,b,B?,true,{}a{}\n",
                "(".repeat(300_000),
                ")".repeat(300_000)
            ),
            "csv",
        ),
        ("JSON nested 100,000 deep", "[".repeat(100_000), "json"),
        (
            "VSAQ nested 100,000 deep",
            format!("{{\"questionnaire\": {}", "[".repeat(100_000)),
            "vsaq",
        ),
    ];
    for (what, content, format) in cases {
        let response = import(&app, &pro, &content, format).await;
        let status = response.status();
        assert!(
            status.is_client_error(),
            "{what}: expected a 4xx, got {status}"
        );
        let error: ErrorResponse = response.json().await.expect("an error body");
        assert!(
            !error.error.message.is_empty(),
            "{what}: the error says what is wrong"
        );
        still_answers(&app, what).await;
    }

    // The editor's draft takes a whole template as JSON: the same limit applies there, and
    // the message names the position.
    let csv = "type,id,text,required,condition\nyes_no,a,A?,true,\nyes_no,b,B?,true,a/yes\n";
    let template: TemplateView = import(&app, &pro, csv, "csv")
        .await
        .json()
        .await
        .expect("template");
    let template: TemplateView =
        get_with(&pro, &app.url(&format!("/api/templates/{}", template.id)))
            .await
            .json()
            .await
            .expect("template");
    let mut draft: Value = template.draft.expect("a single template carries its draft");
    draft["items"][1]["condition"] = json!(format!("{}a", "!".repeat(1_500)));
    let response = pro
        .put(app.url(&format!("/api/templates/{}/draft", template.id)))
        .json(&draft)
        .send()
        .await
        .expect("request");
    assert!(
        response.status().is_client_error(),
        "a draft with a condition nested too deeply is refused: {}",
        response.status()
    );
    let body = response.text().await.expect("body");
    assert!(
        body.contains("nested") && body.contains("position"),
        "the message says what is too deep and where: {body}"
    );
    still_answers(&app, "a deep draft").await;
}

#[tokio::test]
async fn a_catastrophic_pattern_is_evaluated_correctly_and_the_server_stays_responsive() {
    let app = spawn_app().await;
    let csv = "type,id,text,required,condition\n\
short_text,q_name,Your product's name?,true,\n\
yes_no,q_hidden,Shown only for names like a*c?,true,\"matches(q_name, \"\"a*a*a*a*a*a*a*c\"\")\"\n";
    let sent = send_csv(&app, csv).await;
    let vendor = vendor_session(&app, &sent.token).await;
    let answer = format!("{}b", "a".repeat(40));
    let saved = put_answer(&app, &vendor, "q_name", &answer, 0).await;
    assert_eq!(saved.status(), StatusCode::OK);
    // Opening and submitting evaluate the condition; with a backtracking matcher each
    // took many seconds and held up other requests, including health checks.
    let (portal_url, health_url) = (app.url("/api/portal/assessment"), app.url("/api/health"));
    let (portal, health) = tokio::join!(
        get_with(&vendor, &portal_url),
        get_with(&app.client, &health_url),
    );
    assert_eq!(portal.status(), StatusCode::OK);
    assert_eq!(health.status(), StatusCode::OK);
    let submitted = post_with(&vendor, &app.url("/api/portal/submit"), &json!({})).await;
    assert_eq!(
        submitted.status(),
        StatusCode::OK,
        "the pattern does not match, so the required follow-up is hidden and not missing"
    );
}

#[tokio::test]
async fn names_with_control_characters_or_direction_overrides_and_oversized_roles_are_refused() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    let vendor = |name: &str, role: &str| {
        json!({ "legal_name": name, "system_access": "none", "criticality": "low",
                "contacts": [{ "name": "Ana", "email": "ana@v.test", "role": role }] })
    };
    for (what, body, field) in [
        (
            "a NUL in the name",
            vendor("Acme\u{0}Corp", "CISO"),
            "legal_name",
        ),
        (
            "a right-to-left override in the name",
            vendor("Invoice\u{202E}fdp.exe", "CISO"),
            "legal_name",
        ),
        (
            "an escape sequence in the name",
            vendor("\u{1b}[31mRed", "CISO"),
            "legal_name",
        ),
        (
            "a 100,000-character role",
            vendor("Fine Ltd", &"r".repeat(100_000)),
            "contacts",
        ),
    ] {
        let response = post_with(&pro, &app.url("/api/vendors"), &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what} is refused"
        );
        let error: ErrorResponse = response.json().await.expect("error");
        assert_eq!(error.error.field.as_deref(), Some(field), "{what}");
    }
    let page: CursorPage<VendorSummary> = get_with(&pro, &app.url("/api/vendors"))
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(page.total, 0, "nothing refused was stored");
}

#[tokio::test]
async fn searching_for_wildcards_finds_them_literally() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    for name in ["100% Cloud", "Other_Name Ltd", "Plain Vendor"] {
        let created = post_with(
            &pro,
            &app.url("/api/vendors"),
            &json!({ "legal_name": name, "system_access": "none", "criticality": "low" }),
        )
        .await;
        assert_eq!(created.status(), StatusCode::CREATED);
    }
    let names = |query: &'static str| {
        let pro = pro.clone();
        let url = app.url(&format!("/api/vendors?q={query}"));
        async move {
            let page: CursorPage<VendorSummary> =
                get_with(&pro, &url).await.json().await.expect("page");
            page.items
                .into_iter()
                .map(|v| v.legal_name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        names("%25").await,
        ["100% Cloud"],
        "q=% matches a per cent sign only"
    );
    assert_eq!(
        names("_").await,
        ["Other_Name Ltd"],
        "q=_ matches an underscore only"
    );
    assert_eq!(
        names("%5C").await,
        Vec::<String>::new(),
        "a backslash matches nothing here"
    );
    assert_eq!(names("plain").await, ["Plain Vendor"]);
}
