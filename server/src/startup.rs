//! Builds the application from settings: the database pool, the router with its layers, the
//! listener. Tests boot exactly this on port 0 with a fresh database.

use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::auth::csrf;
use crate::auth::password::PasswordService;
use crate::clock::Clock;
use crate::config::Settings;
use crate::crypto::MasterKey;
use crate::db::session_store::DbSessionStore;
use crate::error::{Error, error_response};
use crate::services::mailer::{self, Mailer};
use crate::services::scheduler::Scheduler;
use crate::state::AppState;
use crate::storage::EvidenceStore;
use crate::web::{Accepts, Frontend};
use crate::{db, request_id, routes};

pub struct Application {
    listener: TcpListener,
    router: Router,
    db: DatabaseConnection,
    queries: db::QueryCounter,
    passwords: PasswordService,
    scheduler: Scheduler,
    scheduler_interval: Option<std::time::Duration>,
}

impl Application {
    /// Connects to the database, migrates it, and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Clock::system()).await
    }

    /// As [`Application::build`], with time read from `clock` (tests move a manual one).
    pub async fn build_with_clock(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        let db = db::connect_and_migrate(&settings).await?;
        let ctx = crate::state::Ctx::new(db.clone(), clock.clone(), Arc::new(settings.clone()));
        crate::services::templates::ensure_builtin(&ctx).await?;
        // Query-planner statistics before the first request; a failure costs only speed,
        // so it is logged and start-up goes on.
        if let Err(error) = db::optimize(&db).await {
            tracing::warn!(%error, "could not optimize the SQLite database");
        }
        Self::build_with_db(settings, db, clock).await
    }

    pub async fn build_with_db(
        settings: Settings,
        mut db: DatabaseConnection,
        clock: Clock,
    ) -> anyhow::Result<Self> {
        let queries = db::QueryCounter::attach(&mut db);
        let listener = TcpListener::bind(settings.bind)
            .await
            .with_context(|| format!("could not listen on {}", settings.bind))?;
        let passwords = PasswordService::with_limits(
            settings.password_hash_cost,
            settings.password_hash_limits(),
        )?;
        let master_key =
            MasterKey::load_or_create(settings.master_key.as_ref(), &settings.data_dir)?;
        // Emails queued by a version that did not seal them are sealed before anything
        // else runs (a migration cannot: it has no key).
        let sealed = mailer::seal_plaintext(&db, &master_key).await?;
        if sealed > 0 {
            tracing::info!(
                sealed,
                "sealed the bodies of emails queued before the upgrade"
            );
        }
        let mailer = Mailer::new(&settings.public_url, master_key.clone());
        let evidence = EvidenceStore::open(&settings.evidence_target()?, master_key.clone())?;
        let scheduler = Scheduler::new(db.clone(), clock.clone(), mailer.clone(), &settings)?;
        let scheduler_interval = (settings.scheduler_interval_secs > 0)
            .then(|| std::time::Duration::from_secs(settings.scheduler_interval_secs));
        let state = AppState {
            evidence,
            master_key,
            mailer,
            db: db.clone(),
            settings: Arc::new(settings),
            passwords: passwords.clone(),
            clock,
            jobs: scheduler.waker(),
            sso: crate::services::sso::Providers::new()
                .context("the HTTP client for single sign-on")?,
        };
        Ok(Application {
            listener,
            router: router(state),
            db,
            queries,
            passwords,
            scheduler,
            scheduler_interval,
        })
    }

    /// The pool the application uses (for operator tools and tests).
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// How many statements this instance has sent to the database.
    pub fn queries(&self) -> db::QueryCounter {
        self.queries.clone()
    }

    /// This instance's password hasher, whose slots sign-ins share (tests occupy them).
    pub fn passwords(&self) -> PasswordService {
        self.passwords.clone()
    }

    /// This instance's job runner (tests run rounds by hand).
    pub fn scheduler(&self) -> Scheduler {
        self.scheduler.clone()
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Serves until Ctrl-C or SIGTERM, then lets requests in flight finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    pub async fn run_until(
        self,
        signal: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let sweeper = tokio::spawn(sweep_expired_sessions(DbSessionStore::new(self.db.clone())));
        let upkeep = tokio::spawn(optimize_hourly(self.db.clone()));
        let scheduler = self
            .scheduler_interval
            .map(|every| tokio::spawn(self.scheduler.run_forever(every)));
        // The peer address feeds sign-in throttling.
        let served = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(signal)
        .await;
        sweeper.abort();
        upkeep.abort();
        if let Some(scheduler) = scheduler {
            scheduler.abort();
        }
        served
    }
}

