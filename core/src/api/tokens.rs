//! API tokens: creating one, and the list an admin sees.

use serde::{Deserialize, Serialize};

use crate::access::TokenScope;

/// `POST /api/tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApiTokenRequest {
    pub name: String,
    pub scope: TokenScope,
    /// The last day the token works (`YYYY-MM-DD`); none: until revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiTokenView {
    pub id: uuid::Uuid,
    pub name: String,
    pub scope: TokenScope,
    /// The token's first characters, to recognise it.
    pub prefix: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked: bool,
    pub created_by: String,
    pub created_at: String,
}

/// The answer to `POST /api/tokens`: the token itself, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiToken {
    pub token: String,
    pub view: ApiTokenView,
}
