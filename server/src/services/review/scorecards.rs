//! The scorecard: everything scoring reads for an assessment, loaded in batches; the
//! current card and its stored versions; the view the review page and exports show.

use super::*;

/// Everything scoring reads for one assessment, loaded from the database.
pub(crate) struct Inputs {
    pub template: std::sync::Arc<Template>,
    pub answers: assay_core::evaluate::Answers,
    pub evidence: Vec<EvidenceItem>,
    pub contract: assay_core::contract::Contract,
    /// The organisation's contract policy, shared by its assessments.
    pub policy: std::sync::Arc<assay_core::contract::ContractPolicy>,
    /// The vendor's subprocessor register now.
    pub register: Vec<assay_core::subprocessor::Subprocessor>,
    /// The organisation's own country, whose region transfers are judged from.
    pub client: Option<assay_core::country::Country>,
    /// The adequacy lists transfers are judged by (the organisation's own, or shipped).
    pub adequacy: std::sync::Arc<assay_core::transfer::AdequacyLists>,
    pub profile: InherentRiskProfile,
    pub overrides: Vec<Override>,
    pub submitted: bool,
    /// Every incident of the vendor: a late report is a finding on each of its scorecards.
    pub incidents: Vec<IncidentFact>,
    /// Findings remediated or accepted: they no longer hold the residual tier up.
    pub settled: Vec<Settlement>,
    /// The organisation's exchange rates (the newest table), shared by its assessments.
    pub rates: std::sync::Arc<assay_core::money::ExchangeRates>,
}

impl Inputs {
    pub(crate) async fn load(conn: &impl ConnectionTrait, model: &entity::Model) -> Result<Inputs> {
        Inputs::load_many(conn, model.organization_id, std::slice::from_ref(model))
            .await?
            .pop()
            .ok_or(Error::NotFound)
    }

    /// The inputs of each of these assessments of one organisation, in their order, in ten
    /// queries per [`IN_CHUNK`] assessments whatever their number (the what-if preview scores
    /// every vendor). An assessment of another organisation is refused as not found.
    pub(crate) async fn load_many(
        conn: &impl ConnectionTrait,
        organization_id: Uuid,
        models: &[entity::Model],
    ) -> Result<Vec<Inputs>> {
        let mut out = Vec::with_capacity(models.len());
        for chunk in models.chunks(IN_CHUNK) {
            out.extend(Inputs::load_chunk(conn, organization_id, chunk).await?);
        }
        Ok(out)
    }

