//! Assessments: procurement sends a published template version to a vendor's contacts; each
//! contact gets an invitation link whose 256-bit token travels in the URL fragment and is
//! stored only hashed; the portal exchanges it for a vendor session scoped to that one
//! assessment. Answers are versioned so two colleagues never overwrite each other.

use std::collections::{BTreeMap, BTreeSet};

use assay_core::access::Permission;
use assay_core::answer::{self as validation, AnswerError};
use assay_core::api::{
    AnswerView, AssessmentView, ContactInput, CreateAssessmentRequest, DelegateSectionRequest,
    EvidenceView, InvitationView, PortalAssessment, PreviousAnswer, SaveAnswerRequest,
    SendAssessmentRequest, UpdateAssessmentRequest,
};
use assay_core::assessment::{self, AssessmentEvent, AssessmentStatus};
use assay_core::review::ReviewStatus;
use assay_core::template::Template;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::caller::{UserCaller, VendorCaller};
use crate::db::assessments::{answers_of, find, find_for_write, names, snapshot, status_of};
use crate::db::entities::{
    answer, assessment as entity, assessment_invitation as invitation, template, template_version,
};
use crate::db::stored;
use crate::db::{accounts, vendors};
use crate::error::{Error, Result};
use crate::services::accounts::{Email, new_token};
use crate::services::audit::{self, Action, Event};
use crate::services::mailer::{EmailKind, Mailer};
use crate::services::portal_scope::{Answerable, Scope, answerable, portal_model};
use crate::services::{flat, illegal, rfc3339};
use crate::services::{letters, mailer};
use crate::state::Ctx;

mod answers;
mod invitations;
mod lifecycle;
mod portal;

pub use answers::*;
pub use invitations::*;
pub use lifecycle::*;
pub use portal::*;

/// How long an invitation link works.
pub const INVITATION_LIFETIME: Duration = Duration::days(60);

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

/// Progress as core computes it, counting evidence files towards evidence questions; off
/// the async workers, since it evaluates every condition of the template.
/// The template is handed over and back, so it is never copied.
async fn progress_of(
    template: Template,
    answers: &BTreeMap<String, AnswerView>,
    evidence: &[EvidenceView],
) -> Result<(validation::Progress, Template)> {
    let with_evidence: BTreeSet<String> = evidence
        .iter()
        .filter_map(|e| e.question_id.clone())
        .collect();
    let answers = flat(answers);
    crate::services::compute(move || {
        let progress = validation::progress(&template, &answers, &with_evidence);
        (progress, template)
    })
    .await
}

/// One assessment with the template as sent (what single-assessment responses carry).
async fn view(
    conn: &impl ConnectionTrait,
    model: entity::Model,
    now: OffsetDateTime,
) -> Result<AssessmentView> {
    row(conn, model, true, now).await
}

/// An assessment as procurement sees it; `with_template` adds the snapshot (left out of
/// list rows, which never show it).
async fn row(
    conn: &impl ConnectionTrait,
    model: entity::Model,
    with_template: bool,
    now: OffsetDateTime,
) -> Result<AssessmentView> {
    let template = snapshot(&model)?;
    let status = status_of(&model)?;
    let vendor = vendors::find(conn, model.organization_id, model.vendor_id)
        .await?
        .ok_or(Error::NotFound)?;
    let invitations = invitation::Entity::find()
        .filter(invitation::Column::AssessmentId.eq(model.id))
        .order_by_asc(invitation::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|i| InvitationView {
            recipient_name: i.recipient_name,
            recipient_email: i.recipient_email,
            opened: i.opened_at.is_some(),
            revoked: i.revoked_at.is_some(),
            expires_at: rfc3339(i.expires_at),
            section_id: i.section_id,
            delegated_by: i.delegated_by,
        })
        .collect();
    let answers = answers_of(conn, model.id).await?;
    let evidence = crate::services::evidence::list(conn, model.id).await?;
    let (progress, template) = progress_of(template, &answers, &evidence).await?;
    let today = now.date();
    // A draft proposes the contacts of the assessment it repeats.
    let proposed_recipients = match (status, model.previous_id) {
        (AssessmentStatus::Draft, Some(previous)) => contacts_of(conn, previous)
            .await?
            .into_iter()
            .map(|(name, email)| ContactInput {
                name,
                email,
                role: None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(AssessmentView {
        id: model.id,
        vendor_id: model.vendor_id,
        vendor_name: vendor.legal_name,
        template_id: model.template_id,
        template_version: u32::try_from(model.template_version).unwrap_or_default(),
        title: template.title.clone(),
        status,
        overdue: assessment::is_overdue(status, model.due_date, today),
        due_date: model.due_date.to_string(),
        questions: progress.visible,
        answered: progress.answered,
        invitations,
        answers,
        evidence,
        created_at: rfc3339(model.created_at),
        submitted_at: model.submitted_at.map(rfc3339),
        previous_id: model.previous_id,
        proposed_recipients,
        template: if with_template {
            serde_json::to_value(&template).ok()
        } else {
            None
        },
    })
}

/// The organisation's assessments, newest first, optionally of one vendor only. Rows leave
/// out the template snapshot (fetch one assessment for it).
pub async fn list(
    ctx: &Ctx,
    user: &UserCaller,
    vendor_id: Option<Uuid>,
) -> Result<Vec<AssessmentView>> {
    let db = &ctx.db;
    user.require(Permission::ReadAssessments)?;
    let mut query =
        entity::Entity::find().filter(entity::Column::OrganizationId.eq(user.organization_id));
    if let Some(vendor_id) = vendor_id {
        query = query.filter(entity::Column::VendorId.eq(vendor_id));
    }
    let models = query
        .order_by_desc(entity::Column::CreatedAt)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(models.len());
    for model in models {
        out.push(row(db, model, false, ctx.clock.now()).await?);
    }
    Ok(out)
}

pub async fn get(ctx: &Ctx, user: &UserCaller, id: Uuid) -> Result<AssessmentView> {
    let db = &ctx.db;
    user.require(Permission::ReadAssessments)?;
    let model = find(db, user.organization_id, id).await?;
    view(db, model, ctx.clock.now()).await
}
