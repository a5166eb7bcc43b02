//! Remediation items: a finding of an assessment's scorecard turned into work with an
//! owner, a due date, the vendor's committed date and the evidence that closes it. While one
//! is open, the vendor may change the answer it is about (even after submission) or upload
//! evidence; the reviewer closes it, and the scorecard is recomputed at once.

use std::collections::BTreeSet;

use assay_core::access::Permission;
use assay_core::api::{
    CloseRemediationRequest, CommitRemediationRequest, CreateRemediationRequest, CursorPage,
    PortalRemediation, RemediationView, UpdateRemediationRequest,
};
use assay_core::review::RemediationStatus;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::caller::{UserCaller, VendorCaller};
use crate::db::accounts;
use crate::db::assessments::{find_for_write, status_of};
use crate::db::entities::remediation as entity;
use crate::error::{Error, Result};
use crate::services::audit::{self, Action, Event};
use crate::services::pages::{PageRequest, foreign};
use crate::services::remediation_views::views;
use crate::services::review::{self};
use crate::services::{parse_date, text};
use crate::state::Ctx;

/// Open items of these vendors, by due date (the dashboard's list).
pub(crate) async fn open(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_ids: &BTreeSet<Uuid>,
    now: OffsetDateTime,
) -> Result<Vec<RemediationView>> {
    let rows = entity::Entity::find()
        .filter(entity::Column::OrganizationId.eq(organization_id))
        .filter(entity::Column::Status.eq(RemediationStatus::Open.as_str()))
        .order_by_asc(entity::Column::DueDate)
        .all(conn)
        .await?
        .into_iter()
        // The vendor filter here, not as an `IN` list that grows with the portfolio.
        .filter(|r| vendor_ids.contains(&r.vendor_id))
        .collect();
    views(conn, organization_id, rows, now).await
}

/// The open items of the vendor session's assessment, for the portal; for a delegate
/// (`only` their section's questions) just the items about those questions.
pub(crate) async fn for_portal(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
    only: Option<&BTreeSet<String>>,
) -> Result<Vec<PortalRemediation>> {
    Ok(crate::db::portal::open_rows(conn, assessment_id)
        .await?
        .into_iter()
        .filter(|r| {
            only.is_none_or(|mine| r.question_id.as_ref().is_some_and(|q| mine.contains(q)))
        })
        .map(|r| PortalRemediation {
            id: r.id,
            title: r.title,
            question_id: r.question_id,
            due_date: r.due_date.to_string(),
            vendor_committed_date: r.vendor_committed_date.map(|d| d.to_string()),
            closure_evidence: r.closure_evidence,
        })
        .collect())
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    pub status: Option<RemediationStatus>,
    pub vendor_id: Option<Uuid>,
    pub assessment_id: Option<Uuid>,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
    /// Rows per page, 1 to 200; default 50.
    pub limit: Option<u64>,
}

/// `GET /api/remediations`: soonest due first, a page at a time (keyed by due date and id).
pub async fn list(
    ctx: &Ctx,
    user: &UserCaller,
    filter: Filter,
) -> Result<CursorPage<RemediationView>> {
    let db = &ctx.db;
    user.require(Permission::ReadAssessments)?;
    let page = PageRequest::parse(filter.after.as_deref(), filter.limit, 2)?;
    let mut query =
        entity::Entity::find().filter(entity::Column::OrganizationId.eq(user.organization_id));
    if let Some(status) = filter.status {
        query = query.filter(entity::Column::Status.eq(status.as_str()));
    }
    if let Some(vendor_id) = filter.vendor_id {
        query = query.filter(entity::Column::VendorId.eq(vendor_id));
    }
    if let Some(assessment_id) = filter.assessment_id {
        query = query.filter(entity::Column::AssessmentId.eq(assessment_id));
    }
    let total = query.clone().count(db).await?;
    if let Some([due, id]) = page.after() {
        let due = crate::services::parse_date("after", due).map_err(|_| foreign())?;
        let id = Uuid::parse_str(id).map_err(|_| foreign())?;
        query = query.filter(crate::db::after_key(
            &[entity::Column::DueDate, entity::Column::Id],
            [due.into(), id.into()],
            sea_orm::Order::Asc,
        ));
    }
    let rows = query
        .order_by_asc(entity::Column::DueDate)
        .order_by_asc(entity::Column::Id)
        .limit(page.fetch())
        .all(db)
        .await?;
    let (rows, next) = page.finish(rows, |r| vec![r.due_date.to_string(), r.id.to_string()]);
    let items = views(db, user.organization_id, rows, ctx.clock.now()).await?;
    Ok(CursorPage { items, total, next })
}

