//! Bulk sends: one questionnaire to many vendors in one action (Procurement, Admin).
//!
//! `create` checks everything up front (the template, the due date, the recipients rule,
//! that every vendor is the caller's and there are at most [`MAX_VENDORS`]), then stores
//! the send with one `pending` item per vendor and one audit entry, and answers at once.
//! The scheduler's bulk-send job ([`run`]) works through the items [`CHUNK`] at a time:
//! each item gets its result (sent with its assessment, skipped with the reason, or
//! failed) in the transaction that creates the vendor's assessment and queues its
//! emails, so a restart between two items neither sends one twice nor skips one, and
//! counts on the send row change in that same transaction.
//!
//! Two sends that share vendors are looked at one after the other (the job takes the
//! oldest unfinished send first, and each transaction locks the vendors it looks at): the
//! later send skips a vendor the earlier one sent to, as it has an assessment open.

use std::collections::BTreeSet;

use assay_core::access::Permission;
use assay_core::api::{
    BulkSendItemView, BulkSendSummary, BulkSendView, CreateBulkSendRequest, CursorPage,
    VendorFilter, VendorSelection, VendorStatus,
};
use assay_core::bulk::{
    BulkSendStatus, Contact, ItemResult, MAX_VENDORS, RecipientsRule, SkipReason,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    TransactionTrait,
};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::bulk_sends as db;
use crate::db::entities::{bulk_send, bulk_send_item as item, vendor};
use crate::db::vendors::ListFilter;
use crate::error::{Error, Result};
use crate::services::assessments::{self, Sent};
use crate::services::audit::{self, Action, Actor, Event};
use crate::services::mailer::Mailer;
use crate::services::pages::PageRequest;
use crate::services::{restored, rfc3339, stored, text_field};
use crate::state::Ctx;

/// Items one write transaction gives results to, so that none holds the write lock (on
/// SQLite, the whole database's) for long.
pub const CHUNK: usize = 20;

/// `GET /api/bulk-sends/{id}`: which page of the send's vendors.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemsQuery {
    /// The `items.next` cursor of the previous page.
    pub after: Option<String>,
    /// Vendors per page, 1 to 200; default 50.
    pub limit: Option<u64>,
}

/// `GET /api/bulk-sends`: which page of the organisation's sends.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
    /// Sends per page, 1 to 200; default 50.
    pub limit: Option<u64>,
}

/// The recipients rule, checked: a role is one line of at most 100 characters.
fn rule_of(rule: RecipientsRule) -> Result<RecipientsRule> {
    Ok(match rule.normalized() {
        RecipientsRule::All { role: Some(role) } => RecipientsRule::All {
            role: Some(text_field("recipients", &role, 100, true)?),
        },
        rule => rule,
    })
}

/// The vendors chosen, as `(id, legal name)` in name order: every one the caller's, 1 to
/// [`MAX_VENDORS`] of them.
async fn chosen_vendors(
    conn: &impl ConnectionTrait,
    user: &UserCaller,
    selection: VendorSelection,
) -> Result<Vec<(Uuid, String)>> {
    let mut vendors = match selection {
        VendorSelection::Ids(ids) => {
            let ids: Vec<Uuid> = ids
                .into_iter()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            if ids.is_empty() {
                return Err(Error::validation("vendors", "Choose at least one vendor."));
            }
            if ids.len() > MAX_VENDORS {
                return Err(too_many());
            }
            let found = db::named_vendors(conn, user.organization_id, &ids).await?;
            // Another organisation's vendor and one that does not exist read alike.
            if found.len() != ids.len() {
                return Err(Error::validation(
                    "vendors",
                    format!(
                        "{} of the vendors chosen are not in your vendor register.",
                        ids.len() - found.len()
                    ),
                ));
            }
            found
        }
        VendorSelection::Filter(filter) => {
            let filter = list_filter(filter)?;
            let limit = u64::try_from(MAX_VENDORS).unwrap_or(u64::MAX) + 1;
            let found =
                crate::db::vendors::matching(conn, user.organization_id, &filter, limit).await?;
            if found.is_empty() {
                return Err(Error::validation(
                    "vendors",
                    "No active vendor matches these filters.",
                ));
            }
            if found.len() > MAX_VENDORS {
                return Err(too_many());
            }
            found
        }
    };
    vendors.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
    Ok(vendors)
}

