use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "incidents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub vendor_id: Uuid,
    pub assessment_id: Option<Uuid>,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub discovered_at: TimeDateTimeWithTimeZone,
    pub reported_at: TimeDateTimeWithTimeZone,
    pub notification_hours: i32,
    #[sea_orm(column_type = "Text")]
    pub data_types: String,
    pub records_affected: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub containment: String,
    pub contact: String,
    pub status: String,
    pub reported_by: String,
    pub reported_by_name: String,
    pub reported_by_user: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub closing_report: Option<String>,
    pub resolved_at: Option<TimeDateTimeWithTimeZone>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
