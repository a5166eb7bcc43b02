//! Each organisation's schedules and the three sweeps the scheduler runs over them:
//! due-date reminders, evidence expiry alerts and reassessments. A sweep derives what is
//! due from the current state (so a moved due date or a replaced file is simply seen) and
//! records every notification under a unique key in `notices`, in the transaction that
//! queues its emails: however many instances sweep, and whenever one restarts, each
//! notification is queued exactly once.

use std::collections::{BTreeMap, HashMap};

use assay_core::access::{Permission, Role};
use assay_core::assessment::{AssessmentEvent, AssessmentStatus};
use assay_core::risk::RiskTier;
use assay_core::schedule::{self, ReminderStage, ScheduleSettings};
use assay_core::scoring::ScoreCard;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::accounts;
use crate::db::assessments::{names, snapshot, status_of};
use crate::db::entities::{
    assessment, decision, evidence, notice, schedule_settings, scorecard, template_version, user,
    vendor,
};
use crate::db::stored;
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

/// Organisation settings, read once per sweep.
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
/// comes, and once when it is overdue. Returns the assessments reminded.
pub async fn send_reminders(ctx: &Ctx, mailer: &Mailer, now: OffsetDateTime) -> Result<usize> {
    let db = &ctx.db;
    let today = now.date();
    let open: Vec<String> = [
        AssessmentStatus::Sent,
        AssessmentStatus::InProgress,
        AssessmentStatus::ReturnedForClarification,
    ]
    .into_iter()
    .map(stored)
    .collect();
    let candidates = assessment::Entity::find()
        .filter(assessment::Column::Status.is_in(open))
        // The earliest reminder day an organisation may set is 90 days ahead.
        .filter(assessment::Column::DueDate.lte(today + Duration::days(90)))
        .all(db)
        .await?;
    let mut settings = SettingsCache::default();
    let mut reminded = 0;
    for a in candidates {
        let org = settings.of(db, a.organization_id).await?;
        if !org.reminders_enabled {
            continue;
        }
        let sent_on = a.sent_at.unwrap_or(a.created_at).date();
        let Some(stage) = schedule::reminder_stage(&org.reminder_days, sent_on, a.due_date, today)
        else {
            continue;
        };
        // The due date is part of the key: moving it starts the reminders afresh.
        let key = format!("reminder:{}:{}:{}", a.id, a.due_date, stage.key());
        let kind = match stage {
            ReminderStage::Overdue => EmailKind::Overdue,
            ReminderStage::DaysBefore(_) => EmailKind::Reminder,
        };
        let txn = crate::db::begin_write(db).await?;
        if !first_notice(&txn, a.organization_id, &key, kind, a.id, now).await? {
            continue;
        }
        let (organization, vendor) = names(&txn, &a).await?;
        let title = snapshot(&txn, &a).await?.title.clone();
        let questionnaire = letters::Questionnaire {
            organization: &organization,
            vendor: &vendor,
            title: &title,
            due: a.due_date,
        };
        let days_left = (a.due_date - today).whole_days();
        review::notify_vendor(
            &txn,
            mailer,
            &a,
            kind,
            |name| match stage {
                ReminderStage::Overdue => letters::overdue(name, &questionnaire),
                ReminderStage::DaysBefore(_) => letters::reminder(name, &questionnaire, days_left),
            },
            ctx.clock.now(),
        )
        .await?;
        audit::record(
            &txn,
            scheduler(
                a.organization_id,
                Action::ReminderSent,
                ("assessment", a.id.to_string()),
                json!({ "stage": stage.key(), "due_date": a.due_date.to_string() }),
            ),
            ctx.clock.now(),
        )
        .await?;
        txn.commit().await?;
        reminded += 1;
    }
    Ok(reminded)
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
/// once a newer file of the same kind from the same vendor outlasts it. Returns the alerts.
pub async fn send_expiry_alerts(ctx: &Ctx, mailer: &Mailer, now: OffsetDateTime) -> Result<usize> {
    let db = &ctx.db;
    let today = now.date();
    let files = evidence::Entity::find()
        .filter(evidence::Column::ExpiresOn.gte(today))
        .filter(evidence::Column::ExpiresOn.lte(today + Duration::days(365)))
        .order_by_asc(evidence::Column::ExpiresOn)
        .all(db)
        .await?;
    let mut settings = SettingsCache::default();
    let mut alerts = 0;
    for file in files {
        let Some(expires_on) = file.expires_on else {
            continue;
        };
        let days = &settings
            .of(db, file.organization_id)
            .await?
            .expiry_alert_days;
        let Some(window) = schedule::expiry_alert(days, expires_on, today) else {
            continue;
        };
        let Some(a) = assessment::Entity::find_by_id(file.assessment_id)
            .filter(assessment::Column::OrganizationId.eq(file.organization_id))
            .one(db)
            .await?
        else {
            continue;
        };
        if status_of(&a)? == AssessmentStatus::Cancelled {
            continue;
        }
        let Some(vendor) = vendor::Entity::find_by_id(a.vendor_id)
            .filter(vendor::Column::OrganizationId.eq(a.organization_id))
            .one(db)
            .await?
        else {
            continue;
        };
        if vendor.status != assay_core::api::VendorStatus::Active.as_str()
            || superseded(db, &file, &vendor, expires_on).await?
        {
            continue;
        }
        let key = format!("expiry:{}:{expires_on}:{window}d", file.id);
        let txn = crate::db::begin_write(db).await?;
        if !first_notice(
            &txn,
            file.organization_id,
            &key,
            EmailKind::EvidenceExpiry,
            file.id,
            now,
        )
        .await?
        {
            continue;
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
            &txn,
            mailer,
            &vendor,
            EmailKind::EvidenceExpiry,
            |name| letters::evidence_expiry(name, &expiring, &link),
            ctx.clock.now(),
        )
        .await?;
        audit::record(
            &txn,
            scheduler(
                file.organization_id,
                Action::EvidenceExpiryAlerted,
                ("evidence", file.id.to_string()),
                json!({ "vendor_id": vendor.id, "expires_on": expires_on.to_string(), "window_days": window }),
            ), ctx.clock.now())
        .await?;
        txn.commit().await?;
        alerts += 1;
    }
    Ok(alerts)
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
        .filter(assessment::Column::OrganizationId.eq(vendor.organization_id))
        .filter(assessment::Column::VendorId.eq(vendor.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
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
/// away if the organisation chose so), and tells the vendor's owner. Returns the number.
pub async fn prepare_reassessments(
    ctx: &Ctx,
    mailer: &Mailer,
    now: OffsetDateTime,
) -> Result<usize> {
    let db = &ctx.db;
    let today = now.date();
    // Each vendor's latest assessment that was not cancelled, by its key columns only: this
    // runs every round over every organisation, so no row is read in full (with its template
    // snapshot) and no scorecard is parsed unless its vendor may be due.
    let cancelled = stored(AssessmentStatus::Cancelled);
    let completed = stored(AssessmentStatus::Completed);
    let mut latest: BTreeMap<Uuid, (Uuid, Uuid, String)> = BTreeMap::new();
    let rows: Vec<(Uuid, Uuid, Uuid, String)> = assessment::Entity::find()
        .select_only()
        .column(assessment::Column::Id)
        .column(assessment::Column::VendorId)
        .column(assessment::Column::OrganizationId)
        .column(assessment::Column::Status)
        .filter(assessment::Column::Status.ne(cancelled))
        .order_by_asc(assessment::Column::CreatedAt)
        .into_tuple()
        .all(db)
        .await?;
    for (id, vendor, organization, status) in rows {
        latest.insert(vendor, (id, organization, status));
    }
    let candidates: Vec<(Uuid, Uuid)> = latest
        .into_values()
        .filter(|(_, _, status)| *status == completed)
        .map(|(id, organization, _)| (id, organization))
        .collect();
    let mut settings = SettingsCache::default();
    let mut prepared = 0;
    for chunk in candidates.chunks(crate::services::IN_CHUNK) {
        let decisions: BTreeMap<Uuid, decision::Model> = decision::Entity::find()
            .filter(decision::Column::AssessmentId.is_in(chunk.iter().map(|(id, _)| *id)))
            .all(db)
            .await?
            .into_iter()
            .map(|d| (d.assessment_id, d))
            .collect();
        for &(id, organization_id) in chunk {
            let Some(decided) = decisions.get(&id) else {
                continue;
            };
            let org = settings.of(db, organization_id).await?.clone();
            let completed_on = decided.decided_at.date();
            if !org.reassessment_enabled
                || today < schedule::earliest_reassessment(&org, completed_on)
            {
                continue;
            }
            if prepare_one(ctx, mailer, now, &org, id, decided).await? {
                prepared += 1;
            }
        }
    }
    Ok(prepared)
}

/// Prepares the reassessment after completed assessment `previous_id` if its vendor's
/// cadence (by the residual tier it was decided at) has come round; whether it did.
async fn prepare_one(
    ctx: &Ctx,
    mailer: &Mailer,
    now: OffsetDateTime,
    org: &ScheduleSettings,
    previous_id: Uuid,
    decided: &decision::Model,
) -> Result<bool> {
    let db = &ctx.db;
    let today = now.date();
    let Some(previous) = assessment::Entity::find_by_id(previous_id).one(db).await? else {
        return Ok(false);
    };
    let Some(card) = scorecard::Entity::find()
        .filter(scorecard::Column::AssessmentId.eq(previous.id))
        .filter(scorecard::Column::Version.eq(decided.scorecard_version))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    let card: ScoreCard = serde_json::from_str(&card.body).map_err(Error::internal)?;
    let tier: RiskTier = card.residual_tier;
    let completed_on = decided.decided_at.date();
    if today < schedule::reassessment_due(org, completed_on, tier) {
        return Ok(false);
    }
    let Some(vendor) = vendor::Entity::find_by_id(previous.vendor_id)
        .filter(vendor::Column::OrganizationId.eq(previous.organization_id))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    if vendor.status != assay_core::api::VendorStatus::Active.as_str() {
        return Ok(false);
    }
    let txn = crate::db::begin_write(db).await?;
    let key = format!("reassessment:{}", previous.id);
    if !first_notice(
        &txn,
        previous.organization_id,
        &key,
        EmailKind::Reassessment,
        previous.id,
        now,
    )
    .await?
    {
        return Ok(false);
    }
    let Some(version) = template_version::Entity::find()
        .filter(template_version::Column::TemplateId.eq(previous.template_id))
        .order_by_desc(template_version::Column::Version)
        .one(&txn)
        .await?
    else {
        tracing::warn!(assessment = %previous.id, "no published template to reassess with");
        return Ok(false);
    };
    let contacts = assessments::contacts_of(&txn, previous.id).await?;
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
    }
    .insert(&txn)
    .await?;
    assessments::record_progress(&txn, &model).await?;
    if send {
        assessments::invite_all(&txn, mailer, &model, &contacts, ctx.clock.now()).await?;
    }
    let title = snapshot(&txn, &model).await?.title.clone();
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
        &txn,
        mailer,
        &vendor,
        EmailKind::Reassessment,
        |name| letters::reassessment(name, &notice, &link),
        ctx.clock.now(),
    )
    .await?;
    audit::record(
        &txn,
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
    txn.commit().await?;
    Ok(true)
}
