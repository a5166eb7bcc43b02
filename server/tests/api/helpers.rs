//! `spawn_app()`: the real application on 127.0.0.1:0 with its own database, plus helpers
//! that set up organisations and users through the same services the CLI uses.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use assay_core::access::Role;
use assay_core::api::{AuditEntryView, CursorPage};
use assay_server::auth::password::{HashCost, PasswordService};
use assay_server::clock::Clock;
use assay_server::config::Settings;
use assay_server::crypto::MasterKey;
use assay_server::db::entities::outbox;
use assay_server::services::accounts;
use assay_server::services::mailer::{self, Body};
use assay_server::services::scheduler::Scheduler;
use assay_server::startup::Application;
use sea_orm::{
    ColumnTrait, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Statement,
};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    /// Statements this instance sent to the database so far.
    pub queries: assay_server::db::QueryCounter,
    pub expected_database: &'static str,
    /// The time every instance of this test reads; move it to run schedules.
    pub clock: Clock,
    /// This instance's job runner: `app.scheduler.run_once()` runs a round now.
    pub scheduler: Scheduler,
    /// This instance's password hasher (a test can occupy its slots).
    pub passwords: PasswordService,
    settings: Settings,
    _data_dir: std::sync::Arc<tempfile::TempDir>,
}

/// A user created for a test, with its organisation.
#[derive(Debug, Clone)]
#[allow(dead_code)] // every field is what some test may need
pub struct TestUser {
    pub id: uuid::Uuid,
    pub email: String,
    pub organization_id: uuid::Uuid,
    pub org_slug: String,
}

impl TestApp {
    /// A second server instance on the same database (as behind a load balancer).
    pub async fn spawn_sibling(&self) -> TestApp {
        self.spawn_sibling_with(|_| {}).await
    }

    /// A second instance on the same database and clock, with its own settings changed
    /// (as after a restart with a new configuration).
    pub async fn spawn_sibling_with(&self, configure: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = self.settings.clone();
        settings.bind = "127.0.0.1:0".parse().expect("valid address");
        configure(&mut settings);
        let app = Application::build_with_clock(settings.clone(), self.clock.clone())
            .await
            .expect("a second instance should start");
        let address = format!("http://127.0.0.1:{}", app.port());
        let db = app.db().clone();
        let queries = app.queries();
        let scheduler = app.scheduler();
        let passwords = app.passwords();
        tokio::spawn(app.run_until(std::future::pending()));
        TestApp {
            address,
            client: new_client(),
            db,
            queries,
            scheduler,
            passwords,
            expected_database: self.expected_database,
            clock: self.clock.clone(),
            settings,
            _data_dir: self._data_dir.clone(),
        }
    }

    /// Where this server keeps its files (database, key, evidence).
    pub fn data_dir(&self) -> &std::path::Path {
        &self.settings.data_dir
    }

    /// The database URL, when it is not the SQLite file in [`TestApp::data_dir`] (for an
    /// `assay` command pointed at this server's database).
    pub fn database_url(&self) -> Option<String> {
        self.settings
            .database_url
            .as_ref()
            .map(|url| url.expose_secret().to_owned())
    }

    /// The key this server seals secrets and emails with, loaded as the server loads it.
    pub fn master_key(&self) -> MasterKey {
        MasterKey::load(self.settings.master_key.as_ref(), self.data_dir())
            .expect("the server's master key")
    }

