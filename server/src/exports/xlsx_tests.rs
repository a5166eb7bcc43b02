// Writes portfolio workbooks and reads them back with calamine, as Excel would open them.

use std::io::Cursor;

use crate::exports::report::{FindingRow, RemediationRow, VendorRow};
use crate::exports::xlsx::PortfolioWorkbook;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

/// Excel's serial number for 2025-03-14 (days since 1899-12-30).
const SERIAL_2025_03_14: f64 = 45730.0;

fn vendor(name: &str, overall: Option<f64>, last_assessed: Option<&str>) -> VendorRow {
    VendorRow {
        vendor: name.into(),
        criticality: "High".into(),
        owner: "Dana Risk".into(),
        tags: "cloud, eu".into(),
        inherent_tier: "High".into(),
        residual_tier: if overall.is_some() {
            "Medium".into()
        } else {
            String::new()
        },
        overall,
        decision: if overall.is_some() {
            "Approved with conditions".into()
        } else {
            String::new()
        },
        last_assessed: last_assessed.map(Into::into),
        open_findings: 2,
        open_incidents: 1,
    }
}

fn finding(vendor: &str, n: usize) -> FindingRow {
    FindingRow {
        vendor: vendor.into(),
        assessment_id: format!("asm_{n:05}"),
        severity: "High".into(),
        kind: "Contract mismatch".into(),
        title: "Breach notification slower than the contract".into(),
        reason: "answered 96, at most 72 required".into(),
        question_id: "breach.hours".into(),
    }
}

fn remediation(committed: Option<&str>) -> RemediationRow {
    RemediationRow {
        vendor: "Acme Cloud Ltd".into(),
        title: "Amend breach notification clause".into(),
        severity: "High".into(),
        status: "Open".into(),
        owner: "Dana Risk".into(),
        due_on: "2025-03-14".into(),
        vendor_committed_on: committed.map(Into::into),
        closure_evidence: String::new(),
    }
}

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).expect("the workbook opens")
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn string(value: &str) -> Data {
    Data::String(value.into())
}

fn assert_date(value: &Data, serial: f64) {
    match value {
        Data::DateTime(date) => assert_eq!(date.as_f64(), serial),
        other => panic!("expected a date, got {other:?}"),
    }
}

#[test]
fn small_portfolio_reads_back_exactly() {
    let mut workbook = PortfolioWorkbook::new().expect("workbook");
    workbook
        .vendor(&vendor("Acme Cloud Ltd", Some(67.8), Some("2025-03-14")))
        .expect("vendor");
    workbook
        .vendor(&vendor("Globex Payroll", None, None))
        .expect("vendor");
    workbook
        .vendor(&vendor("Initech Print", Some(91.25), Some("2024-11-02")))
        .expect("vendor");
    workbook
        .finding(&finding("Acme Cloud Ltd", 1))
        .expect("finding");
    workbook
        .finding(&finding("Initech Print", 2))
        .expect("finding");
    workbook
        .remediation(&remediation(Some("2025-03-14")))
        .expect("remediation");
    workbook
        .remediation(&remediation(None))
        .expect("remediation");
    let mut book = open(workbook.finish().expect("finish"));
    assert_eq!(
        book.sheet_names(),
        ["Vendors", "Findings", "Remediation", "Incidents"]
    );

    let vendors = book.worksheet_range("Vendors").expect("Vendors sheet");
    let headers: Vec<Data> = (0..11).map(|col| cell(&vendors, 0, col)).collect();
    let expected: Vec<Data> = [
        "Vendor",
        "Criticality",
        "Owner",
        "Tags",
        "Inherent tier",
        "Residual tier",
        "Overall score",
        "Decision",
        "Last assessed",
        "Open findings",
        "Open incidents",
    ]
    .map(string)
    .to_vec();
    assert_eq!(headers, expected);
    assert_eq!(vendors.height(), 4);
    assert_eq!(cell(&vendors, 1, 0), string("Acme Cloud Ltd"));
    assert_eq!(cell(&vendors, 1, 6), Data::Float(67.8));
    assert_date(&cell(&vendors, 1, 8), SERIAL_2025_03_14);
    assert_eq!(cell(&vendors, 1, 9), Data::Float(2.0));
    assert_eq!(cell(&vendors, 1, 10), Data::Float(1.0));
    assert_eq!(cell(&vendors, 2, 0), string("Globex Payroll"));
    assert_eq!(cell(&vendors, 2, 5), Data::Empty);
    assert_eq!(cell(&vendors, 2, 6), Data::Empty);
    assert_eq!(cell(&vendors, 2, 8), Data::Empty);
    assert_eq!(cell(&vendors, 3, 6), Data::Float(91.25));

    let findings = book.worksheet_range("Findings").expect("Findings sheet");
    let headers: Vec<Data> = (0..7).map(|col| cell(&findings, 0, col)).collect();
    let expected: Vec<Data> = [
        "Vendor",
        "Assessment",
        "Severity",
        "Kind",
        "Title",
        "Reason",
        "Question",
    ]
    .map(string)
    .to_vec();
    assert_eq!(headers, expected);
    assert_eq!(findings.height(), 3);
    assert_eq!(cell(&findings, 2, 0), string("Initech Print"));
    assert_eq!(
        cell(&findings, 1, 5),
        string("answered 96, at most 72 required")
    );
    assert_eq!(cell(&findings, 1, 6), string("breach.hours"));

    let remediation = book
        .worksheet_range("Remediation")
        .expect("Remediation sheet");
    let headers: Vec<Data> = (0..8).map(|col| cell(&remediation, 0, col)).collect();
    let expected: Vec<Data> = [
        "Vendor",
        "Title",
        "Severity",
        "Status",
        "Owner",
        "Due",
        "Vendor committed",
        "Closure evidence",
    ]
    .map(string)
    .to_vec();
    assert_eq!(headers, expected);
    assert_eq!(remediation.height(), 3);
    assert_eq!(
        cell(&remediation, 1, 1),
        string("Amend breach notification clause")
    );
    assert_date(&cell(&remediation, 1, 5), SERIAL_2025_03_14);
    assert_date(&cell(&remediation, 1, 6), SERIAL_2025_03_14);
    assert_eq!(cell(&remediation, 2, 6), Data::Empty);
    assert_eq!(cell(&remediation, 2, 7), Data::Empty);
}