async fn check_owner(
    conn: &impl ConnectionTrait,
    user: &UserCaller,
    owner: Option<Uuid>,
) -> Result<()> {
    if let Some(owner) = owner
        && accounts::find_user_in_org(conn, user.organization_id, owner)
            .await?
            .is_none()
    {
        return Err(Error::validation(
            "owner_id",
            "The owner must be a user of your organisation.",
        ));
    }
    Ok(())
}

fn future_date(field: &str, text: &str, now: OffsetDateTime) -> Result<Date> {
    let date = parse_date(field, text)?;
    if date < now.date() {
        return Err(Error::validation(field, "The date has passed."));
    }
    Ok(date)
}

async fn find_row(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    id: Uuid,
) -> Result<entity::Model> {
    entity::Entity::find_by_id(id)
        .filter(entity::Column::OrganizationId.eq(organization_id))
        .one(conn)
        .await?
        .ok_or(Error::NotFound)
}

async fn one(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    row: entity::Model,
    now: OffsetDateTime,
) -> Result<RemediationView> {
    views(conn, organization_id, vec![row], now)
        .await?
        .pop()
        .ok_or_else(|| Error::internal(anyhow::anyhow!("view of one row")))
}

/// `POST /api/remediations`: a finding of the assessment's current scorecard becomes an
/// item (one open item per finding).
pub async fn create(
    ctx: &Ctx,
    user: &UserCaller,
    request: CreateRemediationRequest,
) -> Result<RemediationView> {
    let db = &ctx.db;
    user.require(Permission::ReviewAssessments)?;
    let due = future_date("due_date", &request.due_date, ctx.clock.now())?;
    let committed = request
        .vendor_committed_date
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .map(|t| parse_date("vendor_committed_date", t))
        .transpose()?;
    let closure = text(
        "closure_evidence",
        &request.closure_evidence,
        "what the vendor must provide to close it",
    )?;
    let txn = crate::db::begin_write(db).await?;
    check_owner(&txn, user, request.owner_id).await?;
    let assessment = find_for_write(&txn, user.organization_id, request.assessment_id).await?;
    if status_of(&assessment)?.vendor_can_answer() && assessment.submitted_at.is_none() {
        return Err(Error::Conflict {
            code: "not_submitted",
            message: "The vendor has not submitted this questionnaire yet.".to_owned(),
        });
    }
    let current = review::current(&txn, &assessment, ctx.clock.now()).await?;
    let finding = current.finding(&request.finding_key)?;
    let duplicate = entity::Entity::find()
        .filter(entity::Column::AssessmentId.eq(assessment.id))
        .filter(entity::Column::FindingKey.eq(finding.key.clone()))
        .filter(entity::Column::Status.eq(RemediationStatus::Open.as_str()))
        .one(&txn)
        .await?;
    if duplicate.is_some() {
        return Err(Error::Conflict {
            code: "remediation_exists",
            message: "This finding already has an open remediation item.".to_owned(),
        });
    }
    let id = Uuid::now_v7();
    let row = entity::ActiveModel {
        id: Set(id),
        organization_id: Set(user.organization_id),
        vendor_id: Set(assessment.vendor_id),
        assessment_id: Set(assessment.id),
        finding_key: Set(finding.key.clone()),
        title: Set(finding.title.clone()),
        severity: Set(crate::services::stored(finding.severity)),
        question_id: Set(finding.question_id.clone()),
        owner_id: Set(request.owner_id),
        due_date: Set(due),
        vendor_committed_date: Set(committed),
        closure_evidence: Set(closure),
        status: Set(RemediationStatus::Open.as_str().to_owned()),
        created_by: Set(user.id),
        created_at: Set(ctx.clock.now()),
        closed_at: Set(None),
        closed_by: Set(None),
        closing_note: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::RemediationCreated,
            ("remediation", id.to_string()),
            json!({ "assessment_id": assessment.id, "finding": finding.title, "due_date": due.to_string() }),
        ), ctx.clock.now())
    .await?;
    let view = one(&txn, user.organization_id, row, ctx.clock.now()).await?;
    txn.commit().await?;
    Ok(view)
}

fn require_open(row: &entity::Model) -> Result<()> {
    if row.status == RemediationStatus::Closed.as_str() {
        return Err(Error::Conflict {
            code: "remediation_closed",
            message: "This remediation item is closed.".to_owned(),
        });
    }
    Ok(())
}

