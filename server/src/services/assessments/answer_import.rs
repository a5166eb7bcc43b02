//! Answers from a spreadsheet: the portal's questionnaire as a workbook to fill in, and a
//! filled-in workbook read back, planned row by row by `assay_core::answer_sheet` (checked
//! as the portal checks a typed answer, conditions applied) and shown before anything is
//! stored; applying stores every planned answer in one transaction.

use assay_core::answer_sheet::{self, Outcome, PlannedRow};
use assay_core::api::{AnswerImportOutcome, AnswerImportRow, AnswerImportView};

use super::*;
use crate::exports::answer_workbook;
use crate::services::compute;
use crate::services::portal_scope::portal_snapshot;

/// The questionnaire of the vendor's session as a workbook, with the answers so far (a
/// delegate gets their section). Returns the questionnaire's title and the bytes.
pub async fn portal_answers_workbook(
    ctx: &Ctx,
    vendor: &VendorCaller,
) -> Result<(String, Vec<u8>)> {
    let (model, template) = portal_snapshot(&ctx.db, vendor).await?;
    let scope = Scope::of(vendor, template)?;
    let answers = answers_of(&ctx.db, model.id).await?;
    let as_read = AnswerView::as_read(&scope.template, &answers);
    let justifications: BTreeMap<String, String> = answers
        .iter()
        .filter_map(|(k, a)| a.justification.clone().map(|j| (k.clone(), j)))
        .collect();
    let template = scope.template.clone();
    let bytes =
        compute(move || answer_workbook::write_answers(&template, &as_read, &justifications))
            .await?
            .map_err(Error::internal)?;
    Ok((scope.template.title.clone(), bytes))
}

fn view_of(planned: Vec<PlannedRow>, applied: bool) -> AnswerImportView {
    let mut view = AnswerImportView {
        applied,
        apply: 0,
        unchanged: 0,
        not_asked: 0,
        refused: 0,
        rows: Vec::with_capacity(planned.len()),
    };
    for row in planned {
        let (outcome, message) = match row.outcome {
            Outcome::Apply(_) => {
                view.apply += 1;
                (AnswerImportOutcome::Apply, None)
            }
            Outcome::Unchanged => {
                view.unchanged += 1;
                (AnswerImportOutcome::Unchanged, None)
            }
            Outcome::NotAsked => {
                view.not_asked += 1;
                (
                    AnswerImportOutcome::NotAsked,
                    Some("Not asked, given the other answers.".to_owned()),
                )
            }
            Outcome::Refused(why) => {
                view.refused += 1;
                (AnswerImportOutcome::Refused, Some(why))
            }
        };
        view.rows.push(AnswerImportRow {
            row: u32::try_from(row.row).unwrap_or(u32::MAX),
            question_id: row.question_id,
            question: row.question,
            answer: row.answer,
            outcome,
            message,
        });
    }
    view
}

/// Reads a filled-in answers workbook of the vendor's session and plans it; with `apply`,
/// stores the planned answers (one transaction; the plan is made inside it, against the
/// answers as they are then). 422 naming the sheet and row when the file cannot be read;
/// 409 `answers_locked` once the answers can no longer change.
pub async fn import_portal_answers(
    ctx: &Ctx,
    vendor: &VendorCaller,
    bytes: Vec<u8>,
    apply: bool,
) -> Result<AnswerImportView> {
    let rows = compute(move || answer_workbook::read_answers(&bytes))
        .await?
        .map_err(|e| Error::validation("file", e.to_string()))?;
    let txn = crate::db::begin_write(&ctx.db).await?;
    // Imports of the same assessment take turns (the row lock), so two uploads at once
    // each plan against the answers the other stored.
    let model = find_for_write(&txn, vendor.organization_id, vendor.assessment_id).await?;
    let open = answerable(&txn, vendor).await?;
    let status = status_of(&open.model)?;
    let scope = Scope::of(vendor, open.template.clone())?;
    let current = flat(&answers_of(&txn, open.model.id).await?);
    let template = open.template.clone();
    let may = move |id: &str| open.may_change(id) && scope.may_write(id);
    let planned = answer_sheet::plan(&template, &current, &rows, may);
    if !apply {
        return Ok(view_of(planned, false));
    }
    let now = ctx.clock.now();
    let mut keys: Vec<&str> = Vec::new();
    for row in &planned {
        let Outcome::Apply(changes) = &row.outcome else {
            continue;
        };
        for (key, value) in changes {
            let current = answer::Entity::find_by_id((model.id, key.clone()))
                .one(&txn)
                .await?;
            let justification = row
                .justification
                .clone()
                .filter(|_| value == validation::NOT_APPLICABLE);
            store_answer(
                &txn,
                &model,
                current,
                key,
                value,
                justification,
                &vendor.recipient_email,
                now,
            )
            .await?;
            keys.push(key);
        }
    }
    let view = view_of(planned.clone(), true);
    if view.apply > 0 {
        let organization_id = model.organization_id;
        let id = model.id;
        after_answering(&txn, model, status, &template, &keys, now).await?;
        audit::record(
            &txn,
            Event::by_vendor(
                organization_id,
                vendor.recipient_email.clone(),
                Action::AnswersImported,
                ("assessment", id.to_string()),
                json!({ "applied": view.apply, "refused": view.refused, "not_asked": view.not_asked }),
            ),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(view)
}
