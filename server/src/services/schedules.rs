//! Each organisation's schedules and the three sweeps the scheduler runs over them:
//! due-date reminders, evidence expiry alerts and reassessments.
//!
//! A sweep reads only the rows whose due day has come (`assessments.next_reminder_on`,
//! `evidence.next_alert_on`, `vendors.reassess_on`, each indexed; see `db::due_dates` for
//! how writes keep them), at most [`BATCH`] a round, so a round costs what is due, not what
//! is stored. For each it derives what is due from the current state (so a moved due date
//! or a replaced file is simply seen), records every notification under a unique key in
//! `notices` in the transaction that queues its emails, and stores the next day to look:
//! however many instances sweep, and whenever one restarts, each notification is queued
//! exactly once.

use std::collections::HashMap;

use assay_core::access::{Permission, Role};
use assay_core::assessment::{AssessmentEvent, AssessmentStatus};
use assay_core::risk::RiskTier;
use assay_core::schedule::{self, ReminderStage, ScheduleSettings};
use assay_core::scoring::ScoreCard;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::assessments::{names, snapshot, status_of};
use crate::db::entities::{
    assessment, decision, evidence, notice, schedule_settings, scorecard, template_version, user,
    vendor,
};
use crate::db::stored;
use crate::db::{accounts, due_dates};
use crate::error::{Error, Result};
use crate::services::assessments::{self};
use crate::services::audit::{self, Action, Actor, Event};
use crate::services::mailer::{self, EmailKind, Mailer};
use crate::services::{letters, restored, review};
use crate::state::Ctx;

/// The organisation's schedules (the defaults until an Admin changes them).
pub async fn settings_of(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
) -> Result<ScheduleSettings> {
    match schedule_settings::Entity::find_by_id(organization_id)
        .one(conn)
        .await?
    {
        Some(row) => serde_json::from_str(&row.settings).map_err(Error::internal),
        None => Ok(ScheduleSettings::default()),
    }
}

/// `GET /api/settings/schedules` (everyone who reads assessments).
pub async fn get(ctx: &Ctx, user: &UserCaller) -> Result<ScheduleSettings> {
    let db = &ctx.db;
    user.require(Permission::ReadAssessments)?;
    settings_of(db, user.organization_id).await
}

