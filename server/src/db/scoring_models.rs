//! The stored scoring models: versions as rows, their bodies, and the organisation's
//! current model (the built-in default, version 0, until one is published).

use assay_core::scoring::ScoringModel;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::db::entities::scoring_model;
use crate::error::{Error, Result};

/// What a version stores (the version number is its own column).
#[derive(Serialize, Deserialize)]
pub struct Body {
    pub category_weights: std::collections::BTreeMap<assay_core::scoring::Category, f64>,
    pub strong: f64,
    pub adequate: f64,
    /// Versions published before findings bounded the tier get the default floors.
    #[serde(default = "assay_core::scoring::default_finding_floors")]
    pub finding_floors:
        std::collections::BTreeMap<assay_core::template::Severity, assay_core::risk::RiskTier>,
}

pub fn model_of(row: &scoring_model::Model) -> Result<ScoringModel> {
    let body: Body = serde_json::from_str(&row.body).map_err(Error::internal)?;
    Ok(ScoringModel {
        version: row.version.to_string(),
        category_weights: body.category_weights,
        strong: body.strong,
        adequate: body.adequate,
        finding_floors: body.finding_floors,
    })
}

pub fn default_model() -> ScoringModel {
    ScoringModel {
        version: "0".to_owned(),
        ..ScoringModel::default()
    }
}

pub async fn latest(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
) -> Result<Option<scoring_model::Model>> {
    Ok(scoring_model::Entity::find()
        .filter(scoring_model::Column::OrganizationId.eq(organization_id))
        .order_by_desc(scoring_model::Column::Version)
        .one(conn)
        .await?)
}

/// The organisation's current model (the built-in default, version 0, until one is published).
pub async fn current(conn: &impl ConnectionTrait, organization_id: Uuid) -> Result<ScoringModel> {
    match latest(conn, organization_id).await? {
        Some(row) => model_of(&row),
        None => Ok(default_model()),
    }
}
