//! What every request handler shares: the database pool, settings, secrets, the evidence
//! store and the clock. It lives apart from `startup` so that handlers and extractors can
//! use it without depending on how the application is assembled.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::password::PasswordService;
use crate::clock::Clock;
use crate::config::Settings;
use crate::crypto::MasterKey;
use crate::services::mailer::Mailer;
use crate::storage::EvidenceStore;

/// Shared by every handler; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub passwords: PasswordService,
    pub master_key: MasterKey,
    /// Composes and queues emails (links from `public_url`, bodies sealed).
    pub mailer: Mailer,
    pub evidence: EvidenceStore,
    pub clock: Clock,
}
