use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub vendor_id: Uuid,
    pub template_id: Uuid,
    pub template_version: i32,
    #[sea_orm(column_type = "Text")]
    pub template_snapshot: String,
    pub status: String,
    pub due_date: TimeDate,
    pub created_by: Option<Uuid>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub submitted_at: Option<TimeDateTimeWithTimeZone>,
    /// The assessment this one repeats (set on reassessments the scheduler prepares).
    pub previous_id: Option<Uuid>,
    /// When it went to the vendor (unset while a draft).
    pub sent_at: Option<TimeDateTimeWithTimeZone>,
    /// The next day its scorecard changes by itself; the scheduler records it then.
    pub score_changes_on: Option<TimeDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
