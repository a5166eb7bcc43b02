//! The assessment scorecard as a PDF a board member can read: A4 portrait, paginated. Page
//! one is the executive summary (tiers, score, why, decision, top findings, open
//! remediation); the pages after it hold the detail an auditor checks (category chart, all
//! findings, incidents, overrides, evidence with hashes, unscored facts, every question).
//!
//! Text uses the standard 14 fonts (Helvetica, Helvetica-Bold) in WinAnsiEncoding, so
//! nothing is embedded and every viewer and text extractor can read it. Because the
//! fonts are not embedded, lines are measured with the fonts' published AFM widths and
//! wrapped here; characters outside WinAnsi are spelled in ASCII (`→` as `->`).

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::exports::report::{
    CategoryLine, DecisionLine, EvidenceLine, FactLine, FindingLine, IncidentLine, OverrideLine,
    QuestionLine, RemediationLine, ScorecardReport, SubprocessorLine,
};

/// A4 portrait in points.
const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN_X: f32 = 50.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;
/// Body text lives between the header rule and the footer.
const CONTENT_TOP: f32 = PAGE_HEIGHT - 70.0;
const CONTENT_BOTTOM: f32 = 60.0;

const BODY_SIZE: f32 = 9.0;
/// Page one is read, not searched: a size larger than the tables'.
const SUMMARY_SIZE: f32 = 10.0;
const TABLE_SIZE: f32 = 8.0;
const HASH_SIZE: f32 = 7.0;
/// Baseline-to-baseline distance as a multiple of the font size.
const LEADING: f32 = 1.25;
/// Space between a table cell's border and its text.
const CELL_PAD: f32 = 3.0;

/// How many findings and open remediation items page one lists; the rest follow later.
const TOP_FINDINGS: usize = 5;
const SUMMARY_REMEDIATIONS: usize = 6;

type Rgb = (f32, f32, f32);
const INK: Rgb = (0.0, 0.0, 0.0);
const WHITE: Rgb = (1.0, 1.0, 1.0);
const MUTED: Rgb = (0.35, 0.35, 0.35);
const RULE: Rgb = (0.75, 0.75, 0.75);
const HEADER_FILL: Rgb = (0.90, 0.91, 0.93);
const TRACK_FILL: Rgb = (0.92, 0.92, 0.92);
const BAR_FILL: Rgb = (0.16, 0.33, 0.56);

/// Renders the scorecard. Infallible: every field has a printable form.
pub fn scorecard_pdf(report: &ScorecardReport) -> Vec<u8> {
    let mut doc = Document::new();
    executive_summary(&mut doc, report);
    doc.new_page();
    details(&mut doc, report);
    category_chart(&mut doc, &report.categories);
    findings(&mut doc, &report.findings);
    if report.remediations.len() > SUMMARY_REMEDIATIONS {
        heading(&mut doc, "Open remediation items");
        remediation_table(&mut doc, &report.remediations, TABLE_SIZE);
    }
    incidents(&mut doc, &report.incidents, report.more_incidents);
    subprocessors(&mut doc, &report.subprocessors);
    overrides(&mut doc, &report.overrides);
    evidence(&mut doc, &report.evidence);
    facts(&mut doc, &report.facts);
    questions(&mut doc, &report.questions);
    assemble(report, doc.finish())
}

// ---------------------------------------------------------------------------------------
// Page one: the executive summary.

fn executive_summary(doc: &mut Document, report: &ScorecardReport) {
    paragraph(
        doc,
        Font::Bold,
        16.0,
        &format!("Vendor risk scorecard — {}", report.vendor),
    );
    doc.skip(2.0);
    let context = format!(
        "For {} · {} · {} · as of {}",
        report.organisation, report.template, report.status, report.as_of
    );
    paragraph_colored(doc, Font::Regular, BODY_SIZE, &context, MUTED);
    doc.skip(12.0);
    tier_tiles(doc, report);
    if let Some(note) = report.residual_note.as_deref().filter(|n| !n.is_empty()) {
        doc.skip(8.0);
        labelled(doc, "Why this tier", note);
    }
    summary_decision(doc, report.decision.as_ref());
    top_findings(doc, &report.findings);
    heading(doc, "Open remediation items");
    if report.remediations.is_empty() {
        paragraph(
            doc,
            Font::Regular,
            SUMMARY_SIZE,
            "No open remediation items",
        );
        return;
    }
    let shown = &report.remediations[..report.remediations.len().min(SUMMARY_REMEDIATIONS)];
    remediation_table(doc, shown, BODY_SIZE);
    let more = report.remediations.len() - shown.len();
    if more > 0 {
        doc.skip(3.0);
        paragraph_colored(
            doc,
            Font::Regular,
            BODY_SIZE,
            &format!("and {more} more, listed under “Open remediation items” in the detail"),
            MUTED,
        );
    }
}

