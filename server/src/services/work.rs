//! `GET /api/work`: what waits on the signed-in user (see [`assay_core::api::WorkKind`] for
//! which lists each role gets). Each list costs two queries (its first rows, its count), the
//! unresolved incidents one, the names the rows show two more, and whether there is any
//! vendor one: a fixed number of queries however many vendors, assessments or files the
//! organisation has.

use std::collections::{BTreeMap, BTreeSet};

use assay_core::access::Permission;
use assay_core::api::{
    EXPIRY_WINDOW_DAYS, WORK_ITEMS_SHOWN, WorkItem, WorkKind, WorkList, WorkTarget, WorkView,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use time::Duration;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::entities::assessment;
use crate::db::work;
use crate::error::Result;
use crate::services::{incidents, rfc3339};
use crate::state::Ctx;

/// A list before names are filled in: rows know their vendor and template by id.
struct Pending {
    kind: WorkKind,
    total: u64,
    items: Vec<PendingItem>,
}

struct PendingItem {
    target: WorkTarget,
    vendor_id: Uuid,
    subject: Subject,
    when: String,
    late: bool,
}

enum Subject {
    /// The questionnaire's title, looked up with the others.
    Template(Uuid),
    Text(String),
}

/// An assessment as a task: linked to its page, about its questionnaire, dated `when`.
fn assessment_item(a: &assessment::Model, when: time::Date, late: bool) -> PendingItem {
    PendingItem {
        target: WorkTarget::Assessment(a.id),
        vendor_id: a.vendor_id,
        subject: Subject::Template(a.template_id),
        when: when.to_string(),
        late,
    }
}

/// `GET /api/work`.
pub async fn view(ctx: &Ctx, user: &UserCaller) -> Result<WorkView> {
    user.require(Permission::ReadAssessments)?;
    let db = &ctx.db;
    let org = user.organization_id;
    let now = ctx.clock.now();
    let today = now.date();
    let mut pending = Vec::new();
    for kind in WorkKind::for_role(user.role) {
        let (items, total) = match kind {
            WorkKind::AwaitingReview => {
                let (rows, total) = work::awaiting_review(db, org, WORK_ITEMS_SHOWN).await?;
                let items = rows
                    .into_iter()
                    .map(|a| {
                        let submitted = a.submitted_at.map_or(a.due_date, |t| t.date());
                        assessment_item(&a, submitted, false)
                    })
                    .collect();
                (items, total)
            }
            WorkKind::OverdueAnswers => {
                let (rows, total) = work::overdue_answers(db, org, today, WORK_ITEMS_SHOWN).await?;
                let items = rows
                    .into_iter()
                    .map(|a| assessment_item(&a, a.due_date, true))
                    .collect();
                (items, total)
            }
            WorkKind::ExpiringEvidence => {
                let until = today + Duration::days(EXPIRY_WINDOW_DAYS);
                let (rows, total) =
                    work::expiring_evidence(db, org, today, until, WORK_ITEMS_SHOWN).await?;
                // The vendor of each file is its assessment's.
                let assessment_ids: BTreeSet<Uuid> = rows.iter().map(|e| e.assessment_id).collect();
                let vendor_of: BTreeMap<Uuid, Uuid> = if assessment_ids.is_empty() {
                    BTreeMap::new()
                } else {
                    assessment::Entity::find()
                        .select_only()
                        .column(assessment::Column::Id)
                        .column(assessment::Column::VendorId)
                        .filter(assessment::Column::OrganizationId.eq(org))
                        .filter(assessment::Column::Id.is_in(assessment_ids))
                        .into_tuple::<(Uuid, Uuid)>()
                        .all(db)
                        .await?
                        .into_iter()
                        .collect()
                };
                let items = rows
                    .into_iter()
                    .filter_map(|e| {
                        Some(PendingItem {
                            target: WorkTarget::Assessment(e.assessment_id),
                            vendor_id: *vendor_of.get(&e.assessment_id)?,
                            subject: Subject::Text(e.file_name),
                            when: e.expires_on?.to_string(),
                            late: false,
                        })
                    })
                    .collect();
                (items, total)
            }
            WorkKind::RemediationPastDue => {
                let (rows, total) =
                    work::remediation_past_due(db, org, today, WORK_ITEMS_SHOWN).await?;
                let items = rows
                    .into_iter()
                    .map(|r| PendingItem {
                        target: WorkTarget::Assessment(r.assessment_id),
                        vendor_id: r.vendor_id,
                        subject: Subject::Text(r.title),
                        when: r.due_date.to_string(),
                        late: true,
                    })
                    .collect();
                (items, total)
            }
            WorkKind::IncidentClocks => {
                let mut rows: Vec<_> = work::unresolved_incidents(db, org)
                    .await?
                    .into_iter()
                    .map(|r| (incidents::deadline_of(&r), r))
                    .collect();
                rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
                let total = u64::try_from(rows.len()).unwrap_or(u64::MAX);
                let items = rows
                    .into_iter()
                    .take(usize::try_from(WORK_ITEMS_SHOWN).unwrap_or(usize::MAX))
                    .map(|(deadline, r)| PendingItem {
                        target: WorkTarget::Incident(r.id),
                        vendor_id: r.vendor_id,
                        late: deadline < now,
                        when: rfc3339(deadline),
                        subject: Subject::Text(r.title),
                    })
                    .collect();
                (items, total)
            }
        };
        pending.push(Pending { kind, total, items });
    }
    let first_steps =
        user.role.can(Permission::ManageVendors) && !work::has_vendors(db, org).await?;
    let lists = named(ctx, user, pending).await?;
    Ok(WorkView { lists, first_steps })
}

/// Fills in vendor names and questionnaire titles, two queries for every list together.
async fn named(ctx: &Ctx, user: &UserCaller, pending: Vec<Pending>) -> Result<Vec<WorkList>> {
    let db = &ctx.db;
    let items = || pending.iter().flat_map(|p| &p.items);
    let vendor_ids: BTreeSet<Uuid> = items().map(|i| i.vendor_id).collect();
    let template_ids: BTreeSet<Uuid> = items()
        .filter_map(|i| match i.subject {
            Subject::Template(id) => Some(id),
            Subject::Text(_) => None,
        })
        .collect();
    let vendors: BTreeMap<Uuid, String> = if vendor_ids.is_empty() {
        BTreeMap::new()
    } else {
        work::vendor_names(db, user.organization_id, vendor_ids)
            .await?
            .into_iter()
            .collect()
    };
    let titles: BTreeMap<Uuid, String> = if template_ids.is_empty() {
        BTreeMap::new()
    } else {
        work::template_titles(db, template_ids)
            .await?
            .into_iter()
            .collect()
    };
    let lists = pending
        .into_iter()
        .map(|p| WorkList {
            kind: p.kind,
            total: p.total,
            items: p
                .items
                .into_iter()
                .map(|i| WorkItem {
                    target: i.target,
                    vendor_name: vendors.get(&i.vendor_id).cloned().unwrap_or_default(),
                    vendor_id: i.vendor_id,
                    subject: match i.subject {
                        Subject::Template(id) => titles
                            .get(&id)
                            .cloned()
                            .unwrap_or_else(|| "Questionnaire".to_owned()),
                        Subject::Text(text) => text,
                    },
                    when: i.when,
                    late: i.late,
                })
                .collect(),
        })
        .collect();
    Ok(lists)
}