fn too_many() -> Error {
    Error::validation(
        "vendors",
        format!("A bulk send reaches at most {MAX_VENDORS} vendors: narrow the choice."),
    )
}

/// The vendor list's filters as `GET /api/vendors` reads them, on the active vendors.
fn list_filter(filter: VendorFilter) -> Result<ListFilter> {
    let search = filter
        .q
        .as_deref()
        .map(|q| text_field("vendors", q, 200, false))
        .transpose()?
        .filter(|q| !q.is_empty())
        .map(|q| q.to_lowercase());
    Ok(ListFilter {
        search,
        tier: filter.tier,
        tag: filter.tag.filter(|t| !t.trim().is_empty()),
        status: VendorStatus::Active,
    })
}

/// Starts a bulk send (Procurement, Admin): checks the request, stores the send with a
/// pending item per vendor and records one audit entry; the scheduler sends the items.
pub async fn create(
    ctx: &Ctx,
    user: &UserCaller,
    request: CreateBulkSendRequest,
) -> Result<BulkSendView> {
    user.require(Permission::SendAssessments)?;
    let now = ctx.clock.now();
    let due = assessments::parse_due_date(&request.due_date, now)?;
    if due <= now.date() {
        return Err(Error::validation(
            "due_date",
            "Choose a day after today: vendors need time to answer.",
        ));
    }
    let rule = rule_of(request.recipients)?;
    let (template, version) =
        assessments::sendable(&ctx.db, user.organization_id, request.template_id).await?;
    let vendors = chosen_vendors(&ctx.db, user, request.vendors).await?;
    let id = Uuid::now_v7();
    let total = i32::try_from(vendors.len()).map_err(Error::internal)?;
    let job = bulk_send::ActiveModel {
        id: Set(id),
        organization_id: Set(user.organization_id),
        created_by: Set(Some(user.id)),
        created_by_label: Set(user.email.clone()),
        template_id: Set(template.id),
        template_version: Set(version.version),
        title: Set(template.title.clone()),
        due_date: Set(due),
        recipients: Set(serde_json::to_string(&rule).map_err(Error::internal)?),
        status: Set(stored(BulkSendStatus::Queued)),
        total: Set(total),
        sent: Set(0),
        skipped: Set(0),
        failed: Set(0),
        created_at: Set(now),
        finished_at: Set(None),
    };
    // Ids made in name order: id order is the order results are listed in.
    let items: Vec<item::ActiveModel> = vendors
        .iter()
        .map(|(vendor_id, _)| item::ActiveModel {
            id: Set(Uuid::now_v7()),
            bulk_send_id: Set(id),
            vendor_id: Set(*vendor_id),
            result: Set(stored(ItemResult::Pending)),
            skip_reason: Set(None),
            failure: Set(None),
            assessment_id: Set(None),
            done_at: Set(None),
        })
        .collect();
    let txn = crate::db::begin_write(&ctx.db).await?;
    bulk_send::Entity::insert(job)
        .exec_without_returning(&txn)
        .await?;
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        let chunk: Vec<_> = items.by_ref().take(crate::services::IN_CHUNK).collect();
        item::Entity::insert_many(chunk)
            .exec_without_returning(&txn)
            .await?;
    }
    audit::record(
        &txn,
        Event::by(
            user,
            Action::BulkSendStarted,
            ("bulk_send", id.to_string()),
            json!({
                "vendors": vendors.len(),
                "template_id": template.id,
                "template_version": version.version,
                "due_date": due.to_string(),
                "recipients": rule,
            }),
        ),
        now,
    )
    .await?;
    txn.commit().await?;
    view(ctx, user, id, page_of_items(id, None, None)?).await
}

