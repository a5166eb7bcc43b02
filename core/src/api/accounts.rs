//! Accounts: signing in, the signed-in user and their organisation, MFA, passwords,
//! invitations, the users an admin manages and the people work can be assigned to.

use serde::{Deserialize, Serialize};

use crate::access::Role;

/// `POST /api/auth/login`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// The authenticator code (or a recovery code) when the account uses MFA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp: Option<String>,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// A user of a client organisation as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: uuid::Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    /// False until an invited user has set a password; also false for a user who only
    /// signs in through single sign-on (see `status`).
    pub has_password: bool,
    pub mfa_enabled: bool,
    /// Where the account stands: what the users list shows.
    pub status: UserStatus,
}

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// Invited and not come yet: no password set and never signed in through single
    /// sign-on.
    Invited,
    /// May sign in: with a password, or through single sign-on.
    Active,
    /// Deactivated by an Admin: cannot sign in.
    Deactivated,
}

impl UserStatus {
    /// The status of an account that is `active`, `has_password`, and has or has not
    /// `signed_in_with_sso`. A deactivated account is deactivated whatever else holds.
    pub fn of(active: bool, has_password: bool, signed_in_with_sso: bool) -> UserStatus {
        match (active, has_password || signed_in_with_sso) {
            (false, _) => UserStatus::Deactivated,
            (true, false) => UserStatus::Invited,
            (true, true) => UserStatus::Active,
        }
    }
}

/// `GET /api/auth/me`: the signed-in user and their organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: UserView,
    pub organization: OrganizationView,
    /// The organisation requires MFA and this user must set it up before anything else.
    pub mfa_enrolment_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganizationView {
    pub id: uuid::Uuid,
    pub slug: String,
    pub name: String,
    pub require_mfa: bool,
    /// IANA time zone (`Europe/Berlin`) times are shown in; `UTC` until an Admin sets it.
    pub time_zone: String,
}

/// `PATCH /api/organization` (Admin): what is left out stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateOrganizationRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_mfa: Option<bool>,
    /// IANA time zone name (`Europe/Berlin`, `America/New_York`, `UTC`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// `POST /api/auth/mfa/setup`: add Assay to an authenticator app with this.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaSetup {
    /// Base32, for typing in by hand.
    pub secret: String,
    pub otpauth_uri: String,
    /// The URI as an SVG QR code.
    pub qr_svg: String,
}

impl std::fmt::Debug for MfaSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MfaSetup { .. }")
    }
}

/// `POST /api/auth/mfa/enable`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MfaCode {
    pub code: String,
}

/// The one-time recovery codes, shown once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

impl std::fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCodes { .. }")
    }
}

/// `POST /api/auth/mfa/disable`: the password, re-checked.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordConfirmation {
    pub password: String,
}

impl std::fmt::Debug for PasswordConfirmation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordConfirmation { .. }")
    }
}

/// `POST /api/users`: invite someone to the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteUserRequest {
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

/// `PATCH /api/users/{id}`: only the fields present change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateUserRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// `POST /api/auth/password`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

impl std::fmt::Debug for ChangePasswordRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangePasswordRequest { .. }")
    }
}

/// `POST /api/invitations/accept`: the token from the link's fragment and a password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptInvitationRequest {
    pub token: String,
    pub password: String,
}

impl std::fmt::Debug for AcceptInvitationRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AcceptInvitationRequest { .. }")
    }
}

/// `GET /api/setup`: whether this installation still waits for its first organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetupStatus {
    pub needed: bool,
}

/// `POST /api/setup`: the first organisation and its Admin, with the one-time token from
/// the link `assay serve` printed. The organisation's slug is made from its name, as
/// `assay org create` makes it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetupRequest {
    /// Missing is answered like a wrong token (403), not as a malformed body.
    #[serde(default)]
    pub token: String,
    #[serde(alias = "organisation_name")]
    pub organization_name: String,
    pub admin_name: String,
    pub admin_email: String,
    pub password: String,
}

impl std::fmt::Debug for SetupRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetupRequest")
            .field("organization_name", &self.organization_name)
            .field("admin_email", &self.admin_email)
            .finish_non_exhaustive()
    }
}

/// Someone in the organisation work can be assigned to (`GET /api/people`): no email, no
/// account details, only what a picker shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonView {
    pub id: uuid::Uuid,
    pub display_name: String,
    pub role: Role,
}
