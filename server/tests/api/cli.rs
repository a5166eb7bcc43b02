//! The operator command line, run as a real process.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

fn assay(args: &[&str], data_dir: &std::path::Path, stdin: Option<&str>) -> (bool, Value, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_assay"))
        .args(args)
        .env("ASSAY_DATA_DIR", data_dir)
        .env("ASSAY_PASSWORD_HASH_COST", "fast_insecure")
        .env_remove("ASSAY_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the assay binary runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    let output = child.wait_with_output().expect("finishes");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (
        output.status.success(),
        json,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn vsaq(name: &str) -> String {
    crate::helpers::in_crate(&format!("../../shared/testdata/vsaq/{name}"))
        .display()
        .to_string()
}

#[test]
fn template_inspect_prints_the_summary_as_json() {
    let dir = tempfile::tempdir().expect("dir");

    let (ok, json, stderr) = assay(
        &["template", "inspect", &vsaq("webapp.json")],
        dir.path(),
        None,
    );

    assert!(ok, "{stderr}");
    assert_eq!(json["format"], "vsaq");
    assert_eq!(json["questions"], 73);
    assert_eq!(json["warnings"], 42);
    assert_eq!(json["severities"]["high"], 16);
}

#[test]
fn template_inspect_reads_an_excel_workbook() {
    let dir = tempfile::tempdir().expect("dir");
    let baseline = assay_core::baseline::baseline_template().expect("baseline");
    let bytes =
        assay_server::exports::template_workbook::write_template(&baseline).expect("workbook");
    let file = dir.path().join("baseline.xlsx");
    std::fs::write(&file, bytes).expect("written");

    let (ok, json, stderr) = assay(
        &["template", "inspect", file.to_str().expect("utf-8")],
        dir.path(),
        None,
    );

    assert!(ok, "{stderr}");
    assert_eq!(json["format"], "xlsx", "detected from the contents");
    assert_eq!(
        json["questions"],
        baseline.questions().count(),
        "every question of the baseline"
    );
}

#[test]
fn template_evaluate_lists_visible_questions_and_findings() {
    let dir = tempfile::tempdir().expect("dir");
    let answers = dir.path().join("answers.json");
    std::fs::write(&answers, r#"{"data_warning": "checked"}"#).expect("write");

    let (ok, json, stderr) = assay(
        &[
            "template",
            "evaluate",
            &vsaq("test_template.json"),
            "--answers",
            answers.to_str().expect("utf8"),
        ],
        dir.path(),
        None,
    );

    assert!(ok, "{stderr}");
    assert_eq!(json["visible_questions"][1], "data_warning");
    assert_eq!(json["findings"][0]["id"], "data_tip");
    assert_eq!(json["findings"][0]["severity"], "critical");
}

#[test]
fn a_broken_template_fails_with_the_line() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("broken.json");
    std::fs::write(
        &file,
        "{\n \"questionnaire\": [\n  {\"type\": \"block\",, }\n ]\n}",
    )
    .expect("write");

    let (ok, _, stderr) = assay(
        &[
            "template",
            "inspect",
            file.to_str().expect("utf8"),
            "--format",
            "vsaq",
        ],
        dir.path(),
        None,
    );

    assert!(!ok);
    assert!(stderr.contains("line 3"), "{stderr}");
}

#[test]
fn org_and_user_creation_print_what_was_created() {
    let dir = tempfile::tempdir().expect("dir");

    let (ok, org, stderr) = assay(&["org", "create", "--name", "Acme Corp"], dir.path(), None);
    assert!(ok, "{stderr}");
    assert_eq!(org["slug"], "acme-corp");
    let (ok, user, stderr) = assay(
        &[
            "user",
            "create",
            "--org",
            "acme-corp",
            "--email",
            "Ops@Acme.test",
            "--role",
            "risk_manager",
        ],
        dir.path(),
        Some("a long operator passphrase\n"),
    );
    assert!(ok, "{stderr}");
    assert_eq!(user["email"], "ops@acme.test");
    assert_eq!(user["role"], "risk_manager");
    assert!(
        !user.to_string().contains("passphrase"),
        "the password is never printed"
    );
    let (ok, _, stderr) = assay(
        &[
            "user",
            "create",
            "--org",
            "acme-corp",
            "--email",
            "x@acme.test",
            "--role",
            "root",
        ],
        dir.path(),
        Some("a long operator passphrase\n"),
    );
    assert!(!ok && stderr.contains("root"), "{stderr}");
    let (ok, report, stderr) = assay(&["audit", "verify"], dir.path(), None);
    assert!(ok, "{stderr}");
    assert_eq!(report["intact"], true);
}

/// `assay ARGS` against `app`'s database and data directory; success, stdout and stderr.
fn assay_on(app: &crate::helpers::TestApp, args: &[&str]) -> (bool, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_assay"));
    command
        .args(args)
        .env("ASSAY_DATA_DIR", app.data_dir())
        .env_remove("ASSAY_DATABASE_URL")
        .env_remove("ASSAY_MASTER_KEY");
    if let Some(url) = app.database_url() {
        command.env("ASSAY_DATABASE_URL", url);
    }
    let output = command.output().expect("the assay binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn outbox_read_prints_the_newest_undelivered_email_with_its_link() {
    let app = crate::helpers::spawn_app().await;
    let sent = crate::assessments::send(&app).await;

    let (ok, stdout, stderr) = assay_on(&app, &["outbox", "read", "--to", "Vera@Vendor.test"]);

    assert!(ok, "{stderr}");
    assert!(
        stdout.starts_with(
            "To: vera@vendor.test\nSubject: Acme asks you to complete a security questionnaire\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n\nHello Vera,\n\nAcme asks Vendor Ltd to complete \"Mini\""),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("/portal#token={}\n", sent.token)),
        "the operator can hand the link over: {stdout}"
    );
    let (ok, stdout, stderr) = assay_on(&app, &["outbox", "read", "--to", "nobody@vendor.test"]);
    assert!(!ok, "{stdout}");
    assert!(
        stderr.contains("no undelivered email to nobody@vendor.test"),
        "{stderr}"
    );
}

#[test]
fn outbox_read_never_makes_a_master_key_of_its_own() {
    let dir = tempfile::tempdir().expect("dir");

    let (ok, _, stderr) = assay(
        &["outbox", "read", "--to", "vera@vendor.test"],
        dir.path(),
        None,
    );

    assert!(!ok, "there is nothing it could open");
    assert!(stderr.contains("no master key"), "{stderr}");
    assert!(
        !dir.path().join("master.key").exists(),
        "a new key could only fail to open what the server sealed"
    );
}

#[test]
fn bench_seed_fills_an_empty_database_through_the_services_and_refuses_a_used_one() {
    let dir = tempfile::tempdir().expect("dir");
    let args = [
        "bench",
        "seed",
        "--tenants",
        "2",
        "--vendors",
        "3",
        "--assessments",
        "5",
        "--answered-percent",
        "40",
    ];
    let (ok, json, stderr) = assay(&args, dir.path(), Some("correct horse battery staple\n"));
    assert!(ok, "seeding an empty database works: {stderr}");
    assert_eq!(
        json["assessments"], 10,
        "two tenants of five assessments: {json}"
    );
    assert_eq!(json["vendors"], 6);
    assert_eq!(json["tenants"].as_array().map(Vec::len), Some(2));
    assert!(
        json["answers"].as_u64().unwrap_or_default() > 20,
        "two of every five assessments are answered through the portal's checks: {json}"
    );
    // The audit log the services wrote along the way is intact.
    let (intact, verify, stderr) = assay(&["audit", "verify"], dir.path(), None);
    assert!(intact, "{verify} {stderr}");

    let (again, _, stderr) = assay(&args, dir.path(), Some("correct horse battery staple\n"));
    assert!(!again, "a database with organisations is refused");
    assert!(
        stderr.contains("--force"),
        "and the operator is told how to insist: {stderr}"
    );
}