/// A page of send `id`'s items: its cursors are good for that send only.
fn page_of_items(id: Uuid, after: Option<&str>, limit: Option<u64>) -> Result<PageRequest> {
    PageRequest::parse_scoped(after, limit, 1, &id.to_string())
}

/// A bulk send of the caller's organisation with a page of its vendors (everyone who reads
/// assessments); another organisation's is not found. Three statements whatever its size:
/// the send, the page of items with their vendors' names, nothing per item.
pub async fn get(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    query: ItemsQuery,
) -> Result<BulkSendView> {
    user.require(Permission::ReadAssessments)?;
    // A cursor of one send's items means nothing for another's.
    let page = page_of_items(id, query.after.as_deref(), query.limit)?;
    view(ctx, user, id, page).await
}

async fn view(ctx: &Ctx, user: &UserCaller, id: Uuid, page: PageRequest) -> Result<BulkSendView> {
    let conn = &ctx.db;
    let job = db::find(conn, user.organization_id, id)
        .await?
        .ok_or(Error::NotFound)?;
    let after = page.after_id()?;
    let rows = db::items_page(conn, job.id, after, page.fetch()).await?;
    let (rows, next) = page.finish(rows, |r| vec![r.item.id.to_string()]);
    let items = rows
        .into_iter()
        .map(item_view)
        .collect::<Result<Vec<_>>>()?;
    let summary = summary(job)?;
    Ok(BulkSendView {
        items: CursorPage {
            items,
            total: summary.total,
            next,
        },
        summary,
    })
}

/// The organisation's bulk sends, newest first, a page at a time (everyone who reads
/// assessments): a count and one read.
pub async fn list(
    ctx: &Ctx,
    user: &UserCaller,
    query: ListQuery,
) -> Result<CursorPage<BulkSendSummary>> {
    user.require(Permission::ReadAssessments)?;
    let page = PageRequest::parse(query.after.as_deref(), query.limit, 1)?;
    let conn = &ctx.db;
    let total = db::count(conn, user.organization_id).await?;
    let rows = db::page(conn, user.organization_id, page.after_id()?, page.fetch()).await?;
    let (rows, next) = page.finish(rows, |r| vec![r.id.to_string()]);
    let items = rows.into_iter().map(summary).collect::<Result<Vec<_>>>()?;
    Ok(CursorPage { items, total, next })
}

fn count(n: i32) -> u64 {
    u64::try_from(n).unwrap_or_default()
}

fn summary(job: bulk_send::Model) -> Result<BulkSendSummary> {
    let (total, sent, skipped, failed) = (
        count(job.total),
        count(job.sent),
        count(job.skipped),
        count(job.failed),
    );
    Ok(BulkSendSummary {
        id: job.id,
        status: restored(&job.status)?,
        template_id: job.template_id,
        template_version: u32::try_from(job.template_version).unwrap_or_default(),
        title: job.title,
        due_date: job.due_date.to_string(),
        recipients: serde_json::from_str(&job.recipients).map_err(Error::internal)?,
        created_by: job.created_by_label,
        created_at: rfc3339(job.created_at),
        finished_at: job.finished_at.map(rfc3339),
        total,
        sent,
        skipped,
        failed,
        pending: total.saturating_sub(sent + skipped + failed),
    })
}

fn item_view(row: db::NamedItem) -> Result<BulkSendItemView> {
    let result: ItemResult = restored(&row.item.result)?;
    let skipped_because: Option<SkipReason> =
        row.item.skip_reason.as_deref().map(restored).transpose()?;
    Ok(BulkSendItemView {
        vendor_id: row.item.vendor_id,
        vendor_name: row.vendor_name,
        result,
        reason: skipped_because
            .map(|r| r.label().to_owned())
            .or(row.item.failure),
        skipped_because,
        assessment_id: row.item.assessment_id,
    })
}

/// What one item came to.
enum Outcome {
    Sent(Uuid),
    Skipped(SkipReason),
    Failed(String),
}

