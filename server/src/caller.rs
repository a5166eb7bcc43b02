//! Who is calling a service, as plain data: a user of a client organisation (signed in,
//! or through an API token), or a vendor respondent reaching one assessment. Services
//! decide what a caller may do from this alone; only `routes/` and `auth/` know about
//! HTTP sessions and tokens.

use assay_core::access::{Permission, Role, TokenScope};
use uuid::Uuid;

use crate::error::{Error, Result};

/// A signed-in, active user of a client organisation. `Debug` shows no secrets.
#[derive(Debug, Clone)]
pub struct UserCaller {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub epoch: i32,
    /// The organisation requires MFA and the user has not enrolled: only their own account
    /// (to enrol) is open to them.
    pub mfa_enrolment_required: bool,
    /// Set when the request came with an API token: what the token may do on top of the
    /// role.
    pub token: Option<TokenScope>,
}

impl UserCaller {
    /// 403 unless the user's role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<()> {
        if self.mfa_enrolment_required {
            return Err(Error::MfaEnrolmentRequired);
        }
        if self.token.is_some_and(|scope| !scope.allows(permission)) {
            return Err(Error::Forbidden(
                "this API token does not allow this action".to_owned(),
            ));
        }
        if self.role.can(permission) {
            Ok(())
        } else {
            Err(Error::Forbidden(
                "your role does not allow this action".to_owned(),
            ))
        }
    }
}

/// A vendor respondent: everything it may reach is named here. The link it came with was
/// checked on this request (not withdrawn, expired or cancelled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorCaller {
    pub organization_id: Uuid,
    pub assessment_id: Uuid,
    pub invitation_id: Uuid,
    /// Set for a delegate: the one section they may answer.
    pub section: Option<String>,
    /// Who the link was sent to, as the audit trail and the answers name them.
    pub recipient_email: String,
    pub recipient_name: String,
}
