//! An assessment's life: created (sent, or a draft to send later), due dates moved,
//! cancelled. Every status change goes through core's state machine.

use super::*;
use crate::db::due_dates;

pub(crate) fn parse_due_date(text: &str, now: OffsetDateTime) -> Result<Date> {
    let due = Date::parse(
        text.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| Error::validation("due_date", "Use a date like 2027-01-31."))?;
    if due < now.date() {
        return Err(Error::validation("due_date", "The due date has passed."));
    }
    Ok(due)
}

/// Creates and sends an assessment (Procurement, Admin): snapshots the template's latest
/// published version and emails every recipient their own link. Refused (409
/// `assessment_open`) while the vendor has an assessment of the same template open; the
/// vendor's row is locked for the check, as a bulk send locks it, so concurrent sends
/// (single or bulk) never open two.
pub async fn create(
    ctx: &Ctx,
    mailer: &Mailer,
    user: &UserCaller,
    request: CreateAssessmentRequest,
) -> Result<AssessmentView> {
    send_new(ctx, mailer, user, request, true).await
}

/// As [`create`], without refusing a vendor that has the template open already: only for
/// `assay bench seed`, whose load data keeps several open assessments per vendor (ten
/// thousand assessments over a thousand vendors, as the benchmarks were measured on).
pub async fn create_for_seed(
    ctx: &Ctx,
    mailer: &Mailer,
    user: &UserCaller,
    request: CreateAssessmentRequest,
) -> Result<AssessmentView> {
    send_new(ctx, mailer, user, request, false).await
}

async fn send_new(
    ctx: &Ctx,
    mailer: &Mailer,
    user: &UserCaller,
    request: CreateAssessmentRequest,
    one_open: bool,
) -> Result<AssessmentView> {
    let db = &ctx.db;
    user.require(Permission::SendAssessments)?;
    let due = parse_due_date(&request.due_date, ctx.clock.now())?;
    let recipients = recipients_of(&request.recipients)?;
    let txn = crate::db::begin_write(db).await?;
    let vendor = vendors::find_for_write(&txn, user.organization_id, request.vendor_id)
        .await?
        .ok_or_else(|| Error::validation("vendor_id", "No such vendor."))?;
    let (template, version) = sendable(&txn, user.organization_id, request.template_id).await?;
    if one_open
        && crate::db::assessments::has_open_of_template(
            &txn,
            user.organization_id,
            vendor.id,
            template.id,
        )
        .await?
    {
        return Err(Error::Conflict {
            code: "assessment_open",
            message: "This vendor already has an open assessment of this questionnaire: finish or cancel it before sending another.".to_owned(),
        });
    }
    let now = ctx.clock.now();
    let model = insert_sent(
        &txn,
        Sent {
            organization_id: user.organization_id,
            vendor_id: vendor.id,
            template_id: template.id,
            template_version: version.version,
            due,
            created_by: Some(user.id),
        },
        now,
    )
    .await?;
    went_out(
        txn,
        mailer,
        user,
        model,
        &recipients,
        false,
        ctx.clock.now(),
    )
    .await
}

/// Template `id` (the organisation's or a built-in one) and its latest published version,
/// which is what a send snapshots; 422 naming `template_id` otherwise.
pub(crate) async fn sendable(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    id: Uuid,
) -> Result<(template::Model, template_version::Model)> {
    let template = template::Entity::find_by_id(id)
        .filter(
            sea_orm::Condition::any()
                .add(template::Column::OrganizationId.eq(organization_id))
                .add(template::Column::OrganizationId.is_null()),
        )
        .one(conn)
        .await?
        .ok_or_else(|| Error::validation("template_id", "No such template."))?;
    let version = template_version::Entity::find()
        .filter(template_version::Column::TemplateId.eq(template.id))
        .order_by_desc(template_version::Column::Version)
        .one(conn)
        .await?
        .ok_or_else(|| {
            Error::validation("template_id", "Publish the template before sending it.")
        })?;
    Ok((template, version))
}

/// What a new assessment that goes out at once is made of.
pub(crate) struct Sent {
    pub organization_id: Uuid,
    pub vendor_id: Uuid,
    pub template_id: Uuid,
    pub template_version: i32,
    pub due: Date,
    pub created_by: Option<Uuid>,
}

/// Creates an assessment that goes out now (its links are the caller's to send), with its
/// progress recorded: one vendor's send, alone or as part of a bulk send.
pub(crate) async fn insert_sent(
    conn: &impl ConnectionTrait,
    sent: Sent,
    now: OffsetDateTime,
) -> Result<entity::Model> {
    let status =
        assessment::transition(AssessmentStatus::Draft, AssessmentEvent::Send).map_err(illegal)?;
    let model = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(sent.organization_id),
        vendor_id: Set(sent.vendor_id),
        template_id: Set(sent.template_id),
        template_version: Set(sent.template_version),
        questions_visible: Set(None),
        questions_answered: Set(None),
        status: Set(stored(status)),
        due_date: Set(sent.due),
        created_by: Set(sent.created_by),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_at: Set(None),
        previous_id: Set(None),
        sent_at: Set(Some(now)),
        score_changes_on: Set(None),
        // The scheduler's next round works out its first reminder day.
        next_reminder_on: Set(Some(now.date())),
    }
    .insert(conn)
    .await?;
    record_progress(conn, &model).await?;
    Ok(model)
}

