use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "decisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub assessment_id: Uuid,
    pub outcome: String,
    #[sea_orm(column_type = "Text")]
    pub conditions: String,
    #[sea_orm(column_type = "Text")]
    pub rationale: String,
    pub decided_by: Uuid,
    pub decided_by_name: String,
    pub decided_at: TimeDateTimeWithTimeZone,
    pub scorecard_version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