/// Residual tier, inherent tier and overall score side by side. Each tier is its word on a
/// coloured badge, so it reads at a glance in colour and still in black and white.
fn tier_tiles(doc: &mut Document, report: &ScorecardReport) {
    const GAP: f32 = 15.0;
    const LABEL: f32 = 8.0;
    const BADGE_HEIGHT: f32 = 30.0;
    const BADGE_TEXT: f32 = 15.0;
    let width = (CONTENT_WIDTH - 2.0 * GAP) / 3.0;
    let height = LABEL * LEADING + 4.0 + BADGE_HEIGHT;
    doc.reserve(height);
    let top = doc.y;
    let badge_y = top - LABEL * LEADING - 4.0 - BADGE_HEIGHT;
    let text_baseline = badge_y + (BADGE_HEIGHT - 0.72 * BADGE_TEXT) / 2.0;
    let tiles = [
        ("RESIDUAL RISK TIER", Some(report.residual_tier.as_str())),
        ("INHERENT RISK TIER", Some(report.inherent_tier.as_str())),
        ("OVERALL SCORE", None),
    ];
    for (index, (label, tier)) in tiles.into_iter().enumerate() {
        let x = MARGIN_X + index as f32 * (width + GAP);
        let label = encode(label);
        doc.text_colored(x, top - LABEL, Font::Bold, LABEL, &label, MUTED);
        match tier {
            Some(tier) => {
                let (fill, ink) = tier_colors(tier);
                doc.fill_rounded_rect(x, badge_y, width, BADGE_HEIGHT, 5.0, fill);
                let word = first_line(tier, Font::Bold, BADGE_TEXT, width - 12.0);
                let left = x + (width - text_width(&word, Font::Bold, BADGE_TEXT)) / 2.0;
                doc.text_colored(left, text_baseline, Font::Bold, BADGE_TEXT, &word, ink);
            }
            None => {
                doc.stroke_rounded_rect(x, badge_y, width, BADGE_HEIGHT, 5.0, RULE);
                let score = match report.overall {
                    Some(score) if score.is_finite() => format!("{score:.1} / 100"),
                    _ => "Not scored".to_owned(),
                };
                let score = encode(&score);
                let left = x + (width - text_width(&score, Font::Bold, BADGE_TEXT)) / 2.0;
                doc.text(left, text_baseline, Font::Bold, BADGE_TEXT, &score);
            }
        }
    }
    doc.y = top - height;
}

/// The badge fill for a tier and the text colour that stays legible on it.
fn tier_colors(tier: &str) -> (Rgb, Rgb) {
    match tier {
        "Low" => ((0.13, 0.55, 0.25), WHITE),
        "Medium" => ((0.98, 0.73, 0.10), INK),
        "High" => ((0.86, 0.33, 0.07), WHITE),
        "Critical" => ((0.55, 0.05, 0.07), WHITE),
        _ => (TRACK_FILL, INK),
    }
}

fn summary_decision(doc: &mut Document, decision: Option<&DecisionLine>) {
    heading(doc, "Decision");
    let Some(decision) = decision else {
        paragraph(doc, Font::Regular, SUMMARY_SIZE, "No decision yet");
        return;
    };
    paragraph(doc, Font::Bold, SUMMARY_SIZE + 1.0, &decision.outcome);
    paragraph_colored(
        doc,
        Font::Regular,
        BODY_SIZE,
        &format!("Decided by {} on {}", decision.by, decision.at),
        MUTED,
    );
    if !decision.rationale.is_empty() {
        doc.skip(3.0);
        paragraph(doc, Font::Regular, SUMMARY_SIZE, &decision.rationale);
    }
    if !decision.conditions.is_empty() {
        doc.skip(4.0);
        paragraph(doc, Font::Bold, SUMMARY_SIZE, "Conditions");
        for condition in &decision.conditions {
            bullet(doc, SUMMARY_SIZE, condition);
        }
    }
}

/// The most severe findings as sentences ("High — title: reason"); the report holds them
/// most severe first already. A title already listed is skipped: a knock-out and the warning
/// on the same answer are one problem to a board.
fn top_findings(doc: &mut Document, findings: &[FindingLine]) {
    let mut seen = std::collections::BTreeSet::new();
    let distinct: Vec<&FindingLine> = findings
        .iter()
        .filter(|f| seen.insert(f.title.as_str()))
        .collect();
    let title = if distinct.len() > TOP_FINDINGS {
        format!("Top findings ({TOP_FINDINGS} of {})", distinct.len())
    } else {
        "Top findings".to_owned()
    };
    heading(doc, &title);
    if distinct.is_empty() {
        paragraph(doc, Font::Regular, SUMMARY_SIZE, "No findings");
        return;
    }
    for finding in distinct.into_iter().take(TOP_FINDINGS) {
        let mut line = finding.title.clone();
        if !finding.reason.is_empty() {
            line.push_str(": ");
            line.push_str(&finding.reason);
        }
        if finding.status != "Open" {
            line.push_str(&format!(" ({})", finding.status.to_lowercase()));
        }
        let lead = format!("{} — ", finding.severity);
        bullet_with_lead(doc, SUMMARY_SIZE, &lead, &line);
    }
}

fn remediation_table(doc: &mut Document, items: &[RemediationLine], size: f32) {
    let columns = [
        ("Item", 0.40),
        ("Severity", 0.11),
        ("Owner", 0.18),
        ("Due", 0.31),
    ];
    let table = Table::new(&columns, true, size);
    table.start(doc);
    for item in items {
        let mut due = item.due_on.clone();
        if item.overdue {
            due.push_str(" (overdue)");
        }
        if let Some(committed) = &item.vendor_committed_on {
            due.push_str(&format!("\nvendor committed to {committed}"));
        }
        table.row(doc, &[&item.title, &item.severity, &item.owner, &due]);
    }
}

// ---------------------------------------------------------------------------------------
// The detail pages, in reading order.

fn details(doc: &mut Document, report: &ScorecardReport) {
    let method = if report.model_version == "0" {
        format!("Built-in default model (method {})", report.method_version)
    } else {
        format!(
            "Model version {} (method {})",
            report.model_version, report.method_version
        )
    };
    let overall = match report.overall {
        Some(score) if score.is_finite() => format!("{score:.1} / 100"),
        _ => "Not scored".to_owned(),
    };
    let tiers = format!(
        "Residual {}, inherent {}",
        report.residual_tier, report.inherent_tier
    );
    let fields = [
        ("Organisation", report.organisation.as_str()),
        ("Template", &report.template),
        ("Assessment", &report.assessment_id),
        ("Status", &report.status),
        ("As of", &report.as_of),
        ("Generated at", &report.generated_at),
        ("Overall score", &overall),
        ("Risk tiers", &tiers),
        ("Scoring model", &method),
        ("Scorecard version", &report.scorecard_version.to_string()),
    ];
    heading(doc, "Scorecard details");
    key_values(doc, &fields);
}

