use sea_orm::entity::prelude::*;

/// An organisation's Ed25519 key for evidence packs. `Debug` shows the sealed private key,
/// which is ciphertext only.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization_signing_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    /// 64 lowercase hex digits.
    pub public_key: String,
    /// The hex seed, sealed with the master key (`v1:` + base64).
    pub sealed_private_key: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
