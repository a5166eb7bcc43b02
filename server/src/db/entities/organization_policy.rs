use sea_orm::entity::prelude::*;

/// An organisation's own settings over the shipped defaults; each column is JSON, null for
/// the default.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization_policies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    pub contract_policy: Option<String>,
    pub regime_overrides: Option<String>,
    pub adequacy: Option<String>,
    pub client_profile: Option<String>,
    pub renewal_reminders: Option<String>,
    pub updated_by: Option<Uuid>,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