/// One horizontal bar per category on a 0–100 track, so weak areas stand out at a glance.
fn category_chart(doc: &mut Document, categories: &[CategoryLine]) {
    const LABEL_WIDTH: f32 = 170.0;
    const TRACK_X: f32 = MARGIN_X + LABEL_WIDTH + 10.0;
    const TRACK_WIDTH: f32 = 260.0;
    const BAR_HEIGHT: f32 = 9.0;
    const ROW_GAP: f32 = 6.0;

    heading(doc, "Category scores");
    if categories.is_empty() {
        paragraph(doc, Font::Regular, BODY_SIZE, "No categories");
        return;
    }
    let leading = BODY_SIZE * LEADING;
    for category in categories {
        let label = wrap(&category.label, Font::Regular, BODY_SIZE, LABEL_WIDTH);
        let height = (label.len() as f32 * leading).max(BAR_HEIGHT) + ROW_GAP;
        doc.reserve(height);
        let top = doc.y;
        for (i, line) in label.iter().enumerate() {
            let baseline = top - BODY_SIZE - i as f32 * leading;
            doc.text(MARGIN_X, baseline, Font::Regular, BODY_SIZE, line);
        }
        let bar_y = top - BODY_SIZE - 1.5;
        doc.fill_rect(TRACK_X, bar_y, TRACK_WIDTH, BAR_HEIGHT, TRACK_FILL);
        let (length, value) = match category.score {
            Some(score) if score.is_finite() => {
                let length = TRACK_WIDTH * (score.clamp(0.0, 100.0) as f32) / 100.0;
                (length, format!("{score:.1}"))
            }
            _ => (0.0, "n/a".to_owned()),
        };
        if length > 0.0 {
            doc.fill_rect(TRACK_X, bar_y, length, BAR_HEIGHT, BAR_FILL);
        }
        let value_x = TRACK_X + length + 4.0;
        doc.text(value_x, bar_y + 1.5, Font::Bold, BODY_SIZE, &encode(&value));
        doc.y = top - height;
    }
    scale(doc, TRACK_X, TRACK_WIDTH);
}

/// Tick labels under the chart so the bar lengths read as scores.
fn scale(doc: &mut Document, x: f32, width: f32) {
    const SIZE: f32 = 7.0;
    doc.reserve(SIZE * LEADING);
    let baseline = doc.y - SIZE;
    for tick in [0u8, 25, 50, 75, 100] {
        let label = encode(&tick.to_string());
        let centre = x + width * f32::from(tick) / 100.0;
        let left = centre - text_width(&label, Font::Regular, SIZE) / 2.0;
        doc.text_colored(left, baseline, Font::Regular, SIZE, &label, MUTED);
    }
    doc.y -= SIZE * LEADING;
}

fn findings(doc: &mut Document, findings: &[FindingLine]) {
    heading(doc, "Findings");
    if findings.is_empty() {
        paragraph(doc, Font::Regular, BODY_SIZE, "No findings");
        return;
    }
    let table = Table::with_header(&[
        ("Severity", 0.11),
        ("Kind", 0.15),
        ("Title", 0.30),
        ("Reason", 0.32),
        ("Status", 0.12),
    ]);
    table.start(doc);
    for finding in findings {
        table.row(
            doc,
            &[
                &finding.severity,
                &finding.kind,
                &finding.title,
                &finding.reason,
                &finding.status,
            ],
        );
    }
}

/// The vendor's subprocessors, where they take the data and what each raises.
fn subprocessors(doc: &mut Document, rows: &[SubprocessorLine]) {
    heading(doc, "Subprocessors");
    if rows.is_empty() {
        paragraph(
            doc,
            Font::Regular,
            BODY_SIZE,
            "No subprocessor register recorded for this vendor",
        );
        return;
    }
    let table = Table::with_header(&[
        ("Subprocessor", 0.22),
        ("Service", 0.16),
        ("Countries", 0.16),
        ("Mechanism", 0.16),
        ("Findings", 0.30),
    ]);
    table.start(doc);
    for row in rows {
        table.row(
            doc,
            &[
                &row.name,
                &row.service,
                &row.countries,
                &row.mechanism,
                &row.findings,
            ],
        );
    }
}

/// The vendor's incidents, newest first, and whether each was reported in time.
fn incidents(doc: &mut Document, incidents: &[IncidentLine], more: usize) {
    heading(doc, "Incidents");
    if incidents.is_empty() {
        paragraph(
            doc,
            Font::Regular,
            BODY_SIZE,
            "No incidents recorded for this vendor",
        );
        return;
    }
    let table = Table::with_header(&[
        ("Incident", 0.30),
        ("Status", 0.11),
        ("Reported", 0.20),
        ("Notice", 0.13),
        ("Data affected", 0.26),
    ]);
    table.start(doc);
    for incident in incidents {
        table.row(
            doc,
            &[
                &incident.title,
                &incident.status,
                &incident.reported_at,
                &incident.timeliness,
                &incident.data_affected,
            ],
        );
    }
    if more > 0 {
        doc.skip(3.0);
        let noun = if more == 1 { "incident" } else { "incidents" };
        paragraph_colored(
            doc,
            Font::Regular,
            BODY_SIZE,
            &format!("and {more} older {noun} (the JSON export lists them all)"),
            MUTED,
        );
    }
}

