//! The reviewer's verdict on each answer (accepted, asked about, answered), and the
//! assessment's move into review.

use super::*;

/// The assessment as a reviewer may act on it: submitted (it moves to Under review on the
/// first action), under review, or returned for clarification.
pub(super) async fn reviewable(
    conn: &impl ConnectionTrait,
    user: &UserCaller,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<entity::Model> {
    let model = find_for_write(conn, user.organization_id, id).await?;
    match status_of(&model)? {
        AssessmentStatus::Submitted => {
            let next =
                assessment::transition(AssessmentStatus::Submitted, AssessmentEvent::StartReview)
                    .map_err(illegal)?;
            set_status(conn, model, next, now).await
        }
        AssessmentStatus::UnderReview | AssessmentStatus::ReturnedForClarification => Ok(model),
        AssessmentStatus::Completed => Err(Error::Conflict {
            code: "assessment_closed",
            message: "The decision has been made; the review is closed.".to_owned(),
        }),
        _ => Err(Error::Conflict {
            code: "not_submitted",
            message: "The vendor has not submitted this questionnaire yet.".to_owned(),
        }),
    }
}

pub(super) async fn set_status(
    conn: &impl ConnectionTrait,
    model: entity::Model,
    status: AssessmentStatus,
    now: OffsetDateTime,
) -> Result<entity::Model> {
    let mut active = model.into_active_model();
    active.status = Set(stored(status));
    active.updated_at = Set(now);
    // Returned for clarification, it is with the vendor (and chased) again.
    active.next_reminder_on = Set(crate::db::due_dates::reminders_from(status, now.date()));
    Ok(active.update(conn).await?)
}

pub(super) fn question_of<'a>(template: &'a Template, question_id: &str) -> Result<&'a str> {
    template
        .questions()
        .find(|q| q.id == question_id)
        .map(|q| q.id.as_str())
        .ok_or_else(|| {
            Error::validation(
                "question_id",
                format!("The questionnaire has no question “{question_id}”."),
            )
        })
}

pub(crate) async fn set_review(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
    question_id: &str,
    status: ReviewStatus,
    by: Option<Uuid>,
    now: OffsetDateTime,
) -> Result<()> {
    match answer_review::Entity::find_by_id((assessment_id, question_id.to_owned()))
        .one(conn)
        .await?
    {
        Some(existing) => {
            let mut active = existing.into_active_model();
            active.status = Set(status.as_str().to_owned());
            active.reviewed_by = Set(by);
            active.updated_at = Set(now);
            active.update(conn).await?;
        }
        None => {
            answer_review::ActiveModel {
                assessment_id: Set(assessment_id),
                question_id: Set(question_id.to_owned()),
                status: Set(status.as_str().to_owned()),
                reviewed_by: Set(by),
                updated_at: Set(now),
            }
            .insert(conn)
            .await?;
        }
    }
    Ok(())
}

/// `PUT /api/assessments/{id}/reviews/{question_id}`: the reviewer accepts an answer.
pub async fn review_answer(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    question_id: &str,
    request: ReviewRequest,
) -> Result<ScorecardView> {
    let db = &ctx.db;
    user.require(Permission::ReviewAssessments)?;
    if request.status != ReviewStatus::Accepted {
        return Err(Error::validation(
            "status",
            "Accept an answer here; ask for clarification with a message instead.",
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let model = reviewable(&txn, user, id, ctx.clock.now()).await?;
    let template = snapshot(&txn, &model).await?;
    let question_id = question_of(&template, question_id)?;
    set_review(
        &txn,
        id,
        question_id,
        ReviewStatus::Accepted,
        Some(user.id),
        ctx.clock.now(),
    )
    .await?;
    finish(
        txn,
        user,
        &model,
        Action::AnswerAccepted,
        json!({ "question_id": question_id }),
        ctx.clock.now(),
    )
    .await
}
