use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exchange_rate_tables")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// ISO 4217 code of the base currency.
    pub base: String,
    /// JSON object: currency code → the value of one unit in the base, as a decimal string.
    #[sea_orm(column_type = "Text")]
    pub rates: String,
    /// The day the rates are quoted for.
    pub quoted_on: TimeDate,
    pub recorded_by: Uuid,
    pub recorded_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