/// Only shown when a risk manager changed something, so an untouched scorecard stays short.
fn overrides(doc: &mut Document, overrides: &[OverrideLine]) {
    if overrides.is_empty() {
        return;
    }
    heading(doc, "Overrides");
    let table = Table::with_header(&[
        ("Target", 0.22),
        ("Change", 0.16),
        ("Reason", 0.32),
        ("By", 0.15),
        ("Expires", 0.15),
    ]);
    table.start(doc);
    for line in overrides {
        let expiry = line.expires_on.as_deref().unwrap_or("No expiry");
        table.row(
            doc,
            &[&line.target, &line.change, &line.reason, &line.by, expiry],
        );
    }
}

/// Each file gets a row plus a full-width line with its whole SHA-256, in one text run so it
/// can be copied and compared against the stored file.
fn evidence(doc: &mut Document, evidence: &[EvidenceLine]) {
    heading(doc, "Evidence");
    if evidence.is_empty() {
        paragraph(doc, Font::Regular, BODY_SIZE, "No evidence");
        return;
    }
    let table = Table::with_header(&[
        ("File", 0.38),
        ("Kind", 0.30),
        ("Size", 0.14),
        ("Expires", 0.18),
    ]);
    table.start(doc);
    for file in evidence {
        let size = human_size(file.size_bytes);
        let expiry = file.expires_on.as_deref().unwrap_or("No expiry");
        let cells: [&str; 4] = [&file.file_name, &file.kind, &size, expiry];
        let hash = format!("SHA-256 {}", file.sha256);
        let hash_lines = wrap(
            &hash,
            Font::Regular,
            HASH_SIZE,
            CONTENT_WIDTH - 2.0 * CELL_PAD,
        );
        let hash_height = hash_lines.len() as f32 * HASH_SIZE * LEADING + CELL_PAD;
        table.keep_together(doc, table.row_height(&cells) + hash_height);
        table.row_without_rule(doc, &cells);
        table.spanning_row(doc, &hash_lines, HASH_SIZE);
    }
}

/// What the score does not count but a board asks about, as the vendor answered it.
fn facts(doc: &mut Document, facts: &[FactLine]) {
    if facts.is_empty() {
        return;
    }
    heading(doc, "Facts the score does not count");
    let fields: Vec<(&str, &str)> = facts
        .iter()
        .map(|f| (f.label.as_str(), f.value.as_str()))
        .collect();
    key_values(doc, &fields);
}

/// The per-question breakdown, grouped under a band for each category as it changes.
fn questions(doc: &mut Document, questions: &[QuestionLine]) {
    heading(doc, "Question breakdown");
    if questions.is_empty() {
        paragraph(doc, Font::Regular, BODY_SIZE, "No questions");
        return;
    }
    let table = Table::with_header(&[
        ("Question", 0.44),
        ("Answer", 0.19),
        ("Status", 0.11),
        ("Points", 0.07),
        ("Weight", 0.07),
        ("Contribution", 0.12),
    ]);
    table.start(doc);
    let mut category: Option<&str> = None;
    for question in questions {
        if category != Some(question.category.as_str()) {
            category = Some(&question.category);
            let band = wrap(&question.category, Font::Bold, TABLE_SIZE, CONTENT_WIDTH);
            table.keep_together(doc, 2.0 * table.single_line_height() + CELL_PAD);
            table.band(doc, &band);
        }
        let answer = if question.answer.is_empty() {
            "\u{2014}"
        } else {
            &question.answer
        };
        let points = question
            .points
            .map_or_else(|| "\u{2014}".to_owned(), |points| format!("{points:.2}"));
        let weight = trim_decimal(question.weight);
        let contribution = format!("{:.2}", question.contribution);
        table.row(
            doc,
            &[
                &question.text,
                answer,
                &question.status,
                &points,
                &weight,
                &contribution,
            ],
        );
    }
}

// ---------------------------------------------------------------------------------------
// Small formatting helpers.

/// "2.4 MB": decimal units, as file managers and browsers show them.
fn human_size(bytes: i64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes.abs() < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    let mut unit = "B";
    for next in UNITS {
        if value.abs() < 1000.0 {
            break;
        }
        value /= 1000.0;
        unit = next;
    }
    format!("{value:.1} {unit}")
}

/// Weights are usually whole or simple numbers: "1", "2.5", "0.25" rather than "1.00".
fn trim_decimal(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0');
    text.trim_end_matches('.').to_owned()
}

// ---------------------------------------------------------------------------------------
// Blocks: headings, paragraphs, key/value lists and tables, all with automatic page breaks.

fn heading(doc: &mut Document, text: &str) {
    const SIZE: f32 = 12.0;
    doc.skip(10.0);
    // Keep the heading with at least a couple of lines of what follows it.
    doc.reserve(SIZE * LEADING + 4.0 * TABLE_SIZE * LEADING);
    paragraph(doc, Font::Bold, SIZE, text);
    doc.skip(3.0);
}

/// Wrapped text across the content width, breaking pages between lines.
fn paragraph(doc: &mut Document, font: Font, size: f32, text: &str) {
    paragraph_colored(doc, font, size, text, INK);
}

fn paragraph_colored(doc: &mut Document, font: Font, size: f32, text: &str, color: Rgb) {
    let leading = size * LEADING;
    for line in wrap(text, font, size, CONTENT_WIDTH) {
        doc.reserve(leading);
        doc.text_colored(MARGIN_X, doc.y - size, font, size, &line, color);
        doc.y -= leading;
    }
}

/// A bulleted item with its wrapped lines indented under the first.
fn bullet(doc: &mut Document, size: f32, text: &str) {
    bullet_with_lead(doc, size, "", text);
}