/// `PUT /api/settings/schedules` (Admin).
pub async fn put(
    ctx: &Ctx,
    user: &UserCaller,
    settings: ScheduleSettings,
) -> Result<ScheduleSettings> {
    let db = &ctx.db;
    user.require(Permission::ManageOrganisation)?;
    if let Some((field, message)) = settings.problem() {
        return Err(Error::validation(field, message));
    }
    let settings = settings.normalized();
    let text = serde_json::to_string(&settings).map_err(Error::internal)?;
    let txn = crate::db::begin_write(db).await?;
    let before = settings_of(&txn, user.organization_id).await?;
    let now = ctx.clock.now();
    schedule_settings::Entity::insert(schedule_settings::ActiveModel {
        organization_id: Set(user.organization_id),
        settings: Set(text),
        updated_by: Set(Some(user.id)),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(schedule_settings::Column::OrganizationId)
            .update_columns([
                schedule_settings::Column::Settings,
                schedule_settings::Column::UpdatedBy,
                schedule_settings::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    // What is due under the new schedules is worked out by the scheduler's next rounds, a
    // batch at a time, for the rows they apply to.
    let today = now.date();
    if (before.reminders_enabled, &before.reminder_days)
        != (settings.reminders_enabled, &settings.reminder_days)
    {
        due_dates::remind_organization_now(&txn, user.organization_id, today).await?;
    }
    if before.expiry_alert_days != settings.expiry_alert_days {
        due_dates::alert_organization_now(&txn, user.organization_id, today).await?;
    }
    if (before.reassessment_enabled, before.reassessment_months)
        != (settings.reassessment_enabled, settings.reassessment_months)
    {
        due_dates::reassess_organization_now(&txn, user.organization_id, today).await?;
    }
    audit::record(
        &txn,
        Event::by(
            user,
            Action::SchedulesUpdated,
            ("organization", user.organization_id.to_string()),
            json!({ "before": before, "after": settings }),
        ),
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(settings)
}

/// Records notice `key`; `false` when it was recorded before (by this or another instance).
async fn first_notice(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    key: &str,
    kind: EmailKind,
    subject_id: Uuid,
    now: OffsetDateTime,
) -> Result<bool> {
    let inserted = notice::Entity::insert(notice::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(organization_id),
        key: Set(key.to_owned()),
        kind: Set(kind.as_str().to_owned()),
        subject_id: Set(Some(subject_id)),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(notice::Column::Key)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(inserted == 1)
}

/// Rows each job looks at in one round, at most: a backlog (the first rounds after the
/// upgrade that added the due dates, or new schedules across a large portfolio) drains over
/// rounds instead of stalling one.
pub const BATCH: u64 = 500;

/// Rows one write transaction looks at, so that none holds the write lock (on SQLite, the
/// whole database's) for long.
const CHUNK: usize = 20;

/// Organisation settings, read once per transaction, after the rows it looks at are locked:
/// schedules saved meanwhile are either read here or mark those rows again once it commits.
#[derive(Default)]
struct SettingsCache(HashMap<Uuid, ScheduleSettings>);

impl SettingsCache {
    async fn of(
        &mut self,
        conn: &impl ConnectionTrait,
        organization_id: Uuid,
    ) -> Result<&ScheduleSettings> {
        if let std::collections::hash_map::Entry::Vacant(entry) = self.0.entry(organization_id) {
            entry.insert(settings_of(conn, organization_id).await?);
        }
        Ok(&self.0[&organization_id])
    }
}

/// The ids of the rows whose due `day` has come, earliest first, at most [`BATCH`]: in a
/// round with nothing due, a job's only read, and an index range scan.
async fn due_ids<E: EntityTrait>(
    db: &DatabaseConnection,
    id: E::Column,
    day: E::Column,
    today: Date,
) -> Result<Vec<Uuid>> {
    Ok(E::find()
        .select_only()
        .column(id)
        .filter(day.lte(today))
        .order_by_asc(day)
        .limit(BATCH)
        .into_tuple()
        .all(db)
        .await?)
}

fn scheduler(
    organization_id: Uuid,
    action: Action,
    target: (&'static str, String),
    detail: serde_json::Value,
) -> Event {
    Event {
        organization_id: Some(organization_id),
        actor: Actor::scheduler(),
        action,
        target: Some(target),
        detail,
    }
}

/// Reminds the contacts of every assessment still with the vendor when a reminder day
/// comes, and once when it is overdue. Looks only at the assessments whose
/// `next_reminder_on` has come, and moves it to the next stage's day. Returns the
/// assessments reminded.
pub async fn send_reminders(ctx: &Ctx, mailer: &Mailer, now: OffsetDateTime) -> Result<usize> {
    let db = &ctx.db;
    let today = now.date();
    let due = due_ids::<assessment::Entity>(
        db,
        assessment::Column::Id,
        assessment::Column::NextReminderOn,
        today,
    )
    .await?;
    let mut reminded = 0;
    for chunk in due.chunks(CHUNK) {
        let txn = crate::db::begin_write(db).await?;
        // Read again, locked: a change made since (a new due date, a submission) is seen,
        // and rows another instance has just looked at are no longer due.
        let rows = assessment::Entity::find()
            .filter(assessment::Column::Id.is_in(chunk.iter().copied()))
            .filter(assessment::Column::NextReminderOn.lte(today))
            .lock_exclusive()
            .all(&txn)
            .await?;
        let mut settings = SettingsCache::default();
        for a in rows {
            let org = settings.of(&txn, a.organization_id).await?.clone();
            let (sent, next) = remind(&txn, ctx, mailer, &org, &a, now).await?;
            assessment::Entity::update_many()
                .col_expr(assessment::Column::NextReminderOn, Expr::value(next))
                .filter(assessment::Column::Id.eq(a.id))
                .exec(&txn)
                .await?;
            reminded += usize::from(sent);
        }
        txn.commit().await?;
    }
    Ok(reminded)
}

/// Sends assessment `a` the reminder due today unless it went out before (from this or
/// another instance); whether it sent one, and the next day a stage begins.
async fn remind(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    mailer: &Mailer,
    org: &ScheduleSettings,
    a: &assessment::Model,
    now: OffsetDateTime,
) -> Result<(bool, Option<Date>)> {
    let today = now.date();
    if !org.reminders_enabled || !status_of(a)?.vendor_can_answer() {
        // Turning reminders on, or a return for clarification, looks again.
        return Ok((false, None));
    }
    let sent_on = a.sent_at.unwrap_or(a.created_at).date();
    let days = &org.reminder_days;
    let next = schedule::next_reminder_after(days, sent_on, a.due_date, today);
    let Some(stage) = schedule::reminder_stage(days, sent_on, a.due_date, today) else {
        return Ok((false, next));
    };
    // The due date is part of the key: moving it starts the reminders afresh.
    let key = format!("reminder:{}:{}:{}", a.id, a.due_date, stage.key());
    let kind = match stage {
        ReminderStage::Overdue => EmailKind::Overdue,
        ReminderStage::DaysBefore(_) => EmailKind::Reminder,
    };
    if !first_notice(txn, a.organization_id, &key, kind, a.id, now).await? {
        return Ok((false, next));
    }
    let (organization, vendor) = names(txn, a).await?;
    let title = snapshot(txn, a).await?.title.clone();
    let questionnaire = letters::Questionnaire {
        organization: &organization,
        vendor: &vendor,
        title: &title,
        due: a.due_date,
    };
    let days_left = (a.due_date - today).whole_days();
    review::notify_vendor(
        txn,
        mailer,
        a,
        kind,
        |name| match stage {
            ReminderStage::Overdue => letters::overdue(name, &questionnaire),
            ReminderStage::DaysBefore(_) => letters::reminder(name, &questionnaire, days_left),
        },
        ctx.clock.now(),
    )
    .await?;
    audit::record(
        txn,
        scheduler(
            a.organization_id,
            Action::ReminderSent,
            ("assessment", a.id.to_string()),
            json!({ "stage": stage.key(), "due_date": a.due_date.to_string() }),
        ),
        ctx.clock.now(),
    )
    .await?;
    Ok((true, next))
}

/// Who hears about a vendor: its owner, or (without one) the organisation's Admins and
/// risk managers. Only active users.
async fn vendor_people(
    conn: &impl ConnectionTrait,
    vendor: &vendor::Model,
) -> Result<Vec<user::Model>> {
    if let Some(owner) = accounts::active_owner(conn, vendor).await? {
        return Ok(vec![owner]);
    }
    Ok(accounts::active_users_in_roles(
        conn,
        vendor.organization_id,
        &[Role::Admin, Role::RiskManager],
    )
    .await?)
}

async fn email_people(
    conn: &impl ConnectionTrait,
    mailer: &Mailer,
    vendor: &vendor::Model,
    kind: EmailKind,
    compose: impl Fn(&str) -> letters::Letter,
    now: OffsetDateTime,
) -> Result<usize> {
    let people = vendor_people(conn, vendor).await?;
    for person in &people {
        mailer
            .queue(
                conn,
                mailer::Email {
                    organization_id: Some(vendor.organization_id),
                    to: person.email.clone(),
                    kind,
                    letter: compose(&person.display_name),
                },
                now,
            )
            .await?;
    }
    Ok(people.len())
}

/// Alerts each vendor's owner as its evidence files approach expiry. A file is skipped
/// once a newer file of the same kind from the same vendor outlasts it. Looks only at the
/// files whose `next_alert_on` has come, and moves it to the next window's first day.
/// Returns the alerts.
pub async fn send_expiry_alerts(ctx: &Ctx, mailer: &Mailer, now: OffsetDateTime) -> Result<usize> {
    let db = &ctx.db;
    let today = now.date();
    let due = due_ids::<evidence::Entity>(
        db,
        evidence::Column::Id,
        evidence::Column::NextAlertOn,
        today,
    )
    .await?;
    let mut alerts = 0;
    for chunk in due.chunks(CHUNK) {
        let txn = crate::db::begin_write(db).await?;
        let files = evidence::Entity::find()
            .filter(evidence::Column::Id.is_in(chunk.iter().copied()))
            .filter(evidence::Column::NextAlertOn.lte(today))
            .lock_exclusive()
            .all(&txn)
            .await?;
        let mut settings = SettingsCache::default();
        for file in files {
            let days = settings
                .of(&txn, file.organization_id)
                .await?
                .expiry_alert_days
                .clone();
            let (sent, next) = alert(&txn, ctx, mailer, &days, &file, now).await?;
            evidence::Entity::update_many()
                .col_expr(evidence::Column::NextAlertOn, Expr::value(next))
                .filter(evidence::Column::Id.eq(file.id))
                .exec(&txn)
                .await?;
            alerts += usize::from(sent);
        }
        txn.commit().await?;
    }
    Ok(alerts)
}

/// Alerts the people of `file`'s vendor if today opens an alert window that has not been
/// alerted yet; whether it did, and the next window's first day.
async fn alert(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    mailer: &Mailer,
    days: &[u32],
    file: &evidence::Model,
    now: OffsetDateTime,
) -> Result<(bool, Option<Date>)> {
    let today = now.date();
    let Some(expires_on) = file.expires_on.filter(|d| *d >= today) else {
        return Ok((false, None));
    };
    let next = schedule::next_expiry_alert_after(days, expires_on, today);
    let Some(window) = schedule::expiry_alert(days, expires_on, today) else {
        return Ok((false, next));
    };
    let Some(a) = assessment::Entity::find_by_id(file.assessment_id)
        .filter(assessment::Column::OrganizationId.eq(file.organization_id))
        .one(txn)
        .await?
    else {
        return Ok((false, None));
    };
    if status_of(&a)? == AssessmentStatus::Cancelled {
        return Ok((false, None));
    }
    let Some(vendor) = vendor::Entity::find_by_id(a.vendor_id)
        .filter(vendor::Column::OrganizationId.eq(a.organization_id))
        .one(txn)
        .await?
    else {
        return Ok((false, None));
    };
    if vendor.status != assay_core::api::VendorStatus::Active.as_str() {
        // Restoring the vendor looks again.
        return Ok((false, None));
    }
    if superseded(txn, file, &vendor, expires_on).await? {
        // Its later windows look again: the newer file may yet go.
        return Ok((false, next));
    }
    let key = format!("expiry:{}:{expires_on}:{window}d", file.id);
    if !first_notice(
        txn,
        file.organization_id,
        &key,
        EmailKind::EvidenceExpiry,
        file.id,
        now,
    )
    .await?
    {
        return Ok((false, next));
    }
    let kind = file
        .kind
        .as_deref()
        .and_then(|k| restored::<assay_core::scoring::EvidenceKind>(k).ok())
        .map(|k| k.label());
    let expiring = letters::ExpiringFile {
        vendor: &vendor.legal_name,
        file_name: &file.file_name,
        kind,
        expires_on,
        days_left: (expires_on - today).whole_days(),
    };
    let link = mailer.link(&format!("/vendors/{}", vendor.id));
    email_people(
        txn,
        mailer,
        &vendor,
        EmailKind::EvidenceExpiry,
        |name| letters::evidence_expiry(name, &expiring, &link),
        ctx.clock.now(),
    )
    .await?;
    audit::record(
        txn,
        scheduler(
            file.organization_id,
            Action::EvidenceExpiryAlerted,
            ("evidence", file.id.to_string()),
            json!({ "vendor_id": vendor.id, "expires_on": expires_on.to_string(), "window_days": window }),
        ),
        ctx.clock.now(),
    )
    .await?;
    Ok((true, next))
}

/// Reminds each vendor's owner (or, without one, the Admins and risk managers) as the last
/// day to give notice on its contract in force approaches, by the organisation's
/// `renewal_notice_days`, with the vendor's latest scorecard. One reminder per window and
/// notice date, recorded under a unique key: a day the server missed catches up once, two
/// instances never send twice, and re-saving the contract with the same date sends nothing
/// new. Archived vendors are skipped. Returns the reminders.
pub async fn send_renewal_reminders(
    ctx: &Ctx,
    mailer: &Mailer,
    now: OffsetDateTime,
) -> Result<usize> {
    let db = &ctx.db;
    let today = now.date();
    // The furthest a reminder may come before its notice date (the settings allow 730).
    let horizon = today + Duration::days(730);
    // Read first, write only for a reminder not yet sent: a contract stays inside a window
    // for weeks, and a round must not take the write lock for each of them every time.
    let mut settings = SettingsCache::default();
    let mut candidates = Vec::new();
    for contract in crate::db::contracts::notice_dates_between(db, today, horizon).await? {
        let Some(notice_date) = contract.notice_date else {
            continue;
        };
        let days = &settings
            .of(db, contract.organization_id)
            .await?
            .renewal_notice_days;
        let Some(window) = schedule::expiry_alert(days, notice_date, today) else {
            continue;
        };
        let key = format!("renewal:{}:{notice_date}:{window}d", contract.vendor_id);
        candidates.push((contract, notice_date, window, key));
    }
    // Which of them were sent already: one read per batch of keys, not one per contract.
    let mut sent = std::collections::HashSet::new();
    for batch in candidates.chunks(BATCH as usize) {
        sent.extend(
            notice::Entity::find()
                .select_only()
                .column(notice::Column::Key)
                .filter(notice::Column::Key.is_in(batch.iter().map(|c| c.3.clone())))
                .into_tuple::<String>()
                .all(db)
                .await?,
        );
    }
    let due: Vec<_> = candidates
        .into_iter()
        .filter(|c| !sent.contains(&c.3))
        .collect();
    let mut reminded = 0;
    for chunk in due.chunks(CHUNK) {
        let txn = crate::db::begin_write(db).await?;
        for (contract, notice_date, window, key) in chunk {
            let (notice_date, window) = (*notice_date, *window);
            let Some(vendor) = vendor::Entity::find_by_id(contract.vendor_id)
                .filter(vendor::Column::OrganizationId.eq(contract.organization_id))
                .one(&txn)
                .await?
            else {
                continue;
            };
            if vendor.status != assay_core::api::VendorStatus::Active.as_str() {
                continue;
            }
            if !first_notice(
                &txn,
                vendor.organization_id,
                key,
                EmailKind::Renewal,
                vendor.id,
                now,
            )
            .await?
            {
                continue;
            }
            let terms = crate::services::contracts::terms(contract)?;
            let latest = review::latest_cards(
                &txn,
                vendor.organization_id,
                &std::collections::BTreeSet::from([vendor.id]),
            )
            .await?
            .remove(&vendor.id);
            let scorecard = latest.and_then(|l| {
                l.card.map(|card| {
                    let overall = card
                        .overall
                        .map(|o| format!(" (overall {o})"))
                        .unwrap_or_default();
                    format!(
                        "residual tier {}{overall}, {}",
                        card.residual_tier.label(),
                        l.status.label().to_lowercase()
                    )
                })
            });
            let renewal = letters::Renewal {
                vendor: &vendor.legal_name,
                notice_date,
                renewal_date: terms.renewal_date,
                days_left: (notice_date - today).whole_days(),
                scorecard,
            };
            let link = mailer.link(&format!("/vendors/{}", vendor.id));
            email_people(
                &txn,
                mailer,
                &vendor,
                EmailKind::Renewal,
                |name| letters::renewal(name, &renewal, &link),
                ctx.clock.now(),
            )
            .await?;
            audit::record(
                &txn,
                scheduler(
                    vendor.organization_id,
                    Action::RenewalReminded,
                    ("vendor", vendor.id.to_string()),
                    json!({ "notice_date": notice_date.to_string(), "window_days": window, "contract_version": contract.version }),
                ),
                ctx.clock.now(),
            )
            .await?;
            reminded += 1;
        }
        txn.commit().await?;
    }
    Ok(reminded)
}

/// A newer file of the same kind from the same vendor expires later (or never).
async fn superseded(
    conn: &impl ConnectionTrait,
    file: &evidence::Model,
    vendor: &vendor::Model,
    expires_on: time::Date,
) -> Result<bool> {
    let Some(kind) = &file.kind else {
        return Ok(false);
    };
    let assessments: Vec<Uuid> = assessment::Entity::find()
        .select_only()
        .column(assessment::Column::Id)
        .filter(assessment::Column::OrganizationId.eq(vendor.organization_id))
        .filter(assessment::Column::VendorId.eq(vendor.id))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(evidence::Entity::find()
        .filter(evidence::Column::OrganizationId.eq(vendor.organization_id))
        .filter(evidence::Column::AssessmentId.is_in(assessments))
        .filter(evidence::Column::Kind.eq(kind.as_str()))
        // Later, or in the same instant and made after it (ids are time-ordered).
        .filter(
            Condition::any()
                .add(evidence::Column::CreatedAt.gt(file.created_at))
                .add(
                    Condition::all()
                        .add(evidence::Column::CreatedAt.eq(file.created_at))
                        .add(evidence::Column::Id.gt(file.id)),
                ),
        )
        .all(conn)
        .await?
        .iter()
        .any(|newer| newer.expires_on.is_none_or(|d| d > expires_on)))
}

/// Prepares the next assessment of every vendor whose cadence has come round: a draft from
/// the latest version of the template last used (sent to the previous contacts straight
/// away if the organisation chose so), and tells the vendor's owner. Looks only at the
/// vendors whose `reassess_on` has come, and keeps the day their latest completed
/// assessment comes due. Returns the number prepared.
pub async fn prepare_reassessments(
    ctx: &Ctx,
    mailer: &Mailer,
    now: OffsetDateTime,
) -> Result<usize> {
    let db = &ctx.db;
    let today = now.date();
    let due = due_ids::<vendor::Entity>(db, vendor::Column::Id, vendor::Column::ReassessOn, today)
        .await?;
    let mut prepared = 0;
    for chunk in due.chunks(CHUNK) {
        let txn = crate::db::begin_write(db).await?;
        let vendors = vendor::Entity::find()
            .filter(vendor::Column::Id.is_in(chunk.iter().copied()))
            .filter(vendor::Column::ReassessOn.lte(today))
            .lock_exclusive()
            .all(&txn)
            .await?;
        let mut settings = SettingsCache::default();
        for v in vendors {
            let org = settings.of(&txn, v.organization_id).await?.clone();
            let (done, next) = reassess(&txn, ctx, mailer, now, &org, &v).await?;
            vendor::Entity::update_many()
                .col_expr(vendor::Column::ReassessOn, Expr::value(next))
                .filter(vendor::Column::Id.eq(v.id))
                .exec(&txn)
                .await?;
            prepared += usize::from(done);
        }
        txn.commit().await?;
    }
    Ok(prepared)
}

/// Prepares the reassessment of `vendor` if its latest assessment (not cancelled) is
/// completed and the cadence of the residual tier it was decided at has come round; whether
/// it did, and the day it comes due when that is still ahead.
async fn reassess(
    txn: &DatabaseTransaction,
    ctx: &Ctx,
    mailer: &Mailer,
    now: OffsetDateTime,
    org: &ScheduleSettings,
    vendor: &vendor::Model,
) -> Result<(bool, Option<Date>)> {
    let today = now.date();
    if !org.reassessment_enabled || vendor.status != assay_core::api::VendorStatus::Active.as_str()
    {
        // Turning reassessments on, or restoring the vendor, looks again.
        return Ok((false, None));
    }
    // A later assessment (sent by hand, or prepared here) takes over; cancelling it looks
    // again.
    let Some(previous) = assessment::Entity::find()
        .filter(assessment::Column::OrganizationId.eq(vendor.organization_id))
        .filter(assessment::Column::VendorId.eq(vendor.id))
        .filter(assessment::Column::Status.ne(stored(AssessmentStatus::Cancelled)))
        .order_by_desc(assessment::Column::CreatedAt)
        .order_by_desc(assessment::Column::Id)
        .one(txn)
        .await?
    else {
        return Ok((false, None));
    };
    if status_of(&previous)? != AssessmentStatus::Completed {
        return Ok((false, None));
    }
    let Some(decided) = decision::Entity::find_by_id(previous.id).one(txn).await? else {
        return Ok((false, None));
    };
    let Some(card) = scorecard::Entity::find()
        .filter(scorecard::Column::AssessmentId.eq(previous.id))
        .filter(scorecard::Column::Version.eq(decided.scorecard_version))
        .one(txn)
        .await?
    else {
        return Ok((false, None));
    };
    let card: ScoreCard = serde_json::from_str(&card.body).map_err(Error::internal)?;
    let tier: RiskTier = card.residual_tier;
    let completed_on = decided.decided_at.date();
    let due = schedule::reassessment_due(org, completed_on, tier);
    if today < due {
        return Ok((false, Some(due)));
    }
    let Some(version) = template_version::Entity::find()
        .filter(template_version::Column::TemplateId.eq(previous.template_id))
        .order_by_desc(template_version::Column::Version)
        .one(txn)
        .await?
    else {
        tracing::warn!(assessment = %previous.id, "no published template to reassess with");
        return Ok((false, today.next_day()));
    };
    let key = format!("reassessment:{}", previous.id);
    if !first_notice(
        txn,
        previous.organization_id,
        &key,
        EmailKind::Reassessment,
        previous.id,
        now,
    )
    .await?
    {
        return Ok((false, None));
    }
    let contacts = assessments::contacts_of(txn, previous.id).await?;
    let send = org.auto_send_reassessments && !contacts.is_empty();
    let due = today + Duration::days(i64::from(org.reassessment_due_days));
    let status = if send {
        assay_core::assessment::transition(AssessmentStatus::Draft, AssessmentEvent::Send)
            .map_err(crate::services::illegal)?
    } else {
        AssessmentStatus::Draft
    };
    let id = Uuid::now_v7();
    let model = assessment::ActiveModel {
        id: Set(id),
        organization_id: Set(previous.organization_id),
        vendor_id: Set(previous.vendor_id),
        template_id: Set(previous.template_id),
        template_version: Set(version.version),
        questions_visible: Set(None),
        questions_answered: Set(None),
        status: Set(stored(status)),
        due_date: Set(due),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_at: Set(None),
        previous_id: Set(Some(previous.id)),
        sent_at: Set(send.then_some(now)),
        score_changes_on: Set(None),
        next_reminder_on: Set(due_dates::reminders_from(status, today)),
    }
    .insert(txn)
    .await?;
    assessments::record_progress(txn, &model).await?;
    if send {
        assessments::invite_all(txn, mailer, &model, &contacts, ctx.clock.now()).await?;
    }
    let title = snapshot(txn, &model).await?.title.clone();
    let notice = letters::Reassessment {
        vendor: &vendor.legal_name,
        title: &title,
        tier: tier.label(),
        months: org.reassessment_months.of(tier),
        completed_on,
        sent_due: send.then_some(due),
    };
    let link = mailer.link(&format!("/assessments/{id}"));
    email_people(
        txn,
        mailer,
        vendor,
        EmailKind::Reassessment,
        |name| letters::reassessment(name, &notice, &link),
        ctx.clock.now(),
    )
    .await?;
    audit::record(
        txn,
        scheduler(
            previous.organization_id,
            Action::ReassessmentPrepared,
            ("assessment", id.to_string()),
            json!({
                "previous_id": previous.id,
                "vendor_id": vendor.id,
                "residual_tier": tier,
                "months": org.reassessment_months.of(tier),
                "sent": send,
                "recipients": if send { contacts.len() } else { 0 },
                "due_date": due.to_string(),
            }),
        ),
        ctx.clock.now(),
    )
    .await?;
    // The new assessment is the vendor's latest: its decision looks again.
    Ok((true, None))
}
