//! Queries and row decoding for assessments that several services share: the
//! tenant-scoped find, answers, names for letters, the stored status, and the template
//! version an assessment was sent with (parsed once and shared, see [`TemplateCache`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};

use assay_core::api::AnswerView;
use assay_core::assessment::AssessmentStatus;
use assay_core::review::RemediationStatus;
use assay_core::scoring::{SettledBy, Settlement};
use assay_core::template::Template;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::db::entities::{answer, assessment as entity, template_version};
use crate::db::{accounts, vendors};
use crate::error::{Error, Result};

/// How many assessments the organisation has, in `status` or in all: read from the
/// totals the database keeps as assessments are written (one row per status), not
/// counted, so the list's total costs the same at 100 or 100,000 assessments.
pub(crate) async fn total(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    status: Option<AssessmentStatus>,
) -> Result<u64, sea_orm::DbErr> {
    use crate::db::entities::assessment_total as totals;
    let mut query =
        totals::Entity::find().filter(totals::Column::OrganizationId.eq(organization_id));
    if let Some(status) = status {
        query = query.filter(totals::Column::Status.eq(crate::db::stored(status)));
    }
    let rows = query.all(conn).await?;
    Ok(rows
        .iter()
        .map(|row| u64::try_from(row.total).unwrap_or_default())
        .sum())
}

pub(crate) fn status_of(model: &entity::Model) -> Result<AssessmentStatus> {
    crate::db::restored(&model.status)
}

/// The template version an assessment was sent with, parsed: from the cache when another
/// request parsed it recently, otherwise read from `template_versions` (published versions
/// never change, so a cached parse never goes stale).
pub(crate) async fn snapshot(
    conn: &impl ConnectionTrait,
    model: &entity::Model,
) -> Result<Arc<Template>> {
    version_of(conn, model.template_id, model.template_version).await
}

/// A published template version, parsed (through the cache).
pub(crate) async fn version_of(
    conn: &impl ConnectionTrait,
    template_id: Uuid,
    version: i32,
) -> Result<Arc<Template>> {
    let key = (template_id, version);
    versions_of(conn, BTreeSet::from([key]))
        .await?
        .remove(&key)
        .ok_or_else(|| {
            Error::Internal(anyhow::anyhow!(
                "template {template_id} has no version {version}"
            ))
        })
}

/// Several published versions, parsed, in one query for those not cached.
pub(crate) async fn versions_of(
    conn: &impl ConnectionTrait,
    keys: BTreeSet<(Uuid, i32)>,
) -> Result<BTreeMap<(Uuid, i32), Arc<Template>>> {
    let cache = TemplateCache::global();
    let mut out = BTreeMap::new();
    let mut missing = Condition::any();
    let mut any_missing = false;
    for key in keys {
        match cache.get(key) {
            Some(hit) => {
                out.insert(key, hit);
            }
            None => {
                any_missing = true;
                missing = missing.add(
                    Condition::all()
                        .add(template_version::Column::TemplateId.eq(key.0))
                        .add(template_version::Column::Version.eq(key.1)),
                );
            }
        }
    }
    if any_missing {
        for stored in template_version::Entity::find()
            .filter(missing)
            .all(conn)
            .await?
        {
            let parsed: Template =
                serde_json::from_str(&stored.content).map_err(|e| Error::Internal(e.into()))?;
            let key = (stored.template_id, stored.version);
            out.insert(key, cache.put(key, parsed));
        }
    }
    Ok(out)
}

/// Parsed template versions shared by every request, keyed by (template, version); bounded,
/// the oldest entry leaving first. A 250-question template parses to well under a megabyte,
/// so the bound keeps the cache to a few tens of megabytes at most.
pub(crate) struct TemplateCache {
    entries: Mutex<CacheEntries>,
}

/// A template version: the template's id and the version number.
type VersionKey = (Uuid, i32);

#[derive(Default)]
struct CacheEntries {
    parsed: HashMap<VersionKey, Arc<Template>>,
    /// Oldest first.
    order: VecDeque<VersionKey>,
}

impl TemplateCache {
    /// How many parsed versions are kept.
    pub(crate) const CAPACITY: usize = 64;

    fn global() -> &'static TemplateCache {
        static CACHE: OnceLock<TemplateCache> = OnceLock::new();
        CACHE.get_or_init(|| TemplateCache {
            entries: Mutex::new(CacheEntries::default()),
        })
    }

    fn get(&self, key: VersionKey) -> Option<Arc<Template>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.parsed.get(&key).cloned()
    }

    fn put(&self, key: VersionKey, template: Template) -> Arc<Template> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let CacheEntries { parsed: map, order } = &mut *entries;
        if let Some(existing) = map.get(&key) {
            return existing.clone();
        }
        while map.len() >= Self::CAPACITY {
            match order.pop_front() {
                Some(oldest) => {
                    map.remove(&oldest);
                }
                None => break,
            }
        }
        let template = Arc::new(template);
        map.insert(key, template.clone());
        order.push_back(key);
        template
    }
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

/// Whether the vendor has an assessment of this template still open (a draft, or sent and
/// not yet completed or cancelled). Read after locking the vendor
/// ([`vendors::find_for_write`]) for the answer to hold until the transaction ends.
pub(crate) async fn has_open_of_template(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_id: Uuid,
    template_id: Uuid,
) -> Result<bool> {
    use sea_orm::PaginatorTrait;
    let closed = AssessmentStatus::ALL
        .into_iter()
        .filter(|s| s.is_final())
        .map(crate::db::stored);
    Ok(entity::Entity::find()
        .filter(entity::Column::OrganizationId.eq(organization_id))
        .filter(entity::Column::VendorId.eq(vendor_id))
        .filter(entity::Column::TemplateId.eq(template_id))
        .filter(entity::Column::Status.is_not_in(closed))
        .count(conn)
        .await?
        > 0)
}

/// Marks the submitted assessments of these vendors as changing on `day`: the
/// scheduler's sweep records their scorecards again.
pub(crate) async fn mark_submitted_of_vendors_changing(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_ids: &std::collections::BTreeSet<Uuid>,
    day: time::Date,
) -> Result<()> {
    if vendor_ids.is_empty() {
        return Ok(());
    }
    for chunk in vendor_ids.iter().copied().collect::<Vec<_>>().chunks(500) {
        entity::Entity::update_many()
            .col_expr(
                entity::Column::ScoreChangesOn,
                sea_orm::sea_query::Expr::value(day),
            )
            .filter(entity::Column::OrganizationId.eq(organization_id))
            .filter(entity::Column::VendorId.is_in(chunk.iter().copied()))
            .filter(entity::Column::SubmittedAt.is_not_null())
            .exec(conn)
            .await?;
    }
    Ok(())
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