/// A bulleted item that starts with `lead` in bold (a finding's severity), its wrapped lines
/// indented under the first.
fn bullet_with_lead(doc: &mut Document, size: f32, lead: &str, text: &str) {
    const INDENT: f32 = 12.0;
    let width = CONTENT_WIDTH - INDENT;
    let leading = size * LEADING;
    let lead = encode(lead);
    let lead_width = text_width(&lead, Font::Bold, size);
    // The first line has the room the lead leaves; the rest are re-wrapped at full width
    // from where it stopped (words joined by single spaces, as `wrap` joins them).
    let words = encode(text)
        .split(|&byte| byte == b' ')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(&b' ');
    let mut lines = Vec::new();
    wrap_paragraph(&words, Font::Regular, size, width - lead_width, &mut lines);
    let first = lines.first().cloned().unwrap_or_default();
    let rest = words.get(first.len()..).unwrap_or_default();
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let mut lines = vec![first];
    if !rest.is_empty() {
        wrap_paragraph(rest, Font::Regular, size, width, &mut lines);
    }
    doc.reserve(leading * lines.len().min(2) as f32);
    for (i, line) in lines.iter().enumerate() {
        doc.reserve(leading);
        let baseline = doc.y - size;
        let mut x = MARGIN_X + INDENT;
        if i == 0 {
            doc.text(
                MARGIN_X + 2.0,
                baseline,
                Font::Regular,
                size,
                &encode("\u{2022}"),
            );
            doc.text(x, baseline, Font::Bold, size, &lead);
            x += lead_width;
        }
        doc.text(x, baseline, Font::Regular, size, line);
        doc.y -= leading;
    }
    doc.skip(2.0);
}

/// A bold label on its own line and the text under it.
fn labelled(doc: &mut Document, label: &str, text: &str) {
    paragraph(doc, Font::Bold, SUMMARY_SIZE, label);
    doc.skip(1.0);
    paragraph(doc, Font::Regular, SUMMARY_SIZE, text);
}

/// Label / value pairs as a two-column table without a header.
fn key_values(doc: &mut Document, fields: &[(&str, &str)]) {
    let table = Table::new(&[("", 0.25), ("", 0.75)], false, TABLE_SIZE);
    for (label, value) in fields.iter().filter(|(_, value)| !value.is_empty()) {
        table.row_with_fonts(doc, &[(Font::Bold, label), (Font::Regular, value)], true);
    }
}

/// A table's geometry; rows are drawn straight into the document as they come.
struct Table {
    /// Left edge and width of each column.
    columns: Vec<(f32, f32)>,
    /// Column titles, wrapped, when the table has a header row (repeated on every page).
    header: Option<Vec<Vec<Vec<u8>>>>,
    /// The font size of every cell.
    size: f32,
}

/// The whole table width, for rows that span every column.
const SPANNING: [(f32, f32); 1] = [(MARGIN_X, CONTENT_WIDTH)];

impl Table {
    fn with_header(columns: &[(&str, f32)]) -> Self {
        Self::new(columns, true, TABLE_SIZE)
    }

    /// `columns` are titles with their share of the content width.
    fn new(columns: &[(&str, f32)], with_header: bool, size: f32) -> Self {
        let mut x = MARGIN_X;
        let mut geometry = Vec::with_capacity(columns.len());
        for (_, share) in columns {
            let width = CONTENT_WIDTH * share;
            geometry.push((x, width));
            x += width;
        }
        let header = with_header.then(|| {
            columns
                .iter()
                .zip(&geometry)
                .map(|((title, _), (_, width))| {
                    wrap(title, Font::Bold, size, width - 2.0 * CELL_PAD)
                })
                .collect()
        });
        Self {
            columns: geometry,
            header,
            size,
        }
    }

    /// Draws the header, first moving to a new page unless a row can follow it here.
    fn start(&self, doc: &mut Document) {
        doc.reserve(self.header_height() + self.single_line_height());
        self.draw_header(doc);
    }

    fn row(&self, doc: &mut Document, cells: &[&str]) {
        self.row_with_fonts(doc, &regular(cells), true);
    }

    /// A row whose closing rule is left to the spanning row that follows it.
    fn row_without_rule(&self, doc: &mut Document, cells: &[&str]) {
        self.row_with_fonts(doc, &regular(cells), false);
    }

    fn row_with_fonts(&self, doc: &mut Document, cells: &[(Font, &str)], rule: bool) {
        let lines = self.wrap_cells(cells);
        let fonts: Vec<Font> = cells.iter().map(|(font, _)| *font).collect();
        self.keep_together(doc, block_height(max_lines(&lines), self.size));
        self.draw_block(doc, &self.columns, &fonts, &lines, self.size, None);
        if rule {
            doc.rule(MARGIN_X, CONTENT_WIDTH);
        }
    }

    /// Pre-wrapped lines across the whole table width, closed by a rule.
    fn spanning_row(&self, doc: &mut Document, lines: &[Vec<u8>], size: f32) {
        let lines = [lines.to_vec()];
        self.draw_block(doc, &SPANNING, &[Font::Regular], &lines, size, None);
        doc.rule(MARGIN_X, CONTENT_WIDTH);
    }

    /// A shaded full-width row introducing a group of rows.
    fn band(&self, doc: &mut Document, lines: &[Vec<u8>]) {
        let lines = [lines.to_vec()];
        let fill = Some(TRACK_FILL);
        self.draw_block(doc, &SPANNING, &[Font::Bold], &lines, self.size, fill);
    }

    /// Moves to a new page (repeating the header) when `height` does not fit here but would
    /// fit on a fresh page; taller blocks are split across pages line by line instead.
    fn keep_together(&self, doc: &mut Document, height: f32) {
        let fits_here = doc.y - height >= CONTENT_BOTTOM;
        let fits_on_new_page = CONTENT_TOP - self.header_height() - height >= CONTENT_BOTTOM;
        if !fits_here && fits_on_new_page {
            self.new_page(doc);
        }
    }

