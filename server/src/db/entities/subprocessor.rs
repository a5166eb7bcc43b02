use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subprocessors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub vendor_id: Uuid,
    /// The normalised name, for grouping across vendors.
    pub name_key: String,
    /// `assay_core::subprocessor::Subprocessor` as JSON.
    pub entry: String,
    pub removed_on: Option<TimeDate>,
    /// `user:<id>` or `vendor:<assessment id>`.
    pub changed_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
