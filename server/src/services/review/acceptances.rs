//! Risk acceptances: a risk manager accepts the risk of one open finding, with a reason and
//! an optional last day. While it holds, the finding stays on the scorecard but no longer
//! holds the residual tier up; a new acceptance of the same finding replaces the previous.

use super::*;
use crate::db::entities::risk_acceptance;

/// `POST /api/assessments/{id}/acceptances` (Risk manager, Admin).
pub async fn accept_risk(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    request: AcceptRiskRequest,
) -> Result<ScorecardView> {
    user.require(Permission::DecideAssessments)?;
    let reason = text("reason", &request.reason, "why the risk is accepted")?;
    let now = ctx.clock.now();
    let expires_on = last_day(request.expires_on.as_deref(), now.date(), "acceptance")?;
    let txn = crate::db::begin_write(&ctx.db).await?;
    let model = reviewable(&txn, user, id, now).await?;
    let current = current(&txn, &model, now).await?;
    let finding = current.finding(&request.finding_key)?;
    risk_acceptance::Entity::update_many()
        .col_expr(
            risk_acceptance::Column::WithdrawnAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            risk_acceptance::Column::WithdrawnBy,
            sea_orm::sea_query::Expr::value(user.id),
        )
        .filter(risk_acceptance::Column::AssessmentId.eq(id))
        .filter(risk_acceptance::Column::FindingKey.eq(finding.key.clone()))
        .filter(risk_acceptance::Column::WithdrawnAt.is_null())
        .exec(&txn)
        .await?;
    let acceptance_id = Uuid::now_v7();
    risk_acceptance::ActiveModel {
        id: Set(acceptance_id),
        organization_id: Set(user.organization_id),
        assessment_id: Set(id),
        finding_key: Set(finding.key.clone()),
        finding_title: Set(finding.title.clone()),
        reason: Set(reason.clone()),
        expires_on: Set(expires_on),
        created_by: Set(user.id),
        created_by_name: Set(user.display_name.clone()),
        created_at: Set(now),
        withdrawn_at: Set(None),
        withdrawn_by: Set(None),
    }
    .insert(&txn)
    .await?;
    let detail = json!({
        "acceptance_id": acceptance_id,
        "finding": finding.title,
        "severity": finding.severity,
        "reason": reason,
        "expires_on": expires_on.map(|d| d.to_string()),
    });
    finish(txn, user, &model, Action::RiskAccepted, detail, now).await
}

/// `DELETE /api/assessments/{id}/acceptances/{acceptance_id}` (Risk manager, Admin).
pub async fn withdraw_acceptance(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    acceptance_id: Uuid,
) -> Result<ScorecardView> {
    user.require(Permission::DecideAssessments)?;
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    let model = reviewable(&txn, user, id, now).await?;
    let found = risk_acceptance::Entity::find_by_id(acceptance_id)
        .filter(risk_acceptance::Column::AssessmentId.eq(id))
        .filter(risk_acceptance::Column::WithdrawnAt.is_null())
        .one(&txn)
        .await?
        .ok_or(Error::NotFound)?;
    let title = found.finding_title.clone();
    let mut active = found.into_active_model();
    active.withdrawn_at = Set(Some(now));
    active.withdrawn_by = Set(Some(user.id));
    active.update(&txn).await?;
    let detail = json!({ "acceptance_id": acceptance_id, "finding": title });
    finish(
        txn,
        user,
        &model,
        Action::RiskAcceptanceWithdrawn,
        detail,
        now,
    )
    .await
}

pub(super) fn acceptance_view(a: &risk_acceptance::Model, today: Date) -> RiskAcceptanceView {
    RiskAcceptanceView {
        id: a.id,
        finding_key: a.finding_key.clone(),
        finding_title: a.finding_title.clone(),
        reason: a.reason.clone(),
        expires_on: a.expires_on.map(|d| d.to_string()),
        active: a.withdrawn_at.is_none() && a.expires_on.is_none_or(|last| today <= last),
        withdrawn: a.withdrawn_at.is_some(),
        created_by: a.created_by_name.clone(),
        created_at: rfc3339(a.created_at),
    }
}
