//! Assessments: procurement sends a published template version to a vendor's contacts; each
//! contact gets an invitation link whose 256-bit token travels in the URL fragment and is
//! stored only hashed; the portal exchanges it for a vendor session scoped to that one
//! assessment. Answers are versioned so two colleagues never overwrite each other.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use assay_core::access::Permission;
use assay_core::answer::{self as validation, AnswerError};
use assay_core::api::{
    AnswerView, AssessmentSummary, AssessmentView, ContactInput, CreateAssessmentRequest,
    CursorPage, DelegateSectionRequest, EvidenceView, InvitationView, PortalAssessment,
    PreviousAnswer, RecipientRequest, SaveAnswerRequest, SendAssessmentRequest,
    UpdateAssessmentRequest,
};
use assay_core::assessment::{self, AssessmentEvent, AssessmentStatus};
use assay_core::delivery::{RecipientStatus, reason_for_people};
use assay_core::review::ReviewStatus;
use assay_core::template::Template;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    FromQueryResult, IntoActiveModel, JoinType, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::caller::{UserCaller, VendorCaller};
use crate::db::assessments::{answers_of, find, find_for_write, names, snapshot, status_of};
use crate::db::entities::{
    answer, assessment as entity, assessment_invitation as invitation, decision, template,
    template_version, vendor,
};
use crate::db::{accounts, vendors};
use crate::db::{restored, stored};
use crate::error::{Error, Result};
use crate::services::accounts::{Email, new_token};
use crate::services::audit::{self, Action, Event};
use crate::services::mailer::{EmailKind, Mailer};
use crate::services::pages::PageRequest;
use crate::services::portal_scope::{Answerable, Scope, answerable, portal_model};
use crate::services::{flat, illegal, rfc3339};
use crate::services::{letters, mailer};
use crate::state::Ctx;

mod answer_import;
mod answers;
mod bulk_actions;
mod invitations;
mod lifecycle;
mod portal;

pub use answer_import::*;
pub use answers::*;
pub use bulk_actions::*;
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
async fn progress_of(
    template: Arc<Template>,
    answers: &BTreeMap<String, AnswerView>,
    evidence: &[EvidenceView],
) -> Result<validation::Progress> {
    let with_evidence: BTreeSet<String> = evidence
        .iter()
        .filter_map(|e| e.question_id.clone())
        .collect();
    let answers = flat(answers);
    crate::services::compute(move || validation::progress(&template, &answers, &with_evidence))
        .await
}

/// Works the assessment's progress out again and keeps it on its row, so lists show it
/// without the template or the answers. Every write that changes answers or files calls
/// it inside its transaction.
pub(crate) async fn record_progress(
    conn: &impl ConnectionTrait,
    model: &entity::Model,
) -> Result<validation::Progress> {
    let template = snapshot(conn, model).await?;
    let answers = answers_of(conn, model.id).await?;
    let evidence = crate::services::evidence::list(conn, model.id).await?;
    let progress = progress_of(template, &answers, &evidence).await?;
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    entity::Entity::update_many()
        .col_expr(
            entity::Column::QuestionsVisible,
            Expr::value(count(progress.visible)),
        )
        .col_expr(
            entity::Column::QuestionsAnswered,
            Expr::value(count(progress.answered)),
        )
        .filter(entity::Column::Id.eq(model.id))
        .exec(conn)
        .await?;
    Ok(progress)
}

/// One assessment as procurement sees it, with the template as sent.
async fn view(
    conn: &impl ConnectionTrait,
    model: entity::Model,
    now: OffsetDateTime,
) -> Result<AssessmentView> {
    let template = snapshot(conn, &model).await?;
    let status = status_of(&model)?;
    let vendor = vendors::find(conn, model.organization_id, model.vendor_id)
        .await?
        .ok_or(Error::NotFound)?;
    let invitations = invitation_views(conn, model.id, &template, now).await?;
    let answers = answers_of(conn, model.id).await?;
    let evidence = crate::services::evidence::list(conn, model.id).await?;
    let progress = progress_of(template.clone(), &answers, &evidence).await?;
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
        template: serde_json::to_value(&*template).ok(),
    })
}

