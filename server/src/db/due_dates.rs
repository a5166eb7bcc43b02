//! The scheduler's due dates, as the writes that change what they depend on keep them:
//! `assessments.next_reminder_on`, `vendors.reassess_on` and `evidence.next_alert_on`.
//!
//! Each is never later than the next day something may be due, so a round that reads only
//! the rows whose day has come (indexed) misses nothing. A write that may make something due
//! sooner sets the day to today; the scheduler's next round, which has the organisation's
//! schedules at hand, looks at the row and keeps the exact next day (see
//! `services::schedules`). A write that only makes something not due (a submission, an
//! archived vendor, a newer assessment) may leave the day alone: the round looks on that
//! day, finds nothing, and moves it on.

use assay_core::assessment::AssessmentStatus;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use time::Date;
use uuid::Uuid;

use crate::db::entities::{assessment, evidence, vendor};
use crate::db::stored;

/// The statuses in which an assessment is with the vendor, and so chased.
fn with_the_vendor() -> Vec<String> {
    AssessmentStatus::ALL
        .into_iter()
        .filter(|s| s.vendor_can_answer())
        .map(stored)
        .collect()
}

/// `next_reminder_on` after a change to an assessment's status, due date or sending: today
/// while it is with the vendor (the round works out which reminder is due, if any), none
/// otherwise.
pub fn reminders_from(status: AssessmentStatus, today: Date) -> Option<Date> {
    status.vendor_can_answer().then_some(today)
}

/// The organisation's reminder days changed, or reminders were turned on or off: every
/// assessment with its vendors is looked at again.
pub async fn remind_organization_now(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    today: Date,
) -> Result<(), DbErr> {
    assessment::Entity::update_many()
        .col_expr(assessment::Column::NextReminderOn, Expr::value(today))
        .filter(assessment::Column::OrganizationId.eq(organization_id))
        .filter(assessment::Column::Status.is_in(with_the_vendor()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Something the vendor's reassessment depends on changed (a decision, a cancellation that
/// may make an older assessment the latest again, the vendor restored).
pub async fn reassess_vendor_now(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_id: Uuid,
    today: Date,
) -> Result<(), DbErr> {
    vendor::Entity::update_many()
        .col_expr(vendor::Column::ReassessOn, Expr::value(today))
        .filter(vendor::Column::Id.eq(vendor_id))
        .filter(vendor::Column::OrganizationId.eq(organization_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// The organisation's cadence changed, or reassessments were turned on or off: every
/// vendor with a completed assessment is looked at again.
pub async fn reassess_organization_now(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    today: Date,
) -> Result<(), DbErr> {
    vendor::Entity::update_many()
        .col_expr(vendor::Column::ReassessOn, Expr::value(today))
        .filter(vendor::Column::OrganizationId.eq(organization_id))
        .filter(
            vendor::Column::Id.in_subquery(
                Query::select()
                    .column(assessment::Column::VendorId)
                    .from(assessment::Entity)
                    .and_where(assessment::Column::OrganizationId.eq(organization_id))
                    .and_where(assessment::Column::Status.eq(stored(AssessmentStatus::Completed)))
                    .to_owned(),
            ),
        )
        .exec(conn)
        .await?;
    Ok(())
}

/// The organisation's expiry alert days changed: every file not yet expired is looked at
/// again.
pub async fn alert_organization_now(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    today: Date,
) -> Result<(), DbErr> {
    files_now(conn, organization_id, None, None, today).await
}

/// The vendor is active again: its files that have not expired are looked at again.
pub async fn alert_vendor_now(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_id: Uuid,
    today: Date,
) -> Result<(), DbErr> {
    files_now(conn, organization_id, Some(vendor_id), None, today).await
}

/// A file of `kind` from the vendor went: older files of that kind it had silenced may be
/// due for an alert again.
pub async fn alert_kind_now(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_id: Uuid,
    kind: &str,
    today: Date,
) -> Result<(), DbErr> {
    files_now(conn, organization_id, Some(vendor_id), Some(kind), today).await
}

/// Marks the organisation's files (of one vendor, of one kind) that have not expired; the
/// files are found through their assessments, both indexed.
async fn files_now(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_id: Option<Uuid>,
    kind: Option<&str>,
    today: Date,
) -> Result<(), DbErr> {
    let mut assessments = Query::select();
    assessments
        .column(assessment::Column::Id)
        .from(assessment::Entity)
        .and_where(assessment::Column::OrganizationId.eq(organization_id));
    if let Some(vendor_id) = vendor_id {
        assessments.and_where(assessment::Column::VendorId.eq(vendor_id));
    }
    let mut update = evidence::Entity::update_many()
        .col_expr(evidence::Column::NextAlertOn, Expr::value(today))
        .filter(evidence::Column::OrganizationId.eq(organization_id))
        .filter(evidence::Column::AssessmentId.in_subquery(assessments.to_owned()))
        .filter(evidence::Column::ExpiresOn.gte(today));
    if let Some(kind) = kind {
        update = update.filter(evidence::Column::Kind.eq(kind));
    }
    update.exec(conn).await?;
    Ok(())
}
