use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vendors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub legal_name: String,
    pub website: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub services: String,
    #[sea_orm(column_type = "Text")]
    pub data_types: String,
    pub system_access: String,
    pub criticality: String,
    pub inherent_tier: String,
    #[sea_orm(column_type = "Text")]
    pub countries: String,
    #[sea_orm(column_type = "Text")]
    pub tags: String,
    pub owner_id: Option<Uuid>,
    pub status: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    /// The next day the vendor may come due for reassessment (never later than it): set to
    /// the day of any change to what the cadence depends on, and moved on by the scheduler.
    pub reassess_on: Option<TimeDate>,
    /// The inherent tier as the list sorts it, most critical first (0 critical to 3 low),
    /// written with `inherent_tier` (see `db::vendors::tier_rank`).
    pub tier_rank: i16,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
