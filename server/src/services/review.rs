//! The review of a submitted assessment: its scorecard (computed by `assay-core`, stored as
//! numbered versions whenever it changes), per-answer review and clarification threads,
//! overrides, and the decision that completes the assessment and freezes its scorecard.

use std::collections::BTreeMap;

use assay_core::access::Permission;
use assay_core::api::{
    ClarificationRequest, ClarificationView, DecisionRequest, DecisionView, OverrideRequest,
    OverrideView, ReviewRequest, ScorecardVersionView, ScorecardView,
};
use assay_core::assessment::{self, AssessmentEvent, AssessmentStatus};
use assay_core::incident::IncidentFact;
use assay_core::review::{AuthorKind, DecisionOutcome, ReviewStatus};
use assay_core::risk::{InherentRiskProfile, RiskTier};
use assay_core::scoring::{
    self, ContractTerms, EvidenceItem, Override, OverrideTarget, ScheduledChange, ScoreCard,
    ScoringInput, ScoringModel,
};
use assay_core::template::Template;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::caller::{UserCaller, VendorCaller};
use crate::db::assessments::{find, names, snapshot, status_of, stored};
use crate::db::entities::{
    answer_review, assessment as entity, assessment_invitation as invitation, clarification,
    decision, evidence, score_override, scorecard,
};
use crate::db::portal::reviews_of;
use crate::db::vendors;
use crate::error::{Error, Result};
use crate::services::audit::{self, Action, Actor, Event};
use crate::services::letters;
use crate::services::mailer;
use crate::services::mailer::{EmailKind, Mailer};
use crate::services::{IN_CHUNK, parse_date, text};
use crate::services::{flat, illegal, rfc3339};
use crate::state::Ctx;

/// Everything scoring reads for one assessment, loaded from the database.
pub(crate) struct Inputs {
    pub template: Template,
    pub answers: assay_core::evaluate::Answers,
    pub evidence: Vec<EvidenceItem>,
    pub contract: ContractTerms,
    pub profile: InherentRiskProfile,
    pub overrides: Vec<Override>,
    pub submitted: bool,
    /// Every incident of the vendor: a late report is a finding on each of its scorecards.
    pub incidents: Vec<IncidentFact>,
}

impl Inputs {
    pub(crate) async fn load(conn: &impl ConnectionTrait, model: &entity::Model) -> Result<Inputs> {
        Inputs::load_many(conn, model.organization_id, std::slice::from_ref(model))
            .await?
            .pop()
            .ok_or(Error::NotFound)
    }

    /// The inputs of each of these assessments of one organisation, in their order, in seven
    /// queries per [`IN_CHUNK`] assessments whatever their number (the what-if preview scores
    /// every vendor). An assessment of another organisation is refused as not found.
    pub(crate) async fn load_many(
        conn: &impl ConnectionTrait,
        organization_id: Uuid,
        models: &[entity::Model],
    ) -> Result<Vec<Inputs>> {
        let mut out = Vec::with_capacity(models.len());
        for chunk in models.chunks(IN_CHUNK) {
            out.extend(Inputs::load_chunk(conn, organization_id, chunk).await?);
        }
        Ok(out)
    }

