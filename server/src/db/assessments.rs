//! Queries and row decoding for assessments that several services share: the
//! tenant-scoped find, answers, names for letters, and the stored status and snapshot.

use std::collections::BTreeMap;

use assay_core::api::AnswerView;
use assay_core::assessment::AssessmentStatus;
use assay_core::review::RemediationStatus;
use assay_core::scoring::{SettledBy, Settlement};
use assay_core::template::Template;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::db::entities::{answer, assessment as entity};
use crate::db::{accounts, vendors};
use crate::error::{Error, Result};

pub(crate) fn status_of(model: &entity::Model) -> Result<AssessmentStatus> {
    crate::db::restored(&model.status)
}

pub(crate) fn snapshot(model: &entity::Model) -> Result<Template> {
    serde_json::from_str(&model.template_snapshot).map_err(|e| Error::Internal(e.into()))
}

pub(crate) async fn answers_of(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<BTreeMap<String, AnswerView>> {
    Ok(answers_of_many(conn, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default())
}

/// The findings of these assessments (at most a few hundred ids) that no longer hold the
/// residual tier up: those whose remediation item is closed, and those a risk manager
/// accepted (until the acceptance's last day).
pub(crate) async fn settled_findings(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<BTreeMap<Uuid, Vec<Settlement>>> {
    use crate::db::entities::{remediation, risk_acceptance};
    let mut out: BTreeMap<Uuid, Vec<Settlement>> = BTreeMap::new();
    for r in remediation::Entity::find()
        .filter(remediation::Column::AssessmentId.is_in(ids.iter().copied()))
        .filter(remediation::Column::Status.eq(RemediationStatus::Closed.as_str()))
        .all(conn)
        .await?
    {
        out.entry(r.assessment_id).or_default().push(Settlement {
            finding_key: r.finding_key,
            by: SettledBy::Remediated,
            until: None,
        });
    }
    for a in risk_acceptance::Entity::find()
        .filter(risk_acceptance::Column::AssessmentId.is_in(ids.iter().copied()))
        .filter(risk_acceptance::Column::WithdrawnAt.is_null())
        .all(conn)
        .await?
    {
        out.entry(a.assessment_id).or_default().push(Settlement {
            finding_key: a.finding_key,
            by: SettledBy::Accepted,
            until: a.expires_on,
        });
    }
    Ok(out)
}

/// The answers of these assessments (at most a few hundred ids), by assessment.
pub(crate) async fn answers_of_many(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<BTreeMap<Uuid, BTreeMap<String, AnswerView>>> {
    let mut out: BTreeMap<Uuid, BTreeMap<String, AnswerView>> = BTreeMap::new();
    for a in answer::Entity::find()
        .filter(answer::Column::AssessmentId.is_in(ids.iter().copied()))
        .all(conn)
        .await?
    {
        out.entry(a.assessment_id).or_default().insert(
            a.question_id,
            AnswerView {
                value: a.value,
                version: u32::try_from(a.version).unwrap_or_default(),
                justification: a.justification,
            },
        );
    }
    Ok(out)
}

/// The names an invitation email gives: the client organisation's and the vendor's.
pub(crate) async fn names(
    conn: &impl ConnectionTrait,
    model: &entity::Model,
) -> Result<(String, String)> {
    let org = accounts::find_organization(conn, model.organization_id)
        .await?
        .ok_or(Error::NotFound)?;
    let vendor = vendors::find(conn, model.organization_id, model.vendor_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok((org.name, vendor.legal_name))
}

/// One assessment of the organisation (not found for any other).
fn of_organization(organization_id: Uuid, id: Uuid) -> sea_orm::Select<entity::Entity> {
    entity::Entity::find_by_id(id).filter(entity::Column::OrganizationId.eq(organization_id))
}

pub(crate) async fn find(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    id: Uuid,
) -> Result<entity::Model> {
    of_organization(organization_id, id)
        .one(conn)
        .await?
        .ok_or(Error::NotFound)
}

/// The same, inside a write transaction that goes on to change the assessment or what
/// hangs off it: the row is locked until the transaction ends, so two such use cases on one
/// assessment run one after the other on PostgreSQL too (SQLite's write lock already
/// serialises them), and a check made on what was read still holds at the write.
pub(crate) async fn find_for_write(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    id: Uuid,
) -> Result<entity::Model> {
    use sea_orm::QuerySelect;
    of_organization(organization_id, id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or(Error::NotFound)
}

/// Marks every submitted assessment of the organisation as changing on `day`: something
/// every card reads changed (the scoring model, the exchange rates), and the scheduler's
/// sweep records the new versions in short batches instead of the request scoring the
/// whole portfolio inside its write transaction.
pub(crate) async fn mark_submitted_changing(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    day: time::Date,
) -> Result<()> {
    entity::Entity::update_many()
        .col_expr(
            entity::Column::ScoreChangesOn,
            sea_orm::sea_query::Expr::value(day),
        )
        .filter(entity::Column::OrganizationId.eq(organization_id))
        .filter(entity::Column::SubmittedAt.is_not_null())
        .exec(conn)
        .await?;
    Ok(())
}
