//! Overrides of a question's points or the residual tier, each with a reason and an
//! optional last day; a new one replaces the previous.

use super::*;

/// `POST /api/assessments/{id}/overrides`: replaces a question's points or the residual
/// tier, with a reason and an optional last day. A new override of the same target
/// withdraws the previous one.
pub async fn add_override(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    request: OverrideRequest,
) -> Result<ScorecardView> {
    let db = &ctx.db;
    user.require(Permission::ReviewAssessments)?;
    let reason = text("reason", &request.reason, "the reason for the override")?;
    let expires_on = last_day(
        request.expires_on.as_deref(),
        ctx.clock.now().date(),
        "override",
    )?;
    let txn = crate::db::begin_write(db).await?;
    let model = reviewable(&txn, user, id, ctx.clock.now()).await?;
    let template = snapshot(&txn, &model).await?;
    let (question_id, points, tier) = match (
        &request.question_id,
        request.points,
        request.residual_tier,
    ) {
        (Some(q), Some(points), None) => {
            let q = question_of(&template, q.trim())?;
            if !template.scoring.questions.contains_key(q) {
                return Err(Error::validation(
                    "question_id",
                    "This question is not scored; there are no points to override.",
                ));
            }
            if !(0.0..=1.0).contains(&points) {
                return Err(Error::validation("points", "Points are between 0 and 1."));
            }
            (Some(q.to_owned()), Some(points), None)
        }
        (None, None, Some(tier)) => (None, None, Some(crate::services::stored(tier))),
        _ => {
            return Err(Error::validation(
                "question_id",
                "Override either a question's points (question_id and points) or the residual tier.",
            ));
        }
    };
    let now = ctx.clock.now();
    let mut replaced = score_override::Entity::update_many()
        .col_expr(
            score_override::Column::WithdrawnAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(score_override::Column::AssessmentId.eq(id))
        .filter(score_override::Column::WithdrawnAt.is_null());
    replaced = match &question_id {
        Some(q) => replaced.filter(score_override::Column::QuestionId.eq(q.clone())),
        None => replaced.filter(score_override::Column::QuestionId.is_null()),
    };
    replaced.exec(&txn).await?;
    let override_id = Uuid::now_v7();
    score_override::ActiveModel {
        id: Set(override_id),
        assessment_id: Set(id),
        question_id: Set(question_id.clone()),
        points: Set(points),
        tier: Set(tier.clone()),
        reason: Set(reason.clone()),
        expires_on: Set(expires_on),
        created_by: Set(user.id),
        created_by_name: Set(user.display_name.clone()),
        created_at: Set(now),
        withdrawn_at: Set(None),
    }
    .insert(&txn)
    .await?;
    finish(
        txn,
        user,
        &model,
        Action::ScoreOverridden,
        json!({
            "override_id": override_id,
            "question_id": question_id,
            "points": points,
            "residual_tier": tier,
            "reason": reason,
            "expires_on": expires_on.map(|d| d.to_string()),
        }),
        ctx.clock.now(),
    )
    .await
}

/// `DELETE /api/assessments/{id}/overrides/{override_id}`: withdraws an override.
pub async fn withdraw_override(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    override_id: Uuid,
) -> Result<ScorecardView> {
    let db = &ctx.db;
    user.require(Permission::ReviewAssessments)?;
    let txn = crate::db::begin_write(db).await?;
    let model = reviewable(&txn, user, id, ctx.clock.now()).await?;
    let found = score_override::Entity::find_by_id(override_id)
        .filter(score_override::Column::AssessmentId.eq(id))
        .filter(score_override::Column::WithdrawnAt.is_null())
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let mut active = found.into_active_model();
    active.withdrawn_at = Set(Some(ctx.clock.now()));
    active.update(&txn).await?;
    finish(
        txn,
        user,
        &model,
        Action::OverrideWithdrawn,
        json!({ "override_id": override_id }),
        ctx.clock.now(),
    )
    .await
}