    async fn load_chunk(
        conn: &impl ConnectionTrait,
        organization_id: Uuid,
        models: &[entity::Model],
    ) -> Result<Vec<Inputs>> {
        use crate::db::entities::{vendor, vendor_contract};
        let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
        let vendor_ids: Vec<Uuid> = models
            .iter()
            .map(|m| m.vendor_id)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut answers = crate::db::assessments::answers_of_many(conn, &ids).await?;
        let mut evidence: BTreeMap<Uuid, Vec<EvidenceItem>> = BTreeMap::new();
        for e in evidence::Entity::find()
            .filter(evidence::Column::AssessmentId.is_in(ids.iter().copied()))
            .all(conn)
            .await?
        {
            let Some(kind) = e
                .kind
                .as_deref()
                .and_then(|k| crate::services::restored(k).ok())
            else {
                continue;
            };
            evidence
                .entry(e.assessment_id)
                .or_default()
                .push(EvidenceItem {
                    id: e.id.to_string(),
                    kind,
                    expires: e.expires_on,
                    period_end: e.period_end,
                });
        }
        let contracts: BTreeMap<Uuid, ContractTerms> = vendor_contract::Entity::find()
            .filter(vendor_contract::Column::VendorId.is_in(vendor_ids.iter().copied()))
            .all(conn)
            .await?
            .into_iter()
            .map(|c| {
                (
                    c.vendor_id,
                    ContractTerms {
                        breach_notification_hours: c.breach_notification_hours.map(f64::from),
                        #[allow(clippy::cast_precision_loss)]
                        minimum_insurance: c.minimum_insurance.map(|v| v as f64),
                    },
                )
            })
            .collect();
        let vendors: BTreeMap<Uuid, vendor::Model> = vendor::Entity::find()
            .filter(vendor::Column::OrganizationId.eq(organization_id))
            .filter(vendor::Column::Id.is_in(vendor_ids.iter().copied()))
            .all(conn)
            .await?
            .into_iter()
            .map(|v| (v.id, v))
            .collect();
        let mut overrides: BTreeMap<Uuid, Vec<Override>> = BTreeMap::new();
        for o in score_override::Entity::find()
            .filter(score_override::Column::AssessmentId.is_in(ids.iter().copied()))
            .order_by_asc(score_override::Column::CreatedAt)
            .all(conn)
            .await?
        {
            if o.withdrawn_at.is_none() {
                overrides
                    .entry(o.assessment_id)
                    .or_default()
                    .push(core_override(&o)?);
            }
        }
        let incidents =
            crate::db::incidents::facts_of_vendors(conn, organization_id, &vendor_ids).await?;
        models
            .iter()
            .map(|model| {
                if model.organization_id != organization_id {
                    return Err(Error::NotFound);
                }
                let vendor = vendors.get(&model.vendor_id).ok_or(Error::NotFound)?;
                Ok(Inputs {
                    incidents: incidents.get(&model.vendor_id).cloned().unwrap_or_default(),
                    template: snapshot(model)?,
                    answers: flat(&answers.remove(&model.id).unwrap_or_default()),
                    evidence: evidence.remove(&model.id).unwrap_or_default(),
                    contract: contracts.get(&model.vendor_id).cloned().unwrap_or_default(),
                    profile: InherentRiskProfile {
                        data_types: serde_json::from_str(&vendor.data_types).unwrap_or_default(),
                        system_access: crate::services::restored(&vendor.system_access)?,
                        criticality: crate::services::restored(&vendor.criticality)?,
                    },
                    overrides: overrides.remove(&model.id).unwrap_or_default(),
                    submitted: model.submitted_at.is_some(),
                })
            })
            .collect()
    }

    pub(crate) fn scoring<'a>(&'a self, model: &'a ScoringModel, as_of: Date) -> ScoringInput<'a> {
        ScoringInput {
            template: &self.template,
            rules: &self.template.scoring,
            answers: &self.answers,
            evidence: &self.evidence,
            contract: &self.contract,
            profile: &self.profile,
            as_of,
            model,
            submitted: self.submitted,
            overrides: &self.overrides,
            incidents: &self.incidents,
        }
    }
}

fn core_override(o: &score_override::Model) -> Result<Override> {
    let target = match (&o.question_id, o.points, &o.tier) {
        (Some(question_id), Some(points), _) => OverrideTarget::Question {
            question_id: question_id.clone(),
            points,
        },
        (_, _, Some(tier)) => OverrideTarget::ResidualTier {
            tier: crate::services::restored(tier)?,
        },
        _ => {
            return Err(Error::internal(anyhow::anyhow!(
                "override {} has no target",
                o.id
            )));
        }
    };
    Ok(Override {
        id: o.id.to_string(),
        target,
        reason: o.reason.clone(),
        expires_on: o.expires_on,
    })
}

async fn overrides_of(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
) -> Result<Vec<score_override::Model>> {
    Ok(score_override::Entity::find()
        .filter(score_override::Column::AssessmentId.eq(assessment_id))
        .order_by_asc(score_override::Column::CreatedAt)
        .all(conn)
        .await?)
}

/// The current scorecard of an assessment, and when it changes by itself.
pub(crate) struct Current {
    pub card: ScoreCard,
    pub next_change: Option<ScheduledChange>,
    /// The stored version; `None` before submission (nothing is stored then).
    pub stored: Option<scorecard::Model>,
}

fn digest(body: &str) -> String {
    hex::encode(Sha256::digest(body.as_bytes()))
}

