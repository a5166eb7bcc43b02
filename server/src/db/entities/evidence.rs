use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evidence")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub assessment_id: Uuid,
    pub question_id: Option<String>,
    pub file_name: String,
    pub file_type: String,
    pub size: i64,
    pub sha256: String,
    #[sea_orm(column_type = "Text")]
    pub wrapped_key: String,
    pub kind: Option<String>,
    pub expires_on: Option<TimeDate>,
    pub uploaded_by: String,
    pub created_at: TimeDateTimeWithTimeZone,
    pub issued_on: Option<TimeDate>,
    pub period_start: Option<TimeDate>,
    pub period_end: Option<TimeDate>,
    pub coverage_amount: Option<i64>,
    pub coverage_currency: Option<String>,
    /// The next day the file may enter an expiry alert window (never later than it): set on
    /// upload and by changes to the alert days, and moved on by the scheduler.
    pub next_alert_on: Option<TimeDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
