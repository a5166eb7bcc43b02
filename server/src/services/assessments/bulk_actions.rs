//! One action on many assessments from the list (Procurement, Admin): send the links
//! again (e.g. to every overdue one), move the due date, or cancel. Each assessment goes
//! through the same use case as on its own page, in its own transaction with its own audit
//! entry, so the rules (with the vendor, not closed, the state machine) and the locks are
//! the same; one that the action does not fit is reported, not refused as a whole.

use assay_core::api::{
    AssessmentBulkAction, BulkAssessmentResult, BulkAssessmentsRequest, BulkAssessmentsView,
};

use super::*;

/// The most assessments one request changes (the most a list page shows).
pub const MAX_BULK_ASSESSMENTS: usize = 200;

/// Applies `request.action` to each assessment named, every one the caller's (checked
/// first: 422 naming `assessment_ids`, nothing changed), and reports each one's result.
pub async fn bulk_action(
    ctx: &Ctx,
    mailer: &Mailer,
    user: &UserCaller,
    request: BulkAssessmentsRequest,
) -> Result<BulkAssessmentsView> {
    user.require(Permission::SendAssessments)?;
    let mut seen = BTreeSet::new();
    let ids: Vec<Uuid> = request
        .assessment_ids
        .into_iter()
        .filter(|id| seen.insert(*id))
        .collect();
    if ids.is_empty() || ids.len() > MAX_BULK_ASSESSMENTS {
        return Err(Error::validation(
            "assessment_ids",
            format!("Choose 1 to {MAX_BULK_ASSESSMENTS} assessments."),
        ));
    }
    let due = match request.action {
        AssessmentBulkAction::Extend => {
            let text = request.due_date.unwrap_or_default();
            parse_due_date(&text, ctx.clock.now())?;
            Some(text)
        }
        _ => None,
    };
    let vendor_names: BTreeMap<Uuid, String> = entity::Entity::find()
        .select_only()
        .column(entity::Column::Id)
        .column(vendor::Column::LegalName)
        .join(
            JoinType::InnerJoin,
            entity::Entity::belongs_to(vendor::Entity)
                .from(entity::Column::VendorId)
                .to(vendor::Column::Id)
                .into(),
        )
        .filter(entity::Column::OrganizationId.eq(user.organization_id))
        .filter(entity::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<(Uuid, String)>()
        .all(&ctx.db)
        .await?
        .into_iter()
        .collect();
    if vendor_names.len() != ids.len() {
        // Another organisation's assessment reads like one that does not exist.
        return Err(Error::validation(
            "assessment_ids",
            format!(
                "{} of the assessments chosen are not in your organisation.",
                ids.len() - vendor_names.len()
            ),
        ));
    }
    let mut results = Vec::with_capacity(ids.len());
    for id in ids {
        let applied = match (request.action, &due) {
            (AssessmentBulkAction::Resend, _) => resend(ctx, mailer, user, id).await,
            (AssessmentBulkAction::Extend, Some(due_date)) => {
                let request = UpdateAssessmentRequest {
                    due_date: due_date.clone(),
                };
                set_due_date(ctx, user, id, request).await
            }
            (AssessmentBulkAction::Extend, None) => {
                Err(Error::validation("due_date", "Choose the new due date."))
            }
            (AssessmentBulkAction::Cancel, _) => cancel(ctx, user, id).await,
        };
        let reason = match applied {
            Ok(_) => None,
            Err(Error::Conflict { message, .. }) => Some(message),
            Err(Error::NotFound) => Some("It is no longer there.".to_owned()),
            Err(error) if error.status().is_server_error() => {
                tracing::warn!(assessment = %id, %error, "a bulk action on one assessment failed");
                Some("It could not be changed just now: try again.".to_owned())
            }
            Err(error) => Some(error.to_string()),
        };
        results.push(BulkAssessmentResult {
            assessment_id: id,
            vendor_name: vendor_names.get(&id).cloned().unwrap_or_default(),
            done: reason.is_none(),
            reason,
        });
    }
    let done = results.iter().filter(|r| r.done).count();
    let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    Ok(BulkAssessmentsView {
        done: count(done),
        skipped: count(results.len() - done),
        results,
    })
}
