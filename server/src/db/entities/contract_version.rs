use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contract_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub vendor_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    pub organization_id: Uuid,
    /// `assay_core::contract::Contract` as JSON.
    pub terms: String,
    /// The terms' notice date, kept apart for the renewal reminders' query.
    pub notice_date: Option<TimeDate>,
    pub changed_by: Option<Uuid>,
    pub changed_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
