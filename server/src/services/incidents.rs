//! Breach and incident reports. A vendor reports an incident from the portal (or a client
//! user records one the vendor reported by other means); the notification clock starts at
//! discovery and runs for the contract's breach-notification hours (72 without a contract,
//! GDPR Art. 33). The client organisation is emailed at once; both sides add timeline
//! updates and move the status (open, contained, resolved with a closing report). A report
//! that came after the deadline is a finding on every scorecard of the vendor computed
//! afterwards, and the vendor's latest submitted scorecard is recomputed straight away.
//!
//! Every query is scoped to the organisation (and, for a portal session, to the session's
//! vendor); "now" is always the application clock.

use std::collections::{BTreeMap, BTreeSet};

use assay_core::access::{Permission, Role};
use assay_core::api::{
    CursorPage, IncidentReport, IncidentSummary, IncidentUpdateRequest, IncidentUpdateView,
    IncidentView, RecordIncidentRequest, RegulatoryClockView,
};
use assay_core::incident::{
    self as rules, IncidentParty, IncidentStatus, Invalid, UpdateError, ValidReport, ValidUpdate,
};
use assay_core::regime::{self, ClientProfile, Regime};
use assay_core::risk::DataType;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::caller::{UserCaller, VendorCaller};
use crate::db::assessments::find;
use crate::db::entities::{
    assessment_invitation as invitation, incident as entity, incident_update, vendor,
};
use crate::db::incidents::hours_of;
use crate::db::{accounts, vendors};
use crate::error::{Error, Result};
use crate::services::audit::{self, Action, Actor, Event};
use crate::services::mailer::{EmailKind, Mailer};
use crate::services::pages::{PageRequest, foreign};
use crate::services::rfc3339;
use crate::services::{letters, mailer, review};
use crate::state::Ctx;

fn invalid(e: Invalid) -> Error {
    Error::validation(e.field, e.message)
}

fn update_error(e: UpdateError) -> Error {
    match e {
        UpdateError::Invalid(e) => invalid(e),
        UpdateError::Resolved => Error::Conflict {
            code: "incident_resolved",
            message: "This incident is resolved; its timeline is closed.".to_owned(),
        },
    }
}

fn status_of(row: &entity::Model) -> Result<IncidentStatus> {
    IncidentStatus::parse(&row.status)
        .ok_or_else(|| Error::internal(anyhow::anyhow!("incident status {}", row.status)))
}

fn view_of(
    row: entity::Model,
    vendor_name: String,
    updates: Vec<IncidentUpdateView>,
    now: OffsetDateTime,
) -> Result<IncidentView> {
    let hours = hours_of(&row);
    let deadline = rules::deadline(row.discovered_at, hours);
    let late = rules::lateness(row.discovered_at, row.reported_at, hours);
    let data_types: Vec<DataType> = serde_json::from_str(&row.data_types).unwrap_or_default();
    Ok(IncidentView {
        id: row.id,
        vendor_id: row.vendor_id,
        vendor_name,
        status: status_of(&row)?,
        reported_by: IncidentParty::parse(&row.reported_by).ok_or_else(|| {
            Error::internal(anyhow::anyhow!("incident reporter {}", row.reported_by))
        })?,
        title: row.title,
        description: row.description,
        discovered_at: rfc3339(row.discovered_at),
        reported_at: rfc3339(row.reported_at),
        deadline_at: rfc3339(deadline),
        notification_hours: hours,
        late: late.is_some(),
        hours_late: late.map_or(0, rules::hours_ceil),
        hours_to_deadline: (deadline - now).whole_hours(),
        data_types,
        records_affected: row.records_affected.and_then(|n| u64::try_from(n).ok()),
        containment: row.containment,
        contact: row.contact,
        reported_by_name: row.reported_by_name,
        closing_report: row.closing_report,
        resolved_at: row.resolved_at.map(rfc3339),
        updates,
        regulatory: None,
    })
}

