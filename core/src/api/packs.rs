//! Evidence packs: the organisation's published signing key.

use serde::{Deserialize, Serialize};

/// The organisation a key belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigningKeyOrganization {
    pub slug: String,
    pub name: String,
}

/// `GET /api/organizations/{slug}/signing-key`: the key that signs the organisation's
/// evidence packs, for anyone to check a pack against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigningKeyView {
    pub organization: SigningKeyOrganization,
    /// Always `ed25519`.
    pub algorithm: String,
    /// The 32-byte public key as 64 lowercase hex digits (what `assay pack verify --key`
    /// takes).
    pub public_key: String,
    /// The same key as a PEM `PUBLIC KEY` (SubjectPublicKeyInfo), for tools like OpenSSL.
    pub public_key_pem: String,
    /// The first 128 bits of the key's SHA-256, as eight groups of four hex digits; every
    /// pack's README and manifest carry it.
    pub fingerprint: String,
    /// When the key was created (RFC 3339).
    pub created_at: String,
}