/// Computes the scorecard as of today and, once the vendor has submitted, stores it as a
/// new version when it differs from the latest one (answers, evidence, overrides, the
/// scoring model or the passing of time changed it).
pub(crate) async fn refresh(
    conn: &impl ConnectionTrait,
    model: &entity::Model,
    now: OffsetDateTime,
) -> Result<Current> {
    let inputs = Inputs::load(conn, model).await?;
    let scoring_model = crate::db::scoring_models::current(conn, model.organization_id).await?;
    let today = now.date();
    let submitted = inputs.submitted;
    let (card, next_change) = crate::services::compute(move || {
        let input = inputs.scoring(&scoring_model, today);
        (scoring::score(&input), scoring::next_change(&input))
    })
    .await?;
    if !submitted {
        return Ok(Current {
            card,
            next_change,
            stored: None,
        });
    }
    let body = serde_json::to_string(&card).map_err(Error::internal)?;
    let hash = digest(&body);
    let latest = latest_version(conn, model.id).await?;
    let version = match latest {
        Some(latest) if latest.digest == hash => {
            return Ok(Current {
                card,
                next_change,
                stored: Some(latest),
            });
        }
        Some(latest) => latest.version + 1,
        None => 1,
    };
    let row = scorecard::ActiveModel {
        id: Set(Uuid::now_v7()),
        assessment_id: Set(model.id),
        version: Set(version),
        model_version: Set(card.model_version.clone()),
        as_of: Set(today),
        body: Set(body),
        digest: Set(hash.clone()),
        frozen: Set(false),
        computed_at: Set(now),
    };
    let stored = match row.insert(conn).await {
        Ok(stored) => stored,
        // Another request stored the same recomputation first (unique version).
        Err(_) => latest_version(conn, model.id)
            .await?
            .ok_or_else(|| Error::internal(anyhow::anyhow!("scorecard version vanished")))?,
    };
    Ok(Current {
        card,
        next_change,
        stored: Some(stored),
    })
}

async fn latest_version(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
) -> Result<Option<scorecard::Model>> {
    Ok(scorecard::Entity::find()
        .filter(scorecard::Column::AssessmentId.eq(assessment_id))
        .order_by_desc(scorecard::Column::Version)
        .one(conn)
        .await?)
}

async fn versions(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
) -> Result<Vec<scorecard::Model>> {
    Ok(scorecard::Entity::find()
        .filter(scorecard::Column::AssessmentId.eq(assessment_id))
        .order_by_desc(scorecard::Column::Version)
        .all(conn)
        .await?)
}

fn override_view(o: &score_override::Model, today: Date) -> Result<OverrideView> {
    let tier: Option<RiskTier> = o
        .tier
        .as_deref()
        .map(crate::services::restored)
        .transpose()?;
    Ok(OverrideView {
        id: o.id,
        question_id: o.question_id.clone(),
        points: o.points,
        residual_tier: tier,
        reason: o.reason.clone(),
        expires_on: o.expires_on.map(|d| d.to_string()),
        active: o.withdrawn_at.is_none() && o.expires_on.is_none_or(|last| today <= last),
        withdrawn: o.withdrawn_at.is_some(),
        created_by: o.created_by_name.clone(),
        created_at: rfc3339(o.created_at),
    })
}

pub(crate) async fn clarifications_of(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
) -> Result<Vec<ClarificationView>> {
    clarification::Entity::find()
        .filter(clarification::Column::AssessmentId.eq(assessment_id))
        .order_by_asc(clarification::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|c| {
            Ok(ClarificationView {
                id: c.id,
                question_id: c.question_id,
                author_kind: AuthorKind::parse(&c.author_kind).ok_or_else(|| {
                    Error::internal(anyhow::anyhow!("author kind {}", c.author_kind))
                })?,
                author: c.author,
                message: c.body,
                created_at: rfc3339(c.created_at),
            })
        })
        .collect()
}

pub(crate) async fn decision_of(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
) -> Result<Option<DecisionView>> {
    let Some(d) = decision::Entity::find_by_id(assessment_id)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(DecisionView {
        outcome: DecisionOutcome::parse(&d.outcome)
            .ok_or_else(|| Error::internal(anyhow::anyhow!("outcome {}", d.outcome)))?,
        conditions: serde_json::from_str(&d.conditions).map_err(Error::internal)?,
        rationale: d.rationale,
        decided_by: d.decided_by_name,
        decided_at: rfc3339(d.decided_at),
        scorecard_version: u32::try_from(d.scorecard_version).unwrap_or_default(),
    }))
}