    /// Email `id` as the delivery worker reads it: the row, opened with the server's key.
    /// (The API never shows an email's text.)
    pub async fn email(&self, id: uuid::Uuid) -> Body {
        let row = outbox::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("email {id} in the outbox"));
        mailer::open_body(&self.master_key(), &row).expect("the email opens with the key")
    }

    /// The newest email to `to`, opened (see [`TestApp::email`]).
    pub async fn newest_email_to(&self, to: &str) -> Body {
        let row = outbox::Entity::find()
            .filter(outbox::Column::Recipient.eq(to))
            .order_by_desc(outbox::Column::CreatedAt)
            .order_by_desc(outbox::Column::Id)
            .one(&self.db)
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("an email to {to} in the outbox"));
        mailer::open_body(&self.master_key(), &row).expect("the email opens with the key")
    }

    /// Every row of every table, as the database renders it as text, one `table: row` line
    /// each (SQLite: each column `quote`d; PostgreSQL: the row cast to text; line breaks
    /// written `\n`). Binary columns come out as hexadecimal on both.
    pub async fn stored_text(&self) -> String {
        let backend = self.db.get_database_backend();
        let query = |sql: String| self.db.query_all_raw(Statement::from_string(backend, sql));
        let text = |row: &sea_orm::QueryResult, column: &str| -> String {
            row.try_get::<Option<String>>("", column)
                .expect("a text column")
                .unwrap_or_default()
        };
        let tables_sql = match backend {
            DatabaseBackend::Postgres => {
                "SELECT table_name::text AS name FROM information_schema.tables \
                 WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            }
            _ => "SELECT name FROM sqlite_master WHERE type = 'table'",
        };
        let tables = query(tables_sql.to_owned()).await.expect("the tables");
        assert!(tables.len() > 10, "every table is listed: {}", tables.len());
        let mut out = String::new();
        for table in tables.iter().map(|row| text(row, "name")) {
            let rows_sql = match backend {
                DatabaseBackend::Postgres => format!("SELECT t::text AS row FROM \"{table}\" t"),
                _ => {
                    let columns = query(format!("SELECT name FROM pragma_table_info('{table}')"))
                        .await
                        .expect("the columns");
                    let quoted: Vec<String> = columns
                        .iter()
                        .map(|c| format!("quote(\"{}\")", text(c, "name")))
                        .collect();
                    format!(
                        "SELECT {} AS row FROM \"{table}\"",
                        quoted.join(" || '|' || ")
                    )
                }
            };
            for row in query(rows_sql).await.expect("the rows") {
                let row = text(&row, "row").replace('\n', "\\n");
                out.push_str(&format!("{table}: {row}\n"));
            }
        }
        out
    }

    /// The audit chain's verification report (`GET /api/audit/verify`), as `client` (an
    /// Admin or Auditor) reads it.
    pub async fn audit_verification(&self, client: &reqwest::Client) -> Value {
        get_with(client, &self.url("/api/audit/verify"))
            .await
            .json()
            .await
            .expect("the verification report")
    }

    /// The newest hundred audit entries, as `client` (an Admin or Auditor) reads them.
    pub async fn audit_log(&self, client: &reqwest::Client) -> Vec<AuditEntryView> {
        let page: CursorPage<AuditEntryView> = get_with(client, &self.url("/api/audit?limit=100"))
            .await
            .json()
            .await
            .expect("the audit log");
        page.items
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        get_with(&self.client, &self.url(path)).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        post_with(&self.client, &self.url(path), body).await
    }

    /// A client signed in as `email`.
    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let client = new_client();
        let response = post_with(
            &client,
            &self.url("/api/auth/login"),
            &serde_json::json!({ "email": email, "password": PASSWORD }),
        )
        .await;
        assert_eq!(response.status(), 200, "sign-in of {email} should succeed");
        client
    }

    /// What the services of this instance run with (its database, clock and settings).
    pub fn ctx(&self) -> assay_server::state::Ctx {
        assay_server::state::Ctx::new(
            self.db.clone(),
            self.clock.clone(),
            Arc::new(self.settings.clone()),
        )
    }

    /// Creates an organisation (if new) and a user in it with [`PASSWORD`].
    pub async fn create_user(&self, org_name: &str, email: &str, role: Role) -> TestUser {
        let slug = accounts::slugify(org_name);
        let org = match assay_server::db::accounts::find_organization_by_slug(&self.db, &slug)
            .await
            .expect("query")
        {
            Some(org) => org,
            None => accounts::create_organization(&self.ctx(), org_name)
                .await
                .expect("organisation created"),
        };
        let passwords = PasswordService::new(HashCost::FastInsecure).expect("hasher");
        let user = accounts::create_user_with_password(
            &self.ctx(),
            &passwords,
            &org.slug,
            email,
            None,
            role,
            &SecretString::from(PASSWORD.to_owned()),
        )
        .await
        .expect("user created");
        TestUser {
            id: user.id,
            email: user.email,
            organization_id: org.id,
            org_slug: org.slug,
        }
    }
}

