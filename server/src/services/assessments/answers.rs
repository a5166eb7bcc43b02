//! Answers: each saved on its own, checked by core against its question and versioned so
//! two colleagues never overwrite each other; submission checks every visible required
//! question.

use super::*;

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
    store_answer(
        &txn,
        &model,
        current,
        question_id,
        &value,
        justification.clone(),
        &vendor.recipient_email,
        now,
    )
    .await?;
    after_answering(&txn, model, status, &scope.template, &[question_id], now).await?;
    txn.commit().await?;
    Ok(AnswerView {
        value,
        version: version + 1,
        justification,
    })
}

/// What follows saved answers (`keys`): the reviewer's questions they answer are marked
/// answered, the progress is recorded, and a sent assessment is now being answered.
pub(super) async fn after_answering(
    txn: &impl ConnectionTrait,
    model: entity::Model,
    status: AssessmentStatus,
    template: &Template,
    keys: &[&str],
    now: OffsetDateTime,
) -> Result<()> {
    if status == AssessmentStatus::ReturnedForClarification {
        let questions: BTreeSet<String> = keys
            .iter()
            .filter_map(|key| target_question(template, key))
            .collect();
        for question in questions {
            crate::services::review::set_review(
                txn,
                model.id,
                &question,
                ReviewStatus::Answered,
                None,
                now,
            )
            .await?;
        }
    }
    record_progress(txn, &model).await?;
    if status == AssessmentStatus::Sent {
        let mut active = model.into_active_model();
        active.status = Set(stored(
            assessment::transition(status, AssessmentEvent::StartAnswering).map_err(illegal)?,
        ));
        active.updated_at = Set(now);
        active.update(txn).await?;
    }
    Ok(())
}

/// Writes one answer key's value as the next version of what is stored (`current`).
#[allow(clippy::too_many_arguments)]
pub(super) async fn store_answer(
    txn: &impl ConnectionTrait,
    model: &entity::Model,
    current: Option<answer::Model>,
    key: &str,
    value: &str,
    justification: Option<String>,
    by: &str,
    now: OffsetDateTime,
) -> Result<u32> {
    let version = current
        .as_ref()
        .map_or(0, |a| u32::try_from(a.version).unwrap_or_default());
    let next = i32::try_from(version + 1).map_err(|e| Error::Internal(e.into()))?;
    match current {
        Some(existing) => {
            let mut active = existing.into_active_model();
            active.value = Set(value.to_owned());
            active.justification = Set(justification);
            active.version = Set(next);
            active.updated_by = Set(by.to_owned());
            active.updated_at = Set(now);
            active.update(txn).await?;
        }
        None => {
            answer::ActiveModel {
                assessment_id: Set(model.id),
                question_id: Set(key.to_owned()),
                value: Set(value.to_owned()),
                justification: Set(justification),
                version: Set(next),
                updated_by: Set(by.to_owned()),
                updated_at: Set(now),
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(version + 1)
}

/// The question an answer key belongs to (itself, or the question of a choice).
pub(super) fn target_question(template: &Template, key: &str) -> Option<String> {
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
    // The vendor's row first (its register may change), as every writer to it locks it.
    let vendor_row =
        crate::db::contracts::lock_vendor(&txn, model.organization_id, model.vendor_id)
            .await?
            .ok_or(Error::NotFound)?;
    let next =
        assessment::transition(status_of(&model)?, AssessmentEvent::Submit).map_err(illegal)?;
    let template = snapshot(&txn, &model).await?;
    let answers = answers_of(&txn, model.id).await?;
    let evidence = crate::services::evidence::list(&txn, model.id).await?;
    let missing = progress_of(template.clone(), &answers, &evidence)
        .await?
        .missing_required;
    if !missing.is_empty() {
        return Err(Error::Incomplete { missing });
    }
    let now = ctx.clock.now();
    let organization_id = model.organization_id;
    let mut active = model.into_active_model();
    active.status = Set(stored(next));
    active.submitted_at = Set(Some(now));
    active.updated_at = Set(now);
    active.next_reminder_on = Set(None);
    let model = active.update(&txn).await?;
    audit::record(
        &txn,
        Event::by_vendor(
            organization_id,
            "vendor".to_owned(),
            Action::AssessmentSubmitted,
            ("assessment", model.id.to_string()),
            json!({ "answers": answers.len() }),
        ),
        ctx.clock.now(),
    )
    .await?;
    // The register the answers state is the vendor's register before the scorecard reads it.
    crate::services::subprocessors::take_from_answers(
        &txn,
        &vendor_row,
        model.id,
        &template,
        &crate::services::flat(&answers),
        now,
    )
    .await?;
    // The submitted answers' scorecard is stored at once (version 1, or the next one after a
    // clarification round).
    crate::services::review::record(&txn, &model, ctx.clock.now()).await?;
    txn.commit().await?;
    portal_view(ctx, vendor).await
}
