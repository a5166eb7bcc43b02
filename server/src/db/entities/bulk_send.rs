use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bulk_sends")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub created_by: Option<Uuid>,
    pub created_by_label: String,
    pub template_id: Uuid,
    pub template_version: i32,
    pub title: String,
    pub due_date: TimeDate,
    #[sea_orm(column_type = "Text")]
    pub recipients: String,
    pub status: String,
    pub total: i32,
    pub sent: i32,
    pub skipped: i32,
    pub failed: i32,
    pub created_at: TimeDateTimeWithTimeZone,
    pub finished_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