/// `relative` under the server crate's directory. Read at run time: the shared target
/// directory may hold a test binary compiled in another checkout, whose `env!` path is stale.
pub fn in_crate(relative: &str) -> std::path::PathBuf {
    std::path::Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets it"))
        .join(relative)
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

pub async fn get_with(client: &reqwest::Client, url: &str) -> reqwest::Response {
    client
        .get(url)
        .send()
        .await
        .expect("request should reach the test server")
}

pub async fn post_with(client: &reqwest::Client, url: &str, body: &Value) -> reqwest::Response {
    client
        .post(url)
        .json(body)
        .send()
        .await
        .expect("request should reach the test server")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    capture_logs();
    let data_dir = tempfile::tempdir().expect("a temporary data directory");
    let mut settings = Settings::with_data_dir(data_dir.path());
    settings.bind = "127.0.0.1:0".parse().expect("valid address");
    settings.password_hash_cost = HashCost::FastInsecure;
    // Tests run scheduler rounds themselves (`app.scheduler.run_once()`), at the times
    // they set on `app.clock`; a test of the background loop turns it back on.
    settings.scheduler_interval_secs = 0;
    let expected_database = match std::env::var("ASSAY_TEST_POSTGRES_URL") {
        Ok(base) if !base.is_empty() => {
            settings.database_url = Some(SecretString::from(fresh_postgres_database(&base).await));
            "postgres"
        }
        _ => "sqlite",
    };
    configure(&mut settings);
    // A manual clock that starts at the real time: tests that do not move it see no difference.
    let clock = Clock::manual(time::OffsetDateTime::now_utc());
    let app = Application::build_with_clock(settings.clone(), clock.clone())
        .await
        .expect("the application should start");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.db().clone();
    let queries = app.queries();
    let scheduler = app.scheduler();
    let passwords = app.passwords();
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        address,
        client: new_client(),
        db,
        queries,
        scheduler,
        passwords,
        expected_database,
        clock,
        settings,
        _data_dir: std::sync::Arc::new(data_dir),
    }
}

/// Creates an empty database on the server `base` points at, and returns its URL.
async fn fresh_postgres_database(base: &str) -> String {
    let name = format!("assay_test_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(base)
        .await
        .expect("ASSAY_TEST_POSTGRES_URL should accept connections");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("the test role should be allowed to create databases");
    let (without_query, query) = match base.split_once('?') {
        Some((url, query)) => (url, format!("?{query}")),
        None => (base, String::new()),
    };
    let server = match without_query.rsplit_once('/') {
        Some((server, _db)) if server.matches('/').count() >= 2 => server,
        _ => without_query,
    };
    format!("{server}/{name}{query}")
}

#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

static LOGS: OnceLock<LogBuffer> = OnceLock::new();

/// Every test in this binary logs at debug level into one buffer, so tests can assert on
/// what the server would have written to its log.
fn capture_logs() {
    LOGS.get_or_init(|| {
        let buffer = LogBuffer::default();
        let writer = buffer.clone();
        let _ = tracing_subscriber::fmt()
            // The test's own HTTP client logs the cookies it stores; only the server's
            // logs are under test.
            .with_env_filter("debug,cookie_store=off,reqwest=off,hyper_util=off")
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .try_init();
        buffer
    });
}

/// Everything logged so far by any test's server.
pub fn captured_logs() -> String {
    LOGS.get()
        .map(|b| {
            String::from_utf8_lossy(&b.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
        })
        .unwrap_or_default()
}

/// Registers one more vendor, `name`, as `client` (who may manage vendors) at `vendors`
/// (the app's `/api/vendors` URL) and answers its id: for a test that needs another open
/// assessment of a template a vendor already has open (a vendor has one open assessment of
/// a template at a time).
pub async fn new_vendor(client: &reqwest::Client, vendors: &str, name: &str) -> uuid::Uuid {
    let response = post_with(
        client,
        vendors,
        &serde_json::json!({ "legal_name": name, "system_access": "none", "criticality": "low" }),
    )
    .await;
    assert_eq!(response.status(), 201, "setup: vendor {name} registered");
    let body: Value = response.json().await.expect("setup: a vendor");
    body["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("setup: the vendor's id")
}