/// Sends a draft (a reassessment the scheduler prepared) to the recipients named, due on
/// the date given (Procurement, Admin).
pub async fn send_draft(
    ctx: &Ctx,
    mailer: &Mailer,
    user: &UserCaller,
    id: Uuid,
    request: SendAssessmentRequest,
) -> Result<AssessmentView> {
    let db = &ctx.db;
    user.require(Permission::SendAssessments)?;
    let due = parse_due_date(&request.due_date, ctx.clock.now())?;
    let recipients = recipients_of(&request.recipients)?;
    let txn = crate::db::begin_write(db).await?;
    let model = find_for_write(&txn, user.organization_id, id).await?;
    let next =
        assessment::transition(status_of(&model)?, AssessmentEvent::Send).map_err(illegal)?;
    let now = ctx.clock.now();
    let mut active = model.into_active_model();
    active.status = Set(stored(next));
    active.due_date = Set(due);
    active.sent_at = Set(Some(now));
    active.updated_at = Set(now);
    active.next_reminder_on = Set(due_dates::reminders_from(next, now.date()));
    let model = active.update(&txn).await?;
    went_out(txn, mailer, user, model, &recipients, true, ctx.clock.now()).await
}

/// Invites the recipients of an assessment that has just gone out, audits it and commits.
pub(super) async fn went_out(
    txn: crate::db::WriteTxn,
    mailer: &Mailer,
    user: &UserCaller,
    model: entity::Model,
    recipients: &[(String, String)],
    was_draft: bool,
    now: OffsetDateTime,
) -> Result<AssessmentView> {
    invite_all(&txn, mailer, &model, recipients, now).await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::AssessmentSent,
            ("assessment", model.id.to_string()),
            json!({ "vendor_id": model.vendor_id, "template_id": model.template_id, "template_version": model.template_version, "recipients": recipients.len(), "draft": was_draft }),
        ), now)
    .await?;
    let view = view(&txn, model, now).await?;
    txn.commit().await?;
    Ok(view)
}

/// Moves the due date (Procurement, Admin); not once the assessment is completed or
/// cancelled.
pub async fn set_due_date(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    request: UpdateAssessmentRequest,
) -> Result<AssessmentView> {
    let db = &ctx.db;
    user.require(Permission::SendAssessments)?;
    let due = parse_due_date(&request.due_date, ctx.clock.now())?;
    let txn = crate::db::begin_write(db).await?;
    let model = find_for_write(&txn, user.organization_id, id).await?;
    if status_of(&model)?.is_final() {
        return Err(Error::Conflict {
            code: "assessment_closed",
            message: "The assessment is closed; its due date can no longer change.".to_owned(),
        });
    }
    let previous = model.due_date;
    let status = status_of(&model)?;
    let mut active = model.into_active_model();
    active.due_date = Set(due);
    active.updated_at = Set(ctx.clock.now());
    // The reminders start afresh for the new date.
    active.next_reminder_on = Set(due_dates::reminders_from(status, ctx.clock.today()));
    let model = active.update(&txn).await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::AssessmentDueDateChanged,
            ("assessment", id.to_string()),
            json!({ "from": previous.to_string(), "to": due.to_string() }),
        ),
        ctx.clock.now(),
    )
    .await?;
    let view = view(&txn, model, ctx.clock.now()).await?;
    txn.commit().await?;
    Ok(view)
}

/// Cancels an assessment and revokes its links (Procurement, Admin).
pub async fn cancel(ctx: &Ctx, user: &UserCaller, id: Uuid) -> Result<AssessmentView> {
    let db = &ctx.db;
    user.require(Permission::SendAssessments)?;
    let txn = crate::db::begin_write(db).await?;
    let model = find_for_write(&txn, user.organization_id, id).await?;
    let next =
        assessment::transition(status_of(&model)?, AssessmentEvent::Cancel).map_err(illegal)?;
    let now = ctx.clock.now();
    revoke_links(&txn, id, None, now).await?;
    // An older completed assessment may be the vendor's latest again.
    due_dates::reassess_vendor_now(&txn, model.organization_id, model.vendor_id, now.date())
        .await?;
    let mut active = model.into_active_model();
    active.status = Set(stored(next));
    active.updated_at = Set(now);
    active.next_reminder_on = Set(None);
    let model = active.update(&txn).await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::AssessmentCancelled,
            ("assessment", id.to_string()),
            json!({}),
        ),
        ctx.clock.now(),
    )
    .await?;
    let view = view(&txn, model, ctx.clock.now()).await?;
    txn.commit().await?;
    Ok(view)
}
