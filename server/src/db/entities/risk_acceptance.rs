use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "risk_acceptances")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub assessment_id: Uuid,
    #[sea_orm(column_type = "Text")]
    pub finding_key: String,
    #[sea_orm(column_type = "Text")]
    pub finding_title: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub expires_on: Option<TimeDate>,
    pub created_by: Uuid,
    pub created_by_name: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub withdrawn_at: Option<TimeDateTimeWithTimeZone>,
    pub withdrawn_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