#[test]
fn rows_may_interleave_across_sheets() {
    let mut workbook = PortfolioWorkbook::new().expect("workbook");
    workbook
        .finding(&finding("Acme Cloud Ltd", 1))
        .expect("finding");
    workbook
        .vendor(&vendor("Acme Cloud Ltd", Some(50.0), None))
        .expect("vendor");
    workbook
        .finding(&finding("Acme Cloud Ltd", 2))
        .expect("finding");
    let mut book = open(workbook.finish().expect("finish"));
    let findings = book.worksheet_range("Findings").expect("Findings sheet");
    assert_eq!(cell(&findings, 1, 1), string("asm_00001"));
    assert_eq!(cell(&findings, 2, 1), string("asm_00002"));
    let vendors = book.worksheet_range("Vendors").expect("Vendors sheet");
    assert_eq!(cell(&vendors, 1, 6), Data::Float(50.0));
}

#[test]
fn text_that_is_not_a_date_is_kept_as_text() {
    let mut workbook = PortfolioWorkbook::new().expect("workbook");
    workbook
        .vendor(&vendor("Acme Cloud Ltd", None, Some("sometime in 2024")))
        .expect("vendor");
    let mut book = open(workbook.finish().expect("finish"));
    let vendors = book.worksheet_range("Vendors").expect("Vendors sheet");
    assert_eq!(cell(&vendors, 1, 8), string("sometime in 2024"));
}

#[test]
fn large_portfolio_streams_to_a_file() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    let mut workbook = PortfolioWorkbook::new_in(dir).expect("workbook");
    for n in 0..10_000 {
        let name = format!("Vendor {n:05}");
        workbook
            .vendor(&vendor(&name, Some(f64::from(n % 100)), Some("2025-03-14")))
            .expect("vendor");
    }
    for n in 0..20_000 {
        workbook
            .finding(&finding(&format!("Vendor {:05}", n / 2), n))
            .expect("finding");
    }
    let path = dir.join("portfolio.xlsx");
    let file = std::fs::File::create(&path).expect("output file");
    workbook
        .finish_to(std::io::BufWriter::new(file))
        .expect("finish");

    let mut book: Xlsx<_> = calamine::open_workbook(&path).expect("the workbook opens");
    let vendors = book.worksheet_range("Vendors").expect("Vendors sheet");
    assert_eq!(vendors.height(), 10_001);
    assert_eq!(cell(&vendors, 10_000, 0), string("Vendor 09999"));
    let findings = book.worksheet_range("Findings").expect("Findings sheet");
    assert_eq!(findings.height(), 20_001);
}

#[test]
fn incidents_have_their_own_sheet_with_empty_cells_for_what_is_not_known() {
    use crate::exports::report::IncidentRow;
    let mut workbook = PortfolioWorkbook::new().expect("workbook");
    let late = IncidentRow {
        vendor: "Acme Cloud Ltd".into(),
        title: "Exposed backup bucket".into(),
        status: "Open".into(),
        reported_by: "Vendor".into(),
        discovered_at: "2025-03-10 09:00 UTC".into(),
        reported_at: "2025-03-14 09:00 UTC".into(),
        deadline_at: "2025-03-13 09:00 UTC".into(),
        notification_hours: 72,
        hours_late: Some(24),
        records_affected: Some(1200),
        data_types: "Personal data".into(),
    };
    workbook.incident(&late).expect("incident");
    workbook
        .incident(&IncidentRow {
            hours_late: None,
            records_affected: None,
            ..late
        })
        .expect("incident");
    let mut book = open(workbook.finish().expect("finish"));
    let incidents = book.worksheet_range("Incidents").expect("Incidents sheet");
    assert_eq!(incidents.height(), 3);
    assert_eq!(cell(&incidents, 0, 8), string("Hours late"));
    assert_eq!(cell(&incidents, 1, 1), string("Exposed backup bucket"));
    assert_eq!(cell(&incidents, 1, 7), Data::Float(72.0));
    assert_eq!(cell(&incidents, 1, 8), Data::Float(24.0));
    assert_eq!(cell(&incidents, 1, 9), Data::Float(1200.0));
    assert_eq!(
        cell(&incidents, 2, 8),
        Data::Empty,
        "on time: no hours late"
    );
    assert_eq!(cell(&incidents, 2, 9), Data::Empty);
}
