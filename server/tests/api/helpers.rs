//! `spawn_app()`: the real application on 127.0.0.1:0 with its own database.

use assay_server::config::Settings;
use assay_server::startup::Application;
use sea_orm::{ConnectionTrait, Database};
use secrecy::SecretString;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub expected_database: &'static str,
    _data_dir: tempfile::TempDir,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request should reach the test server")
    }
}

pub async fn spawn_app() -> TestApp {
    let data_dir = tempfile::tempdir().expect("a temporary data directory");
    let mut settings = Settings::with_data_dir(data_dir.path());
    settings.bind = "127.0.0.1:0".parse().expect("valid address");
    let expected_database = match std::env::var("ASSAY_TEST_POSTGRES_URL") {
        Ok(base) if !base.is_empty() => {
            settings.database_url = Some(SecretString::from(fresh_postgres_database(&base).await));
            "postgres"
        }
        _ => "sqlite",
    };
    let app = Application::build(settings)
        .await
        .expect("the application should start");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    TestApp {
        address,
        client,
        expected_database,
        _data_dir: data_dir,
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
        Some((server, _db)) if server.contains("@") || server.matches('/').count() > 2 => server,
        _ => without_query,
    };
    format!("{server}/{name}{query}")
}
