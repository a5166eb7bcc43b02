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
use crate::services::scheduler::Waker;
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
    /// Wakes this instance's job runner (a bulk send was started).
    pub jobs: Waker,
    /// Talks to organisations' OpenID providers; caches their metadata.
    pub sso: crate::services::sso::Providers,
}

/// What services need from the application: the database, the clock (the one source of
/// "now": tests move a manual one) and the settings. Cheap to clone; built from
/// [`AppState`] (handlers take `State<Ctx>` or call [`AppState::ctx`]), by the scheduler
/// and by the command line.
#[derive(Clone)]
pub struct Ctx {
    pub db: DatabaseConnection,
    pub clock: Clock,
    pub settings: Arc<Settings>,
}

impl Ctx {
    pub fn new(db: DatabaseConnection, clock: Clock, settings: Arc<Settings>) -> Self {
        Ctx {
            db,
            clock,
            settings,
        }
    }
}

impl AppState {
    pub fn ctx(&self) -> Ctx {
        Ctx::new(self.db.clone(), self.clock.clone(), self.settings.clone())
    }
}

impl axum::extract::FromRef<AppState> for Ctx {
    fn from_ref(state: &AppState) -> Ctx {
        state.ctx()
    }
}
