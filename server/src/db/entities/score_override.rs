use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "score_overrides")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub assessment_id: Uuid,
    pub question_id: Option<String>,
    pub points: Option<f64>,
    pub tier: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub expires_on: Option<TimeDate>,
    pub created_by: Uuid,
    pub created_by_name: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub withdrawn_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