/// Expired sessions are already refused when loaded; this removes their rows every ten
/// minutes so the table does not grow without bound. Any instance may do it.
async fn sweep_expired_sessions(store: DbSessionStore) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        match store.delete_expired().await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "expired sessions removed"),
            Err(error) => tracing::warn!(%error, "could not remove expired sessions"),
        }
    }
}

/// Refreshes SQLite's query-planner statistics every hour (start-up did it once already),
/// so plans follow the data as tables grow. Only one instance ever uses an SQLite file;
/// on PostgreSQL autovacuum does this and the task ends at once.
async fn optimize_hourly(db: DatabaseConnection) {
    if db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return;
    }
    let hour = std::time::Duration::from_secs(3600);
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + hour, hour);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(error) = db::optimize(&db).await {
            tracing::warn!(%error, "could not optimize the SQLite database");
        }
    }
}

/// The whole HTTP surface: `/api/*` (JSON only, never the SPA fallback) and the frontend.
pub fn router(state: AppState) -> Router {
    let frontend = Frontend::load();
    let (api, _doc) = routes::api_routes();
    let api = api
        .layer(middleware::from_fn_with_state(
            csrf::Origins::from_public_url(&state.settings.public_url),
            csrf::middleware,
        ))
        .layer(session_layer(&state))
        .layer(DefaultBodyLimit::max(state.settings.max_json_bytes));
    let timeout = state.settings.request_timeout();
    let spa = frontend.clone();
    Router::new()
        .merge(api)
        .fallback(move |uri: Uri, headers: HeaderMap| {
            let spa = spa.clone();
            async move {
                if is_api_path(uri.path()) {
                    Error::NotFound.into_response()
                } else {
                    let text = |name| {
                        headers
                            .get(name)
                            .and_then(|value| value.to_str().ok())
                            .unwrap_or("")
                    };
                    let accepts = Accepts {
                        encoding: text(header::ACCEPT_ENCODING.as_str()),
                        dictionary: text("available-dictionary"),
                    };
                    spa.respond(&uri, accepts)
                }
            }
        })
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                .layer(middleware::from_fn(request_id::middleware))
                .layer(middleware::from_fn(api_responses))
                .layer(SetResponseHeaderLayer::overriding(
                    header::CONTENT_SECURITY_POLICY,
                    frontend.csp(),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("DENY"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("no-referrer"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    HeaderName::from_static("cross-origin-opener-policy"),
                    HeaderValue::from_static("same-origin"),
                ))
                .layer(CompressionLayer::new())
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    timeout,
                )),
        )
}

/// Sessions in the database: `HttpOnly`, `SameSite=Strict`, and `Secure` with the `__Host-`
/// prefix when served over HTTPS; they end after `session_idle_minutes` without use and
/// `session_absolute_hours` after sign-in (checked by the caller extractors in
/// `auth::session`). A session is saved only when it changed: the extractors renew the idle
/// expiry at most once a minute, so a request that only reads writes nothing (saving on
/// every request made each page view a database write).
fn session_layer(state: &AppState) -> SessionManagerLayer<DbSessionStore> {
    let settings = &state.settings;
    let name = if settings.cookie_secure {
        "__Host-assay_session"
    } else {
        "assay_session"
    };
    SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(name)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(settings.cookie_secure)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(i64::from(
            settings.session_idle_minutes,
        ))))
}

pub(crate) fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// API answers are never cached (they carry tenant data). Errors that axum or a layer
/// produce on their own (405, 408, 413 from the body limit…) come without Assay's JSON
/// body; they get one, so clients parse every error the same way.
async fn api_responses(request: Request, next: Next) -> Response {
    if !is_api_path(request.uri().path()) {
        return next.run(request).await;
    }
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (code, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "method not allowed here"),
        StatusCode::REQUEST_TIMEOUT => ("request_timeout", "the request took too long"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "request body too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("unsupported_media_type", "unsupported content type")
        }
        StatusCode::NOT_FOUND => ("not_found", "not found"),
        s if s.is_server_error() => ("internal_error", "something went wrong on our side"),
        _ => ("bad_request", "the request could not be handled"),
    };
    let mut replaced = error_response(status, code, message.to_owned(), None);
    for name in [header::ALLOW, header::CACHE_CONTROL, header::RETRY_AFTER] {
        if let Some(value) = response.headers().get(&name) {
            replaced.headers_mut().insert(name, value.clone());
        }
    }
    replaced
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
