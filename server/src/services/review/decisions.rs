//! The decision (approved, approved with conditions, rejected) with its rationale; it
//! freezes the scorecard version it was made on.

use super::*;

pub(crate) async fn decision_of(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
) -> Result<Option<DecisionView>> {
    let Some(d) = decision::Entity::find_by_id(assessment_id)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(DecisionView {
        outcome: DecisionOutcome::parse(&d.outcome)
            .ok_or_else(|| Error::internal(anyhow::anyhow!("outcome {}", d.outcome)))?,
        conditions: serde_json::from_str(&d.conditions).map_err(Error::internal)?,
        rationale: d.rationale,
        decided_by: d.decided_by_name,
        decided_at: rfc3339(d.decided_at),
        scorecard_version: u32::try_from(d.scorecard_version).unwrap_or_default(),
    }))
}

/// Ends a reviewer's action: the audit entry, the updated scorecard, the commit.
pub(super) async fn finish(
    txn: crate::db::WriteTxn,
    user: &UserCaller,
    model: &entity::Model,
    action: Action,
    detail: serde_json::Value,
    now: OffsetDateTime,
) -> Result<ScorecardView> {
    audit::record(
        &txn,
        Event::by(user, action, ("assessment", model.id.to_string()), detail),
        now,
    )
    .await?;
    // Review actions and overrides can change the card: record it, and answer with it.
    let current = record(&txn, model, now).await?;
    let view = view_of(&txn, model, current, None, now).await?;
    txn.commit().await?;
    Ok(view)
}

/// `POST /api/assessments/{id}/decision`: approves (with conditions) or rejects; completes
/// the assessment and freezes the scorecard version it was made on.
pub async fn decide(
    ctx: &Ctx,
    mailer: &Mailer,
    user: &UserCaller,
    id: Uuid,
    request: DecisionRequest,
) -> Result<ScorecardView> {
    let db = &ctx.db;
    user.require(Permission::DecideAssessments)?;
    let rationale = text(
        "rationale",
        &request.rationale,
        "the rationale for the decision",
    )?;
    let conditions: Vec<String> = request
        .conditions
        .iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    match (request.outcome, conditions.is_empty()) {
        (DecisionOutcome::ApprovedWithConditions, true) => {
            return Err(Error::validation(
                "conditions",
                "List the conditions of the approval.",
            ));
        }
        (DecisionOutcome::Approved | DecisionOutcome::Rejected, false) => {
            return Err(Error::validation(
                "conditions",
                "Only an approval with conditions lists conditions.",
            ));
        }
        _ => {}
    }
    if conditions.iter().any(|c| c.chars().count() > 2_000) {
        return Err(Error::validation(
            "conditions",
            "Keep each condition under 2,000 characters.",
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let model = reviewable(&txn, user, id, ctx.clock.now()).await?;
    let status = status_of(&model)?;
    let next =
        assessment::transition(status, AssessmentEvent::Complete).map_err(|_| Error::Conflict {
            code: "clarification_pending",
            message:
                "The vendor has not answered the clarification yet; decide after they resubmit."
                    .to_owned(),
        })?;
    let current = record(&txn, &model, ctx.clock.now()).await?;
    let stored = current.stored.ok_or_else(|| {
        Error::internal(anyhow::anyhow!("a submitted assessment has a scorecard"))
    })?;
    let version = stored.version;
    let mut frozen = stored.into_active_model();
    frozen.frozen = Set(true);
    frozen.update(&txn).await?;
    let now = ctx.clock.now();
    decision::ActiveModel {
        assessment_id: Set(id),
        outcome: Set(request.outcome.as_str().to_owned()),
        conditions: Set(serde_json::to_string(&conditions).map_err(Error::internal)?),
        rationale: Set(rationale.clone()),
        decided_by: Set(user.id),
        decided_by_name: Set(user.display_name.clone()),
        decided_at: Set(now),
        scorecard_version: Set(version),
    }
    .insert(&txn)
    .await?;
    let model = set_status(&txn, model, next, ctx.clock.now()).await?;
    // The scheduler works out when the vendor comes due for reassessment.
    crate::db::due_dates::reassess_vendor_now(
        &txn,
        model.organization_id,
        model.vendor_id,
        ctx.clock.today(),
    )
    .await?;
    let (organization_name, _) = names(&txn, &model).await?;
    let title = snapshot(&txn, &model).await?.title.clone();
    notify_vendor(
        &txn,
        mailer,
        &model,
        EmailKind::Decision,
        |name| {
            letters::decision(
                name,
                &organization_name,
                &title,
                request.outcome.label(),
                &conditions,
            )
        },
        ctx.clock.now(),
    )
    .await?;
    finish(
        txn,
        user,
        &model,
        Action::AssessmentDecided,
        json!({
            "outcome": request.outcome.as_str(),
            "conditions": conditions,
            "rationale": rationale,
            "scorecard_version": version,
            "overall": current.card.overall,
            "residual_tier": current.card.residual_tier,
        }),
        ctx.clock.now(),
    )
    .await
}
