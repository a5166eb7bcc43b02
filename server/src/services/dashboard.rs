//! The portfolio dashboard: where every vendor stands after review, what waits on whom, and
//! what is about to lapse, and which incidents are still open. Filters narrow the vendors first; every figure follows them.

use std::collections::{BTreeMap, BTreeSet};

use assay_core::access::Permission;
use assay_core::api::{
    Count, DashboardView, ExpiringEvidence, FrequentFinding, OverdueAssessment, VendorStatus,
};
use assay_core::assessment::{self, AssessmentStatus};
use assay_core::portfolio::TierTally;
use assay_core::risk::{Criticality, RiskTier};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use time::{Date, Duration};
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::entities::{assessment as assessment_entity, evidence};
use crate::db::vendors::{self, PortfolioFilter};
use crate::error::{Error, Result};
use crate::services::{incidents, remediations, restored, review};
use crate::state::Ctx;

/// How far ahead expiring evidence is shown.
const EXPIRY_WINDOW_DAYS: i64 = 30;
/// How many frequent findings are listed.
const TOP_FINDINGS: usize = 10;

/// The dashboard's filters as the query string carries them; the portfolio export takes the
/// same ones. Text on the wire, so that a bad value is a 422 naming its parameter rather
/// than the query extractor's plain-text 400.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    /// Only vendors with this tag (any case).
    pub tag: Option<String>,
    /// Only vendors of this criticality: low, medium, high or critical.
    #[param(value_type = Option<Criticality>)]
    pub criticality: Option<String>,
    /// Only vendors this user owns (a user id).
    #[param(value_type = Option<Uuid>)]
    pub owner_id: Option<String>,
}

/// The longest tag a vendor can carry (see the vendor register's rules).
const TAG_MAX: usize = 40;

impl Filter {
    /// The filters checked; blank ones are no filter. A 422 names the parameter at fault.
    pub fn parse(self) -> Result<PortfolioFilter> {
        fn given(value: Option<String>) -> Option<String> {
            value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
        }
        let tag = given(self.tag);
        if tag.as_ref().is_some_and(|t| t.chars().count() > TAG_MAX) {
            return Err(Error::validation(
                "tag",
                format!("A tag has at most {TAG_MAX} characters."),
            ));
        }
        let criticality = given(self.criticality)
            .map(|c| {
                Criticality::parse(&c.to_ascii_lowercase()).ok_or_else(|| {
                    Error::validation(
                        "criticality",
                        format!("Unknown criticality “{c}”: use low, medium, high or critical."),
                    )
                })
            })
            .transpose()?;
        let owner_id = given(self.owner_id)
            .map(|o| {
                Uuid::parse_str(&o)
                    .map_err(|_| Error::validation("owner_id", format!("“{o}” is not a user id.")))
            })
            .transpose()?;
        Ok(PortfolioFilter {
            tag,
            criticality,
            owner_id,
        })
    }
}

/// A stored tier; an unreadable one counts as the worst.
fn tier_of(name: &str) -> RiskTier {
    crate::services::restored(name).unwrap_or(RiskTier::Critical)
}