/// Which assessments a list shows, and which page.
#[derive(Debug, Clone)]
pub struct ListFilter {
    /// Only this vendor's.
    pub vendor_id: Option<Uuid>,
    /// Only those in this status.
    pub status: Option<AssessmentStatus>,
    /// Only those whose vendor's legal name or questionnaire's title contains this text,
    /// in any case.
    pub search: Option<String>,
    /// Keyed by id (ids are UUIDv7, so id order is creation order).
    pub page: PageRequest,
}

/// The organisation's assessments, newest first, a page at a time. Whatever the page size
/// and however many assessments there are, a page costs the same few queries (count, rows,
/// vendor names, template titles not yet cached) and reads no answers or templates, except
/// the answers of assessments made before progress was kept on the row.
pub async fn list(
    ctx: &Ctx,
    user: &UserCaller,
    filter: ListFilter,
) -> Result<CursorPage<AssessmentSummary>> {
    let db = &ctx.db;
    user.require(Permission::ReadAssessments)?;
    let after = filter.page.after_id()?;
    let mut query =
        entity::Entity::find().filter(entity::Column::OrganizationId.eq(user.organization_id));
    if let Some(vendor_id) = filter.vendor_id {
        query = query.filter(entity::Column::VendorId.eq(vendor_id));
    }
    if let Some(status) = filter.status {
        query = query.filter(entity::Column::Status.eq(stored(status)));
    }
    let search = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(search) = search {
        query = query.filter(matching(user.organization_id, &search.to_lowercase()));
    }
    // The organisation's totals are kept as assessments are written; only a vendor's
    // assessments (a few) and a search are counted.
    let total = if filter.vendor_id.is_none() && search.is_none() {
        crate::db::assessments::total(db, user.organization_id, filter.status).await?
    } else {
        query.clone().count(db).await?
    };
    if let Some(after) = after {
        query = query.filter(crate::db::id_before_in_organization(
            entity::Column::OrganizationId,
            entity::Column::Id,
            user.organization_id,
            after,
        ));
    }
    // The vendor's name and the decision (if any) come with the row: one statement for
    // the page, not three.
    let rows = query
        .join(
            JoinType::InnerJoin,
            entity::Entity::belongs_to(vendor::Entity)
                .from(entity::Column::VendorId)
                .to(vendor::Column::Id)
                .into(),
        )
        .join(
            JoinType::LeftJoin,
            entity::Entity::belongs_to(decision::Entity)
                .from(entity::Column::Id)
                .to(decision::Column::AssessmentId)
                .into(),
        )
        .column_as(vendor::Column::LegalName, "vendor_name")
        .column_as(decision::Column::Outcome, "decision")
        .order_by_desc(entity::Column::Id)
        .limit(filter.page.fetch())
        .into_model::<ListRow>()
        .all(db)
        .await?;
    let (rows, next) = filter
        .page
        .finish(rows, |r| vec![r.assessment.id.to_string()]);
    let items = summaries(db, rows, ctx.clock.now()).await?;
    Ok(CursorPage { items, total, next })
}

/// An assessment of a list page with its vendor's name and its decision's outcome.
#[derive(FromQueryResult)]
struct ListRow {
    #[sea_orm(nested)]
    assessment: entity::Model,
    vendor_name: String,
    decision: Option<String>,
}

