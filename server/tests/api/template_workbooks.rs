//! Templates in and out of Excel: `GET /api/templates/{id}/export.xlsx` and `POST
//! /api/templates` with the workbook itself.

use std::io::{Cursor, Write};

use assay_core::access::Role;
use assay_core::api::{ErrorResponse, TemplateView};
use assay_core::template::Template;
use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};

use crate::helpers::{TestApp, get_with, spawn_app};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn post_workbook(
    client: &reqwest::Client,
    app: &TestApp,
    query: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/templates{query}")))
        .header(CONTENT_TYPE, XLSX)
        .body(bytes)
        .send()
        .await
        .expect("request")
}

async fn baseline_id(app: &TestApp, client: &reqwest::Client) -> uuid::Uuid {
    let list: Vec<TemplateView> = get_with(client, &app.url("/api/templates"))
        .await
        .json()
        .await
        .expect("list");
    list.iter()
        .find(|t| t.built_in)
        .expect("the built-in baseline")
        .id
}

async fn draft_of(app: &TestApp, client: &reqwest::Client, id: uuid::Uuid) -> Template {
    let view: TemplateView = get_with(client, &app.url(&format!("/api/templates/{id}")))
        .await
        .json()
        .await
        .expect("template");
    serde_json::from_value(view.draft.expect("a draft")).expect("a template")
}

async fn export(app: &TestApp, client: &reqwest::Client, id: uuid::Uuid) -> Vec<u8> {
    let response = get_with(
        client,
        &app.url(&format!("/api/templates/{id}/export.xlsx")),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], XLSX);
    let disposition = response.headers()[CONTENT_DISPOSITION]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"template-")
            && disposition.ends_with(".xlsx\""),
        "downloaded as a named workbook: {disposition}"
    );
    response.bytes().await.expect("bytes").to_vec()
}

#[tokio::test]
async fn the_baseline_goes_out_to_excel_and_comes_back_as_the_same_questionnaire_and_scoring() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    let baseline = baseline_id(&app, &pro).await;
    let bytes = export(&app, &pro, baseline).await;

    // What a person opening it in Excel sees: the questions sheet, a header, one row each.
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).expect("a workbook");
    assert_eq!(workbook.sheet_names(), vec!["Questions", "Columns"]);
    let questions = workbook.worksheet_range("Questions").expect("questions");
    let header: Vec<String> = questions
        .rows()
        .next()
        .expect("a header")
        .iter()
        .map(Data::to_string)
        .collect();
    assert_eq!(
        header,
        assay_core::import::sheet::COLUMNS.map(str::to_owned),
        "the columns of the layout"
    );
    let original = draft_of(&app, &pro, baseline).await;
    assert!(
        questions.height() > original.questions().count(),
        "a row per question (and per section)"
    );

    let response = post_workbook(&pro, &app, "?title=Our%20baseline", bytes).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let imported: TemplateView = response.json().await.expect("template");
    assert_eq!(imported.title, "Our baseline");
    assert_eq!(imported.source_format, "xlsx");
    assert!(!imported.built_in, "a draft of the organisation's own");
    let back = draft_of(&app, &pro, imported.id).await;
    assert_eq!(back.items, original.items, "the same questionnaire");
    assert_eq!(
        back.scoring.questions, original.scoring.questions,
        "each question scores as before"
    );
}

/// A one-sheet workbook of string cells.
fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Questions").expect("name");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).expect("cell");
        }
    }
    workbook.save_to_buffer().expect("saves")
}

#[tokio::test]
async fn a_bad_row_is_refused_naming_the_sheet_row_and_column_and_nothing_is_stored() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;
    let bytes = workbook(&[
        &["section", "type", "id", "text", "condition"],
        &["Access", "yes_no", "mfa", "MFA for admins?", ""],
        &["Access", "yes_no", "sso", "SSO?", "mfa/maybe and ("],
    ]);
    let response = post_workbook(&pro, &app, "", bytes).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: ErrorResponse = response.json().await.expect("error body");
    assert_eq!(error.error.field.as_deref(), Some("content"));
    assert!(
        error
            .error
            .message
            .starts_with("sheet “Questions”, row 3, column “condition”, item “sso”: "),
        "the message says where: {}",
        error.error.message
    );
    let list: Vec<TemplateView> = get_with(&pro, &app.url("/api/templates"))
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(list.len(), 1, "only the baseline: nothing half-imported");
}