    fn row_height(&self, cells: &[&str]) -> f32 {
        let lines = self.wrap_cells(&regular(cells));
        block_height(max_lines(&lines), self.size)
    }

    fn single_line_height(&self) -> f32 {
        block_height(1, self.size)
    }

    fn header_height(&self) -> f32 {
        self.header
            .as_ref()
            .map_or(0.0, |header| block_height(max_lines(header), self.size))
    }

    fn new_page(&self, doc: &mut Document) {
        doc.new_page();
        self.draw_header(doc);
    }

    fn draw_header(&self, doc: &mut Document) {
        if let Some(header) = &self.header {
            let fonts = vec![Font::Bold; header.len()];
            let fill = Some(HEADER_FILL);
            self.draw_block(doc, &self.columns, &fonts, header, self.size, fill);
        }
    }

    fn wrap_cells(&self, cells: &[(Font, &str)]) -> Vec<Vec<Vec<u8>>> {
        cells
            .iter()
            .zip(&self.columns)
            .map(|((font, text), (_, width))| wrap(text, *font, self.size, width - 2.0 * CELL_PAD))
            .collect()
    }

    /// Draws one row's wrapped cells into `columns`, continuing on a new page (under this
    /// table's header) whenever the row runs past the bottom of the page.
    fn draw_block(
        &self,
        doc: &mut Document,
        columns: &[(f32, f32)],
        fonts: &[Font],
        lines: &[Vec<Vec<u8>>],
        size: f32,
        fill: Option<Rgb>,
    ) {
        let leading = size * LEADING;
        let total = max_lines(lines);
        let mut first = 0;
        while first < total {
            let room = ((doc.y - CONTENT_BOTTOM - 2.0 * CELL_PAD) / leading).floor();
            if room < 1.0 {
                self.new_page(doc);
                continue;
            }
            let count = (room as usize).min(total - first);
            let top = doc.y;
            let height = block_height(count, size);
            if let Some(color) = fill {
                doc.fill_rect(MARGIN_X, top - height, CONTENT_WIDTH, height, color);
            }
            for ((cell, (x, _)), font) in lines.iter().zip(columns).zip(fonts) {
                for (i, line) in cell.iter().skip(first).take(count).enumerate() {
                    // Helvetica's cap height is about 0.72 em: this centres a line in its slot.
                    let baseline = top - CELL_PAD - (i as f32 + 0.8) * leading;
                    doc.text(x + CELL_PAD, baseline, *font, size, line);
                }
            }
            doc.y = top - height;
            first += count;
        }
    }
}

fn regular<'a>(cells: &[&'a str]) -> Vec<(Font, &'a str)> {
    cells.iter().map(|cell| (Font::Regular, *cell)).collect()
}

fn max_lines(cells: &[Vec<Vec<u8>>]) -> usize {
    cells.iter().map(Vec::len).max().unwrap_or(0).max(1)
}

fn block_height(lines: usize, size: f32) -> f32 {
    lines as f32 * size * LEADING + 2.0 * CELL_PAD
}

// ---------------------------------------------------------------------------------------
// The page cursor and drawing primitives.

/// The pages being written: the finished ones, the one being filled, and the cursor on it.
struct Document {
    done: Vec<Content>,
    page: Content,
    /// Top of the free space on the current page.
    y: f32,
}

impl Document {
    fn new() -> Self {
        Self {
            done: Vec::new(),
            page: Content::new(),
            y: CONTENT_TOP,
        }
    }

    fn new_page(&mut self) {
        let full = std::mem::replace(&mut self.page, Content::new());
        self.done.push(full);
        self.y = CONTENT_TOP;
    }

    /// Starts a new page unless `height` still fits on this one.
    fn reserve(&mut self, height: f32) {
        if self.y - height < CONTENT_BOTTOM {
            self.new_page();
        }
    }

    /// Vertical space between blocks; dropped at the top of a page, where it would only
    /// push content down.
    fn skip(&mut self, height: f32) {
        if self.y < CONTENT_TOP {
            self.y = (self.y - height).max(CONTENT_BOTTOM);
        }
    }

    fn text(&mut self, x: f32, baseline: f32, font: Font, size: f32, text: &[u8]) {
        draw_text(&mut self.page, x, baseline, font, size, text, INK);
    }

    fn text_colored(&mut self, x: f32, y: f32, font: Font, size: f32, text: &[u8], color: Rgb) {
        draw_text(&mut self.page, x, y, font, size, text, color);
    }

    fn fill_rect(&mut self, x: f32, y: f32, width: f32, height: f32, color: Rgb) {
        let (r, g, b) = color;
        self.page.set_fill_rgb(r, g, b);
        self.page.rect(x, y, width, height).fill_nonzero();
    }

    /// A filled rectangle with rounded corners (the tier badges).
    fn fill_rounded_rect(&mut self, x: f32, y: f32, width: f32, height: f32, r: f32, color: Rgb) {
        let (red, green, blue) = color;
        self.page.set_fill_rgb(red, green, blue);
        rounded_rect_path(&mut self.page, x, y, width, height, r);
        self.page.fill_nonzero();
    }

    /// The outline of a rectangle with rounded corners.
    fn stroke_rounded_rect(&mut self, x: f32, y: f32, width: f32, height: f32, r: f32, color: Rgb) {
        let (red, green, blue) = color;
        self.page.set_stroke_rgb(red, green, blue);
        self.page.set_line_width(0.75);
        rounded_rect_path(&mut self.page, x, y, width, height, r);
        self.page.stroke();
    }

