//! Exports for the board and auditors: one assessment as PDF, JSON or CSV; the portfolio
//! as XLSX or CSV, read from the database a page of vendors at a time so memory stays
//! bounded whatever the portfolio's size.

use std::collections::{BTreeMap, BTreeSet};

use assay_core::access::Permission;
use assay_core::api::{AnswerView, AssessmentView, IncidentView, RemediationView, ScorecardView};
use assay_core::assessment::AssessmentStatus;
use assay_core::incident::{IncidentParty, IncidentStatus};
use assay_core::review::{DecisionOutcome, RemediationStatus};
use assay_core::scoring::QuestionStatus;
use assay_core::subprocessor::register_table;
use assay_core::template::QuestionKind;
use assay_core::text::capitalised;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::accounts;
use crate::db::assessments::find;
use crate::db::entities::{decision, remediation, user, vendor};
use crate::db::vendors::{self, PortfolioFilter};
use crate::error::{Error, Result};
use crate::exports::csv;
use crate::exports::report::{
    CategoryLine, DecisionLine, EvidenceLine, FactLine, FindingLine, FindingRow, IncidentLine,
    IncidentRow, OverrideLine, QuestionLine, RemediationLine, RemediationRow, ScorecardReport,
    SubprocessorLine, VendorRow,
};
use crate::services::assessments::{self};
use crate::services::audit::{self, Action, Event};
use crate::services::{dashboard, incidents, remediation_views, review};
use crate::state::Ctx;
use crate::zone::Zone;

/// How many vendors the portfolio export reads per query.
const PAGE: u64 = 500;

/// An assessment's data for its exports.
pub struct AssessmentExport {
    pub organisation: String,
    pub assessment: AssessmentView,
    pub scorecard: ScorecardView,
    /// Every incident of the vendor, newest discovery first.
    pub incidents: Vec<IncidentView>,
    /// The assessment's open remediation items, by due date.
    pub remediations: Vec<RemediationView>,
    /// The vendor's subprocessor register now, each row with its findings.
    pub register: assay_core::api::RegisterView,
    pub generated_at: OffsetDateTime,
    /// The organisation's time zone: every instant the PDF shows is written in it.
    pub zone: Zone,
}

/// Loads one assessment for export (Export permission) and records the download.
pub async fn assessment(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    format: &str,
) -> Result<AssessmentExport> {
    let db = &ctx.db;
    let clock = &ctx.clock;
    user.require(Permission::Export)?;
    let model = find(db, user.organization_id, id).await?;
    let scorecard = review::view(db, &model, None, ctx.clock.now()).await?;
    let assessment = assessments::get(ctx, user, id).await?;
    let incidents =
        incidents::of_vendor(db, user.organization_id, model.vendor_id, clock.now()).await?;
    let open_items =
        crate::db::remediations::open_of_assessment(db, user.organization_id, id).await?;
    let remediations =
        remediation_views::views(db, user.organization_id, open_items, clock.now()).await?;
    let register = crate::services::subprocessors::register_of(
        db,
        user.organization_id,
        model.vendor_id,
        clock.today(),
    )
    .await?;
    let (organisation, zone) = accounts::find_organization(db, user.organization_id)
        .await?
        .map(|o| (o.name, Zone::or_utc(&o.time_zone)))
        .unwrap_or_else(|| (String::new(), Zone::utc()));
    // In its own write transaction: the chain head's row lock orders this entry among
    // concurrent appends (outside one, two appends could read the same head).
    let txn = crate::db::begin_write(db).await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::ExportDownloaded,
            ("assessment", id.to_string()),
            json!({ "format": format, "scorecard_version": scorecard.version }),
        ),
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(AssessmentExport {
        organisation,
        assessment,
        scorecard,
        incidents,
        remediations,
        register,
        generated_at: ctx.clock.now(),
        zone,
    })
}

