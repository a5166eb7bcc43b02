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
    workbook_of(scope.template, &answers).await
}

/// `template` as a workbook with `answers` as people read them; its title and the bytes.
async fn workbook_of(
    template: Arc<Template>,
    answers: &BTreeMap<String, AnswerView>,
) -> Result<(String, Vec<u8>)> {
    let as_read = AnswerView::as_read(&template, answers);
    let justifications: BTreeMap<String, String> = answers
        .iter()
        .filter_map(|(k, a)| a.justification.clone().map(|j| (k.clone(), j)))
        .collect();
    let title = template.title.clone();
    let bytes =
        compute(move || answer_workbook::write_answers(&template, &as_read, &justifications))
            .await?
            .map_err(Error::internal)?;
    Ok((title, bytes))
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

/// Who is entering answers from a workbook: the vendor on their portal session, or a user
/// of the client entering answers the vendor sent by email.
#[derive(Clone, Copy)]
enum Importer<'a> {
    Vendor(&'a VendorCaller),
    User(&'a UserCaller),
}

impl Importer<'_> {
    fn organization_id(self) -> Uuid {
        match self {
            Importer::Vendor(v) => v.organization_id,
            Importer::User(u) => u.organization_id,
        }
    }

    /// Who the stored answers are by.
    fn label(self) -> String {
        match self {
            Importer::Vendor(v) => v.recipient_email.clone(),
            Importer::User(u) => u.email.clone(),
        }
    }

    fn event(self, id: Uuid, detail: serde_json::Value) -> Event {
        let target = ("assessment", id.to_string());
        match self {
            Importer::Vendor(v) => Event::by_vendor(
                v.organization_id,
                v.recipient_email.clone(),
                Action::AnswersImported,
                target,
                detail,
            ),
            Importer::User(u) => Event::by(u, Action::AnswersImported, target, detail),
        }
    }
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
    import(
        ctx,
        Importer::Vendor(vendor),
        vendor.assessment_id,
        bytes,
        apply,
    )
    .await
}

/// The assessment's questionnaire as a workbook with the answers so far, for a user who
/// will enter the vendor's answers received by email (Send permission).
pub async fn answers_workbook(ctx: &Ctx, user: &UserCaller, id: Uuid) -> Result<(String, Vec<u8>)> {
    user.require(Permission::SendAssessments)?;
    let model = find(&ctx.db, user.organization_id, id).await?;
    let template = snapshot(&ctx.db, &model).await?;
    let answers = answers_of(&ctx.db, model.id).await?;
    workbook_of(template, &answers).await
}

/// As [`import_portal_answers`], by a user of the client (Send permission) for answers the
/// vendor sent another way; only while the questionnaire is with the vendor and not back
/// with them for a clarification. The answers are stored as the user's, and audited so.
pub async fn import_answers(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    bytes: Vec<u8>,
    apply: bool,
) -> Result<AnswerImportView> {
    user.require(Permission::SendAssessments)?;
    import(ctx, Importer::User(user), id, bytes, apply).await
}

/// Which answer keys the importer may change.
type MayChange = Box<dyn Fn(&str) -> bool + Send>;

/// Plans `rows` against the answers of `model` stored now, read through `conn` (the pool
/// for a preview, the apply's transaction otherwise): the assessment's status, the
/// questionnaire and each row's outcome. 409 `answers_locked` when the importer may no
/// longer change the answers.
async fn plan(
    conn: &impl ConnectionTrait,
    importer: Importer<'_>,
    model: &entity::Model,
    rows: &[answer_sheet::SheetRow],
) -> Result<(AssessmentStatus, Arc<Template>, Vec<PlannedRow>)> {
    let status = status_of(model)?;
    let (template, may): (Arc<Template>, MayChange) = match importer {
        Importer::Vendor(vendor) => {
            let open = answerable(conn, vendor).await?;
            let scope = Scope::of(vendor, open.template.clone())?;
            let template = open.template.clone();
            (
                template,
                Box::new(move |id: &str| open.may_change(id) && scope.may_write(id)),
            )
        }
        Importer::User(_) => {
            if !matches!(
                status,
                AssessmentStatus::Sent | AssessmentStatus::InProgress
            ) {
                return Err(Error::Conflict {
                    code: "answers_locked",
                    message: "Answers can be entered for the vendor only while the questionnaire is with them.".to_owned(),
                });
            }
            (snapshot(conn, model).await?, Box::new(|_: &str| true))
        }
    };
    let current = flat(&answers_of(conn, model.id).await?);
    let planned = answer_sheet::plan(&template, &current, rows, may);
    Ok((status, template, planned))
}

async fn import(
    ctx: &Ctx,
    importer: Importer<'_>,
    id: Uuid,
    bytes: Vec<u8>,
    apply: bool,
) -> Result<AnswerImportView> {
    let rows = compute(move || answer_workbook::read_answers(&bytes))
        .await?
        .map_err(|e| Error::validation("file", e.to_string()))?;
    if !apply {
        // A preview only reads: the answers as stored now, with plain reads outside any
        // transaction, so it neither waits for the write turn nor holds the assessment's
        // row while the workbook is planned. What it shows may be outdated by an apply
        // that commits meanwhile; applying plans again, under the lock.
        let model = find(&ctx.db, importer.organization_id(), id).await?;
        let (_, _, planned) = plan(&ctx.db, importer, &model, &rows).await?;
        return Ok(view_of(planned, false));
    }
    let txn = crate::db::begin_write(&ctx.db).await?;
    // Applies to the same assessment take turns (the row lock), so two uploads at once
    // each plan against the answers the other stored.
    let model = find_for_write(&txn, importer.organization_id(), id).await?;
    let (status, template, planned) = plan(&txn, importer, &model, &rows).await?;
    let now = ctx.clock.now();
    let by = importer.label();
    let mut keys: Vec<String> = Vec::new();
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
            store_answer(&txn, &model, current, key, value, justification, &by, now).await?;
            keys.push(key.clone());
        }
    }
    let view = view_of(planned, true);
    if view.apply > 0 {
        let id = model.id;
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        after_answering(&txn, model, status, &template, &keys, now).await?;
        audit::record(
            &txn,
            importer.event(
                id,
                json!({ "applied": view.apply, "refused": view.refused, "not_asked": view.not_asked }),
            ),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(view)
}
