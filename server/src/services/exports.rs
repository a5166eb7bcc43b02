//! Exports for the board and auditors: one assessment as PDF, JSON or CSV; the portfolio
//! as XLSX or CSV, read from the database a page of vendors at a time so memory stays
//! bounded whatever the portfolio's size.

use std::collections::{BTreeMap, BTreeSet};

use assay_core::access::Permission;
use assay_core::api::{AnswerView, AssessmentView, IncidentView, ScorecardView};
use assay_core::assessment::AssessmentStatus;
use assay_core::incident::{IncidentParty, IncidentStatus};
use assay_core::review::{DecisionOutcome, RemediationStatus};
use assay_core::scoring::QuestionStatus;
use assay_core::text::capitalised;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::accounts;
use crate::db::assessments::find;
use crate::db::entities::{decision, remediation, user, vendor};
use crate::error::{Error, Result};
use crate::exports::csv;
use crate::exports::report::{
    CategoryLine, DecisionLine, EvidenceLine, FindingLine, FindingRow, IncidentRow, OverrideLine,
    QuestionLine, RemediationRow, ScorecardReport, VendorRow,
};
use crate::services::assessments::{self};
use crate::services::audit::{self, Action, Event};
use crate::services::{incidents, review};
use crate::state::Ctx;

/// How many vendors the portfolio export reads per query.
const PAGE: u64 = 500;

/// An assessment's data for its exports.
pub struct AssessmentExport {
    pub organisation: String,
    pub assessment: AssessmentView,
    pub scorecard: ScorecardView,
    /// Every incident of the vendor, newest discovery first.
    pub incidents: Vec<IncidentView>,
    pub generated_at: OffsetDateTime,
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
    let organisation = accounts::find_organization(db, user.organization_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    audit::record(
        db,
        Event::by(
            user,
            Action::ExportDownloaded,
            ("assessment", id.to_string()),
            json!({ "format": format, "scorecard_version": scorecard.version }),
        ),
        ctx.clock.now(),
    )
    .await?;
    Ok(AssessmentExport {
        organisation,
        assessment,
        scorecard,
        incidents,
        generated_at: ctx.clock.now(),
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

impl AssessmentExport {
    /// The question texts and the answers as people read them, by question id, from one
    /// reading of the template snapshot.
    fn questions_as_read(&self) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
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
            return (BTreeMap::new(), raw);
        };
        let texts = template
            .questions()
            .map(|q| (q.id.clone(), assay_core::import::vsaq::plain_text(&q.text)))
            .collect();
        (
            texts,
            AnswerView::as_read(&template, &self.assessment.answers),
        )
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
        }))
        .map_err(Error::internal)
    }

    /// The CSV export: one row per scored question (the per-question breakdown) with its
    /// answer and the findings about it.
    pub fn csv(&self) -> String {
        let (texts, answers) = self.questions_as_read();
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

    /// The PDF report's view.
    pub fn report(&self) -> ScorecardReport {
        let (texts, answers) = self.questions_as_read();
        let s = &self.scorecard;
        let card = &s.card;
        let template = format!(
            "{} v{}",
            self.assessment.title, self.assessment.template_version
        );
        ScorecardReport {
            organisation: self.organisation.clone(),
            vendor: s.vendor_name.clone(),
            template,
            assessment_id: s.assessment_id.to_string(),
            status: s.status.label().to_owned(),
            generated_at: format!(
                "{}, {:02}:{:02} UTC",
                assay_core::text::long_date(self.generated_at.date()),
                self.generated_at.hour(),
                self.generated_at.minute()
            ),
            as_of: s.as_of.clone(),
            method_version: card.method_version.clone(),
            model_version: card.model_version.clone(),
            scorecard_version: i32::try_from(s.version).unwrap_or_default(),
            overall: card.overall,
            inherent_tier: card.inherent_tier.label().to_owned(),
            residual_tier: card.residual_tier.label().to_owned(),
            residual_note: card.held_by.as_ref().map(|h| {
                format!(
                    "Held at {} by the open finding “{}”; the score alone gives {}.",
                    h.tier.label(),
                    h.title,
                    h.from_score.label()
                )
            }),
            categories: card
                .categories
                .iter()
                .map(|c| CategoryLine {
                    label: c.category.label().to_owned(),
                    weight: c.weight,
                    score: Some(c.score),
                })
                .collect(),
            findings: card
                .findings
                .iter()
                .map(|f| FindingLine {
                    severity: f.severity.label().to_owned(),
                    kind: f.kind.label().to_owned(),
                    title: f.title.clone(),
                    reason: f.reason.clone(),
                    question_id: f.question_id.clone(),
                })
                .collect(),
            overrides: s
                .overrides
                .iter()
                .filter(|o| o.active)
                .map(|o| OverrideLine {
                    target: o
                        .question_id
                        .as_ref()
                        .map_or_else(|| "Residual tier".to_owned(), |q| format!("Question {q}")),
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
                    expires_on: o.expires_on.clone(),
                })
                .collect(),
            decision: s.decision.as_ref().map(|d| DecisionLine {
                outcome: d.outcome.label().to_owned(),
                conditions: d.conditions.clone(),
                rationale: d.rationale.clone(),
                by: d.decided_by.clone(),
                at: d.decided_at.clone(),
            }),
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
                    expires_on: e.expires_on.clone(),
                })
                .collect(),
            questions: card
                .questions
                .iter()
                .map(|q| QuestionLine {
                    id: q.id.clone(),
                    text: texts.get(&q.id).cloned().unwrap_or_default(),
                    category: q.category.label().to_owned(),
                    answer: answers.get(&q.id).cloned().unwrap_or_default(),
                    points: q.points,
                    weight: q.weight,
                    contribution: q.contribution,
                    status: status_label(q.status, q.overridden.is_some()).to_owned(),
                })
                .collect(),
        }
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