fn status_label(status: QuestionStatus, overridden: bool) -> &'static str {
    if overridden {
        return "Overridden";
    }
    match status {
        QuestionStatus::Scored => "Scored",
        QuestionStatus::NotApplicable => "N/A",
        QuestionStatus::Unanswered => "Unanswered",
        QuestionStatus::Hidden => "Hidden",
    }
}

/// The assessment as people read it, from one reading of the template snapshot.
struct AsRead {
    /// `None` when the snapshot is missing or no longer parses.
    template: Option<assay_core::template::Template>,
    /// The question texts, by question id.
    texts: BTreeMap<String, String>,
    /// The answers as people read them, by question id.
    answers: BTreeMap<String, String>,
}

impl AssessmentExport {
    /// The question texts and the answers as people read them; the raw answers when the
    /// template snapshot is missing.
    fn questions_as_read(&self) -> AsRead {
        let template: Option<assay_core::template::Template> = self
            .assessment
            .template
            .clone()
            .and_then(|t| serde_json::from_value(t).ok());
        let Some(template) = template else {
            let raw = self
                .assessment
                .answers
                .iter()
                .map(|(id, a)| (id.clone(), a.value.clone()))
                .collect();
            return AsRead {
                template: None,
                texts: BTreeMap::new(),
                answers: raw,
            };
        };
        let texts = template
            .questions()
            .map(|q| (q.id.clone(), assay_core::import::vsaq::plain_text(&q.text)))
            .collect();
        let answers = AnswerView::as_read(&template, &self.assessment.answers);
        AsRead {
            template: Some(template),
            texts,
            answers,
        }
    }

    /// The JSON export: everything an auditor needs to recompute the score.
    pub fn json(&self) -> Result<Vec<u8>> {
        let mut assessment = self.assessment.clone();
        assessment.template = None;
        serde_json::to_vec_pretty(&json!({
            "organisation": self.organisation,
            "assessment": assessment,
            "template": self.assessment.template,
            "scorecard": self.scorecard,
            "incidents": self.incidents,
            "subprocessors": self.register.subprocessors,
        }))
        .map_err(Error::internal)
    }

    /// The OSCAL `assessment-results` document (see [`crate::exports::oscal`]).
    pub fn oscal(&self) -> Result<Vec<u8>> {
        let AsRead { texts, answers, .. } = self.questions_as_read();
        let document = crate::exports::oscal::assessment_results(&crate::exports::oscal::Input {
            organisation: &self.organisation,
            assessment: &self.assessment,
            scorecard: &self.scorecard,
            texts: &texts,
            answers: &answers,
            generated_at: self.generated_at,
        });
        serde_json::to_vec_pretty(&document).map_err(Error::internal)
    }

    /// The CSV export: one row per scored question (the per-question breakdown) with its
    /// answer and the findings about it.
    pub fn csv(&self) -> String {
        let AsRead { texts, answers, .. } = self.questions_as_read();
        let card = &self.scorecard.card;
        let mut out = csv::line([
            "question_id",
            "question",
            "category",
            "answer",
            "status",
            "points",
            "weight",
            "contribution",
            "findings",
        ]);
        for q in &card.questions {
            let findings: Vec<&str> = card
                .findings
                .iter()
                .filter(|f| f.question_id.as_deref() == Some(q.id.as_str()))
                .map(|f| f.title.as_str())
                .collect();
            out.push_str(&csv::line([
                q.id.clone(),
                texts.get(&q.id).cloned().unwrap_or_default(),
                q.category.label().to_owned(),
                answers.get(&q.id).cloned().unwrap_or_default(),
                status_label(q.status, q.overridden.is_some()).to_owned(),
                csv::number(q.points),
                format!("{}", q.weight),
                csv::number(Some(q.contribution)),
                findings.join("; "),
            ]));
        }
        out
    }