    async fn load_chunk(
        conn: &impl ConnectionTrait,
        organization_id: Uuid,
        models: &[entity::Model],
    ) -> Result<Vec<Inputs>> {
        use crate::db::entities::vendor;
        let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
        let vendor_ids: Vec<Uuid> = models
            .iter()
            .map(|m| m.vendor_id)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut answers = crate::db::assessments::answers_of_many(conn, &ids).await?;
        let mut evidence: BTreeMap<Uuid, Vec<EvidenceItem>> = BTreeMap::new();
        for e in evidence::Entity::find()
            .filter(evidence::Column::AssessmentId.is_in(ids.iter().copied()))
            .all(conn)
            .await?
        {
            let Some(kind) = e
                .kind
                .as_deref()
                .and_then(|k| crate::services::restored(k).ok())
            else {
                continue;
            };
            evidence
                .entry(e.assessment_id)
                .or_default()
                .push(EvidenceItem {
                    id: e.id.to_string(),
                    kind,
                    expires: e.expires_on,
                    period_end: e.period_end,
                });
        }
        let contracts: BTreeMap<Uuid, assay_core::contract::Contract> =
            crate::db::contracts::current_of_vendors(conn, organization_id, &vendor_ids)
                .await?
                .iter()
                .map(|(vendor, c)| Ok((*vendor, crate::services::contracts::terms(c)?)))
                .collect::<Result<_>>()?;
        let settings = crate::services::org_settings::read(conn, organization_id).await?;
        let policy = std::sync::Arc::new(settings.policy);
        let client = settings.client.map(|p| p.country);
        let adequacy = settings.adequacy;
        let mut registers: BTreeMap<Uuid, Vec<assay_core::subprocessor::Subprocessor>> =
            BTreeMap::new();
        for (vendor, rows) in
            crate::db::subprocessors::current_of_vendors(conn, organization_id, &vendor_ids).await?
        {
            registers.insert(
                vendor,
                rows.iter()
                    .map(crate::services::subprocessors::entry)
                    .collect::<Result<_>>()?,
            );
        }
        let vendors: BTreeMap<Uuid, vendor::Model> = vendor::Entity::find()
            .filter(vendor::Column::OrganizationId.eq(organization_id))
            .filter(vendor::Column::Id.is_in(vendor_ids.iter().copied()))
            .all(conn)
            .await?
            .into_iter()
            .map(|v| (v.id, v))
            .collect();
        let mut overrides: BTreeMap<Uuid, Vec<Override>> = BTreeMap::new();
        for o in score_override::Entity::find()
            .filter(score_override::Column::AssessmentId.is_in(ids.iter().copied()))
            .order_by_asc(score_override::Column::CreatedAt)
            .all(conn)
            .await?
        {
            if o.withdrawn_at.is_none() {
                overrides
                    .entry(o.assessment_id)
                    .or_default()
                    .push(core_override(&o)?);
            }
        }
        let incidents =
            crate::db::incidents::facts_of_vendors(conn, organization_id, &vendor_ids).await?;
        let mut settled = crate::db::assessments::settled_findings(conn, &ids).await?;
        let rates =
            std::sync::Arc::new(crate::db::exchange_rates::current(conn, organization_id).await?);
        // A chunk usually shares a handful of template versions, each parsed once.
        let templates = crate::db::assessments::versions_of(
            conn,
            models
                .iter()
                .map(|m| (m.template_id, m.template_version))
                .collect(),
        )
        .await?;
        models
            .iter()
            .map(|model| {
                if model.organization_id != organization_id {
                    return Err(Error::NotFound);
                }
                let vendor = vendors.get(&model.vendor_id).ok_or(Error::NotFound)?;
                Ok(Inputs {
                    incidents: incidents.get(&model.vendor_id).cloned().unwrap_or_default(),
                    template: templates
                        .get(&(model.template_id, model.template_version))
                        .cloned()
                        .ok_or(Error::NotFound)?,
                    answers: flat(&answers.remove(&model.id).unwrap_or_default()),
                    evidence: evidence.remove(&model.id).unwrap_or_default(),
                    contract: contracts.get(&model.vendor_id).cloned().unwrap_or_default(),
                    policy: policy.clone(),
                    register: registers.get(&model.vendor_id).cloned().unwrap_or_default(),
                    client,
                    adequacy: std::sync::Arc::clone(&adequacy),
                    profile: InherentRiskProfile {
                        data_types: serde_json::from_str(&vendor.data_types).unwrap_or_default(),
                        system_access: crate::services::restored(&vendor.system_access)?,
                        criticality: crate::services::restored(&vendor.criticality)?,
                    },
                    overrides: overrides.remove(&model.id).unwrap_or_default(),
                    settled: settled.remove(&model.id).unwrap_or_default(),
                    submitted: model.submitted_at.is_some(),
                    rates: rates.clone(),
                })
            })
            .collect()
    }

    /// The register and what its transfers are judged by.
    fn fourth_parties(&self) -> Option<assay_core::scoring::FourthParties<'_>> {
        Some(assay_core::scoring::FourthParties {
            register: &self.register,
            client: self.client,
            lists: &self.adequacy,
        })
    }

    pub(crate) fn scoring<'a>(&'a self, model: &'a ScoringModel, as_of: Date) -> ScoringInput<'a> {
        ScoringInput {
            template: &self.template,
            rules: &self.template.scoring,
            answers: &self.answers,
            evidence: &self.evidence,
            contract: &self.contract,
            policy: &self.policy,
            fourth_parties: self.fourth_parties(),
            profile: &self.profile,
            as_of,
            model,
            submitted: self.submitted,
            overrides: &self.overrides,
            incidents: &self.incidents,
            settled: &self.settled,
            rates: &self.rates,
        }
    }
}

