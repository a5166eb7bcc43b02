//! Single sign-on (OpenID Connect): the organisation's provider settings an Admin edits.

use serde::{Deserialize, Serialize};

/// One row of the role mapping: a value of the role claim and the Assay role it grants.
/// `role` is a role name (`admin`, `procurement`, `risk_manager`, `auditor`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SsoRoleMapping {
    pub claim_value: String,
    pub role: String,
}

/// `PUT /api/settings/sso` (Admin).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SsoSettingsRequest {
    /// Whether "Sign in with single sign-on" works for the organisation.
    pub enabled: bool,
    /// The provider's issuer (`https://login.example.com/realms/acme`); its discovery
    /// document is read from `<issuer>/.well-known/openid-configuration`.
    pub issuer_url: String,
    pub client_id: String,
    /// A new client secret; left out (or `null`) keeps the stored one. Never returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// Email domains whose users may sign in (`acme.example`); empty: any domain.
    #[serde(default)]
    pub allowed_domains: Vec<String>,
    /// The ID-token claim whose value picks a new user's role (`groups`, `assay_role`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_claim: Option<String>,
    /// Checked in order; the first value the claim holds (a string, or one of a list)
    /// gives the role.
    #[serde(default)]
    pub role_mapping: Vec<SsoRoleMapping>,
    /// The role of a new user whose claim is absent or matches no row.
    pub default_role: String,
    /// Password sign-in is refused for the organisation's users (`sso_required`), except
    /// for the break-glass Admin.
    #[serde(default)]
    pub sso_required: bool,
    /// The one Admin who may still sign in with a password when SSO is required (needed
    /// then, so that a provider outage cannot lock the organisation out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub break_glass_user_id: Option<uuid::Uuid>,
}

impl std::fmt::Debug for SsoSettingsRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoSettingsRequest")
            .field("enabled", &self.enabled)
            .field("issuer_url", &self.issuer_url)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// `GET /api/settings/sso`: the settings without the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SsoSettingsView {
    pub enabled: bool,
    pub issuer_url: String,
    pub client_id: String,
    /// Whether a client secret is stored (it is never shown).
    pub has_secret: bool,
    pub allowed_domains: Vec<String>,
    pub role_claim: Option<String>,
    pub role_mapping: Vec<SsoRoleMapping>,
    pub default_role: String,
    pub sso_required: bool,
    pub break_glass_user_id: Option<uuid::Uuid>,
    /// The redirect URI to register at the provider.
    pub redirect_uri: String,
}
