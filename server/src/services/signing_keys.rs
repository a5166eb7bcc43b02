//! Each organisation's Ed25519 key that signs its evidence packs. Created the first time the
//! organisation signs a pack (two first packs at once end with one key: the insert that
//! loses does nothing and both read the winner's row); the private half is sealed with the
//! master key and bound to the organisation's id; the public half is published at
//! `GET /api/organizations/{slug}/signing-key`, which never creates a key, so an anonymous
//! request cannot make the server write.

use assay_core::api::{SigningKeyOrganization, SigningKeyView};
use assay_core::pack::{self, KeyInfo};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signer, SigningKey};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::json;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::crypto::MasterKey;
use crate::db::accounts;
use crate::db::entities::organization_signing_key as entity;
use crate::error::{Error, Result};
use crate::services::audit::{self, Action, Event};
use crate::services::rfc3339;
use crate::state::Ctx;

/// The organisation's key, able to sign. `Debug` never shows the private half.
pub struct OrganisationKey {
    signing: SigningKey,
}

impl std::fmt::Debug for OrganisationKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OrganisationKey({})", self.info().fingerprint)
    }
}

impl OrganisationKey {
    /// The public key as packs name it.
    pub fn info(&self) -> KeyInfo {
        KeyInfo::ed25519(self.signing.verifying_key().as_bytes())
    }

    /// The 64-byte Ed25519 signature over `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    /// The public key as a PEM `PUBLIC KEY`.
    pub fn public_pem(&self) -> String {
        public_pem(self.signing.verifying_key().as_bytes())
    }
}

/// What the master key's seal is bound to, so a sealed key copied to another
/// organisation's row does not open.
fn aad(organization_id: Uuid) -> Vec<u8> {
    format!("signing_key:{organization_id}").into_bytes()
}

/// An Ed25519 public key as a PEM SubjectPublicKeyInfo: the fixed DER prefix for the
/// algorithm (RFC 8410), then the 32 key bytes.
pub fn public_pem(public_key: &[u8; 32]) -> String {
    const ED25519_SPKI_PREFIX: [u8; 12] = [
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];
    let mut der = ED25519_SPKI_PREFIX.to_vec();
    der.extend_from_slice(public_key);
    format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        B64.encode(der)
    )
}

/// The organisation's key, created on first use: the caller is the user whose pack needs
/// it, and the creation is audited in their name.
pub async fn get_or_create(
    ctx: &Ctx,
    master: &MasterKey,
    user: &UserCaller,
) -> Result<OrganisationKey> {
    let organization_id = user.organization_id;
    if let Some(row) = entity::Entity::find_by_id(organization_id)
        .one(&ctx.db)
        .await?
    {
        return open(master, &row);
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| Error::internal(anyhow::anyhow!("{e}")))?;
    let signing = SigningKey::from_bytes(&seed);
    let info = KeyInfo::ed25519(signing.verifying_key().as_bytes());
    let sealed = master
        .seal_text(&pack::hex(&seed), &aad(organization_id))
        .map_err(Error::internal)?;
    let txn = crate::db::begin_write(&ctx.db).await?;
    let inserted = entity::Entity::insert(entity::ActiveModel {
        organization_id: Set(organization_id),
        public_key: Set(info.public_key.clone()),
        sealed_private_key: Set(sealed),
        created_at: Set(ctx.clock.now()),
    })
    .on_conflict(
        OnConflict::column(entity::Column::OrganizationId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if inserted == 1 {
        audit::record(
            &txn,
            Event::by(
                user,
                Action::SigningKeyCreated,
                ("organisation", organization_id.to_string()),
                json!({ "algorithm": info.algorithm, "fingerprint": info.fingerprint }),
            ),
            ctx.clock.now(),
        )
        .await?;
    }
    txn.commit().await?;
    // Whoever won, the stored row is the key.
    let row = entity::Entity::find_by_id(organization_id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| Error::internal(anyhow::anyhow!("the signing key vanished")))?;
    open(master, &row)
}

fn open(master: &MasterKey, row: &entity::Model) -> Result<OrganisationKey> {
    let seed = master
        .open_text(&row.sealed_private_key, &aad(row.organization_id))
        .map_err(Error::internal)?;
    let seed: [u8; 32] = pack::unhex(&seed)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(|| Error::internal(anyhow::anyhow!("a malformed signing key")))?;
    let signing = SigningKey::from_bytes(&seed);
    if pack::hex(signing.verifying_key().as_bytes()) != row.public_key {
        return Err(Error::internal(anyhow::anyhow!(
            "the signing key does not match its public half"
        )));
    }
    Ok(OrganisationKey { signing })
}

/// `GET /api/organizations/{slug}/signing-key`: public. 404 for an unknown organisation and
/// for one that has not signed a pack yet (reading never creates a key).
pub async fn published(conn: &impl ConnectionTrait, slug: &str) -> Result<SigningKeyView> {
    let organisation = accounts::find_organization_by_slug(conn, slug)
        .await?
        .ok_or(Error::NotFound)?;
    let row = entity::Entity::find_by_id(organisation.id)
        .one(conn)
        .await?
        .ok_or(Error::NotFound)?;
    let public: [u8; 32] = pack::unhex(&row.public_key)
        .and_then(|k| k.try_into().ok())
        .ok_or_else(|| Error::internal(anyhow::anyhow!("a malformed public key")))?;
    let info = KeyInfo::ed25519(&public);
    Ok(SigningKeyView {
        organization: SigningKeyOrganization {
            slug: organisation.slug,
            name: organisation.name,
        },
        algorithm: info.algorithm,
        public_key: info.public_key,
        public_key_pem: public_pem(&public),
        fingerprint: info.fingerprint,
        created_at: rfc3339(row.created_at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pem_is_the_spki_openssl_reads() {
        // RFC 8410 §10.1's example key.
        let key: [u8; 32] =
            pack::unhex("19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1")
                .and_then(|k| k.try_into().ok())
                .expect("32 bytes");
        assert_eq!(
            public_pem(&key),
            "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n"
        );
    }
}
