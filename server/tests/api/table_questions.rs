//! Table questions (#17): a vendor answers rows of typed cells (here, the subprocessors
//! they rely on) through the portal; each cell is checked as an answer of its kind, a bad
//! one refused naming its row and column, hostile bodies refused with a 4xx, and the rows
//! read as words in the exports.

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::assessments::{put_answer, send_template, vendor_session};
use crate::helpers::{get_with, post_with, spawn_app};

const TEMPLATE: &str = r#"{
  "title": "Fourth parties",
  "items": [{ "type": "section", "id": "s", "title": "Subprocessors", "items": [
    { "type": "question", "id": "subs", "text": "Which subprocessors process our data?", "required": true,
      "kind": { "kind": "table", "max_rows": 3, "columns": [
        { "id": "name", "label": "Name", "kind": { "kind": "short_text" }, "required": true },
        { "id": "country", "label": "Country", "kind": { "kind": "country" } },
        { "id": "mechanism", "label": "Transfer mechanism", "kind": { "kind": "single_choice", "choices": [
          { "id": "scc", "label": "Standard Contractual Clauses" }, { "id": "none", "label": "None" } ] } }
      ] } }
  ] }]
}"#;

#[tokio::test]
async fn a_vendor_answers_a_table_row_by_row_and_the_exports_read_it() {
    let app = spawn_app().await;
    let sent = send_template(&app, TEMPLATE, "json").await;
    let vendor = vendor_session(&app, &sent.token).await;

    let rows = json!([
        { "name": "Amazon Web Services", "country": "ie", "mechanism": "scc" },
        { "name": "Offshore Support", "country": "IN", "mechanism": "none" },
        { "name": "", "country": "" }
    ]);
    let saved = put_answer(&app, &vendor, "subs", &rows.to_string(), 0).await;
    assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);

    // A bad cell is refused naming its row and column; the saved rows stay.
    let bad = json!([{ "name": "Cloud", "country": "Atlantis" }]);
    let refused = put_answer(&app, &vendor, "subs", &bad.to_string(), 1).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.expect("error body");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("Row 1, Country:"), "{body}");
    assert_eq!(body["error"]["field"], "value", "{body}");
    let missing = json!([{ "country": "DE" }]);
    let refused = put_answer(&app, &vendor, "subs", &missing.to_string(), 1).await;
    let body: Value = refused.json().await.expect("error body");
    assert_eq!(body["error"]["message"], "Row 1: fill in Name.", "{body}");
    let too_many = json!([{ "name": "A" }, { "name": "B" }, { "name": "C" }, { "name": "D" }]);
    let refused = put_answer(&app, &vendor, "subs", &too_many.to_string(), 1).await;
    let body: Value = refused.json().await.expect("error body");
    assert_eq!(body["error"]["message"], "At most 3 rows.", "{body}");

    // Hostile bodies: a clear 4xx, and the server keeps answering.
    let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    for hostile in [
        deep.as_str(),
        r#"[{"name":{"$gt":""}}]"#,
        r#"[{"name":"A\u0000B"}]"#,
        "not json at all",
    ] {
        let response = put_answer(&app, &vendor, "subs", hostile, 1).await;
        assert!(
            response.status().is_client_error(),
            "{:.40}: {}",
            hostile,
            response.status()
        );
    }

    let portal: Value = get_with(&vendor, &app.url("/api/portal/assessment"))
        .await
        .json()
        .await
        .expect("the portal's questionnaire");
    let stored = portal["answers"]["subs"]["value"]
        .as_str()
        .unwrap_or_default();
    let rows: Vec<Value> = serde_json::from_str(stored).expect("rows");
    assert_eq!(rows.len(), 2, "the empty row was dropped: {stored}");
    assert_eq!(rows[0]["country"], "IE", "cells are stored canonically");

    // The answers workbook shows the rows as words, and says to fill tables in the portal.
    let bytes = get_with(&vendor, &app.url("/api/portal/answers.xlsx"))
        .await
        .bytes()
        .await
        .expect("the workbook");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    let sheet = book.worksheet_range("Answers").expect("the Answers sheet");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(Data::to_string).collect())
        .collect();
    let row = rows
        .iter()
        .find(|r| r[0] == "subs")
        .expect("the table's row");
    let line = row.join(" | ");
    assert!(
        line.contains("Name: Amazon Web Services, Country: Ireland, Transfer mechanism: Standard Contractual Clauses; Name: Offshore Support, Country: India, Transfer mechanism: None"),
        "the rows read as words, labels not ids: {line}"
    );
    assert!(line.contains("fill them in in the portal"), "{line}");

    let submitted = post_with(&vendor, &app.url("/api/portal/submit"), &json!({})).await;
    assert!(
        submitted.status().is_success(),
        "{:?}",
        submitted.text().await
    );
}

#[tokio::test]
async fn a_template_with_a_bad_table_is_refused_naming_the_column() {
    let app = spawn_app().await;
    let sent = send_template(&app, TEMPLATE, "json").await;
    let bad = TEMPLATE.replace(
        r#""kind": { "kind": "country" }"#,
        r#""kind": { "kind": "evidence" }"#,
    );
    let imported = post_with(
        &sent.procurement,
        &app.url("/api/templates"),
        &json!({ "content": bad, "format": "json" }),
    )
    .await;
    assert_eq!(
        imported.status(),
        StatusCode::CREATED,
        "a draft may have problems"
    );
    let id = imported.json::<Value>().await.expect("template")["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let response = post_with(
        &sent.procurement,
        &app.url(&format!("/api/templates/{id}/publish")),
        &json!({}),
    )
    .await;
    let status = response.status();
    let body: Value = response.json().await.expect("body");
    assert!(
        status.is_client_error(),
        "publishing is refused: {status} {body}"
    );
    assert!(
        body.to_string()
            .contains("The column “country” cannot be evidence"),
        "the problem names the column: {body}"
    );
}