    /// The PDF report's view: labels instead of ids, every instant through [`shown_time`]
    /// and every day through [`shown_date`].
    pub fn report(&self) -> ScorecardReport {
        let read = self.questions_as_read();
        let s = &self.scorecard;
        let card = &s.card;
        let template = format!(
            "{} v{}",
            self.assessment.title, self.assessment.template_version
        );
        let question_text = |id: &str| {
            read.texts
                .get(id)
                .filter(|t| !t.is_empty())
                .cloned()
                .unwrap_or_else(|| id.to_owned())
        };
        let mut findings: Vec<&assay_core::scoring::Finding> = card.findings.iter().collect();
        // Most severe first; among equals, open before settled, and a knock-out before the
        // warning that often names the same problem (its reason says what it does to the tier).
        findings.sort_by_key(|f| {
            (
                std::cmp::Reverse(f.severity),
                f.settled.is_some(),
                f.kind != assay_core::scoring::FindingKind::KnockOut,
            )
        });
        ScorecardReport {
            organisation: self.organisation.clone(),
            vendor: s.vendor_name.clone(),
            template,
            assessment_id: s.assessment_id.to_string(),
            status: s.status.label().to_owned(),
            generated_at: shown_time(&self.zone, self.generated_at),
            as_of: shown_day(&s.as_of),
            method_version: card.method_version.clone(),
            model_version: card.model_version.clone(),
            scorecard_version: i32::try_from(s.version).unwrap_or_default(),
            overall: card.overall,
            inherent_tier: card.inherent_tier.label().to_owned(),
            residual_tier: card.residual_tier.label().to_owned(),
            residual_note: Some(residual_note(s)),
            categories: card
                .categories
                .iter()
                .map(|c| CategoryLine {
                    label: c.category.label().to_owned(),
                    weight: c.weight,
                    score: Some(c.score),
                })
                .collect(),
            findings: findings
                .into_iter()
                .map(|f| FindingLine {
                    severity: f.severity.label().to_owned(),
                    kind: f.kind.label().to_owned(),
                    title: f.title.clone(),
                    reason: f.reason.clone(),
                    status: f.settled.map_or("Open", |by| by.label()).to_owned(),
                })
                .collect(),
            overrides: s
                .overrides
                .iter()
                .filter(|o| o.active)
                .map(|o| OverrideLine {
                    target: o.question_id.as_ref().map_or_else(
                        || "Residual tier".to_owned(),
                        |q| format!("Question: {}", question_text(q)),
                    ),
                    change: match (o.points, o.residual_tier) {
                        (Some(p), _) => {
                            let computed = card
                                .questions
                                .iter()
                                .find(|q| Some(&q.id) == o.question_id.as_ref())
                                .and_then(|q| q.overridden.as_ref())
                                .and_then(|x| x.computed);
                            format!("{} → {p:.2} points", csv::number(computed))
                        }
                        (None, Some(tier)) => {
                            let computed = card
                                .residual_overridden
                                .as_ref()
                                .map_or(card.residual_tier, |x| x.computed);
                            format!("{} → {}", computed.label(), tier.label())
                        }
                        (None, None) => String::new(),
                    },
                    reason: o.reason.clone(),
                    by: o.created_by.clone(),
                    expires_on: o.expires_on.as_deref().map(shown_day),
                })
                .collect(),
            decision: s.decision.as_ref().map(|d| DecisionLine {
                outcome: d.outcome.label().to_owned(),
                conditions: d.conditions.clone(),
                rationale: d.rationale.clone(),
                by: d.decided_by.clone(),
                at: shown_instant(&self.zone, &d.decided_at),
            }),
            remediations: self
                .remediations
                .iter()
                .map(|r| RemediationLine {
                    title: r.title.clone(),
                    severity: r.severity.label().to_owned(),
                    owner: r
                        .owner_name
                        .clone()
                        .unwrap_or_else(|| "Unassigned".to_owned()),
                    due_on: shown_day(&r.due_date),
                    overdue: r.overdue,
                    vendor_committed_on: r.vendor_committed_date.as_deref().map(shown_day),
                })
                .collect(),
            incidents: self
                .incidents
                .iter()
                .take(PDF_INCIDENTS)
                .map(|i| incident_line(&self.zone, i))
                .collect(),
            more_incidents: self.incidents.len().saturating_sub(PDF_INCIDENTS),
            subprocessors: self
                .register
                .subprocessors
                .iter()
                .map(|row| SubprocessorLine {
                    name: row.entry.name.clone(),
                    service: row.entry.service.clone(),
                    countries: row
                        .entry
                        .countries()
                        .iter()
                        .map(|c| c.name())
                        .collect::<Vec<_>>()
                        .join(", "),
                    mechanism: capitalised(&row.entry.mechanism.label()),
                    findings: row
                        .findings
                        .iter()
                        .map(|f| f.message.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                })
                .collect(),
            evidence: self
                .assessment
                .evidence
                .iter()
                .map(|e| EvidenceLine {
                    file_name: e.file_name.clone(),
                    kind: e
                        .kind
                        .as_deref()
                        .map(|k| {
                            assay_core::scoring::EvidenceKind::parse(k)
                                .map_or_else(|| k.to_owned(), |kind| capitalised(kind.label()))
                        })
                        .unwrap_or_default(),
                    sha256: e.sha256.clone(),
                    size_bytes: i64::try_from(e.size).unwrap_or(i64::MAX),
                    expires_on: e.expires_on.as_deref().map(shown_day),
                })
                .collect(),
            facts: self.facts(&read),
            questions: card
                .questions
                .iter()
                .map(|q| QuestionLine {
                    text: question_text(&q.id),
                    category: q.category.label().to_owned(),
                    answer: read.answers.get(&q.id).cloned().unwrap_or_default(),
                    points: q.points,
                    weight: q.weight,
                    contribution: q.contribution,
                    status: status_label(q.status, q.overridden.is_some()).to_owned(),
                })
                .collect(),
        }
    }

    /// The facts a board asks about that the score does not count, from the answers to the
    /// baseline template's questions on them. A question that is hidden or unanswered says
    /// "Not answered"; one the questionnaire does not have says "Not asked".
    fn facts(&self, read: &AsRead) -> Vec<FactLine> {
        let Some(template) = &read.template else {
            return FACTS
                .iter()
                .map(|(label, _)| FactLine {
                    label: (*label).to_owned(),
                    value: NOT_ASKED.to_owned(),
                })
                .collect();
        };
        let visible: BTreeSet<String> = template
            .evaluate(&crate::services::flat(&self.assessment.answers))
            .visible_questions
            .into_iter()
            .collect();
        let answer = |id: &str| -> Option<String> {
            if !template.questions().any(|q| q.id == id) {
                return Some(NOT_ASKED.to_owned());
            }
            visible
                .contains(id)
                .then(|| read.answers.get(id).cloned())
                .flatten()
                .filter(|a| !a.trim().is_empty())
        };
        FACTS
            .iter()
            .map(|(label, id)| {
                let mut value = answer(id);
                // A register table lists the names; the Subprocessors section has the rest.
                if value.is_some()
                    && template.questions().any(|q| {
                        q.id == *id && matches!(q.kind, QuestionKind::Table { register: true, .. })
                    })
                    && let Some(stated) = self.assessment.answers.get(*id)
                {
                    let mut names: Vec<String> = Vec::new();
                    for row in assay_core::answer::table_rows(&stated.value) {
                        let name = row.get(register_table::NAME).cloned().unwrap_or_default();
                        if !name.is_empty() && !names.contains(&name) {
                            names.push(name);
                        }
                    }
                    value = Some(format!(
                        "{} (where each takes the data: see Subprocessors)",
                        names.join(", ")
                    ));
                }
                // The list is hidden when the vendor says it uses none: say that rather
                // than "Not answered".
                if *id == SUBPROCESSOR_LIST
                    && value.is_none()
                    && visible.contains(SUBPROCESSORS_USED)
                    && self
                        .assessment
                        .answers
                        .get(SUBPROCESSORS_USED)
                        .is_some_and(|a| a.value == "no")
                {
                    value = Some(
                        "None (the vendor says it uses no subprocessors that can access the data)"
                            .to_owned(),
                    );
                }
                FactLine {
                    label: (*label).to_owned(),
                    value: value.unwrap_or_else(|| NOT_ANSWERED.to_owned()),
                }
            })
            .collect()
    }
}

/// How many incidents the PDF lists, newest first; it says how many more there are, and
/// the JSON export holds them all.
const PDF_INCIDENTS: usize = 10;

/// The baseline template's questions behind the PDF's unscored facts.
const DATA_LOCATIONS: &str = "dat_locations";
const SUBPROCESSORS_USED: &str = "sub_used";
const SUBPROCESSOR_LIST: &str = "sub_list";
const SECURITY_CONTACT: &str = "brn_contact";
const FACTS: [(&str, &str); 3] = [
    ("Data locations", DATA_LOCATIONS),
    ("Subprocessors", SUBPROCESSOR_LIST),
    ("Security contact", SECURITY_CONTACT),
];
const NOT_ANSWERED: &str = "Not answered";
const NOT_ASKED: &str = "Not asked in this questionnaire";

/// An instant as every export shows it, in the organisation's time zone, to the minute:
/// "3 Dec 2026, 15:05 CET".
pub fn shown_time(zone: &Zone, at: OffsetDateTime) -> String {
    zone.minute(at)
}

/// A day as every export shows it: "3 Dec 2026".
pub fn shown_date(d: time::Date) -> String {
    assay_core::text::long_date(d)
}

/// An RFC 3339 instant from a view, through [`shown_time`]; text that is not one is
/// shown as it is rather than lost.
fn shown_instant(zone: &Zone, rfc3339: &str) -> String {
    OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .map_or_else(|_| rfc3339.to_owned(), |at| shown_time(zone, at))
}

/// A `YYYY-MM-DD` day from a view, through [`shown_date`].
fn shown_day(iso: &str) -> String {
    crate::services::parse_date("date", iso).map_or_else(|_| iso.to_owned(), shown_date)
}

/// Why the residual tier is what it is, in a sentence a board member reads.
fn residual_note(s: &ScorecardView) -> String {
    let card = &s.card;
    if let Some(o) = &card.residual_overridden {
        let by = s
            .overrides
            .iter()
            .find(|v| v.id.to_string() == o.override_id);
        return match by {
            Some(v) => format!(
                "Set to {} by {}'s override of the computed {}: {}",
                card.residual_tier.label(),
                v.created_by,
                o.computed.label(),
                v.reason
            ),
            None => format!(
                "Set to {} by an override of the computed {}.",
                card.residual_tier.label(),
                o.computed.label()
            ),
        };
    }
    if let Some(h) = &card.held_by {
        return format!(
            "Held at {} by the open finding “{}”; the score alone gives {}.",
            h.tier.label(),
            h.title,
            h.from_score.label()
        );
    }
    let inherent = card.inherent_tier.label();
    match card.overall {
        None => format!("Nothing could be scored, so it stays at the inherent tier, {inherent}."),
        Some(score) if card.residual_tier < card.inherent_tier => format!(
            "The overall score of {score:.1} lowers the inherent tier, {inherent}, to {}.",
            card.residual_tier.label()
        ),
        Some(_) if card.inherent_tier == assay_core::risk::RiskTier::Low => {
            "The inherent tier is already Low, the lowest.".to_owned()
        }
        Some(score) => format!(
            "The overall score of {score:.1} is not high enough to lower the inherent tier, {inherent}."
        ),
    }
}

fn incident_line(zone: &Zone, i: &IncidentView) -> IncidentLine {
    let mut affected: Vec<String> = i.data_types.iter().map(|d| d.label().to_owned()).collect();
    if let Some(records) = i.records_affected {
        let noun = if records == 1 { "record" } else { "records" };
        affected.push(format!(
            "{} {noun}",
            assay_core::text::figure(records as f64)
        ));
    }
    IncidentLine {
        title: i.title.clone(),
        status: i.status.label().to_owned(),
        reported_at: shown_instant(zone, &i.reported_at),
        late: i.late,
        timeliness: if i.late {
            format!("Late by {} h", i.hours_late)
        } else {
            "On time".to_owned()
        },
        data_affected: if affected.is_empty() {
            "Not stated".to_owned()
        } else {
            affected.join(", ")
        },
    }
}

/// One page of the portfolio: vendors with their latest scorecard, its findings, and their
/// remediation items and incidents.
pub struct PortfolioPage {
    pub vendors: Vec<VendorRow>,
    pub findings: Vec<FindingRow>,
    pub remediations: Vec<RemediationRow>,
    pub incidents: Vec<IncidentRow>,
}

/// Reads the portfolio page by page (by vendor id), for streaming exports, narrowed by the
/// dashboard's filters.
pub struct Portfolio {
    organization_id: Uuid,
    filter: PortfolioFilter,
    after: Option<Uuid>,
    done: bool,
    users: BTreeMap<Uuid, String>,
}

impl Portfolio {
    /// Starts a portfolio export (Export permission) of the vendors the dashboard's filters
    /// keep, and records it with those filters. A bad filter is a 422 naming it.
    pub async fn start(
        ctx: &Ctx,
        user: &UserCaller,
        format: &str,
        filter: dashboard::Filter,
    ) -> Result<Portfolio> {
        let db = &ctx.db;
        user.require(Permission::Export)?;
        let filter = filter.parse()?;
        // In its own write transaction, as every audit append (see `assessment`).
        let txn = crate::db::begin_write(db).await?;
        audit::record(
            &txn,
            Event::by(
                user,
                Action::ExportDownloaded,
                ("portfolio", user.organization_id.to_string()),
                json!({
                    "format": format,
                    "tag": filter.tag,
                    "criticality": filter.criticality.map(|c| c.as_str()),
                    "owner_id": filter.owner_id,
                }),
            ),
            ctx.clock.now(),
        )
        .await?;
        txn.commit().await?;
        let users = user::Entity::find()
            .filter(user::Column::OrganizationId.eq(user.organization_id))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        Ok(Portfolio {
            organization_id: user.organization_id,
            filter,
            after: None,
            done: false,
            users,
        })
    }