pub(super) fn core_override(o: &score_override::Model) -> Result<Override> {
    let target = match (&o.question_id, o.points, &o.tier) {
        (Some(question_id), Some(points), _) => OverrideTarget::Question {
            question_id: question_id.clone(),
            points,
        },
        (_, _, Some(tier)) => OverrideTarget::ResidualTier {
            tier: crate::services::restored(tier)?,
        },
        _ => {
            return Err(Error::internal(anyhow::anyhow!(
                "override {} has no target",
                o.id
            )));
        }
    };
    Ok(Override {
        id: o.id.to_string(),
        target,
        reason: o.reason.clone(),
        expires_on: o.expires_on,
    })
}

pub(super) async fn overrides_of(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
) -> Result<Vec<score_override::Model>> {
    Ok(score_override::Entity::find()
        .filter(score_override::Column::AssessmentId.eq(assessment_id))
        .order_by_asc(score_override::Column::CreatedAt)
        .all(conn)
        .await?)
}

/// The current scorecard of an assessment, and when it changes by itself.
pub(crate) struct Current {
    pub card: ScoreCard,
    pub next_change: Option<ScheduledChange>,
    /// The stored version; `None` before submission (nothing is stored then).
    pub stored: Option<scorecard::Model>,
}

impl Current {
    /// The finding of today's card with this key; 422 when the card has none (any more).
    pub(crate) fn finding(&self, key: &str) -> Result<&assay_core::scoring::Finding> {
        self.card
            .findings
            .iter()
            .find(|f| f.key == key)
            .ok_or_else(|| {
                Error::validation(
                    "finding_key",
                    "The scorecard has no such finding (any more).",
                )
            })
    }
}

pub(super) fn digest(body: &str) -> String {
    hex::encode(Sha256::digest(body.as_bytes()))
}

/// The scorecard as of today and when it changes by itself, with the latest stored version.
/// Reads only: nothing is stored, whoever asks.
pub(crate) async fn current(
    conn: &impl ConnectionTrait,
    model: &entity::Model,
    now: OffsetDateTime,
) -> Result<Current> {
    let inputs = Inputs::load(conn, model).await?;
    let scoring_model = crate::db::scoring_models::current(conn, model.organization_id).await?;
    let today = now.date();
    let (card, next_change) = crate::services::compute(move || {
        let input = inputs.scoring(&scoring_model, today);
        (scoring::score(&input), scoring::next_change(&input))
    })
    .await?;
    let stored = match model.submitted_at {
        Some(_) => latest_version(conn, model.id).await?,
        None => None,
    };
    Ok(Current {
        card,
        next_change,
        stored,
    })
}

/// Records the scorecard after an event that can change it (submission, an override, a
/// remediation closed, a risk accepted, a decision, a contract, profile or scoring-model
/// change, an incident, or a dated change the scheduler applies on its day): once the vendor
/// has submitted, a new version is stored when the card differs from the latest one, and
/// the day of its next change by itself is kept for the scheduler.
pub(crate) async fn record(
    conn: &impl ConnectionTrait,
    model: &entity::Model,
    now: OffsetDateTime,
) -> Result<Current> {
    let current = current(conn, model, now).await?;
    // Only a submitted card is recorded, so only its dated changes are due.
    let changes_on = current
        .next_change
        .as_ref()
        .map(|c| c.on)
        .filter(|_| model.submitted_at.is_some());
    if model.score_changes_on != changes_on {
        let mut active: entity::ActiveModel = model.clone().into();
        active.score_changes_on = Set(changes_on);
        active.update(conn).await?;
    }
    if model.submitted_at.is_none() {
        return Ok(current);
    }
    let body = serde_json::to_string(&current.card).map_err(Error::internal)?;
    let hash = digest(&body);
    let version = match &current.stored {
        Some(latest) if latest.digest == hash => return Ok(current),
        Some(latest) => latest.version + 1,
        None => 1,
    };
    let row = scorecard::ActiveModel {
        id: Set(Uuid::now_v7()),
        assessment_id: Set(model.id),
        version: Set(version),
        model_version: Set(current.card.model_version.clone()),
        as_of: Set(now.date()),
        body: Set(body),
        digest: Set(hash),
        frozen: Set(false),
        computed_at: Set(now),
    };
    let stored = match row.insert(conn).await {
        Ok(stored) => stored,
        // Another request stored the same recomputation first (unique version).
        Err(_) => latest_version(conn, model.id)
            .await?
            .ok_or_else(|| Error::internal(anyhow::anyhow!("scorecard version vanished")))?,
    };
    Ok(Current {
        stored: Some(stored),
        ..current
    })
}