    /// A thin horizontal line at the cursor.
    fn rule(&mut self, x: f32, width: f32) {
        draw_rule(&mut self.page, x, self.y, width);
    }

    fn finish(mut self) -> Vec<Content> {
        self.done.push(self.page);
        self.done
    }
}

fn draw_text(
    content: &mut Content,
    x: f32,
    y: f32,
    font: Font,
    size: f32,
    text: &[u8],
    color: Rgb,
) {
    if text.is_empty() {
        return;
    }
    let (r, g, b) = color;
    content.set_fill_rgb(r, g, b);
    content.begin_text();
    content.set_font(font.resource(), size);
    content.set_text_matrix([1.0, 0.0, 0.0, 1.0, x, y]);
    content.show(Str(text));
    content.end_text();
}

/// A closed rectangle path with corners of radius `r`, each a quarter circle drawn as one
/// Bézier curve.
fn rounded_rect_path(content: &mut Content, x: f32, y: f32, width: f32, height: f32, r: f32) {
    // The control-point distance that makes a cubic Bézier closest to a quarter circle.
    const KAPPA: f32 = 0.552_284_8;
    let r = r.min(width / 2.0).min(height / 2.0);
    let k = r * KAPPA;
    let (right, top) = (x + width, y + height);
    content.move_to(x + r, y);
    content.line_to(right - r, y);
    content.cubic_to(right - r + k, y, right, y + r - k, right, y + r);
    content.line_to(right, top - r);
    content.cubic_to(right, top - r + k, right - r + k, top, right - r, top);
    content.line_to(x + r, top);
    content.cubic_to(x + r - k, top, x, top - r + k, x, top - r);
    content.line_to(x, y + r);
    content.cubic_to(x, y + r - k, x + r - k, y, x + r, y);
    content.close_path();
}

fn draw_rule(content: &mut Content, x: f32, y: f32, width: f32) {
    let (r, g, b) = RULE;
    content.set_stroke_rgb(r, g, b);
    content.set_line_width(0.5);
    content.move_to(x, y).line_to(x + width, y).stroke();
}

// ---------------------------------------------------------------------------------------
// Assembling the file.

/// Writes the PDF objects around the laid-out pages, adding the running header and the
/// "Page n of m" footer now that the page count is known.
fn assemble(report: &ScorecardReport, pages: Vec<Content>) -> Vec<u8> {
    let mut next = Ref::new(1);
    let catalog = next.bump();
    let tree = next.bump();
    let regular_font = next.bump();
    let bold_font = next.bump();
    let info = next.bump();
    let ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (next.bump(), next.bump())).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(ids.iter().map(|(page, _)| *page))
        .count(i32::try_from(ids.len()).unwrap_or(i32::MAX));
    for (font, id) in [(Font::Regular, regular_font), (Font::Bold, bold_font)] {
        pdf.type1_font(id)
            .base_font(font.base_name())
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    let title = format!("Vendor risk scorecard — {}", report.vendor);
    pdf.document_info(info)
        .title(TextStr(&title))
        .producer(TextStr("Assay"));

    let total = pages.len();
    for (index, (mut content, (page_id, content_id))) in pages.into_iter().zip(ids).enumerate() {
        page_furniture(&mut content, report, index + 1, total);
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(tree)
            .contents(content_id);
        page.resources()
            .fonts()
            .pair(Font::Regular.resource(), regular_font)
            .pair(Font::Bold.resource(), bold_font);
        page.finish();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

/// The vendor name on top of every page, so a loose page still says whose it is, and the
/// page number at the bottom.
fn page_furniture(content: &mut Content, report: &ScorecardReport, number: usize, total: usize) {
    const SIZE: f32 = 8.0;
    let header_y = PAGE_HEIGHT - 40.0;
    let label = encode("Vendor risk scorecard");
    let label_width = text_width(&label, Font::Regular, SIZE);
    let vendor = first_line(
        &report.vendor,
        Font::Bold,
        SIZE,
        CONTENT_WIDTH - label_width - 20.0,
    );
    draw_text(content, MARGIN_X, header_y, Font::Bold, SIZE, &vendor, INK);
    let label_x = PAGE_WIDTH - MARGIN_X - label_width;
    draw_text(
        content,
        label_x,
        header_y,
        Font::Regular,
        SIZE,
        &label,
        MUTED,
    );
    draw_rule(content, MARGIN_X, header_y - 6.0, CONTENT_WIDTH);

    let footer_y = 35.0;
    draw_rule(content, MARGIN_X, footer_y + 11.0, CONTENT_WIDTH);
    let generated = encode(&format!("Generated {}", report.generated_at));
    draw_text(
        content,
        MARGIN_X,
        footer_y,
        Font::Regular,
        SIZE,
        &generated,
        MUTED,
    );
    let page = encode(&format!("Page {number} of {total}"));
    let page_x = PAGE_WIDTH - MARGIN_X - text_width(&page, Font::Regular, SIZE);
    draw_text(content, page_x, footer_y, Font::Regular, SIZE, &page, MUTED);
}

/// The first wrapped line of `text`, with "..." when the rest had to be cut.
fn first_line(text: &str, font: Font, size: f32, width: f32) -> Vec<u8> {
    let ellipsis = text_width(b"...", font, size);
    let mut lines = wrap(text, font, size, width - ellipsis).into_iter();
    let mut line = lines.next().unwrap_or_default();
    if lines.next().is_some() {
        line.extend_from_slice(b"...");
    }
    line
}

// ---------------------------------------------------------------------------------------
// Fonts, encoding and line breaking.

/// The two standard fonts used; neither is embedded.
#[derive(Clone, Copy)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    /// The name pages use for the font in their resources.
    fn resource(self) -> Name<'static> {
        match self {
            Self::Regular => Name(b"F1"),
            Self::Bold => Name(b"F2"),
        }
    }

    fn base_name(self) -> Name<'static> {
        match self {
            Self::Regular => Name(b"Helvetica"),
            Self::Bold => Name(b"Helvetica-Bold"),
        }
    }

    fn widths(self) -> &'static [u16; 224] {
        match self {
            Self::Regular => &HELVETICA_WIDTHS,
            Self::Bold => &HELVETICA_BOLD_WIDTHS,
        }
    }
}

