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
use crate::db::assessments::{answers_of, find, names, snapshot, status_of, stored};
use crate::db::entities::{
    answer, assessment as entity, assessment_invitation as invitation, template, template_version,
};
use crate::db::{accounts, vendors};
use crate::error::{Error, Result};
use crate::services::accounts::{Email, new_token};
use crate::services::audit::{self, Action, Actor, Event};
use crate::services::mailer::{EmailKind, Mailer};
use crate::services::portal_scope::{Answerable, Scope, answerable, portal_model};
use crate::services::{flat, illegal, rfc3339};
use crate::services::{letters, mailer};
use crate::state::Ctx;

/// How long an invitation link works.
pub const INVITATION_LIFETIME: Duration = Duration::days(60);

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

/// Progress as core computes it, counting evidence files towards evidence questions; off
/// the async workers, since it evaluates every condition of the template.
async fn progress_of(
    template: &Template,
    answers: &BTreeMap<String, AnswerView>,
    evidence: &[EvidenceView],
) -> Result<validation::Progress> {
    let with_evidence: BTreeSet<String> = evidence
        .iter()
        .filter_map(|e| e.question_id.clone())
        .collect();
    let (template, answers) = (template.clone(), flat(answers));
    crate::services::compute(move || validation::progress(&template, &answers, &with_evidence))
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
    let progress = progress_of(&template, &answers, &evidence).await?;
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

fn parse_due_date(text: &str, now: OffsetDateTime) -> Result<Date> {
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

/// The recipients of a request, checked: 1 to 20, each with a name and a valid address.
fn recipients_of(requested: &[ContactInput]) -> Result<Vec<(String, String)>> {
    if requested.is_empty() || requested.len() > 20 {
        return Err(Error::validation("recipients", "Name 1 to 20 recipients."));
    }
    let mut recipients = Vec::new();
    for r in requested {
        let email = Email::parse(&r.email).map_err(|_| {
            Error::validation(
                "recipients",
                format!("`{}` is not a valid email address.", r.email),
            )
        })?;
        let name = crate::services::text_field("recipients", &r.name, 200, true)?;
        recipients.push((name, email.as_str().to_owned()));
    }
    Ok(recipients)
}

/// Sends each recipient their own link.
pub(crate) async fn invite_all(
    conn: &impl ConnectionTrait,
    mailer: &Mailer,
    model: &entity::Model,
    recipients: &[(String, String)],
    now: OffsetDateTime,
) -> Result<()> {
    let (organization_name, vendor_name) = names(conn, model).await?;
    for (name, email) in recipients {
        invite(
            conn,
            mailer,
            &organization_name,
            &vendor_name,
            model,
            Recipient {
                name,
                email,
                delegation: None,
            },
            now,
        )
        .await?;
    }
    Ok(())
}

/// The contacts (not delegates) an assessment went to, once each, in the order invited.
pub(crate) async fn contacts_of(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
) -> Result<Vec<(String, String)>> {
    let mut seen = BTreeSet::new();
    Ok(invitation::Entity::find()
        .filter(invitation::Column::AssessmentId.eq(assessment_id))
        .filter(invitation::Column::SectionId.is_null())
        .order_by_asc(invitation::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .filter(|i| seen.insert(i.recipient_email.to_lowercase()))
        .map(|i| (i.recipient_name, i.recipient_email))
        .collect())
}

/// Creates and sends an assessment (Procurement, Admin): snapshots the template's latest
/// published version and emails every recipient their own link.
pub async fn create(
    ctx: &Ctx,
    mailer: &Mailer,
    user: &UserCaller,
    request: CreateAssessmentRequest,
) -> Result<AssessmentView> {
    let db = &ctx.db;
    user.require(Permission::SendAssessments)?;
    let due = parse_due_date(&request.due_date, ctx.clock.now())?;
    let recipients = recipients_of(&request.recipients)?;
    let txn = crate::db::begin_write(db).await?;
    let vendor = vendors::find(&txn, user.organization_id, request.vendor_id)
        .await?
        .ok_or_else(|| Error::validation("vendor_id", "No such vendor."))?;
    let template = template::Entity::find_by_id(request.template_id)
        .filter(
            sea_orm::Condition::any()
                .add(template::Column::OrganizationId.eq(user.organization_id))
                .add(template::Column::OrganizationId.is_null()),
        )
        .one(&txn)
        .await?
        .ok_or_else(|| Error::validation("template_id", "No such template."))?;
    let version = template_version::Entity::find()
        .filter(template_version::Column::TemplateId.eq(template.id))
        .order_by_desc(template_version::Column::Version)
        .one(&txn)
        .await?
        .ok_or_else(|| {
            Error::validation("template_id", "Publish the template before sending it.")
        })?;
    let now = ctx.clock.now();
    let id = Uuid::now_v7();
    let status =
        assessment::transition(AssessmentStatus::Draft, AssessmentEvent::Send).map_err(illegal)?;
    let model = entity::ActiveModel {
        id: Set(id),
        organization_id: Set(user.organization_id),
        vendor_id: Set(vendor.id),
        template_id: Set(template.id),
        template_version: Set(version.version),
        template_snapshot: Set(version.content.clone()),
        status: Set(stored(status)?),
        due_date: Set(due),
        created_by: Set(Some(user.id)),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_at: Set(None),
        previous_id: Set(None),
        sent_at: Set(Some(now)),
    }
    .insert(&txn)
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
    let model = find(&txn, user.organization_id, id).await?;
    let next =
        assessment::transition(status_of(&model)?, AssessmentEvent::Send).map_err(illegal)?;
    let now = ctx.clock.now();
    let mut active = model.into_active_model();
    active.status = Set(stored(next)?);
    active.due_date = Set(due);
    active.sent_at = Set(Some(now));
    active.updated_at = Set(now);
    let model = active.update(&txn).await?;
    went_out(txn, mailer, user, model, &recipients, true, ctx.clock.now()).await
}

/// Invites the recipients of an assessment that has just gone out, audits it and commits.
async fn went_out(
    txn: sea_orm::DatabaseTransaction,
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

/// Who a link is for: a vendor contact, or a colleague a contact delegated one section to.
struct Recipient<'a> {
    name: &'a str,
    email: &'a str,
    /// `(section id, delegating contact)` for a delegate.
    delegation: Option<(&'a str, &'a str)>,
}

/// Creates one recipient's link and queues the email carrying it.
async fn invite(
    conn: &impl ConnectionTrait,
    mailer: &Mailer,
    organization_name: &str,
    vendor_name: &str,
    assessment: &entity::Model,
    recipient: Recipient<'_>,
    now: OffsetDateTime,
) -> Result<InvitationView> {
    let token = new_token()?;
    let Recipient {
        name,
        email,
        delegation,
    } = recipient;
    let model = invitation::ActiveModel {
        id: Set(Uuid::now_v7()),
        assessment_id: Set(assessment.id),
        recipient_name: Set(name.to_owned()),
        recipient_email: Set(email.to_owned()),
        token_hash: Set(hash(&token)),
        expires_at: Set(now + INVITATION_LIFETIME),
        revoked_at: Set(None),
        opened_at: Set(None),
        created_at: Set(now),
        section_id: Set(delegation.map(|(s, _)| s.to_owned())),
        delegated_by: Set(delegation.map(|(_, by)| by.to_owned())),
    }
    .insert(conn)
    .await?;
    // The token is in the fragment: browsers never send it to a server or in Referer.
    let link = mailer.link(&format!("/portal#token={token}"));
    let template = snapshot(assessment)?;
    let questionnaire = letters::Questionnaire {
        organization: organization_name,
        vendor: vendor_name,
        title: &template.title,
        due: assessment.due_date,
    };
    let letter = match delegation {
        None => letters::assessment_invitation(name, &questionnaire, &link),
        Some((section, by)) => {
            let section_title = validation::section(&template, section)
                .map(|s| assay_core::import::vsaq::plain_text(&s.title))
                .unwrap_or_else(|| section.to_owned());
            letters::delegation(name, by, &section_title, &questionnaire, &link)
        }
    };
    mailer
        .queue(
            conn,
            mailer::Email {
                organization_id: Some(assessment.organization_id),
                to: email.to_owned(),
                kind: EmailKind::AssessmentInvitation,
                letter,
            },
            now,
        )
        .await?;
    Ok(InvitationView {
        recipient_name: model.recipient_name,
        recipient_email: model.recipient_email,
        opened: false,
        revoked: false,
        expires_at: rfc3339(model.expires_at),
        section_id: model.section_id,
        delegated_by: model.delegated_by,
    })
}

async fn revoke_links(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
    now: OffsetDateTime,
) -> Result<u64> {
    let result = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(invitation::Column::AssessmentId.eq(assessment_id))
        .filter(invitation::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// Withdraws every link and sends each recipient a new one (Procurement, Admin).
pub async fn resend(
    ctx: &Ctx,
    mailer: &Mailer,
    user: &UserCaller,
    id: Uuid,
) -> Result<AssessmentView> {
    let db = &ctx.db;
    user.require(Permission::SendAssessments)?;
    let txn = crate::db::begin_write(db).await?;
    let model = find(&txn, user.organization_id, id).await?;
    if !status_of(&model)?.vendor_can_answer() {
        return Err(Error::Conflict {
            code: "not_with_vendor",
            message: "Links can only be re-sent while the vendor is answering.".to_owned(),
        });
    }
    let mut recipients: Vec<invitation::Model> = invitation::Entity::find()
        .filter(invitation::Column::AssessmentId.eq(id))
        .order_by_asc(invitation::Column::CreatedAt)
        .all(&txn)
        .await?;
    // One new link per address and scope, however often it was re-sent before; a
    // delegate's new link is limited to the same section as the old one.
    recipients.sort_by(|a, b| {
        (&a.recipient_email, &a.section_id).cmp(&(&b.recipient_email, &b.section_id))
    });
    recipients
        .dedup_by(|a, b| a.recipient_email == b.recipient_email && a.section_id == b.section_id);
    revoke_links(&txn, id, ctx.clock.now()).await?;
    let (organization_name, vendor_name) = names(&txn, &model).await?;
    for r in &recipients {
        invite(
            &txn,
            mailer,
            &organization_name,
            &vendor_name,
            &model,
            Recipient {
                name: &r.recipient_name,
                email: &r.recipient_email,
                delegation: r.section_id.as_deref().zip(r.delegated_by.as_deref()),
            },
            ctx.clock.now(),
        )
        .await?;
    }
    audit::record(
        &txn,
        Event::by(
            user,
            Action::AssessmentResent,
            ("assessment", id.to_string()),
            json!({ "recipients": recipients.len() }),
        ),
        ctx.clock.now(),
    )
    .await?;
    let view = view(&txn, model, ctx.clock.now()).await?;
    txn.commit().await?;
    Ok(view)
}

/// Withdraws every link at once (e.g. one was forwarded by mistake).
pub async fn revoke(ctx: &Ctx, user: &UserCaller, id: Uuid) -> Result<AssessmentView> {
    let db = &ctx.db;
    user.require(Permission::SendAssessments)?;
    let txn = crate::db::begin_write(db).await?;
    let model = find(&txn, user.organization_id, id).await?;
    let revoked = revoke_links(&txn, id, ctx.clock.now()).await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::AssessmentLinksRevoked,
            ("assessment", id.to_string()),
            json!({ "links": revoked }),
        ),
        ctx.clock.now(),
    )
    .await?;
    let view = view(&txn, model, ctx.clock.now()).await?;
    txn.commit().await?;
    Ok(view)
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
    let model = find(&txn, user.organization_id, id).await?;
    if status_of(&model)?.is_final() {
        return Err(Error::Conflict {
            code: "assessment_closed",
            message: "The assessment is closed; its due date can no longer change.".to_owned(),
        });
    }
    let previous = model.due_date;
    let mut active = model.into_active_model();
    active.due_date = Set(due);
    active.updated_at = Set(ctx.clock.now());
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
    let model = find(&txn, user.organization_id, id).await?;
    let next =
        assessment::transition(status_of(&model)?, AssessmentEvent::Cancel).map_err(illegal)?;
    let now = ctx.clock.now();
    invitation::Entity::update_many()
        .col_expr(
            invitation::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(invitation::Column::AssessmentId.eq(id))
        .filter(invitation::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    let mut active = model.into_active_model();
    active.status = Set(stored(next)?);
    active.updated_at = Set(now);
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

/// Exchanges an invitation token for a vendor session scoped to its assessment. Unknown
/// tokens and other tenants' tokens look the same (404); expired or revoked ones say so (410).
pub async fn open_portal(ctx: &Ctx, token: &str) -> Result<VendorCaller> {
    let db = &ctx.db;
    let found = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(hash(token)))
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let now = ctx.clock.now();
    if found.revoked_at.is_some() {
        return Err(Error::Gone(
            "This link has been withdrawn. Ask your contact for a new one.".to_owned(),
        ));
    }
    if found.expires_at <= now {
        return Err(Error::Gone(
            "This link has expired. Ask your contact for a new one.".to_owned(),
        ));
    }
    let model = entity::Entity::find_by_id(found.assessment_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    if status_of(&model)? == AssessmentStatus::Cancelled {
        return Err(Error::Gone("This questionnaire was cancelled.".to_owned()));
    }
    let txn = crate::db::begin_write(db).await?;
    if found.opened_at.is_none() {
        let mut opened = found.clone().into_active_model();
        opened.opened_at = Set(Some(now));
        opened.update(&txn).await?;
    }
    audit::record(
        &txn,
        Event {
            organization_id: Some(model.organization_id),
            actor: Actor {
                id: None,
                label: found.recipient_email.clone(),
            },
            action: Action::PortalOpened,
            target: Some(("assessment", model.id.to_string())),
            detail: json!({}),
        },
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(VendorCaller {
        organization_id: model.organization_id,
        assessment_id: model.id,
        invitation_id: found.id,
        section: found.section_id.clone(),
    })
}

/// The vendor's last completed assessment of the same template (the pre-fill source).
async fn previous_completed(
    conn: &impl ConnectionTrait,
    model: &entity::Model,
) -> Result<Option<entity::Model>> {
    Ok(entity::Entity::find()
        .filter(entity::Column::OrganizationId.eq(model.organization_id))
        .filter(entity::Column::VendorId.eq(model.vendor_id))
        .filter(entity::Column::TemplateId.eq(model.template_id))
        .filter(entity::Column::Id.ne(model.id))
        .filter(entity::Column::Status.eq(stored(AssessmentStatus::Completed)?))
        .order_by_desc(entity::Column::SubmittedAt)
        .one(conn)
        .await?)
}

pub async fn portal_view(ctx: &Ctx, vendor: &VendorCaller) -> Result<PortalAssessment> {
    let db = &ctx.db;
    let model = portal_model(db, vendor).await?;
    let status = status_of(&model)?;
    let scope = Scope::of(vendor, snapshot(&model)?)?;
    let org = accounts::find_organization(db, model.organization_id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut answers = answers_of(db, model.id).await?;
    answers.retain(|key, _| scope.may_read(key));
    let keys: BTreeSet<String> = validation::keys(&scope.template.items)
        .into_iter()
        .collect();
    let questions: BTreeSet<String> = scope.template.questions().map(|q| q.id.clone()).collect();
    let mut evidence = crate::services::evidence::list(db, model.id).await?;
    if scope.writable.is_some() {
        evidence.retain(|e| {
            e.question_id
                .as_ref()
                .is_some_and(|q| questions.contains(q))
        });
    }
    // Pre-fill: offered for keys this scope may answer that have no answer yet, and only
    // while the vendor can still answer.
    let mut previous = BTreeMap::new();
    let mut previous_submitted_at = None;
    if status.vendor_can_answer()
        && let Some(last) = previous_completed(db, &model).await?
    {
        for (key, old) in answers_of(db, last.id).await? {
            let unanswered = answers.get(&key).is_none_or(|a| a.value.trim().is_empty());
            if keys.contains(&key) && scope.may_write(&key) && unanswered && !old.value.is_empty() {
                previous.insert(
                    key,
                    PreviousAnswer {
                        value: old.value,
                        justification: old.justification,
                    },
                );
            }
        }
        previous_submitted_at = last.submitted_at.map(rfc3339);
    }
    let delegated_by = match &vendor.section {
        Some(_) => invitation::Entity::find_by_id(vendor.invitation_id)
            .one(db)
            .await?
            .and_then(|i| i.delegated_by),
        None => None,
    };
    Ok(PortalAssessment {
        id: model.id,
        organization_name: org.name,
        title: scope.template.title.clone(),
        status,
        due_date: model.due_date.to_string(),
        template: serde_json::to_value(&scope.template).map_err(|e| Error::Internal(e.into()))?,
        answers,
        evidence,
        section: vendor.section.clone(),
        delegated_by,
        previous,
        previous_submitted_at,
        clarifications: crate::services::review::clarifications_of(db, model.id)
            .await?
            .into_iter()
            .filter(|c| questions.contains(&c.question_id))
            .collect(),
        changeable: match answerable(db, vendor).await {
            Ok(Answerable {
                only: Some(keys), ..
            }) => keys.into_iter().filter(|k| questions.contains(k)).collect(),
            _ => Vec::new(),
        },
        remediations: crate::services::remediations::for_portal(
            db,
            model.id,
            scope.writable.is_some().then_some(&questions),
        )
        .await?,
    })
}

/// A vendor contact delegates one section to a colleague, who gets a link of their own
/// limited to that section. Delegates cannot delegate further.
pub async fn delegate(
    ctx: &Ctx,
    mailer: &Mailer,
    vendor: &VendorCaller,
    request: DelegateSectionRequest,
) -> Result<InvitationView> {
    let db = &ctx.db;
    if vendor.section.is_some() {
        return Err(Error::Forbidden(
            "Only the questionnaire's recipient can delegate sections.".to_owned(),
        ));
    }
    let email = Email::parse(&request.email)
        .map_err(|_| Error::validation("email", "Enter a valid email address."))?;
    let name = crate::services::text_field("name", &request.name, 200, true)?;
    let name = name.as_str();
    let txn = crate::db::begin_write(db).await?;
    let Answerable {
        model,
        template,
        only: None,
        ..
    } = answerable(&txn, vendor).await?
    else {
        return Err(Error::Conflict {
            code: "answers_locked",
            message: "Sections can be delegated only while the questionnaire is being answered."
                .to_owned(),
        });
    };
    let section = validation::section(&template, request.section_id.trim())
        .ok_or_else(|| Error::validation("section_id", "The questionnaire has no such section."))?;
    let section_id = section.id.clone().unwrap_or_default();
    let by = invitation::Entity::find_by_id(vendor.invitation_id)
        .one(&txn)
        .await?
        .map(|i| i.recipient_email)
        .ok_or(Error::Unauthorized)?;
    let (organization_name, vendor_name) = names(&txn, &model).await?;
    let created = invite(
        &txn,
        mailer,
        &organization_name,
        &vendor_name,
        &model,
        Recipient {
            name,
            email: email.as_str(),
            delegation: Some((&section_id, &by)),
        },
        ctx.clock.now(),
    )
    .await?;
    audit::record(
        &txn,
        Event {
            organization_id: Some(model.organization_id),
            actor: Actor {
                id: None,
                label: by.clone(),
            },
            action: Action::SectionDelegated,
            target: Some(("assessment", model.id.to_string())),
            detail: json!({ "section_id": section_id, "to": email.as_str() }),
        },
        ctx.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Saves one answer if `version` is the one stored (0: none yet); otherwise 409 with the
/// stored answer, so a colleague's work is never overwritten silently. The value is checked
/// by core against its question and stored in canonical form.
pub async fn save_answer(
    ctx: &Ctx,
    vendor: &VendorCaller,
    question_id: &str,
    request: SaveAnswerRequest,
) -> Result<AnswerView> {
    let db = &ctx.db;
    let SaveAnswerRequest {
        value,
        version,
        justification,
    } = request;
    if value.len() > 4 * validation::MAX_TEXT
        || justification
            .as_ref()
            .is_some_and(|j| j.len() > 4 * validation::MAX_TEXT)
    {
        return Err(Error::validation(
            "value",
            "Answers are limited to 100,000 characters.",
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let open = answerable(&txn, vendor).await?;
    if !open.may_change(question_id) {
        return Err(Error::Conflict {
            code: "answers_locked",
            message: "Only the answers the reviewer asked about, or that a remediation item is about, can change now."
                .to_owned(),
        });
    }
    let Answerable {
        model, template, ..
    } = open;
    let status = status_of(&model)?;
    // A delegate's key outside their section looks like an unknown key.
    let scope = Scope::of(vendor, template)?;
    if !scope.may_write(question_id) {
        return Err(Error::NotFound);
    }
    let target = validation::target(&scope.template, question_id).ok_or(Error::NotFound)?;
    let value =
        validation::validate(target, &value, justification.as_deref()).map_err(|e| match e {
            AnswerError::JustificationMissing => Error::validation("justification", e.to_string()),
            AnswerError::Invalid(message) => Error::validation("value", message),
        })?;
    let justification = justification
        .map(|j| j.trim().to_owned())
        .filter(|j| value == validation::NOT_APPLICABLE && !j.is_empty());
    let current = answer::Entity::find_by_id((model.id, question_id.to_owned()))
        .one(&txn)
        .await?;
    let stored_version = current
        .as_ref()
        .map_or(0, |a| u32::try_from(a.version).unwrap_or_default());
    if stored_version != version {
        let current = current.map(
            |a| json!({ "value": a.value, "version": a.version, "justification": a.justification }),
        );
        return Err(Error::StaleAnswer {
            current: current.unwrap_or(serde_json::Value::Null),
        });
    }
    let now = ctx.clock.now();
    let invitation = invitation::Entity::find_by_id(vendor.invitation_id)
        .one(&txn)
        .await?;
    let by = invitation.map(|i| i.recipient_email).unwrap_or_default();
    let next = i32::try_from(version + 1).map_err(|e| Error::Internal(e.into()))?;
    match current {
        Some(existing) => {
            let mut active = existing.into_active_model();
            active.value = Set(value.clone());
            active.justification = Set(justification.clone());
            active.version = Set(next);
            active.updated_by = Set(by);
            active.updated_at = Set(now);
            active.update(&txn).await?;
        }
        None => {
            answer::ActiveModel {
                assessment_id: Set(model.id),
                question_id: Set(question_id.to_owned()),
                value: Set(value.clone()),
                justification: Set(justification.clone()),
                version: Set(next),
                updated_by: Set(by),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?;
        }
    }
    if status == AssessmentStatus::ReturnedForClarification
        && let Some(question) = target_question(&scope.template, question_id)
    {
        crate::services::review::set_review(
            &txn,
            model.id,
            &question,
            ReviewStatus::Answered,
            None,
            ctx.clock.now(),
        )
        .await?;
    }
    if status == AssessmentStatus::Sent {
        let mut active = model.into_active_model();
        active.status = Set(stored(
            assessment::transition(status, AssessmentEvent::StartAnswering).map_err(illegal)?,
        )?);
        active.updated_at = Set(now);
        active.update(&txn).await?;
    }
    txn.commit().await?;
    Ok(AnswerView {
        value,
        version: version + 1,
        justification,
    })
}

/// The question an answer key belongs to (itself, or the question of a choice).
fn target_question(template: &Template, key: &str) -> Option<String> {
    template
        .questions()
        .find(|q| q.id == key || q.choices().iter().any(|c| c.id == key))
        .map(|q| q.id.clone())
}

/// Submits: every visible required question must be answered; then answers lock.
pub async fn submit(ctx: &Ctx, vendor: &VendorCaller) -> Result<PortalAssessment> {
    let db = &ctx.db;
    if vendor.section.is_some() {
        return Err(Error::Forbidden(
            "Only the questionnaire's recipient can submit it; tell them your section is done."
                .to_owned(),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let model = portal_model(&txn, vendor).await?;
    let next =
        assessment::transition(status_of(&model)?, AssessmentEvent::Submit).map_err(illegal)?;
    let template = snapshot(&model)?;
    let answers = answers_of(&txn, model.id).await?;
    let evidence = crate::services::evidence::list(&txn, model.id).await?;
    let missing = progress_of(&template, &answers, &evidence)
        .await?
        .missing_required;
    if !missing.is_empty() {
        return Err(Error::Incomplete { missing });
    }
    let now = ctx.clock.now();
    let organization_id = model.organization_id;
    let mut active = model.into_active_model();
    active.status = Set(stored(next)?);
    active.submitted_at = Set(Some(now));
    active.updated_at = Set(now);
    let model = active.update(&txn).await?;
    audit::record(
        &txn,
        Event {
            organization_id: Some(organization_id),
            actor: Actor {
                id: None,
                label: "vendor".to_owned(),
            },
            action: Action::AssessmentSubmitted,
            target: Some(("assessment", model.id.to_string())),
            detail: json!({ "answers": answers.len() }),
        },
        ctx.clock.now(),
    )
    .await?;
    // The submitted answers' scorecard is stored at once (version 1, or the next one after a
    // clarification round).
    crate::services::review::refresh(&txn, &model, ctx.clock.now()).await?;
    txn.commit().await?;
    portal_view(ctx, vendor).await
}