    /// The next page, or `None` at the end. A page is up to `PAGE` vendors read by id; the
    /// tag is matched on each, and pages it empties are skipped, so every page returned has
    /// a vendor and the statements per page stay fixed whatever the portfolio's size.
    pub async fn next(&mut self, conn: &impl ConnectionTrait) -> Result<Option<PortfolioPage>> {
        while !self.done {
            let mut vendors =
                vendors::portfolio_page(conn, self.organization_id, &self.filter, self.after, PAGE)
                    .await?;
            if u64::try_from(vendors.len()).unwrap_or_default() < PAGE {
                self.done = true;
            }
            let Some(last) = vendors.last() else {
                return Ok(None);
            };
            self.after = Some(last.id);
            vendors.retain(|v| self.filter.keeps(v));
            if vendors.is_empty() {
                continue;
            }
            let ids: BTreeSet<Uuid> = vendors.iter().map(|v| v.id).collect();
            return self.page(conn, vendors, &ids).await.map(Some);
        }
        Ok(None)
    }

    async fn page(
        &self,
        conn: &impl ConnectionTrait,
        vendors: Vec<vendor::Model>,
        ids: &BTreeSet<Uuid>,
    ) -> Result<PortfolioPage> {
        let latest_cards = review::latest_cards(conn, self.organization_id, ids).await?;
        let assessment_ids: Vec<Uuid> = latest_cards.values().map(|l| l.assessment_id).collect();
        let decisions: BTreeMap<Uuid, DecisionOutcome> = decision::Entity::find()
            .filter(decision::Column::AssessmentId.is_in(assessment_ids))
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|d| Some((d.assessment_id, DecisionOutcome::parse(&d.outcome)?)))
            .collect();
        // By vendor in SQL (the vendor index); the tenant is checked on every row as well.
        let remediations: Vec<remediation::Model> = remediation::Entity::find()
            .filter(remediation::Column::VendorId.is_in(ids.iter().copied()))
            .order_by_asc(remediation::Column::DueDate)
            .all(conn)
            .await?
            .into_iter()
            .filter(|r| r.organization_id == self.organization_id)
            .collect();
        let names: BTreeMap<Uuid, String> = vendors
            .iter()
            .map(|v| (v.id, v.legal_name.clone()))
            .collect();
        let incident_rows = incidents::of_vendors(conn, self.organization_id, ids).await?;
        let mut open_incidents: BTreeMap<Uuid, i64> = BTreeMap::new();
        for i in &incident_rows {
            if i.status != IncidentStatus::Resolved.as_str() {
                *open_incidents.entry(i.vendor_id).or_default() += 1;
            }
        }
        let mut out = PortfolioPage {
            vendors: Vec::with_capacity(vendors.len()),
            findings: Vec::new(),
            remediations: Vec::new(),
            incidents: Vec::with_capacity(incident_rows.len()),
        };
        for v in vendors {
            let latest = latest_cards.get(&v.id);
            let card = latest.and_then(|l| l.card.as_ref());
            if let (Some(l), Some(card)) = (latest, card) {
                for f in &card.findings {
                    out.findings.push(FindingRow {
                        vendor: v.legal_name.clone(),
                        assessment_id: l.assessment_id.to_string(),
                        severity: f.severity.label().to_owned(),
                        kind: f.kind.label().to_owned(),
                        title: f.title.clone(),
                        reason: f.reason.clone(),
                        question_id: f.question_id.clone().unwrap_or_default(),
                    });
                }
            }
            let tags: Vec<String> = serde_json::from_str(&v.tags).unwrap_or_default();
            out.vendors.push(VendorRow {
                criticality: label_of::<assay_core::risk::Criticality>(&v.criticality),
                owner: v
                    .owner_id
                    .and_then(|o| self.users.get(&o).cloned())
                    .unwrap_or_default(),
                tags: tags.join(", "),
                inherent_tier: label_of::<assay_core::risk::RiskTier>(&v.inherent_tier),
                residual_tier: card
                    .map(|c| c.residual_tier.label().to_owned())
                    .unwrap_or_default(),
                overall: card.and_then(|c| c.overall),
                decision: latest
                    .and_then(|l| decisions.get(&l.assessment_id))
                    .map(|d| d.label().to_owned())
                    .unwrap_or_default(),
                last_assessed: latest
                    .filter(|l| l.status == AssessmentStatus::Completed)
                    .and_then(|l| l.submitted_at)
                    .map(|t| t.date().to_string()),
                open_findings: card
                    .map(|c| i64::try_from(c.findings.len()).unwrap_or_default())
                    .unwrap_or_default(),
                open_incidents: open_incidents.get(&v.id).copied().unwrap_or_default(),
                vendor: v.legal_name,
            });
        }
        for i in incident_rows {
            let data_types: Vec<assay_core::risk::DataType> =
                serde_json::from_str(&i.data_types).unwrap_or_default();
            out.incidents.push(IncidentRow {
                vendor: names.get(&i.vendor_id).cloned().unwrap_or_default(),
                status: IncidentStatus::parse(&i.status)
                    .map_or_else(|| i.status.clone(), |s| s.label().to_owned()),
                reported_by: IncidentParty::parse(&i.reported_by)
                    .map_or_else(|| i.reported_by.clone(), |p| p.label().to_owned()),
                discovered_at: assay_core::incident::format_utc(i.discovered_at),
                reported_at: assay_core::incident::format_utc(i.reported_at),
                deadline_at: assay_core::incident::format_utc(incidents::deadline_of(&i)),
                notification_hours: i64::from(i.notification_hours),
                hours_late: incidents::late_hours(&i),
                records_affected: i.records_affected,
                data_types: data_types
                    .iter()
                    .map(|d| d.label())
                    .collect::<Vec<_>>()
                    .join(", "),
                title: i.title,
            });
        }
        for r in remediations {
            let status = RemediationStatus::parse(&r.status).unwrap_or(RemediationStatus::Open);
            out.remediations.push(RemediationRow {
                vendor: names.get(&r.vendor_id).cloned().unwrap_or_default(),
                title: r.title,
                severity: label_of::<assay_core::template::Severity>(&r.severity),
                status: status.label().to_owned(),
                owner: r
                    .owner_id
                    .and_then(|o| self.users.get(&o).cloned())
                    .unwrap_or_default(),
                due_on: r.due_date.to_string(),
                vendor_committed_on: r.vendor_committed_date.map(|d| d.to_string()),
                closure_evidence: r.closure_evidence,
            });
        }
        Ok(out)
    }
}