/// Assessments whose vendor's legal name or template's title contains `search` (lower
/// case; matched literally, see [`crate::db::contains`]). Two subqueries of the same
/// statement, so a search costs no extra round trip: the organisation's vendors and its
/// templates (and the built-in ones) that match. The title is the template's current one;
/// a version sent under an older title is found by the new one.
fn matching(organization_id: Uuid, search: &str) -> Condition {
    use crate::db::entities::{template, vendor};
    use sea_orm::sea_query::{Func, Query};
    let lower = |column: Expr| crate::db::contains(Expr::expr(Func::lower(column)), search);
    let vendors = Query::select()
        .column(vendor::Column::Id)
        .from(vendor::Entity)
        .and_where(vendor::Column::OrganizationId.eq(organization_id))
        .and_where(lower(Expr::col(vendor::Column::LegalName)))
        .to_owned();
    let templates = Query::select()
        .column(template::Column::Id)
        .from(template::Entity)
        .cond_where(
            Condition::any()
                .add(template::Column::OrganizationId.eq(organization_id))
                .add(template::Column::OrganizationId.is_null()),
        )
        .and_where(lower(Expr::col(template::Column::Title)))
        .to_owned();
    Condition::any()
        .add(entity::Column::VendorId.in_subquery(vendors))
        .add(entity::Column::TemplateId.in_subquery(templates))
}

/// List rows for these assessments (of one organisation), in a fixed number of queries.
async fn summaries(
    conn: &impl ConnectionTrait,
    rows: Vec<ListRow>,
    now: OffsetDateTime,
) -> Result<Vec<AssessmentSummary>> {
    let (models, named): (Vec<entity::Model>, Vec<(String, Option<String>)>) = rows
        .into_iter()
        .map(|row| (row.assessment, (row.vendor_name, row.decision)))
        .unzip();
    let templates = crate::db::assessments::versions_of(
        conn,
        models
            .iter()
            .map(|m| (m.template_id, m.template_version))
            .collect(),
    )
    .await?;
    // Assessments made before progress was kept on the row: worked out here, not stored
    // (a read never writes); their next answer or file stores it.
    let unknown: Vec<Uuid> = models
        .iter()
        .filter(|m| m.questions_visible.is_none() || m.questions_answered.is_none())
        .map(|m| m.id)
        .collect();
    let mut worked_out: BTreeMap<Uuid, validation::Progress> = BTreeMap::new();
    if !unknown.is_empty() {
        let mut answers = crate::db::assessments::answers_of_many(conn, &unknown).await?;
        let mut files = crate::services::evidence::questions_with_files(conn, &unknown).await?;
        for model in models.iter().filter(|m| unknown.contains(&m.id)) {
            let template = templates
                .get(&(model.template_id, model.template_version))
                .cloned()
                .ok_or(Error::NotFound)?;
            let answers = flat(&answers.remove(&model.id).unwrap_or_default());
            let files = files.remove(&model.id).unwrap_or_default();
            let progress =
                crate::services::compute(move || validation::progress(&template, &answers, &files))
                    .await?;
            worked_out.insert(model.id, progress);
        }
    }
    let today = now.date();
    models
        .into_iter()
        .zip(named)
        .map(|(model, (vendor_name, decision))| {
            let status = status_of(&model)?;
            let (questions, answered) = match worked_out.get(&model.id) {
                Some(p) => (p.visible, p.answered),
                None => (
                    usize::try_from(model.questions_visible.unwrap_or_default())
                        .unwrap_or_default(),
                    usize::try_from(model.questions_answered.unwrap_or_default())
                        .unwrap_or_default(),
                ),
            };
            Ok(AssessmentSummary {
                id: model.id,
                vendor_id: model.vendor_id,
                vendor_name,
                template_id: model.template_id,
                template_version: u32::try_from(model.template_version).unwrap_or_default(),
                title: templates
                    .get(&(model.template_id, model.template_version))
                    .map(|t| t.title.clone())
                    .unwrap_or_default(),
                status,
                overdue: assessment::is_overdue(status, model.due_date, today),
                due_date: model.due_date.to_string(),
                questions,
                answered,
                created_at: rfc3339(model.created_at),
                submitted_at: model.submitted_at.map(rfc3339),
                decision: decision.as_deref().map(restored).transpose()?,
            })
        })
        .collect()
}

pub async fn get(ctx: &Ctx, user: &UserCaller, id: Uuid) -> Result<AssessmentView> {
    let db = &ctx.db;
    user.require(Permission::ReadAssessments)?;
    let model = find(db, user.organization_id, id).await?;
    view(db, model, ctx.clock.now()).await
}