/// Reads the portfolio page by page (by vendor id), for streaming exports.
pub struct Portfolio {
    organization_id: Uuid,
    after: Option<Uuid>,
    done: bool,
    users: BTreeMap<Uuid, String>,
}

impl Portfolio {
    /// Starts a portfolio export (Export permission) and records it.
    pub async fn start(ctx: &Ctx, user: &UserCaller, format: &str) -> Result<Portfolio> {
        let db = &ctx.db;
        user.require(Permission::Export)?;
        audit::record(
            db,
            Event::by(
                user,
                Action::ExportDownloaded,
                ("portfolio", user.organization_id.to_string()),
                json!({ "format": format }),
            ),
            ctx.clock.now(),
        )
        .await?;
        let users = user::Entity::find()
            .filter(user::Column::OrganizationId.eq(user.organization_id))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        Ok(Portfolio {
            organization_id: user.organization_id,
            after: None,
            done: false,
            users,
        })
    }

    /// The next page, or `None` at the end.
    pub async fn next(&mut self, conn: &impl ConnectionTrait) -> Result<Option<PortfolioPage>> {
        if self.done {
            return Ok(None);
        }
        let mut query = vendor::Entity::find()
            .filter(vendor::Column::OrganizationId.eq(self.organization_id))
            .order_by_asc(vendor::Column::Id)
            .limit(PAGE);
        if let Some(after) = self.after {
            query = query.filter(vendor::Column::Id.gt(after));
        }
        let vendors = query.all(conn).await?;
        if u64::try_from(vendors.len()).unwrap_or_default() < PAGE {
            self.done = true;
        }
        let Some(last) = vendors.last() else {
            return Ok(None);
        };
        self.after = Some(last.id);
        let ids: BTreeSet<Uuid> = vendors.iter().map(|v| v.id).collect();
        let page = self.page(conn, vendors, &ids).await?;
        Ok(Some(page))
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
