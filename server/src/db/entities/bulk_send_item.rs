use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bulk_send_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub bulk_send_id: Uuid,
    pub vendor_id: Uuid,
    pub result: String,
    pub skip_reason: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub failure: Option<String>,
    pub assessment_id: Option<Uuid>,
    pub done_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
