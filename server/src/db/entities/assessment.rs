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
    /// Questions the vendor sees with the answers so far (unset on assessments older than
    /// this column until their next answer or file; lists work it out for those).
    pub questions_visible: Option<i32>,
    /// Of those, how many are answered (evidence questions by a file).
    pub questions_answered: Option<i32>,
    /// The next day a reminder or the overdue notice may be due (never later than it): set
    /// to the day of any change to what reminders depend on, and moved on by the scheduler
    /// once it has looked. Unset when none is left or the vendor no longer has it.
    pub next_reminder_on: Option<TimeDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