/// What a round of the bulk-send job did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    /// Items given their result.
    pub items: usize,
    /// Whether items were left for the next round (the round's budget ran out).
    pub more: bool,
}

/// Gives up to `budget` pending items their result, oldest send first, [`CHUNK`] per
/// transaction. Safe to run from several instances at once (the scheduler's lease makes
/// that rare): items are locked as they are read and given a result only while pending.
pub async fn run(ctx: &Ctx, mailer: &Mailer, budget: usize) -> Result<Round> {
    let mut round = Round::default();
    while let Some(job) = db::next_unfinished(&ctx.db).await? {
        if round.items >= budget {
            round.more = true;
            break;
        }
        let limit = CHUNK.min(budget - round.items);
        round.items += chunk(ctx, mailer, job.id, limit).await?;
    }
    Ok(round)
}

/// Gives up to `limit` pending items of send `id` their results in one transaction, and
/// marks the send done when none is left. Returns the items done.
async fn chunk(ctx: &Ctx, mailer: &Mailer, id: Uuid, limit: usize) -> Result<usize> {
    let txn = crate::db::begin_write(&ctx.db).await?;
    let now = ctx.clock.now();
    // Read again, locked, inside the transaction: another instance may have finished it
    // meanwhile (and then it is not finished, or audited, twice).
    let Some(job) = bulk_send::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
    else {
        return Ok(0);
    };
    if job.status == stored(BulkSendStatus::Done) {
        return Ok(0);
    }
    let items = db::pending_locked(&txn, id, u64::try_from(limit).unwrap_or(1)).await?;
    let rule: RecipientsRule = serde_json::from_str(&job.recipients).map_err(Error::internal)?;
    let ids: BTreeSet<Uuid> = items.iter().map(|i| i.vendor_id).collect();
    let vendors = db::vendors_locked(&txn, job.organization_id, &ids).await?;
    let contacts = db::contacts_of(&txn, &ids).await?;
    let mut open = db::with_open_assessment(&txn, job.organization_id, &ids).await?;
    let (mut sent, mut skipped, mut failed) = (0, 0, 0);
    for it in &items {
        let outcome = match vendors.get(&it.vendor_id) {
            None => Outcome::Skipped(SkipReason::VendorArchived),
            Some(v) if v.status != VendorStatus::Active.as_str() => {
                Outcome::Skipped(SkipReason::VendorArchived)
            }
            Some(_) if open.contains(&it.vendor_id) => Outcome::Skipped(SkipReason::AssessmentOpen),
            Some(v) => {
                let theirs: Vec<Contact> = contacts
                    .get(&v.id)
                    .map(|list| {
                        list.iter()
                            .map(|c| Contact {
                                name: c.name.clone(),
                                email: c.email.clone(),
                                role: c.role.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                match rule.recipients(&theirs) {
                    Err(reason) => Outcome::Skipped(reason),
                    Ok(to) => {
                        let to: Vec<(String, String)> = to
                            .into_iter()
                            .map(|c| (c.name.clone(), c.email.clone()))
                            .collect();
                        send_one(&txn, mailer, &job, v, &to, now).await?
                    }
                }
            }
        };
        match &outcome {
            Outcome::Sent(_) => {
                open.insert(it.vendor_id);
                sent += 1;
            }
            Outcome::Skipped(_) => skipped += 1,
            Outcome::Failed(_) => failed += 1,
        }
        record(&txn, it, outcome, now).await?;
    }
    let done = job.sent + job.skipped + job.failed + sent + skipped + failed;
    let finished = done >= job.total || items.len() < limit;
    let status = if finished {
        BulkSendStatus::Done
    } else {
        BulkSendStatus::Running
    };
    bulk_send::Entity::update_many()
        .col_expr(bulk_send::Column::Sent, Expr::value(job.sent + sent))
        .col_expr(
            bulk_send::Column::Skipped,
            Expr::value(job.skipped + skipped),
        )
        .col_expr(bulk_send::Column::Failed, Expr::value(job.failed + failed))
        .col_expr(bulk_send::Column::Status, Expr::value(stored(status)))
        .col_expr(
            bulk_send::Column::FinishedAt,
            Expr::value(finished.then_some(now)),
        )
        .filter(bulk_send::Column::Id.eq(job.id))
        .exec(&txn)
        .await?;
    if finished {
        audit::record(
            &txn,
            Event {
                organization_id: Some(job.organization_id),
                actor: Actor::scheduler(),
                action: Action::BulkSendFinished,
                target: Some(("bulk_send", job.id.to_string())),
                detail: json!({
                    "vendors": job.total,
                    "sent": job.sent + sent,
                    "skipped": job.skipped + skipped,
                    "failed": job.failed + failed,
                }),
            },
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(items.len())
}

/// Creates one vendor's assessment and queues its invitations inside a savepoint: a
/// failure that is the vendor's own (a refused value, a bug) undoes only this vendor's
/// send and is its result; a database that is busy or gone ends the whole transaction,
/// whose items the next round takes again.
async fn send_one(
    txn: &crate::db::WriteTxn,
    mailer: &Mailer,
    job: &bulk_send::Model,
    vendor: &vendor::Model,
    to: &[(String, String)],
    now: OffsetDateTime,
) -> Result<Outcome> {
    let savepoint = txn.begin().await?;
    let sent = async {
        let model = assessments::insert_sent(
            &savepoint,
            Sent {
                organization_id: job.organization_id,
                vendor_id: vendor.id,
                template_id: job.template_id,
                template_version: job.template_version,
                due: job.due_date,
                created_by: job.created_by,
            },
            now,
        )
        .await?;
        assessments::invite_all(&savepoint, mailer, &model, to, now).await?;
        Ok::<_, Error>(model.id)
    }
    .await;
    match sent {
        Ok(id) => {
            savepoint.commit().await?;
            Ok(Outcome::Sent(id))
        }
        Err(Error::Database(e)) if crate::error::is_contention(&e) => Err(Error::Database(e)),
        Err(error) => {
            savepoint.rollback().await?;
            let reason = match &error {
                Error::Validation { message, .. } | Error::Conflict { message, .. } => {
                    message.clone()
                }
                _ => {
                    tracing::error!(bulk_send = %job.id, vendor = %vendor.id, %error, "a bulk send item failed");
                    "It could not be sent because of an error on the server; the server's log has the details.".to_owned()
                }
            };
            Ok(Outcome::Failed(reason))
        }
    }
}

/// Stores an item's result, only while it is pending: a result is given once.
async fn record(
    conn: &impl ConnectionTrait,
    it: &item::Model,
    outcome: Outcome,
    now: OffsetDateTime,
) -> Result<()> {
    let (result, reason, failure, assessment_id) = match outcome {
        Outcome::Sent(id) => (ItemResult::Sent, None, None, Some(id)),
        Outcome::Skipped(reason) => (ItemResult::Skipped, Some(stored(reason)), None, None),
        Outcome::Failed(why) => (ItemResult::Failed, None, Some(why), None),
    };
    let updated = item::Entity::update_many()
        .col_expr(item::Column::Result, Expr::value(stored(result)))
        .col_expr(item::Column::SkipReason, Expr::value(reason))
        .col_expr(item::Column::Failure, Expr::value(failure))
        .col_expr(item::Column::AssessmentId, Expr::value(assessment_id))
        .col_expr(item::Column::DoneAt, Expr::value(now))
        .filter(item::Column::Id.eq(it.id))
        .filter(item::Column::Result.eq(stored(ItemResult::Pending)))
        .exec(conn)
        .await?;
    if updated.rows_affected != 1 {
        // Another instance gave it a result meanwhile: this transaction's work is undone.
        return Err(Error::internal(anyhow::anyhow!(
            "bulk send item {} was no longer pending",
            it.id
        )));
    }
    Ok(())
}
