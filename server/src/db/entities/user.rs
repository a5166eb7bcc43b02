use sea_orm::entity::prelude::*;

/// `Debug` leaves out the password hash and the MFA secret, so a logged model leaks neither.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    #[sea_orm(unique)]
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: Option<String>,
    pub active: bool,
    pub mfa_secret: Option<String>,
    pub mfa_enabled: bool,
    pub session_epoch: i32,
    /// The TOTP step last accepted, so no code is accepted twice.
    pub mfa_last_step: Option<i64>,
    /// Set at the first sign-in through single sign-on: the account is in use although it
    /// has no password.
    pub signed_in_with_sso: bool,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("organization_id", &self.organization_id)
            .field("role", &self.role)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
