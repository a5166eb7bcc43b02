use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vendor_contracts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub vendor_id: Uuid,
    pub contract_value: Option<i64>,
    pub currency: Option<String>,
    pub renewal_date: Option<TimeDate>,
    pub breach_notification_hours: Option<i32>,
    pub right_to_audit: Option<bool>,
    pub minimum_insurance: Option<i64>,
    pub liability_cap: Option<i64>,
    pub dpa_in_place: Option<bool>,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