#[tokio::test]
async fn hostile_workbooks_get_a_clear_4xx_and_the_server_keeps_answering() {
    let app = spawn_app().await;
    app.create_user("Acme", "pro@acme.test", Role::Procurement)
        .await;
    let pro = app.signed_in("pro@acme.test").await;

    // A few kilobytes that expand to 40 MB.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/sharedStrings.xml", options)
        .expect("part");
    let block = vec![b'<'; 1024 * 1024];
    for _ in 0..40 {
        zip.write_all(&block).expect("write");
    }
    let bomb = zip.finish().expect("zip").into_inner();

    // One cell at the sheet's last row: a range reader would allocate a million rows.
    let mut far = rust_xlsxwriter::Workbook::new();
    let sheet = far.add_worksheet();
    sheet.write_string(0, 0, "type").expect("cell");
    sheet.write_string(0, 1, "text").expect("cell");
    sheet
        .write_string(1_048_575, 16_383, "yes_no")
        .expect("cell");
    let far = far.save_to_buffer().expect("saves");

    let cases: Vec<(&str, Vec<u8>, StatusCode)> = vec![
        (
            "text sent as a workbook",
            b"type,text\nyes_no,Q?\n".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "an empty body",
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("a zip bomb", bomb, StatusCode::UNPROCESSABLE_ENTITY),
        (
            "a cell a million rows down",
            far,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "a file over the size limit",
            vec![0u8; 2 * 1024 * 1024],
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            "control characters and a huge cell",
            workbook(&[
                &["type", "id", "text"],
                &["yes_no", "q\u{1}", &"x".repeat(30_000)],
            ]),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (what, bytes, status) in cases {
        let response = post_workbook(&pro, &app, "", bytes).await;
        assert_eq!(response.status(), status, "{what}");
        let error: ErrorResponse = response.json().await.expect("an error body");
        assert!(
            !error.error.message.is_empty(),
            "{what}: a message for people"
        );
        assert_eq!(
            get_with(&pro, &app.url("/api/health")).await.status(),
            StatusCode::OK,
            "the server still answers after {what}"
        );
    }
}

#[tokio::test]
async fn workbooks_imported_at_once_all_land_and_stay_in_their_organisation() {
    let app = spawn_app().await;
    for n in 0..6 {
        app.create_user("Acme", &format!("pro{n}@acme.test"), Role::Procurement)
            .await;
    }
    app.create_user("Acme", "aud@acme.test", Role::Auditor)
        .await;
    app.create_user("Beta", "pro@beta.test", Role::Procurement)
        .await;
    let auditor = app.signed_in("aud@acme.test").await;
    let stranger = app.signed_in("pro@beta.test").await;
    let first = app.signed_in("pro0@acme.test").await;
    let bytes = export(&app, &first, baseline_id(&app, &first).await).await;

    let mut clients = Vec::new();
    for n in 0..6 {
        clients.push(app.signed_in(&format!("pro{n}@acme.test")).await);
    }
    let queries: Vec<String> = (0..clients.len())
        .map(|n| format!("?title=Copy%20{n}"))
        .collect();
    let imports = clients
        .iter()
        .zip(&queries)
        .map(|(client, query)| post_workbook(client, &app, query, bytes.clone()));
    let responses = futures_util::future::join_all(imports).await;
    let mut ids = Vec::new();
    for response in responses {
        assert_eq!(response.status(), StatusCode::CREATED, "every import lands");
        ids.push(response.json::<TemplateView>().await.expect("view").id);
    }
    let list: Vec<TemplateView> = get_with(&first, &app.url("/api/templates"))
        .await
        .json()
        .await
        .expect("list");
    for id in &ids {
        assert!(list.iter().any(|t| t.id == *id), "import {id} is listed");
    }

    assert_eq!(
        post_workbook(&auditor, &app, "", bytes).await.status(),
        StatusCode::FORBIDDEN,
        "an auditor reads templates but does not import them"
    );
    let ours = app.url(&format!("/api/templates/{}/export.xlsx", ids[0]));
    assert_eq!(get_with(&auditor, &ours).await.status(), StatusCode::OK);
    assert_eq!(
        get_with(&stranger, &ours).await.status(),
        StatusCode::NOT_FOUND,
        "another organisation's template is not there for them"
    );
}