/// The scorecard view of an assessment: the current one, or a stored `version`.
pub(crate) async fn view(
    conn: &impl ConnectionTrait,
    model: &entity::Model,
    version: Option<u32>,
    now: OffsetDateTime,
) -> Result<ScorecardView> {
    let current = refresh(conn, model, now).await?;
    let all = versions(conn, model.id).await?;
    let (card, stored, next_change) = match version {
        None => (current.card, current.stored, current.next_change),
        Some(v) => {
            let row = all
                .iter()
                .find(|r| u32::try_from(r.version).ok() == Some(v))
                .cloned()
                .ok_or(Error::NotFound)?;
            let card: ScoreCard = serde_json::from_str(&row.body).map_err(Error::internal)?;
            (card, Some(row), None)
        }
    };
    let today = now.date();
    let vendor = vendors::find(conn, model.organization_id, model.vendor_id)
        .await?
        .ok_or(Error::NotFound)?;
    let versions = all
        .iter()
        .map(|r| {
            let card: ScoreCard = serde_json::from_str(&r.body).map_err(Error::internal)?;
            Ok(ScorecardVersionView {
                version: u32::try_from(r.version).unwrap_or_default(),
                computed_at: rfc3339(r.computed_at),
                overall: card.overall,
                residual_tier: card.residual_tier,
                frozen: r.frozen,
            })
        })
        .collect::<Result<_>>()?;
    Ok(ScorecardView {
        assessment_id: model.id,
        vendor_id: model.vendor_id,
        vendor_name: vendor.legal_name,
        status: status_of(model)?,
        version: stored
            .as_ref()
            .map_or(0, |s| u32::try_from(s.version).unwrap_or_default()),
        provisional: stored.is_none(),
        frozen: stored.as_ref().is_some_and(|s| s.frozen),
        as_of: stored
            .as_ref()
            .map_or_else(|| today.to_string(), |s| s.as_of.to_string()),
        computed_at: stored
            .as_ref()
            .map_or_else(|| rfc3339(now), |s| rfc3339(s.computed_at)),
        card,
        next_change,
        overrides: overrides_of(conn, model.id)
            .await?
            .iter()
            .map(|o| override_view(o, today))
            .collect::<Result<_>>()?,
        reviews: reviews_of(conn, model.id).await?,
        clarifications: clarifications_of(conn, model.id).await?,
        decision: decision_of(conn, model.id).await?,
        remediations: crate::services::remediation_views::of_assessment(
            conn,
            model.organization_id,
            model.id,
            now,
        )
        .await?,
        versions,
    })
}

/// `GET /api/assessments/{id}/scorecard`.
pub async fn scorecard(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    version: Option<u32>,
) -> Result<ScorecardView> {
    let db = &ctx.db;
    user.require(Permission::ReadAssessments)?;
    let model = find(db, user.organization_id, id).await?;
    view(db, &model, version, ctx.clock.now()).await
}

/// Ends a reviewer's action: the audit entry, the updated scorecard, the commit.
async fn finish(
    txn: sea_orm::DatabaseTransaction,
    user: &UserCaller,
    model: &entity::Model,
    action: Action,
    detail: serde_json::Value,
    now: OffsetDateTime,
) -> Result<ScorecardView> {
    audit::record(
        &txn,
        Event::by(user, action, ("assessment", model.id.to_string()), detail),
        now,
    )
    .await?;
    let view = view(&txn, model, None, now).await?;
    txn.commit().await?;
    Ok(view)
}

/// The assessment as a reviewer may act on it: submitted (it moves to Under review on the
/// first action), under review, or returned for clarification.
async fn reviewable(
    conn: &impl ConnectionTrait,
    user: &UserCaller,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<entity::Model> {
    let model = find(conn, user.organization_id, id).await?;
    match status_of(&model)? {
        AssessmentStatus::Submitted => {
            let next =
                assessment::transition(AssessmentStatus::Submitted, AssessmentEvent::StartReview)
                    .map_err(illegal)?;
            set_status(conn, model, next, now).await
        }
        AssessmentStatus::UnderReview | AssessmentStatus::ReturnedForClarification => Ok(model),
        AssessmentStatus::Completed => Err(Error::Conflict {
            code: "assessment_closed",
            message: "The decision has been made; the review is closed.".to_owned(),
        }),
        _ => Err(Error::Conflict {
            code: "not_submitted",
            message: "The vendor has not submitted this questionnaire yet.".to_owned(),
        }),
    }
}

async fn set_status(
    conn: &impl ConnectionTrait,
    model: entity::Model,
    status: AssessmentStatus,
    now: OffsetDateTime,
) -> Result<entity::Model> {
    let mut active = model.into_active_model();
    active.status = Set(stored(status)?);
    active.updated_at = Set(now);
    Ok(active.update(conn).await?)
}

fn question_of<'a>(template: &'a Template, question_id: &str) -> Result<&'a str> {
    template
        .questions()
        .find(|q| q.id == question_id)
        .map(|q| q.id.as_str())
        .ok_or_else(|| {
            Error::validation(
                "question_id",
                format!("The questionnaire has no question `{question_id}`."),
            )
        })
}