/// Advance width of one WinAnsi byte in 1/1000 em (control bytes are never emitted).
fn glyph_width(byte: u8, font: Font) -> f32 {
    byte.checked_sub(0x20)
        .map_or(0.0, |index| f32::from(font.widths()[usize::from(index)]))
}

/// Width in points of WinAnsi-encoded text.
fn text_width(text: &[u8], font: Font, size: f32) -> f32 {
    text.iter()
        .map(|&byte| glyph_width(byte, font))
        .sum::<f32>()
        * size
        / 1000.0
}

/// Splits text into lines no wider than `width`: at newlines, then between words, and inside
/// a word only when the word alone is wider than the line (long ids, URLs).
fn wrap(text: &str, font: Font, size: f32, width: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        wrap_paragraph(&encode(paragraph), font, size, width, &mut lines);
    }
    lines
}

fn wrap_paragraph(text: &[u8], font: Font, size: f32, width: f32, lines: &mut Vec<Vec<u8>>) {
    let space = text_width(b" ", font, size);
    let mut line: Vec<u8> = Vec::new();
    let mut line_width = 0.0;
    for word in text
        .split(|&byte| byte == b' ')
        .filter(|word| !word.is_empty())
    {
        let word_width = text_width(word, font, size);
        if !line.is_empty() && line_width + space + word_width <= width {
            line.push(b' ');
            line.extend_from_slice(word);
            line_width += space + word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut rest = word;
        while text_width(rest, font, size) > width {
            let cut = fitting_prefix(rest, font, size, width);
            lines.push(rest[..cut].to_vec());
            rest = &rest[cut..];
        }
        line = rest.to_vec();
        line_width = text_width(rest, font, size);
    }
    lines.push(line);
}

/// How many leading bytes of `word` fit in `width` (at least one, so wrapping progresses).
fn fitting_prefix(word: &[u8], font: Font, size: f32, width: f32) -> usize {
    let mut used = 0.0;
    for (index, &byte) in word.iter().enumerate() {
        used += glyph_width(byte, font) * size / 1000.0;
        if used > width {
            return index.max(1);
        }
    }
    word.len()
}

/// Encodes text for the WinAnsi-encoded standard fonts. Characters they lack are spelled in
/// ASCII where a reader would recognise it ("→" as "->") and shown as "?" otherwise, so no
/// character silently disappears.
fn encode(text: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(text.len());
    for c in text.chars() {
        match win_ansi(c) {
            Some(byte) => bytes.push(byte),
            None => bytes.extend_from_slice(ascii_fallback(c).as_bytes()),
        }
    }
    bytes
}

/// The WinAnsiEncoding byte for `c`: Latin-1 plus the Windows-1252 extras in 0x80–0x9F.
fn win_ansi(c: char) -> Option<u8> {
    let byte = match c {
        ' '..='~' | '\u{a0}'..='\u{ff}' => return u8::try_from(u32::from(c)).ok(),
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8a,
        '‹' => 0x8b,
        'Œ' => 0x8c,
        'Ž' => 0x8e,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201c}' => 0x93,
        '\u{201d}' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9a,
        '›' => 0x9b,
        'œ' => 0x9c,
        'ž' => 0x9e,
        'Ÿ' => 0x9f,
        _ => return None,
    };
    Some(byte)
}

/// Readable ASCII for common characters outside WinAnsi.
fn ascii_fallback(c: char) -> &'static str {
    match c {
        '\t' | '\r' | '\u{2002}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => " ",
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => "",
        '→' | '⇒' | '⟶' | '➔' => "->",
        '←' | '⇐' | '⟵' => "<-",
        '↔' | '⇔' => "<->",
        '↑' => "^",
        '↓' => "v",
        '≥' | '⩾' => ">=",
        '≤' | '⩽' => "<=",
        '≠' => "!=",
        '≈' | '∼' => "~",
        '−' | '‐' | '‑' | '‒' | '―' => "-",
        '′' => "'",
        '″' => "\"",
        '∞' => "inf",
        '✓' | '✔' => "yes",
        '✗' | '✘' => "no",
        _ => "?",
    }
}

/// Helvetica advance widths (1/1000 em) for WinAnsi codes 0x20..=0xFF, from Adobe's AFM.
const HELVETICA_WIDTHS: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // 0x20
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0x30
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // 0x40
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 0x50
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // 0x60
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 350, // 0x70
    556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350, // 0x80
    350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667, // 0x90
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 0xa0
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 0xb0
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 0xc0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 0xd0
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, // 0xe0
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500, // 0xf0
];

/// Helvetica-Bold advance widths (1/1000 em) for WinAnsi codes 0x20..=0xFF, from Adobe's AFM.
const HELVETICA_BOLD_WIDTHS: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // 0x20
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0x30
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // 0x40
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // 0x50
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // 0x60
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 350, // 0x70
    556, 350, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350, // 0x80
    350, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 350, 500, 667, // 0x90
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 0xa0
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 0xb0
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 0xc0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 0xd0
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, // 0xe0
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556, // 0xf0
];

#[cfg(test)]
#[path = "pdf_tests.rs"]
mod tests;