/// `PATCH /api/remediations/{id}`.
pub async fn update(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    request: UpdateRemediationRequest,
) -> Result<RemediationView> {
    let db = &ctx.db;
    user.require(Permission::ReviewAssessments)?;
    let txn = crate::db::begin_write(db).await?;
    let row = find_row(&txn, user.organization_id, id).await?;
    require_open(&row)?;
    check_owner(&txn, user, request.owner_id).await?;
    let mut active = row.into_active_model();
    if let Some(owner) = request.owner_id {
        active.owner_id = Set(Some(owner));
    }
    if let Some(due) = &request.due_date {
        active.due_date = Set(future_date("due_date", due, ctx.clock.now())?);
    }
    if let Some(committed) = &request.vendor_committed_date {
        active.vendor_committed_date = Set(Some(parse_date("vendor_committed_date", committed)?));
    }
    let row = active.update(&txn).await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::RemediationUpdated,
            ("remediation", id.to_string()),
            json!({ "owner_id": request.owner_id, "due_date": request.due_date, "vendor_committed_date": request.vendor_committed_date }),
        ), ctx.clock.now())
    .await?;
    let view = one(&txn, user.organization_id, row, ctx.clock.now()).await?;
    txn.commit().await?;
    Ok(view)
}

/// `POST /api/remediations/{id}/close`: the reviewer accepts the fix; the scorecard is
/// recomputed with whatever the vendor changed.
pub async fn close(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    request: CloseRemediationRequest,
) -> Result<RemediationView> {
    let db = &ctx.db;
    user.require(Permission::ReviewAssessments)?;
    let note = text("note", &request.note, "what closed it")?;
    let txn = crate::db::begin_write(db).await?;
    let row = find_row(&txn, user.organization_id, id).await?;
    require_open(&row)?;
    let assessment = find_for_write(&txn, user.organization_id, row.assessment_id).await?;
    let before = review::current(&txn, &assessment, ctx.clock.now()).await?;
    let still_found = before
        .card
        .findings
        .iter()
        .any(|f| f.key == row.finding_key);
    let mut active = row.into_active_model();
    active.status = Set(RemediationStatus::Closed.as_str().to_owned());
    active.closed_at = Set(Some(ctx.clock.now()));
    active.closed_by = Set(Some(user.id));
    active.closing_note = Set(Some(note.clone()));
    let row = active.update(&txn).await?;
    // The finding no longer holds the residual tier up: a new version when that changes it.
    let current = review::record(&txn, &assessment, ctx.clock.now()).await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::RemediationClosed,
            ("remediation", id.to_string()),
            json!({
                "note": note,
                "finding_still_on_scorecard": still_found,
                "overall": current.card.overall,
                "residual_tier": current.card.residual_tier,
                "scorecard_version": current.stored.map(|s| s.version),
            }),
        ),
        ctx.clock.now(),
    )
    .await?;
    let view = one(&txn, user.organization_id, row, ctx.clock.now()).await?;
    txn.commit().await?;
    Ok(view)
}

/// `PUT /api/portal/remediations/{id}`: the vendor commits to a date.
pub async fn commit(
    ctx: &Ctx,
    vendor: &VendorCaller,
    id: Uuid,
    request: CommitRemediationRequest,
) -> Result<Vec<PortalRemediation>> {
    let db = &ctx.db;
    let date = future_date(
        "vendor_committed_date",
        &request.vendor_committed_date,
        ctx.clock.now(),
    )?;
    let txn = crate::db::begin_write(db).await?;
    let row = entity::Entity::find_by_id(id)
        .filter(entity::Column::OrganizationId.eq(vendor.organization_id))
        .filter(entity::Column::AssessmentId.eq(vendor.assessment_id))
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    if let Some(mine) = crate::services::portal_scope::delegate_questions(&txn, vendor).await?
        && !row.question_id.as_ref().is_some_and(|q| mine.contains(q))
    {
        // A delegate commits only for their own section's items.
        return Err(Error::NotFound);
    }
    require_open(&row)?;
    let mut active = row.into_active_model();
    active.vendor_committed_date = Set(Some(date));
    active.update(&txn).await?;
    audit::record(
        &txn,
        Event::by_vendor(
            vendor.organization_id,
            "vendor".to_owned(),
            Action::RemediationUpdated,
            ("remediation", id.to_string()),
            json!({ "vendor_committed_date": date.to_string() }),
        ),
        ctx.clock.now(),
    )
    .await?;
    let mine = crate::services::portal_scope::delegate_questions(&txn, vendor).await?;
    let out = for_portal(&txn, vendor.assessment_id, mine.as_ref()).await?;
    txn.commit().await?;
    Ok(out)
}
