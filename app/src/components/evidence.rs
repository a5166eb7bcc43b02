//! An evidence file's description in words, the same for the vendor who uploaded it and for
//! the client who reviews it.

use assay_core::api::EvidenceView;
use assay_core::scoring_rules::EvidenceKind;

/// `label` with its first letter in capitals. The labels are ASCII, so ASCII upper-casing is
/// enough; `char::to_uppercase` (as in `assay_core::text::capitalised`) links Unicode's case
/// tables into the vendor portal's first download, which lists uploaded files by kind.
fn capitalised(label: &str) -> String {
    let mut out = label.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// The kinds a vendor may choose for a file (value as stored, label as shown).
pub fn kind_options() -> impl Iterator<Item = (&'static str, String)> {
    EvidenceKind::ALL
        .into_iter()
        .filter(|k| *k != EvidenceKind::Other)
        .map(|k| (k.as_str(), capitalised(k.label())))
}

/// A stored kind (`soc2_type2`) as people read it; an unknown or missing one is a document.
pub fn kind_label(kind: Option<&str>) -> String {
    capitalised(
        kind.and_then(EvidenceKind::parse)
            .unwrap_or(EvidenceKind::Other)
            .label(),
    )
}

/// Issue and expiry dates, a report's period and an insurance limit, as one line.
pub fn details(e: &EvidenceView) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &e.issued_on {
        parts.push(format!("issued {d}"));
    }
    if let Some(d) = &e.expires_on {
        parts.push(format!("valid until {d}"));
    }
    if let (Some(from), Some(to)) = (&e.period_start, &e.period_end) {
        parts.push(format!("covers {from} to {to}"));
    }
    if let (Some(amount), Some(currency)) = (e.coverage_amount, &e.coverage_currency) {
        parts.push(format!("limit {amount} {currency}"));
    }
    parts.join(" · ")
}

/// The kind and the details together, as the portal lists an uploaded file.
pub fn summary(e: &EvidenceView) -> String {
    let details = details(e);
    let kind = kind_label(e.kind.as_deref());
    if details.is_empty() {
        kind
    } else {
        format!("{kind} · {details}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> EvidenceView {
        EvidenceView {
            id: uuid::Uuid::nil(),
            question_id: None,
            file_name: "report.pdf".to_owned(),
            file_type: "pdf".to_owned(),
            size: 1,
            sha256: String::new(),
            kind: Some("soc2_type2".to_owned()),
            expires_on: Some("2099-09-30".to_owned()),
            issued_on: Some("2026-09-30".to_owned()),
            period_start: Some("2025-10-01".to_owned()),
            period_end: Some("2026-09-30".to_owned()),
            coverage_amount: None,
            coverage_currency: None,
            uploaded_at: String::new(),
        }
    }

    #[test]
    fn kinds_read_as_labels_not_stored_names() {
        assert_eq!(kind_label(Some("soc2_type2")), "SOC 2 Type II report");
        assert_eq!(
            kind_label(Some("cyber_insurance_certificate")),
            "Cyber-insurance certificate"
        );
        assert_eq!(kind_label(None), "Document", "a file nobody described");
        assert_eq!(kind_label(Some("made_up")), "Document");
        assert!(
            kind_options().all(|(value, label)| !value.is_empty() && label != value),
            "every option shows a label"
        );
    }

    #[test]
    fn a_file_is_summarised_with_its_kind_and_dates() {
        assert_eq!(
            summary(&file()),
            "SOC 2 Type II report · issued 2026-09-30 · valid until 2099-09-30 · covers 2025-10-01 to 2026-09-30"
        );
        let bare = EvidenceView {
            kind: None,
            expires_on: None,
            issued_on: None,
            period_start: None,
            period_end: None,
            ..file()
        };
        assert_eq!(summary(&bare), "Document");
        assert_eq!(details(&bare), "");
    }
}