/// Records the scorecard of the vendor's latest scored assessment (after a change to its
/// contract or profile, or an incident), so the change shows on it at once.
pub(crate) async fn record_latest_of_vendor(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_id: Uuid,
    now: OffsetDateTime,
) -> Result<()> {
    record_latest_of_vendors(
        conn,
        organization_id,
        &std::collections::BTreeSet::from([vendor_id]),
        now,
    )
    .await
    .map(|_| ())
}

/// Records the scorecard of each of these vendors' latest scored assessment (after a change
/// to the vendor's contract or profile, an incident, or a new scoring model).
pub(crate) async fn record_latest_of_vendors(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_ids: &std::collections::BTreeSet<Uuid>,
    now: OffsetDateTime,
) -> Result<usize> {
    let latest = latest_cards(conn, organization_id, vendor_ids).await?;
    let ids: Vec<Uuid> = latest.values().map(|l| l.assessment_id).collect();
    let mut recorded = 0;
    for chunk in ids.chunks(IN_CHUNK) {
        for model in entity::Entity::find()
            .filter(entity::Column::Id.is_in(chunk.iter().copied()))
            .filter(entity::Column::OrganizationId.eq(organization_id))
            .all(conn)
            .await?
        {
            record(conn, &model, now).await?;
            recorded += 1;
        }
    }
    Ok(recorded)
}

/// How many assessments one write transaction of the daily sweep records.
const SWEEP_BATCH: u64 = 50;

/// How many assessments one round records at most: a backlog (a new scoring model across a
/// large portfolio) drains over rounds instead of holding one up.
const SWEEP_ROUND: usize = 500;

/// The scheduler's sweep: records the scorecard of every assessment whose card changes by
/// itself today or earlier (evidence expired, an override or acceptance lapsed), reading only
/// those (the day is indexed). Each batch is its own short write transaction; a round in
/// which nothing is due reads one index entry and takes no write lock.
pub async fn record_dated_changes(ctx: &Ctx, now: OffsetDateTime) -> Result<usize> {
    let today = now.date();
    let any: Option<Uuid> = entity::Entity::find()
        .select_only()
        .column(entity::Column::Id)
        .filter(entity::Column::ScoreChangesOn.lte(today))
        .into_tuple()
        .one(&ctx.db)
        .await?;
    if any.is_none() {
        return Ok(0);
    }
    let mut recorded = 0;
    while recorded < SWEEP_ROUND {
        let txn = crate::db::begin_write(&ctx.db).await?;
        let due = entity::Entity::find()
            .filter(entity::Column::ScoreChangesOn.lte(today))
            .order_by_asc(entity::Column::ScoreChangesOn)
            .limit(Some(SWEEP_BATCH))
            .all(&txn)
            .await?;
        let count = due.len();
        // Recording moves each one's day past today (or clears it), so no row comes twice.
        for model in &due {
            record(&txn, model, now).await?;
        }
        txn.commit().await?;
        recorded += count;
        if (count as u64) < SWEEP_BATCH {
            break;
        }
    }
    Ok(recorded)
}

pub(super) async fn latest_version(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
) -> Result<Option<scorecard::Model>> {
    Ok(scorecard::Entity::find()
        .filter(scorecard::Column::AssessmentId.eq(assessment_id))
        .order_by_desc(scorecard::Column::Version)
        .one(conn)
        .await?)
}

pub(super) async fn versions(
    conn: &impl ConnectionTrait,
    assessment_id: Uuid,
) -> Result<Vec<scorecard::Model>> {
    Ok(scorecard::Entity::find()
        .filter(scorecard::Column::AssessmentId.eq(assessment_id))
        .order_by_desc(scorecard::Column::Version)
        .all(conn)
        .await?)
}