/// The label of a stored enum name, or the name itself when it is not one.
fn label_of<T: assay_core::named::Named>(name: &str) -> String {
    T::from_name(name).map_or_else(|| name.to_owned(), |v| v.label().to_owned())
}

/// The header and one line per vendor of the portfolio CSV.
pub fn portfolio_csv_header() -> String {
    csv::line([
        "vendor",
        "criticality",
        "owner",
        "tags",
        "inherent_tier",
        "residual_tier",
        "overall",
        "decision",
        "last_assessed",
        "open_findings",
        "open_incidents",
    ])
}

pub fn portfolio_csv_rows(page: &PortfolioPage) -> String {
    page.vendors
        .iter()
        .map(|v| {
            csv::line([
                v.vendor.clone(),
                v.criticality.clone(),
                v.owner.clone(),
                v.tags.clone(),
                v.inherent_tier.clone(),
                v.residual_tier.clone(),
                csv::score(v.overall),
                v.decision.clone(),
                v.last_assessed.clone().unwrap_or_default(),
                v.open_findings.to_string(),
                v.open_incidents.to_string(),
            ])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn instants_are_shown_in_the_organisations_zone_to_the_minute() {
        let utc = Zone::utc();
        assert_eq!(
            shown_time(&utc, datetime!(2026-12-03 14:05:59.9 UTC)),
            "3 Dec 2026, 14:05 UTC"
        );
        assert_eq!(
            shown_time(&utc, datetime!(2026-12-04 01:30 +02:00)),
            "3 Dec 2026, 23:30 UTC",
            "another offset is converted, not relabelled"
        );
        let berlin = Zone::named("Europe/Berlin").expect("a zone");
        assert_eq!(
            shown_instant(&berlin, "2026-12-03T14:05:00Z"),
            "3 Dec 2026, 15:05 CET"
        );
        assert_eq!(shown_date(date!(2027 - 01 - 01)), "1 Jan 2027");
        assert_eq!(
            shown_instant(&utc, "2026-12-03T14:05:00Z"),
            "3 Dec 2026, 14:05 UTC"
        );
        assert_eq!(shown_day("2099-03-31"), "31 Mar 2099");
        assert_eq!(shown_day("soon"), "soon", "not a date: shown as it is");
    }

    #[test]
    fn the_unscored_facts_are_questions_of_the_baseline() {
        let baseline = assay_core::baseline::baseline_template().expect("the baseline");
        for id in [
            DATA_LOCATIONS,
            SUBPROCESSORS_USED,
            SUBPROCESSOR_LIST,
            SECURITY_CONTACT,
        ] {
            assert!(
                baseline.questions().any(|q| q.id == id),
                "the baseline asks {id}"
            );
            assert!(
                !baseline.scoring.questions.contains_key(id),
                "{id} is not scored, so only the facts show it"
            );
        }
    }
}
