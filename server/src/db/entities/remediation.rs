use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "remediations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub vendor_id: Uuid,
    pub assessment_id: Uuid,
    pub finding_key: String,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    pub severity: String,
    pub question_id: Option<String>,
    pub owner_id: Option<Uuid>,
    pub due_date: TimeDate,
    pub vendor_committed_date: Option<TimeDate>,
    #[sea_orm(column_type = "Text")]
    pub closure_evidence: String,
    pub status: String,
    pub created_by: Uuid,
    pub created_at: TimeDateTimeWithTimeZone,
    pub closed_at: Option<TimeDateTimeWithTimeZone>,
    pub closed_by: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub closing_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