pub(super) fn override_view(o: &score_override::Model, today: Date) -> Result<OverrideView> {
    let tier: Option<RiskTier> = o
        .tier
        .as_deref()
        .map(crate::services::restored)
        .transpose()?;
    Ok(OverrideView {
        id: o.id,
        question_id: o.question_id.clone(),
        points: o.points,
        residual_tier: tier,
        reason: o.reason.clone(),
        expires_on: o.expires_on.map(|d| d.to_string()),
        active: o.withdrawn_at.is_none() && o.expires_on.is_none_or(|last| today <= last),
        withdrawn: o.withdrawn_at.is_some(),
        created_by: o.created_by_name.clone(),
        created_at: rfc3339(o.created_at),
    })
}

/// The scorecard view of an assessment: the current one, or a stored `version`.
pub(crate) async fn view(
    conn: &impl ConnectionTrait,
    model: &entity::Model,
    version: Option<u32>,
    now: OffsetDateTime,
) -> Result<ScorecardView> {
    let current = current(conn, model, now).await?;
    view_of(conn, model, current, version, now).await
}

/// The scorecard view from a card already computed (by `current` or `record`).
pub(crate) async fn view_of(
    conn: &impl ConnectionTrait,
    model: &entity::Model,
    current: Current,
    version: Option<u32>,
    now: OffsetDateTime,
) -> Result<ScorecardView> {
    let all = versions(conn, model.id).await?;
    let (card, stored, next_change) = match version {
        None => (current.card, current.stored, current.next_change),
        Some(v) => {
            let row = all
                .iter()
                .find(|r| u32::try_from(r.version).ok() == Some(v))
                .cloned()
                .ok_or(Error::NotFound)?;
            let card: ScoreCard = serde_json::from_str(&row.body).map_err(Error::internal)?;
            (card, Some(row), None)
        }
    };
    let today = now.date();
    let vendor = vendors::find(conn, model.organization_id, model.vendor_id)
        .await?
        .ok_or(Error::NotFound)?;
    let versions = all
        .iter()
        .map(|r| {
            let card: ScoreCard = serde_json::from_str(&r.body).map_err(Error::internal)?;
            Ok(ScorecardVersionView {
                version: u32::try_from(r.version).unwrap_or_default(),
                computed_at: rfc3339(r.computed_at),
                overall: card.overall,
                residual_tier: card.residual_tier,
                frozen: r.frozen,
            })
        })
        .collect::<Result<_>>()?;
    Ok(ScorecardView {
        assessment_id: model.id,
        vendor_id: model.vendor_id,
        vendor_name: vendor.legal_name,
        status: status_of(model)?,
        version: stored
            .as_ref()
            .map_or(0, |s| u32::try_from(s.version).unwrap_or_default()),
        provisional: stored.is_none(),
        frozen: stored.as_ref().is_some_and(|s| s.frozen),
        as_of: stored
            .as_ref()
            .map_or_else(|| today.to_string(), |s| s.as_of.to_string()),
        computed_at: stored
            .as_ref()
            .map_or_else(|| rfc3339(now), |s| rfc3339(s.computed_at)),
        card,
        next_change,
        overrides: overrides_of(conn, model.id)
            .await?
            .iter()
            .map(|o| override_view(o, today))
            .collect::<Result<_>>()?,
        reviews: reviews_of(conn, model.id).await?,
        clarifications: clarifications_of(conn, model.id).await?,
        decision: decision_of(conn, model.id).await?,
        acceptances: crate::db::entities::risk_acceptance::Entity::find()
            .filter(crate::db::entities::risk_acceptance::Column::AssessmentId.eq(model.id))
            .order_by_asc(crate::db::entities::risk_acceptance::Column::CreatedAt)
            .all(conn)
            .await?
            .iter()
            .map(|a| acceptance_view(a, today))
            .collect(),
        remediations: crate::services::remediation_views::of_assessment(
            conn,
            model.organization_id,
            model.id,
            now,
        )
        .await?,
        versions,
    })
}

/// `GET /api/assessments/{id}/scorecard`.
pub async fn scorecard(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    version: Option<u32>,
) -> Result<ScorecardView> {
    let db = &ctx.db;
    user.require(Permission::ReadAssessments)?;
    let model = find(db, user.organization_id, id).await?;
    view(db, &model, version, ctx.clock.now()).await
}

