use sea_orm::entity::prelude::*;

/// An organisation's single sign-on settings. `Debug` leaves out the sealed client secret.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sso_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    pub enabled: bool,
    pub issuer_url: String,
    pub client_id: String,
    /// Sealed with the master key (`v1:` + base64), bound to the organisation's id.
    pub sealed_client_secret: Option<String>,
    /// JSON array of lowercase domains.
    pub allowed_domains: String,
    pub role_claim: Option<String>,
    /// JSON array of `{ "claim_value", "role" }`.
    pub role_mapping: String,
    pub default_role: String,
    pub sso_required: bool,
    pub break_glass_user_id: Option<Uuid>,
    pub updated_by: Option<Uuid>,
    pub updated_at: TimeDateTimeWithTimeZone,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoSettings")
            .field("organization_id", &self.organization_id)
            .field("enabled", &self.enabled)
            .field("issuer_url", &self.issuer_url)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
