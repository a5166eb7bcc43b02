//! Questions about one answer: the reviewer asks (the assessment goes back to the
//! vendor), the vendor replies in the portal; both sides are emailed.

use super::*;

pub(crate) async fn clarifications_of(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
) -> Result<Vec<ClarificationView>> {
    clarification::Entity::find()
        .filter(clarification::Column::AssessmentId.eq(assessment_id))
        .order_by_asc(clarification::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|c| {
            Ok(ClarificationView {
                id: c.id,
                question_id: c.question_id,
                author_kind: AuthorKind::parse(&c.author_kind).ok_or_else(|| {
                    Error::internal(anyhow::anyhow!("author kind {}", c.author_kind))
                })?,
                author: c.author,
                message: c.body,
                created_at: rfc3339(c.created_at),
            })
        })
        .collect()
}

pub(super) async fn add_message(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
    question_id: &str,
    kind: AuthorKind,
    author: &str,
    message: String,
    now: OffsetDateTime,
) -> Result<()> {
    clarification::ActiveModel {
        id: Set(Uuid::now_v7()),
        assessment_id: Set(assessment_id),
        question_id: Set(question_id.to_owned()),
        author_kind: Set(kind.as_str().to_owned()),
        author: Set(author.to_owned()),
        body: Set(message),
        created_at: Set(now),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// `POST /api/assessments/{id}/clarifications`: the reviewer asks about one answer; the
/// assessment goes back to the vendor (Returned for clarification), who is emailed.
pub async fn request_clarification(
    ctx: &Ctx,
    mailer: &Mailer,
    user: &UserCaller,
    id: Uuid,
    request: ClarificationRequest,
) -> Result<ScorecardView> {
    let db = &ctx.db;
    user.require(Permission::ReviewAssessments)?;
    let message = text("message", &request.message, "your question to the vendor")?;
    let txn = crate::db::begin_write(db).await?;
    let mut model = reviewable(&txn, user, id, ctx.clock.now()).await?;
    let template = snapshot(&txn, &model).await?;
    let question_id = question_of(&template, request.question_id.trim())?;
    add_message(
        &txn,
        id,
        question_id,
        AuthorKind::Reviewer,
        &user.display_name,
        message,
        ctx.clock.now(),
    )
    .await?;
    set_review(
        &txn,
        id,
        question_id,
        ReviewStatus::ClarificationRequested,
        Some(user.id),
        ctx.clock.now(),
    )
    .await?;
    let status = status_of(&model)?;
    if status != AssessmentStatus::ReturnedForClarification {
        let next = assessment::transition(status, AssessmentEvent::RequestClarification)
            .map_err(illegal)?;
        model = set_status(&txn, model, next, ctx.clock.now()).await?;
        let (organization_name, _) = names(&txn, &model).await?;
        notify_vendor(
            &txn,
            mailer,
            &model,
            EmailKind::Clarification,
            |name| letters::clarification(name, &organization_name, &template.title),
            ctx.clock.now(),
        )
        .await?;
    }
    finish(
        txn,
        user,
        &model,
        Action::ClarificationRequested,
        json!({ "question_id": question_id }),
        ctx.clock.now(),
    )
    .await
}

/// Emails each of the assessment's recipients (not delegates) the letter `compose` writes
/// for their name.
pub(crate) async fn notify_vendor(
    conn: &impl ConnectionTrait,
    mailer: &Mailer,
    model: &entity::Model,
    kind: EmailKind,
    compose: impl Fn(&str) -> letters::Letter,
    now: OffsetDateTime,
) -> Result<()> {
    let recipients = invitation::Entity::find()
        .filter(invitation::Column::AssessmentId.eq(model.id))
        .filter(invitation::Column::SectionId.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .order_by_asc(invitation::Column::CreatedAt)
        .all(conn)
        .await?;
    let mut seen = std::collections::BTreeSet::new();
    for r in recipients {
        // A re-sent link is a new row for the same person: one email each.
        if !seen.insert(r.recipient_email.to_lowercase()) {
            continue;
        }
        mailer
            .queue(
                conn,
                mailer::Email {
                    organization_id: Some(model.organization_id),
                    to: r.recipient_email.clone(),
                    kind,
                    letter: compose(&r.recipient_name),
                },
                now,
            )
            .await?;
    }
    Ok(())
}

/// `POST /api/portal/clarifications`: the vendor replies to the reviewer's question.
pub async fn reply(
    ctx: &Ctx,
    vendor: &VendorCaller,
    request: ClarificationRequest,
) -> Result<Vec<ClarificationView>> {
    let db = &ctx.db;
    let message = text("message", &request.message, "your reply")?;
    let txn = crate::db::begin_write(db).await?;
    let model = find_for_write(&txn, vendor.organization_id, vendor.assessment_id).await?;
    let question_id = request.question_id.trim();
    if crate::services::portal_scope::delegate_questions(&txn, vendor)
        .await?
        .is_some_and(|mine| !mine.contains(question_id))
    {
        // Another section's thread is not a delegate's to read or answer.
        return Err(Error::NotFound);
    }
    let asked = reviews_of(&txn, model.id)
        .await?
        .get(question_id)
        .is_some_and(|s| *s != ReviewStatus::Accepted);
    if !asked || status_of(&model)? != AssessmentStatus::ReturnedForClarification {
        return Err(Error::Conflict {
            code: "no_open_question",
            message: "The reviewer has not asked about this answer.".to_owned(),
        });
    }
    let author = vendor.recipient_name.clone();
    add_message(
        &txn,
        model.id,
        question_id,
        AuthorKind::Vendor,
        &author,
        message,
        ctx.clock.now(),
    )
    .await?;
    set_review(
        &txn,
        model.id,
        question_id,
        ReviewStatus::Answered,
        None,
        ctx.clock.now(),
    )
    .await?;
    audit::record(
        &txn,
        Event::by_vendor(
            model.organization_id,
            author,
            Action::ClarificationAnswered,
            ("assessment", model.id.to_string()),
            json!({ "question_id": question_id }),
        ),
        ctx.clock.now(),
    )
    .await?;
    let thread = clarifications_of(&txn, model.id).await?;
    txn.commit().await?;
    Ok(thread)
}