/// Views of incident rows: vendor names and every timeline in two queries, not per row.
async fn views(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    rows: Vec<entity::Model>,
    now: OffsetDateTime,
) -> Result<Vec<IncidentView>> {
    let vendor_ids: BTreeSet<Uuid> = rows.iter().map(|r| r.vendor_id).collect();
    let vendors: BTreeMap<Uuid, vendor::Model> = vendor::Entity::find()
        .filter(vendor::Column::OrganizationId.eq(organization_id))
        .filter(vendor::Column::Id.is_in(vendor_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let settings = crate::services::org_settings::read(conn, organization_id).await?;
    let regimes = settings.regimes();
    let mut timelines: BTreeMap<Uuid, Vec<IncidentUpdateView>> = BTreeMap::new();
    for u in incident_update::Entity::find()
        .filter(incident_update::Column::IncidentId.is_in(rows.iter().map(|r| r.id)))
        .order_by_asc(incident_update::Column::CreatedAt)
        .order_by_asc(incident_update::Column::Id)
        .all(conn)
        .await?
    {
        let author_kind = IncidentParty::parse(&u.author_kind).ok_or_else(|| {
            Error::internal(anyhow::anyhow!("update author kind {}", u.author_kind))
        })?;
        let status = u
            .status
            .as_deref()
            .map(|s| {
                IncidentStatus::parse(s)
                    .ok_or_else(|| Error::internal(anyhow::anyhow!("update status {s}")))
            })
            .transpose()?;
        timelines
            .entry(u.incident_id)
            .or_default()
            .push(IncidentUpdateView {
                id: u.id,
                author_kind,
                author: u.author,
                message: u.message,
                status,
                created_at: rfc3339(u.created_at),
            });
    }
    rows.into_iter()
        .map(|r| {
            let vendor = vendors.get(&r.vendor_id);
            let regulatory = settings
                .client
                .as_ref()
                .and_then(|client| regulatory_clock(&regimes, client, &r, vendor));
            let name = vendor.map(|v| v.legal_name.clone()).unwrap_or_default();
            let updates = timelines.remove(&r.id).unwrap_or_default();
            let mut view = view_of(r, name, updates, now)?;
            view.regulatory = regulatory;
            Ok(view)
        })
        .collect()
}

/// The strictest first-notice clock that binds the client for this incident: the regimes
/// that apply to the client and to the data the incident (or, if it names none, the
/// vendor) touches, counted from when the vendor's report reached the client.
fn regulatory_clock(
    regimes: &[Regime],
    client: &ClientProfile,
    row: &entity::Model,
    vendor: Option<&vendor::Model>,
) -> Option<RegulatoryClockView> {
    let mut data_types: BTreeSet<DataType> =
        serde_json::from_str(&row.data_types).unwrap_or_default();
    if data_types.is_empty() {
        data_types = vendor
            .and_then(|v| serde_json::from_str(&v.data_types).ok())
            .unwrap_or_default();
    }
    let applicable = regime::applicable(regimes, client, &data_types);
    let (driver, hours) = regime::strictest_clock(&applicable)?;
    let due = row.reported_at + time::Duration::seconds_f64(hours * 3600.0);
    Some(RegulatoryClockView {
        citation: driver.citation(),
        requirement: driver.clock.describe(),
        recipient: driver.clock.recipient.clone(),
        source: driver.regime.source.clone(),
        due_at: rfc3339(due),
        also: applicable
            .iter()
            .filter(|r| r.id != driver.regime.id)
            .map(|r| r.name.clone())
            .collect(),
    })
}

async fn one(
    conn: &impl ConnectionTrait,
    row: entity::Model,
    now: OffsetDateTime,
) -> Result<IncidentView> {
    let organization_id = row.organization_id;
    views(conn, organization_id, vec![row], now)
        .await?
        .pop()
        .ok_or_else(|| Error::internal(anyhow::anyhow!("view of one incident")))
}

async fn find_row(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_id: Option<Uuid>,
    id: Uuid,
) -> Result<entity::Model> {
    let mut query =
        entity::Entity::find_by_id(id).filter(entity::Column::OrganizationId.eq(organization_id));
    if let Some(vendor_id) = vendor_id {
        query = query.filter(entity::Column::VendorId.eq(vendor_id));
    }
    query.one(conn).await?.ok_or(Error::NotFound)
}

/// Every incident of one vendor, newest discovery first (the vendor page, exports).
pub(crate) async fn of_vendor(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_id: Uuid,
    now: OffsetDateTime,
) -> Result<Vec<IncidentView>> {
    let rows = entity::Entity::find()
        .filter(entity::Column::OrganizationId.eq(organization_id))
        .filter(entity::Column::VendorId.eq(vendor_id))
        .order_by_desc(entity::Column::DiscoveredAt)
        .all(conn)
        .await?;
    views(conn, organization_id, rows, now).await
}

/// Incidents of these vendors (the portfolio export), by vendor then discovery.
pub(crate) async fn of_vendors(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_ids: &BTreeSet<Uuid>,
) -> Result<Vec<entity::Model>> {
    Ok(entity::Entity::find()
        .filter(entity::Column::OrganizationId.eq(organization_id))
        .filter(entity::Column::VendorId.is_in(vendor_ids.iter().copied()))
        .order_by_asc(entity::Column::VendorId)
        .order_by_asc(entity::Column::DiscoveredAt)
        .all(conn)
        .await?)
}

/// Whether a stored incident came after its deadline, and by how many hours.
pub(crate) fn late_hours(row: &entity::Model) -> Option<i64> {
    rules::lateness(row.discovered_at, row.reported_at, hours_of(row)).map(rules::hours_ceil)
}

/// The deadline of a stored incident.
pub(crate) fn deadline_of(row: &entity::Model) -> OffsetDateTime {
    rules::deadline(row.discovered_at, hours_of(row))
}

/// Unresolved incidents of these vendors, by deadline (the dashboard).
pub(crate) async fn open_summaries(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_ids: &BTreeSet<Uuid>,
    names: &BTreeMap<Uuid, String>,
) -> Result<Vec<IncidentSummary>> {
    let unresolved = [IncidentStatus::Open, IncidentStatus::Contained].map(|s| s.as_str());
    let rows = entity::Entity::find()
        .filter(entity::Column::OrganizationId.eq(organization_id))
        .filter(entity::Column::Status.is_in(unresolved))
        .all(conn)
        .await?;
    // By tenant and status in SQL (few rows: only unresolved incidents); the vendor filter
    // here, so that a large portfolio is not an `IN` list beyond the bound-parameter limit.
    let mut out = rows
        .into_iter()
        .filter(|r| vendor_ids.contains(&r.vendor_id))
        .map(|r| {
            let deadline = deadline_of(&r);
            Ok((
                deadline,
                IncidentSummary {
                    id: r.id,
                    vendor_id: r.vendor_id,
                    vendor_name: names.get(&r.vendor_id).cloned().unwrap_or_default(),
                    status: status_of(&r)?,
                    late: late_hours(&r).is_some(),
                    discovered_at: rfc3339(r.discovered_at),
                    deadline_at: rfc3339(deadline),
                    title: r.title,
                },
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    Ok(out.into_iter().map(|(_, s)| s).collect())
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    pub vendor_id: Option<Uuid>,
    pub status: Option<IncidentStatus>,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
    /// Rows per page, 1 to 200; default 50.
    pub limit: Option<u64>,
}

/// `GET /api/incidents`: newest discovery first, a page at a time (keyed by discovery time
/// and id), with every timeline of the page in a fixed number of queries.
pub async fn list(
    ctx: &Ctx,
    user: &UserCaller,
    filter: Filter,
) -> Result<CursorPage<IncidentView>> {
    let db = &ctx.db;
    let clock = &ctx.clock;
    user.require(Permission::ReadIncidents)?;
    let page = PageRequest::parse(filter.after.as_deref(), filter.limit, 2)?;
    let mut query =
        entity::Entity::find().filter(entity::Column::OrganizationId.eq(user.organization_id));
    if let Some(vendor_id) = filter.vendor_id {
        query = query.filter(entity::Column::VendorId.eq(vendor_id));
    }
    if let Some(status) = filter.status {
        query = query.filter(entity::Column::Status.eq(status.as_str()));
    }
    let total = query.clone().count(db).await?;
    if let Some([at, id]) = page.after() {
        let at = OffsetDateTime::parse(at, &Rfc3339).map_err(|_| foreign())?;
        let id = Uuid::parse_str(id).map_err(|_| foreign())?;
        query = query.filter(crate::db::after_key(
            &[entity::Column::DiscoveredAt, entity::Column::Id],
            [at.into(), id.into()],
            sea_orm::Order::Desc,
        ));
    }
    let rows = query
        .order_by_desc(entity::Column::DiscoveredAt)
        .order_by_desc(entity::Column::Id)
        .limit(page.fetch())
        .all(db)
        .await?;
    // The cursor keeps the time as stored, offset and all, so it compares as the rows do.
    let (rows, next) = page.finish(rows, |r| {
        vec![
            r.discovered_at.format(&Rfc3339).unwrap_or_default(),
            r.id.to_string(),
        ]
    });
    let items = views(db, user.organization_id, rows, clock.now()).await?;
    Ok(CursorPage { items, total, next })
}

/// `GET /api/incidents/{id}`.
pub async fn get(ctx: &Ctx, user: &UserCaller, id: Uuid) -> Result<IncidentView> {
    let db = &ctx.db;
    let clock = &ctx.clock;
    user.require(Permission::ReadIncidents)?;
    let row = find_row(db, user.organization_id, None, id).await?;
    one(db, row, clock.now()).await
}

/// Who filed an incident.
struct Reporter {
    party: IncidentParty,
    name: String,
    user_id: Option<Uuid>,
    assessment_id: Option<Uuid>,
    actor: Actor,
}

/// Stores a validated report, records it, emails the client organisation and recomputes
/// the vendor's latest scorecard.
#[allow(clippy::too_many_arguments)]
async fn file(
    txn: &sea_orm::DatabaseTransaction,
    mailer: &Mailer,
    organization_id: Uuid,
    vendor: &vendor::Model,
    report: ValidReport,
    reported_at: OffsetDateTime,
    now: OffsetDateTime,
    by: Reporter,
) -> Result<entity::Model> {
    // The contract's term; without one, what the regulations that apply propose (the
    // strictest clock less the client's margin); without either, Assay's default.
    let contracted = match crate::db::contracts::current(txn, organization_id, vendor.id).await? {
        Some(contract) => crate::services::contracts::terms(&contract)?.breach_notification_hours,
        None => None,
    };
    let hours = match contracted {
        Some(hours) => Some(hours),
        None => {
            let settings = crate::services::org_settings::read(txn, organization_id).await?;
            crate::services::contracts::breach_notice(&settings, vendor)
                .and_then(|notice| notice.proposal.hours)
        }
    }
    // Whole hours, at least one: the deadline is counted in hours.
    .map(|h| h.round().clamp(1.0, f64::from(u32::MAX)) as u32)
    .unwrap_or(rules::DEFAULT_NOTIFICATION_HOURS);
    let id = Uuid::now_v7();
    let row = entity::ActiveModel {
        id: Set(id),
        organization_id: Set(organization_id),
        vendor_id: Set(vendor.id),
        assessment_id: Set(by.assessment_id),
        title: Set(report.title),
        description: Set(report.description),
        discovered_at: Set(report.discovered_at),
        reported_at: Set(reported_at),
        notification_hours: Set(i32::try_from(hours).unwrap_or(i32::MAX)),
        data_types: Set(serde_json::to_string(&report.data_types).map_err(Error::internal)?),
        records_affected: Set(report
            .records_affected
            .map(|n| i64::try_from(n).unwrap_or(i64::MAX))),
        containment: Set(report.containment),
        contact: Set(report.contact),
        status: Set(IncidentStatus::Open.as_str().to_owned()),
        reported_by: Set(by.party.as_str().to_owned()),
        reported_by_name: Set(by.name),
        reported_by_user: Set(by.user_id),
        closing_report: Set(None),
        resolved_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await?;
    let late = late_hours(&row);
    audit::record(
        txn,
        Event {
            organization_id: Some(organization_id),
            actor: by.actor,
            action: Action::IncidentReported,
            target: Some(("incident", id.to_string())),
            detail: json!({
                "vendor_id": vendor.id,
                "title": row.title,
                "reported_by": by.party.as_str(),
                "discovered_at": rfc3339(row.discovered_at),
                "reported_at": rfc3339(row.reported_at),
                "notification_hours": hours,
                "late": late.is_some(),
                "hours_late": late,
            }),
        },
        now,
    )
    .await?;
    notify_client(txn, mailer, vendor, &row, now).await?;
    review::record_latest_of_vendor(txn, organization_id, vendor.id, now).await?;
    Ok(row)
}

/// Emails the vendor's owner and the organisation's risk managers and admins that an
/// incident was reported, with its deadline.
async fn notify_client(
    conn: &impl ConnectionTrait,
    mailer: &Mailer,
    vendor: &vendor::Model,
    row: &entity::Model,
    now: OffsetDateTime,
) -> Result<()> {
    // By address, with the name to greet.
    let recipients: BTreeMap<String, String> = accounts::active_users_in_roles(
        conn,
        row.organization_id,
        &[Role::Admin, Role::RiskManager],
    )
    .await?
    .into_iter()
    .chain(accounts::active_owner(conn, vendor).await?)
    .map(|u| (u.email, u.display_name))
    .collect();
    let notice = letters::IncidentNotice {
        vendor: &vendor.legal_name,
        title: &row.title,
        description: &row.description,
        discovered: rules::format_utc(row.discovered_at),
        deadline: rules::format_utc(deadline_of(row)),
        hours: row.notification_hours,
        hours_late: late_hours(row),
        contact: &row.contact,
    };
    let link = mailer.link(&format!("/incidents/{}", row.id));
    for (to, name) in recipients {
        mailer
            .queue(
                conn,
                mailer::Email {
                    organization_id: Some(row.organization_id),
                    to,
                    kind: EmailKind::Incident,
                    letter: letters::incident(&name, &notice, &link),
                },
                now,
            )
            .await?;
    }
    Ok(())
}

/// `POST /api/incidents`: a client user records an incident the vendor reported by other
/// means, at `reported_at` (now when left out).
pub async fn record(
    ctx: &Ctx,
    mailer: &Mailer,
    user: &UserCaller,
    request: RecordIncidentRequest,
) -> Result<IncidentView> {
    let db = &ctx.db;
    let clock = &ctx.clock;
    user.require(Permission::ManageIncidents)?;
    let now = clock.now();
    let report = ValidReport::parse(&request.report, now).map_err(invalid)?;
    let reported_at = report
        .reported_at(request.reported_at.as_deref(), now)
        .map_err(invalid)?;
    let txn = crate::db::begin_write(db).await?;
    let vendor = vendors::find(&txn, user.organization_id, request.vendor_id)
        .await?
        .ok_or_else(|| Error::validation("vendor_id", "There is no such vendor."))?;
    let row = file(
        &txn,
        mailer,
        user.organization_id,
        &vendor,
        report,
        reported_at,
        now,
        Reporter {
            party: IncidentParty::Client,
            name: user.display_name.clone(),
            user_id: Some(user.id),
            assessment_id: None,
            actor: Actor::user(user.id, &user.email),
        },
    )
    .await?;
    let view = one(&txn, row, now).await?;
    txn.commit().await?;
    Ok(view)
}

/// The vendor behind a portal session and the recipient's name and email. Delegates (who
/// answer one section for a colleague) do not report incidents.
async fn portal_vendor(
    conn: &impl ConnectionTrait,
    caller: &VendorCaller,
) -> Result<(vendor::Model, invitation::Model)> {
    if caller.section.is_some() {
        return Err(Error::Forbidden(
            "Only the questionnaire's recipient can report and follow incidents.".to_owned(),
        ));
    }
    let model = find(conn, caller.organization_id, caller.assessment_id).await?;
    let vendor = vendors::find(conn, caller.organization_id, model.vendor_id)
        .await?
        .ok_or(Error::NotFound)?;
    let recipient = invitation::Entity::find_by_id(caller.invitation_id)
        .filter(invitation::Column::AssessmentId.eq(model.id))
        .one(conn)
        .await?
        .ok_or(Error::Unauthorized)?;
    Ok((vendor, recipient))
}

fn vendor_actor(recipient: &invitation::Model) -> Actor {
    Actor {
        id: None,
        label: recipient.recipient_email.clone(),
    }
}

/// `POST /api/portal/incidents`: the vendor reports an incident; it is reported now.
pub async fn report(
    ctx: &Ctx,
    mailer: &Mailer,
    caller: &VendorCaller,
    request: IncidentReport,
) -> Result<IncidentView> {
    let db = &ctx.db;
    let clock = &ctx.clock;
    let now = clock.now();
    let report = ValidReport::parse(&request, now).map_err(invalid)?;
    let txn = crate::db::begin_write(db).await?;
    let (vendor, recipient) = portal_vendor(&txn, caller).await?;
    let row = file(
        &txn,
        mailer,
        caller.organization_id,
        &vendor,
        report,
        now,
        now,
        Reporter {
            party: IncidentParty::Vendor,
            name: recipient.recipient_name.clone(),
            user_id: None,
            assessment_id: Some(caller.assessment_id),
            actor: vendor_actor(&recipient),
        },
    )
    .await?;
    let view = one(&txn, row, now).await?;
    txn.commit().await?;
    Ok(as_vendor_sees_it(view))
}

/// `GET /api/portal/incidents`: the session's vendor's incidents with this organisation.
pub async fn portal_list(ctx: &Ctx, caller: &VendorCaller) -> Result<Vec<IncidentView>> {
    let db = &ctx.db;
    let clock = &ctx.clock;
    let (vendor, _) = portal_vendor(db, caller).await?;
    Ok(
        of_vendor(db, caller.organization_id, vendor.id, clock.now())
            .await?
            .into_iter()
            .map(as_vendor_sees_it)
            .collect(),
    )
}

/// `GET /api/portal/incidents/{id}`: 404 for any incident not of the session's vendor.
pub async fn portal_get(ctx: &Ctx, caller: &VendorCaller, id: Uuid) -> Result<IncidentView> {
    let db = &ctx.db;
    let clock = &ctx.clock;
    let (vendor, _) = portal_vendor(db, caller).await?;
    let row = find_row(db, caller.organization_id, Some(vendor.id), id).await?;
    one(db, row, clock.now()).await.map(as_vendor_sees_it)
}

/// An incident as the vendor sees it: the client's own regulatory clock is the client's.
fn as_vendor_sees_it(mut view: IncidentView) -> IncidentView {
    view.regulatory = None;
    view
}

/// Who writes a timeline entry.
struct Author {
    party: IncidentParty,
    name: String,
    user_id: Option<Uuid>,
    actor: Actor,
}

/// Adds a timeline entry (and the status change it carries), records it, and recomputes
/// the vendor's latest scorecard.
async fn add_update(
    txn: &sea_orm::DatabaseTransaction,
    row: entity::Model,
    request: &IncidentUpdateRequest,
    author: Author,
    now: OffsetDateTime,
) -> Result<entity::Model> {
    let update = ValidUpdate::parse(status_of(&row)?, request).map_err(update_error)?;
    let update_id = Uuid::now_v7();
    incident_update::ActiveModel {
        id: Set(update_id),
        incident_id: Set(row.id),
        author_kind: Set(author.party.as_str().to_owned()),
        author: Set(author.name),
        author_user_id: Set(author.user_id),
        message: Set(update.message.clone()),
        status: Set(update.status.map(|s| s.as_str().to_owned())),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    let organization_id = row.organization_id;
    let vendor_id = row.vendor_id;
    let id = row.id;
    let mut active = row.into_active_model();
    active.updated_at = Set(now);
    if let Some(status) = update.status {
        active.status = Set(status.as_str().to_owned());
    }
    if let Some(report) = &update.closing_report {
        active.closing_report = Set(Some(report.clone()));
        active.resolved_at = Set(Some(now));
    }
    let row = active.update(txn).await?;
    let action = if update.status == Some(IncidentStatus::Resolved) {
        Action::IncidentResolved
    } else {
        Action::IncidentUpdated
    };
    audit::record(
        txn,
        Event {
            organization_id: Some(organization_id),
            actor: author.actor,
            action,
            target: Some(("incident", id.to_string())),
            detail: json!({
                "update_id": update_id,
                "by": author.party.as_str(),
                "message": update.message,
                "status": update.status.map(|s| s.as_str()),
                "closing_report": update.closing_report,
            }),
        },
        now,
    )
    .await?;
    review::record_latest_of_vendor(txn, organization_id, vendor_id, now).await?;
    Ok(row)
}

/// `POST /api/incidents/{id}/updates`: a client user adds to the timeline.
pub async fn update(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    request: IncidentUpdateRequest,
) -> Result<IncidentView> {
    let db = &ctx.db;
    let clock = &ctx.clock;
    user.require(Permission::ManageIncidents)?;
    let now = clock.now();
    let txn = crate::db::begin_write(db).await?;
    let row = find_row(&txn, user.organization_id, None, id).await?;
    let row = add_update(
        &txn,
        row,
        &request,
        Author {
            party: IncidentParty::Client,
            name: user.display_name.clone(),
            user_id: Some(user.id),
            actor: Actor::user(user.id, &user.email),
        },
        now,
    )
    .await?;
    let view = one(&txn, row, now).await?;
    txn.commit().await?;
    Ok(view)
}

/// `POST /api/portal/incidents/{id}/updates`: the vendor adds to the timeline of one of
/// its incidents.
pub async fn portal_update(
    ctx: &Ctx,
    caller: &VendorCaller,
    id: Uuid,
    request: IncidentUpdateRequest,
) -> Result<IncidentView> {
    let db = &ctx.db;
    let clock = &ctx.clock;
    let now = clock.now();
    let txn = crate::db::begin_write(db).await?;
    let (vendor, recipient) = portal_vendor(&txn, caller).await?;
    let row = find_row(&txn, caller.organization_id, Some(vendor.id), id).await?;
    let row = add_update(
        &txn,
        row,
        &request,
        Author {
            party: IncidentParty::Vendor,
            name: recipient.recipient_name.clone(),
            user_id: None,
            actor: vendor_actor(&recipient),
        },
        now,
    )
    .await?;
    let view = one(&txn, row, now).await?;
    txn.commit().await?;
    Ok(as_vendor_sees_it(view))
}
