//! Scoring models: an organisation's category weights and tier thresholds, published as
//! numbered versions (never edited). Version 0 is the built-in default. The what-if view
//! re-scores every vendor's latest assessment under a proposed model before it is published.

use assay_core::access::Permission;
use assay_core::api::{ScoringModelRequest, ScoringModelView, VendorStatus, WhatIfRow, WhatIfView};
use assay_core::scoring::{self, ScoringModel};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::accounts;
use crate::db::entities::{assessment as assessment_entity, scoring_model, vendor};
use crate::db::scoring_models::{Body, current, default_model, latest, model_of};
use crate::error::{Error, Result};
use crate::services::audit::{self, Action, Event};
use crate::services::review::{self, Inputs};
use crate::services::rfc3339;
use crate::state::Ctx;

fn view(model: &ScoringModel, row: Option<(&scoring_model::Model, String)>) -> ScoringModelView {
    ScoringModelView {
        version: model.version.parse().unwrap_or_default(),
        category_weights: model.category_weights.clone(),
        strong: model.strong,
        adequate: model.adequate,
        finding_floors: model.finding_floors.clone(),
        note: row
            .as_ref()
            .map(|(r, _)| r.note.clone())
            .unwrap_or_default(),
        created_at: row.as_ref().map(|(r, _)| rfc3339(r.created_at)),
        created_by: row.map(|(_, by)| by),
    }
}

/// `GET /api/scoring-models`: every version, newest first, ending with the default.
pub async fn list(ctx: &Ctx, user: &UserCaller) -> Result<Vec<ScoringModelView>> {
    let db = &ctx.db;
    user.require(Permission::ReadAssessments)?;
    let rows = scoring_model::Entity::find()
        .filter(scoring_model::Column::OrganizationId.eq(user.organization_id))
        .order_by_desc(scoring_model::Column::Version)
        .all(db)
        .await?;
    // Who published each, in one query whatever the number of versions.
    let names = accounts::display_names(db, rows.iter().map(|r| r.created_by)).await?;
    let mut out = Vec::with_capacity(rows.len() + 1);
    for row in &rows {
        let by = names.get(&row.created_by).cloned().unwrap_or_default();
        out.push(view(&model_of(row)?, Some((row, by))));
    }
    out.push(view(&default_model(), None));
    Ok(out)
}

fn proposed(request: &ScoringModelRequest, version: &str) -> Result<ScoringModel> {
    let model = ScoringModel {
        version: version.to_owned(),
        category_weights: request.category_weights.clone(),
        strong: request.strong,
        adequate: request.adequate,
        finding_floors: request.finding_floors.clone(),
    };
    if let Some((field, message)) = model.problem() {
        return Err(Error::validation(field, message));
    }
    Ok(model)
}

/// `POST /api/scoring-models`: publishes the next version (Risk manager, Admin). Open
/// assessments are scored with it from now on; decided scorecards keep their version.
pub async fn publish(
    ctx: &Ctx,
    user: &UserCaller,
    request: ScoringModelRequest,
) -> Result<ScoringModelView> {
    let db = &ctx.db;
    user.require(Permission::DecideAssessments)?;
    crate::services::text_block("note", &request.note, 2_000, false)?;
    let txn = crate::db::begin_write(db).await?;
    let version = latest(&txn, user.organization_id)
        .await?
        .map_or(1, |r| r.version + 1);
    let model = proposed(&request, &version.to_string())?;
    let body = serde_json::to_string(&Body {
        category_weights: model.category_weights.clone(),
        strong: model.strong,
        adequate: model.adequate,
        finding_floors: model.finding_floors.clone(),
    })
    .map_err(Error::internal)?;
    let row = scoring_model::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(user.organization_id),
        version: Set(version),
        body: Set(body),
        note: Set(request.note.trim().to_owned()),
        created_by: Set(user.id),
        created_at: Set(ctx.clock.now()),
    }
    .insert(&txn)
    .await
    .map_err(|_| Error::Conflict {
        code: "model_changed",
        message: "Someone published a scoring model at the same time; reload and try again."
            .to_owned(),
    })?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::ScoringModelPublished,
            ("scoring_model", version.to_string()),
            json!({ "category_weights": model.category_weights, "strong": model.strong, "adequate": model.adequate, "finding_floors": model.finding_floors }),
        ), ctx.clock.now())
    .await?;
    // Every submitted assessment's card changes today; the scheduler's sweep records them.
    crate::db::assessments::mark_submitted_changing(&txn, user.organization_id, ctx.clock.today())
        .await?;
    txn.commit().await?;
    Ok(view(&model, Some((&row, user.display_name.clone()))))
}

/// `POST /api/scoring-models/what-if`: every active vendor's latest submitted assessment,
/// scored today under the current and the proposed model.
pub async fn what_if(
    ctx: &Ctx,
    user: &UserCaller,
    request: ScoringModelRequest,
) -> Result<WhatIfView> {
    let db = &ctx.db;
    user.require(Permission::ReadAssessments)?;
    let current = current(db, user.organization_id).await?;
    let candidate = proposed(&request, "proposed")?;
    let today = ctx.clock.now().date();
    let vendors = vendor::Entity::find()
        .filter(vendor::Column::OrganizationId.eq(user.organization_id))
        .filter(vendor::Column::Status.eq(VendorStatus::Active.as_str()))
        .order_by_asc(vendor::Column::LegalName)
        .all(db)
        .await?;
    // A chunk of vendors at a time: their latest assessments, then every input of those
    // in a handful of queries (not a round of queries per vendor).
    let mut rows = Vec::new();
    for chunk in vendors.chunks(crate::services::IN_CHUNK) {
        let ids = chunk.iter().map(|v| v.id).collect();
        let latest = review::latest_cards(db, user.organization_id, &ids).await?;
        let mut assessments: std::collections::BTreeMap<Uuid, assessment_entity::Model> =
            assessment_entity::Entity::find()
                .filter(
                    assessment_entity::Column::Id.is_in(latest.values().map(|l| l.assessment_id)),
                )
                .all(db)
                .await?
                .into_iter()
                .filter(|a| a.organization_id == user.organization_id)
                .map(|a| (a.vendor_id, a))
                .collect();
        let scored: Vec<(&vendor::Model, assessment_entity::Model)> = chunk
            .iter()
            .filter_map(|v| Some((v, assessments.remove(&v.id)?)))
            .collect();
        let models: Vec<assessment_entity::Model> = scored.iter().map(|(_, a)| a.clone()).collect();
        let inputs = Inputs::load_many(db, user.organization_id, &models).await?;
        let (now_model, then_model) = (current.clone(), candidate.clone());
        let cards = crate::services::compute(move || {
            inputs
                .iter()
                .map(|i| {
                    (
                        scoring::score(&i.scoring(&now_model, today)),
                        scoring::score(&i.scoring(&then_model, today)),
                    )
                })
                .collect::<Vec<_>>()
        })
        .await?;
        for ((v, assessment), (now, then)) in scored.into_iter().zip(cards) {
            rows.push(WhatIfRow {
                vendor_id: v.id,
                vendor_name: v.legal_name.clone(),
                assessment_id: assessment.id,
                current_overall: now.overall,
                current_tier: now.residual_tier,
                proposed_overall: then.overall,
                proposed_tier: then.residual_tier,
            });
        }
    }
    Ok(WhatIfView {
        current_version: current.version.parse().unwrap_or_default(),
        changed: rows
            .iter()
            .filter(|r| r.current_tier != r.proposed_tier)
            .count(),
        rows,
    })
}