/// A vendor's latest scored assessment: what the portfolio needs of it, not the assessment
/// itself (whose template snapshot can be large).
pub(crate) struct Latest {
    pub assessment_id: Uuid,
    pub status: AssessmentStatus,
    pub submitted_at: Option<OffsetDateTime>,
    /// Its latest stored scorecard, if one is stored.
    pub card: Option<ScoreCard>,
}

/// Each vendor's latest scored assessment (submitted or later, by submission) and its latest
/// stored scorecard, for the given vendors, in three queries per [`IN_CHUNK`] vendors. Only
/// the latest scorecard body of each vendor is read: no assessment row in full (no template
/// snapshot) and no older scorecard, so a page costs the same however long the history.
pub(crate) async fn latest_cards(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_ids: &std::collections::BTreeSet<Uuid>,
) -> Result<BTreeMap<Uuid, Latest>> {
    let ids: Vec<Uuid> = vendor_ids.iter().copied().collect();
    let mut out = BTreeMap::new();
    for chunk in ids.chunks(IN_CHUNK) {
        latest_cards_of(conn, organization_id, chunk, &mut out).await?;
    }
    Ok(out)
}

pub(super) async fn latest_cards_of(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    vendor_ids: &[Uuid],
    out: &mut BTreeMap<Uuid, Latest>,
) -> Result<()> {
    use sea_orm::QuerySelect;
    const SCORED: [AssessmentStatus; 4] = [
        AssessmentStatus::Submitted,
        AssessmentStatus::UnderReview,
        AssessmentStatus::ReturnedForClarification,
        AssessmentStatus::Completed,
    ];
    // Only the vendor filter goes to SQL, so that the vendor index is the one plan: with a
    // status or tenant condition beside it, SQLite (without statistics) chose the status or
    // tenant index and scanned every assessment of the organisation for each page. Tenant
    // and status are checked on every row here instead.
    let rows: Vec<(Uuid, Uuid, Uuid, String, Option<OffsetDateTime>)> = entity::Entity::find()
        .select_only()
        .column(entity::Column::Id)
        .column(entity::Column::VendorId)
        .column(entity::Column::OrganizationId)
        .column(entity::Column::Status)
        .column(entity::Column::SubmittedAt)
        .filter(entity::Column::VendorId.is_in(vendor_ids.iter().copied()))
        .filter(entity::Column::SubmittedAt.is_not_null())
        .order_by_asc(entity::Column::SubmittedAt)
        .into_tuple()
        .all(conn)
        .await?;
    let mut latest: BTreeMap<Uuid, Latest> = BTreeMap::new();
    for (id, vendor, organization, status, submitted_at) in rows {
        let status: AssessmentStatus = crate::services::restored(&status)?;
        if organization == organization_id && SCORED.contains(&status) {
            latest.insert(
                vendor,
                Latest {
                    assessment_id: id,
                    status,
                    submitted_at,
                    card: None,
                },
            );
        }
    }
    let vendor_of: BTreeMap<Uuid, Uuid> = latest
        .iter()
        .map(|(vendor, l)| (l.assessment_id, *vendor))
        .collect();
    let mut newest: BTreeMap<Uuid, Uuid> = BTreeMap::new();
    let versions: Vec<(Uuid, Uuid)> = scorecard::Entity::find()
        .select_only()
        .column(scorecard::Column::Id)
        .column(scorecard::Column::AssessmentId)
        .filter(scorecard::Column::AssessmentId.is_in(vendor_of.keys().copied()))
        .order_by_asc(scorecard::Column::Version)
        .into_tuple()
        .all(conn)
        .await?;
    for (id, assessment) in versions {
        newest.insert(assessment, id);
    }
    for row in scorecard::Entity::find()
        .filter(scorecard::Column::Id.is_in(newest.values().copied()))
        .all(conn)
        .await?
    {
        if let Some(l) = vendor_of
            .get(&row.assessment_id)
            .and_then(|v| latest.get_mut(v))
        {
            l.card = Some(serde_json::from_str(&row.body).map_err(Error::internal)?);
        }
    }
    out.extend(latest);
    Ok(())
}