/// `GET /api/dashboard`.
pub async fn view(ctx: &Ctx, user: &UserCaller, filter: Filter) -> Result<DashboardView> {
    let db = &ctx.db;
    user.require(Permission::ReadAssessments)?;
    let filter = filter.parse()?;
    let vendors =
        vendors::portfolio(db, user.organization_id, &filter, VendorStatus::Active).await?;
    let ids: BTreeSet<Uuid> = vendors.iter().map(|v| v.id).collect();
    let names: BTreeMap<Uuid, String> = vendors
        .iter()
        .map(|v| (v.id, v.legal_name.clone()))
        .collect();
    let mut tiers = TierTally::default();
    // Finding title → how many vendors have it.
    let mut findings: BTreeMap<String, u64> = BTreeMap::new();
    // A chunk of vendors at a time, so only one chunk's scorecards are in memory.
    for chunk in vendors.chunks(crate::services::IN_CHUNK) {
        let chunk_ids: BTreeSet<Uuid> = chunk.iter().map(|v| v.id).collect();
        let latest = review::latest_cards(db, user.organization_id, &chunk_ids).await?;
        for v in chunk {
            let inherent = tier_of(&v.inherent_tier);
            let card = latest.get(&v.id).and_then(|l| l.card.as_ref());
            // No scorecard, no residual tier: counted as not assessed, never as Low.
            tiers.add(inherent, card.map(|c| c.residual_tier));
            let titles: BTreeSet<&str> = card
                .map(|c| c.findings.iter().map(|f| f.title.as_str()).collect())
                .unwrap_or_default();
            for title in titles {
                *findings.entry(title.to_owned()).or_default() += 1;
            }
        }
    }

    let today = ctx.clock.now().date();
    // By tenant, the columns the figures need (no template snapshots); the vendor filter is
    // applied here, not as an `IN` list that grows with the portfolio.
    let assessments: Vec<(Uuid, Uuid, String, Date)> = assessment_entity::Entity::find()
        .select_only()
        .column(assessment_entity::Column::Id)
        .column(assessment_entity::Column::VendorId)
        .column(assessment_entity::Column::Status)
        .column(assessment_entity::Column::DueDate)
        .filter(assessment_entity::Column::OrganizationId.eq(user.organization_id))
        .order_by_asc(assessment_entity::Column::DueDate)
        .into_tuple()
        .all(db)
        .await?;
    let assessments: Vec<(Uuid, Uuid, AssessmentStatus, Date)> = assessments
        .into_iter()
        .filter(|(_, vendor, _, _)| ids.contains(vendor))
        .map(|(id, vendor, status, due)| Ok((id, vendor, restored(&status)?, due)))
        .collect::<Result<_>>()?;
    let mut by_status: BTreeMap<&'static str, (AssessmentStatus, u64)> = BTreeMap::new();
    let mut overdue = Vec::new();
    let mut live = BTreeSet::new();
    for &(id, vendor_id, status, due_date) in &assessments {
        by_status.entry(status.label()).or_insert((status, 0)).1 += 1;
        if assessment::is_overdue(status, due_date, today) {
            overdue.push(OverdueAssessment {
                assessment_id: id,
                vendor_id,
                vendor_name: names.get(&vendor_id).cloned().unwrap_or_default(),
                due_date: due_date.to_string(),
            });
        }
        if status != AssessmentStatus::Cancelled {
            live.insert(id);
        }
    }
    let vendor_of: BTreeMap<Uuid, Uuid> = assessments.iter().map(|a| (a.0, a.1)).collect();
    let expiring = evidence::Entity::find()
        .filter(evidence::Column::OrganizationId.eq(user.organization_id))
        .filter(evidence::Column::ExpiresOn.gte(today))
        .filter(evidence::Column::ExpiresOn.lte(today + Duration::days(EXPIRY_WINDOW_DAYS)))
        .order_by_asc(evidence::Column::ExpiresOn)
        .all(db)
        .await?
        .into_iter()
        .filter(|e| live.contains(&e.assessment_id))
        .filter_map(|e| {
            let vendor_id = *vendor_of.get(&e.assessment_id)?;
            Some(ExpiringEvidence {
                evidence_id: e.id,
                vendor_id,
                vendor_name: names.get(&vendor_id).cloned().unwrap_or_default(),
                assessment_id: e.assessment_id,
                file_name: e.file_name,
                kind: e.kind,
                expires_on: e.expires_on?.to_string(),
            })
        })
        .collect();

    let mut frequent: Vec<FrequentFinding> = findings
        .into_iter()
        .map(|(title, vendors)| FrequentFinding { title, vendors })
        .collect();
    frequent.sort_by(|a, b| {
        b.vendors
            .cmp(&a.vendors)
            .then_with(|| a.title.cmp(&b.title))
    });
    frequent.truncate(TOP_FINDINGS);

    let open_incident_list =
        incidents::open_summaries(db, user.organization_id, &ids, &names).await?;
    Ok(DashboardView {
        open_incidents: u64::try_from(open_incident_list.len()).unwrap_or_default(),
        open_incident_list,
        vendors: u64::try_from(vendors.len()).unwrap_or_default(),
        by_residual_tier: tiers.by_residual_tier(),
        heat_map: tiers.heat_map(),
        not_assessed: tiers.not_assessed(),
        assessments_by_status: AssessmentStatus::ALL
            .iter()
            .map(|s| Count {
                key: *s,
                count: by_status.get(s.label()).map_or(0, |(_, n)| *n),
            })
            .collect(),
        overdue,
        expiring_evidence: expiring,
        open_remediations: remediations::open(db, user.organization_id, &ids, ctx.clock.now())
            .await?,
        frequent_findings: frequent,
    })
}