pub(crate) async fn set_review(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
    question_id: &str,
    status: ReviewStatus,
    by: Option<Uuid>,
    now: OffsetDateTime,
) -> Result<()> {
    match answer_review::Entity::find_by_id((assessment_id, question_id.to_owned()))
        .one(conn)
        .await?
    {
        Some(existing) => {
            let mut active = existing.into_active_model();
            active.status = Set(status.as_str().to_owned());
            active.reviewed_by = Set(by);
            active.updated_at = Set(now);
            active.update(conn).await?;
        }
        None => {
            answer_review::ActiveModel {
                assessment_id: Set(assessment_id),
                question_id: Set(question_id.to_owned()),
                status: Set(status.as_str().to_owned()),
                reviewed_by: Set(by),
                updated_at: Set(now),
            }
            .insert(conn)
            .await?;
        }
    }
    Ok(())
}

/// `PUT /api/assessments/{id}/reviews/{question_id}`: the reviewer accepts an answer.
pub async fn review_answer(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    question_id: &str,
    request: ReviewRequest,
) -> Result<ScorecardView> {
    let db = &ctx.db;
    user.require(Permission::ReviewAssessments)?;
    if request.status != ReviewStatus::Accepted {
        return Err(Error::validation(
            "status",
            "Accept an answer here; ask for clarification with a message instead.",
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let model = reviewable(&txn, user, id, ctx.clock.now()).await?;
    let template = snapshot(&model)?;
    let question_id = question_of(&template, question_id)?;
    set_review(
        &txn,
        id,
        question_id,
        ReviewStatus::Accepted,
        Some(user.id),
        ctx.clock.now(),
    )
    .await?;
    finish(
        txn,
        user,
        &model,
        Action::AnswerAccepted,
        json!({ "question_id": question_id }),
        ctx.clock.now(),
    )
    .await
}

async fn add_message(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
    question_id: &str,
    kind: AuthorKind,
    author: &str,
    message: String,
    now: OffsetDateTime,
) -> Result<()> {
    clarification::ActiveModel {
        id: Set(Uuid::now_v7()),
        assessment_id: Set(assessment_id),
        question_id: Set(question_id.to_owned()),
        author_kind: Set(kind.as_str().to_owned()),
        author: Set(author.to_owned()),
        body: Set(message),
        created_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// `POST /api/assessments/{id}/clarifications`: the reviewer asks about one answer; the
/// assessment goes back to the vendor (Returned for clarification), who is emailed.
pub async fn request_clarification(
    ctx: &Ctx,
    mailer: &Mailer,
    user: &UserCaller,
    id: Uuid,
    request: ClarificationRequest,
) -> Result<ScorecardView> {
    let db = &ctx.db;
    user.require(Permission::ReviewAssessments)?;
    let message = text("message", &request.message, "your question to the vendor")?;
    let txn = crate::db::begin_write(db).await?;
    let mut model = reviewable(&txn, user, id, ctx.clock.now()).await?;
    let template = snapshot(&model)?;
    let question_id = question_of(&template, request.question_id.trim())?;
    add_message(
        &txn,
        id,
        question_id,
        AuthorKind::Reviewer,
        &user.display_name,
        message,
        ctx.clock.now(),
    )
    .await?;
    set_review(
        &txn,
        id,
        question_id,
        ReviewStatus::ClarificationRequested,
        Some(user.id),
        ctx.clock.now(),
    )
    .await?;
    let status = status_of(&model)?;
    if status != AssessmentStatus::ReturnedForClarification {
        let next = assessment::transition(status, AssessmentEvent::RequestClarification)
            .map_err(illegal)?;
        model = set_status(&txn, model, next, ctx.clock.now()).await?;
        let (organization_name, _) = names(&txn, &model).await?;
        notify_vendor(
            &txn,
            mailer,
            &model,
            EmailKind::Clarification,
            |name| letters::clarification(name, &organization_name, &template.title),
            ctx.clock.now(),
        )
        .await?;
    }
    finish(
        txn,
        user,
        &model,
        Action::ClarificationRequested,
        json!({ "question_id": question_id }),
        ctx.clock.now(),
    )
    .await
}

/// Emails each of the assessment's recipients (not delegates) the letter `compose` writes
/// for their name.
pub(crate) async fn notify_vendor(
    conn: &impl ConnectionTrait,
    mailer: &Mailer,
    model: &entity::Model,
    kind: EmailKind,
    compose: impl Fn(&str) -> letters::Letter,
    now: OffsetDateTime,
) -> Result<()> {
    let recipients = invitation::Entity::find()
        .filter(invitation::Column::AssessmentId.eq(model.id))
        .filter(invitation::Column::SectionId.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .order_by_asc(invitation::Column::CreatedAt)
        .all(conn)
        .await?;
    let mut seen = std::collections::BTreeSet::new();
    for r in recipients {
        // A re-sent link is a new row for the same person: one email each.
        if !seen.insert(r.recipient_email.to_lowercase()) {
            continue;
        }
        mailer
            .queue(
                conn,
                mailer::Email {
                    organization_id: Some(model.organization_id),
                    to: r.recipient_email.clone(),
                    kind,
                    letter: compose(&r.recipient_name),
                },
                now,
            )
            .await?;
    }
    Ok(())
}

/// `POST /api/portal/clarifications`: the vendor replies to the reviewer's question.
pub async fn reply(
    ctx: &Ctx,
    vendor: &VendorCaller,
    request: ClarificationRequest,
) -> Result<Vec<ClarificationView>> {
    let db = &ctx.db;
    let message = text("message", &request.message, "your reply")?;
    let txn = crate::db::begin_write(db).await?;
    let model = find(&txn, vendor.organization_id, vendor.assessment_id).await?;
    let question_id = request.question_id.trim();
    if crate::services::portal_scope::delegate_questions(&txn, vendor)
        .await?
        .is_some_and(|mine| !mine.contains(question_id))
    {
        // Another section's thread is not a delegate's to read or answer.
        return Err(Error::NotFound);
    }
    let asked = reviews_of(&txn, model.id)
        .await?
        .get(question_id)
        .is_some_and(|s| *s != ReviewStatus::Accepted);
    if !asked || status_of(&model)? != AssessmentStatus::ReturnedForClarification {
        return Err(Error::Conflict {
            code: "no_open_question",
            message: "The reviewer has not asked about this answer.".to_owned(),
        });
    }
    let author = invitation::Entity::find_by_id(vendor.invitation_id)
        .one(&txn)
        .await?
        .map(|i| i.recipient_name)
        .ok_or(Error::Unauthorized)?;
    add_message(
        &txn,
        model.id,
        question_id,
        AuthorKind::Vendor,
        &author,
        message,
        ctx.clock.now(),
    )
    .await?;
    set_review(
        &txn,
        model.id,
        question_id,
        ReviewStatus::Answered,
        None,
        ctx.clock.now(),
    )
    .await?;
    audit::record(
        &txn,
        Event {
            organization_id: Some(model.organization_id),
            actor: Actor {
                id: None,
                label: author,
            },
            action: Action::ClarificationAnswered,
            target: Some(("assessment", model.id.to_string())),
            detail: json!({ "question_id": question_id }),
        },
        ctx.clock.now(),
    )
    .await?;
    let thread = clarifications_of(&txn, model.id).await?;
    txn.commit().await?;
    Ok(thread)
}

/// `POST /api/assessments/{id}/overrides`: replaces a question's points or the residual
/// tier, with a reason and an optional last day. A new override of the same target
/// withdraws the previous one.
pub async fn add_override(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    request: OverrideRequest,
) -> Result<ScorecardView> {
    let db = &ctx.db;
    user.require(Permission::ReviewAssessments)?;
    let reason = text("reason", &request.reason, "the reason for the override")?;
    let expires_on = request
        .expires_on
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .map(|t| parse_date("expires_on", t))
        .transpose()?;
    let today = ctx.clock.now().date();
    if expires_on.is_some_and(|d| d < today) {
        return Err(Error::validation(
            "expires_on",
            "The last day of the override has passed.",
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let model = reviewable(&txn, user, id, ctx.clock.now()).await?;
    let template = snapshot(&model)?;
    let (question_id, points, tier) = match (
        &request.question_id,
        request.points,
        request.residual_tier,
    ) {
        (Some(q), Some(points), None) => {
            let q = question_of(&template, q.trim())?;
            if !template.scoring.questions.contains_key(q) {
                return Err(Error::validation(
                    "question_id",
                    "This question is not scored; there are no points to override.",
                ));
            }
            if !(0.0..=1.0).contains(&points) {
                return Err(Error::validation("points", "Points are between 0 and 1."));
            }
            (Some(q.to_owned()), Some(points), None)
        }
        (None, None, Some(tier)) => (None, None, Some(crate::services::stored(tier)?)),
        _ => {
            return Err(Error::validation(
                "question_id",
                "Override either a question's points (question_id and points) or the residual tier.",
            ));
        }
    };
    let now = ctx.clock.now();
    let mut replaced = score_override::Entity::update_many()
        .col_expr(
            score_override::Column::WithdrawnAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(score_override::Column::AssessmentId.eq(id))
        .filter(score_override::Column::WithdrawnAt.is_null());
    replaced = match &question_id {
        Some(q) => replaced.filter(score_override::Column::QuestionId.eq(q.clone())),
        None => replaced.filter(score_override::Column::QuestionId.is_null()),
    };
    replaced.exec(&txn).await?;
    let override_id = Uuid::now_v7();
    score_override::ActiveModel {
        id: Set(override_id),
        assessment_id: Set(id),
        question_id: Set(question_id.clone()),
        points: Set(points),
        tier: Set(tier.clone()),
        reason: Set(reason.clone()),
        expires_on: Set(expires_on),
        created_by: Set(user.id),
        created_by_name: Set(user.display_name.clone()),
        created_at: Set(now),
        withdrawn_at: Set(None),
    }
    .insert(&txn)
    .await?;
    finish(
        txn,
        user,
        &model,
        Action::ScoreOverridden,
        json!({
            "override_id": override_id,
            "question_id": question_id,
            "points": points,
            "residual_tier": tier,
            "reason": reason,
            "expires_on": expires_on.map(|d| d.to_string()),
        }),
        ctx.clock.now(),
    )
    .await
}

/// `DELETE /api/assessments/{id}/overrides/{override_id}`: withdraws an override.
pub async fn withdraw_override(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    override_id: Uuid,
) -> Result<ScorecardView> {
    let db = &ctx.db;
    user.require(Permission::ReviewAssessments)?;
    let txn = crate::db::begin_write(db).await?;
    let model = reviewable(&txn, user, id, ctx.clock.now()).await?;
    let found = score_override::Entity::find_by_id(override_id)
        .filter(score_override::Column::AssessmentId.eq(id))
        .filter(score_override::Column::WithdrawnAt.is_null())
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let mut active = found.into_active_model();
    active.withdrawn_at = Set(Some(ctx.clock.now()));
    active.update(&txn).await?;
    finish(
        txn,
        user,
        &model,
        Action::OverrideWithdrawn,
        json!({ "override_id": override_id }),
        ctx.clock.now(),
    )
    .await
}

/// `POST /api/assessments/{id}/decision`: approves (with conditions) or rejects; completes
/// the assessment and freezes the scorecard version it was made on.
pub async fn decide(
    ctx: &Ctx,
    mailer: &Mailer,
    user: &UserCaller,
    id: Uuid,
    request: DecisionRequest,
) -> Result<ScorecardView> {
    let db = &ctx.db;
    user.require(Permission::DecideAssessments)?;
    let rationale = text(
        "rationale",
        &request.rationale,
        "the rationale for the decision",
    )?;
    let conditions: Vec<String> = request
        .conditions
        .iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    match (request.outcome, conditions.is_empty()) {
        (DecisionOutcome::ApprovedWithConditions, true) => {
            return Err(Error::validation(
                "conditions",
                "List the conditions of the approval.",
            ));
        }
        (DecisionOutcome::Approved | DecisionOutcome::Rejected, false) => {
            return Err(Error::validation(
                "conditions",
                "Only an approval with conditions lists conditions.",
            ));
        }
        _ => {}
    }
    if conditions.iter().any(|c| c.chars().count() > 2_000) {
        return Err(Error::validation(
            "conditions",
            "Keep each condition under 2,000 characters.",
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let model = reviewable(&txn, user, id, ctx.clock.now()).await?;
    let status = status_of(&model)?;
    let next =
        assessment::transition(status, AssessmentEvent::Complete).map_err(|_| Error::Conflict {
            code: "clarification_pending",
            message:
                "The vendor has not answered the clarification yet; decide after they resubmit."
                    .to_owned(),
        })?;
    let current = refresh(&txn, &model, ctx.clock.now()).await?;
    let stored = current.stored.ok_or_else(|| {
        Error::internal(anyhow::anyhow!("a submitted assessment has a scorecard"))
    })?;
    let version = stored.version;
    let mut frozen = stored.into_active_model();
    frozen.frozen = Set(true);
    frozen.update(&txn).await?;
    let now = ctx.clock.now();
    decision::ActiveModel {
        assessment_id: Set(id),
        outcome: Set(request.outcome.as_str().to_owned()),
        conditions: Set(serde_json::to_string(&conditions).map_err(Error::internal)?),
        rationale: Set(rationale.clone()),
        decided_by: Set(user.id),
        decided_by_name: Set(user.display_name.clone()),
        decided_at: Set(now),
        scorecard_version: Set(version),
    }
    .insert(&txn)
    .await?;
    let model = set_status(&txn, model, next, ctx.clock.now()).await?;
    let (organization_name, _) = names(&txn, &model).await?;
    let title = snapshot(&model)?.title;
    notify_vendor(
        &txn,
        mailer,
        &model,
        EmailKind::Decision,
        |name| {
            letters::decision(
                name,
                &organization_name,
                &title,
                request.outcome.label(),
                &conditions,
            )
        },
        ctx.clock.now(),
    )
    .await?;
    finish(
        txn,
        user,
        &model,
        Action::AssessmentDecided,
        json!({
            "outcome": request.outcome.as_str(),
            "conditions": conditions,
            "rationale": rationale,
            "scorecard_version": version,
            "overall": current.card.overall,
            "residual_tier": current.card.residual_tier,
        }),
        ctx.clock.now(),
    )
    .await
}

/// A vendor's latest scored assessment: what the portfolio needs of it, not the assessment
/// itself (whose template snapshot can be large).
pub(crate) struct Latest {
    pub assessment_id: Uuid,
    pub status: AssessmentStatus,
    pub submitted_at: Option<OffsetDateTime>,
    /// Its latest stored scorecard, if one is stored.
    pub card: Option<ScoreCard>,
}

/// Each vendor's latest scored assessment (submitted or later, by submission) and its latest
/// stored scorecard, for the given vendors, in three queries per [`IN_CHUNK`] vendors. Only
/// the latest scorecard body of each vendor is read: no assessment row in full (no template
/// snapshot) and no older scorecard, so a page costs the same however long the history.
pub(crate) async fn latest_cards(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_ids: &std::collections::BTreeSet<Uuid>,
) -> Result<BTreeMap<Uuid, Latest>> {
    let ids: Vec<Uuid> = vendor_ids.iter().copied().collect();
    let mut out = BTreeMap::new();
    for chunk in ids.chunks(IN_CHUNK) {
        latest_cards_of(conn, organization_id, chunk, &mut out).await?;
    }
    Ok(out)
}

async fn latest_cards_of(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_ids: &[Uuid],
    out: &mut BTreeMap<Uuid, Latest>,
) -> Result<()> {
    use sea_orm::QuerySelect;
    const SCORED: [AssessmentStatus; 4] = [
        AssessmentStatus::Submitted,
        AssessmentStatus::UnderReview,
        AssessmentStatus::ReturnedForClarification,
        AssessmentStatus::Completed,
    ];
    // Only the vendor filter goes to SQL, so that the vendor index is the one plan: with a
    // status or tenant condition beside it, SQLite (without statistics) chose the status or
    // tenant index and scanned every assessment of the organisation for each page. Tenant
    // and status are checked on every row here instead.
    let rows: Vec<(Uuid, Uuid, Uuid, String, Option<OffsetDateTime>)> = entity::Entity::find()
        .select_only()
        .column(entity::Column::Id)
        .column(entity::Column::VendorId)
        .column(entity::Column::OrganizationId)
        .column(entity::Column::Status)
        .column(entity::Column::SubmittedAt)
        .filter(entity::Column::VendorId.is_in(vendor_ids.iter().copied()))
        .filter(entity::Column::SubmittedAt.is_not_null())
        .order_by_asc(entity::Column::SubmittedAt)
        .into_tuple()
        .all(conn)
        .await?;
    let mut latest: BTreeMap<Uuid, Latest> = BTreeMap::new();
    for (id, vendor, organization, status, submitted_at) in rows {
        let status: AssessmentStatus = crate::services::restored(&status)?;
        if organization == organization_id && SCORED.contains(&status) {
            latest.insert(
                vendor,
                Latest {
                    assessment_id: id,
                    status,
                    submitted_at,
                    card: None,
                },
            );
        }
    }
    let vendor_of: BTreeMap<Uuid, Uuid> = latest
        .iter()
        .map(|(vendor, l)| (l.assessment_id, *vendor))
        .collect();
    let mut newest: BTreeMap<Uuid, Uuid> = BTreeMap::new();
    let versions: Vec<(Uuid, Uuid)> = scorecard::Entity::find()
        .select_only()
        .column(scorecard::Column::Id)
        .column(scorecard::Column::AssessmentId)
        .filter(scorecard::Column::AssessmentId.is_in(vendor_of.keys().copied()))
        .order_by_asc(scorecard::Column::Version)
        .into_tuple()
        .all(conn)
        .await?;
    for (id, assessment) in versions {
        newest.insert(assessment, id);
    }
    for row in scorecard::Entity::find()
        .filter(scorecard::Column::Id.is_in(newest.values().copied()))
        .all(conn)
        .await?
    {
        if let Some(l) = vendor_of
            .get(&row.assessment_id)
            .and_then(|v| latest.get_mut(v))
        {
            l.card = Some(serde_json::from_str(&row.body).map_err(Error::internal)?);
        }
    }
    out.extend(latest);
    Ok(())
}
