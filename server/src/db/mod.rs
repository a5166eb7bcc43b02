//! The connection pool: SQLite (embedded, the default) or PostgreSQL, chosen by settings,
//! migrated at start-up. Queries live in one module per aggregate beside this one.

pub mod accounts;
pub mod entities;
pub mod session_store;
pub mod vendors;

use std::time::Duration;

use anyhow::Context;
use assay_core::api::DatabaseKind;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend, SqlxSqliteConnector};
use secrecy::ExposeSecret;

use crate::config::{DatabaseTarget, Settings};

/// Opens the pool the settings name and brings the schema up to date.
pub async fn connect_and_migrate(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let db = connect(settings).await?;
    Migrator::up(&db, None)
        .await
        .context("could not apply database migrations")?;
    Ok(db)
}

/// Opens the pool without migrating (for `assay migrate` status and tools).
pub async fn connect(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    match settings.database()? {
        DatabaseTarget::Sqlite { path } => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).with_context(|| {
                    format!("could not create the data directory {}", dir.display())
                })?;
            }
            // WAL lets readers proceed while one writer commits; NORMAL is durable in WAL
            // mode except for the last transactions on power loss; the busy timeout makes
            // concurrent writers wait instead of failing.
            let options = SqliteConnectOptions::new()
                .filename(&path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(settings.database_max_connections)
                .connect_with(options)
                .await
                .with_context(|| format!("could not open SQLite database {}", path.display()))?;
            Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
        }
        DatabaseTarget::Postgres { url } => {
            let mut options = ConnectOptions::new(url.expose_secret().to_owned());
            options
                .max_connections(settings.database_max_connections)
                .connect_timeout(Duration::from_secs(10))
                // Statements can carry sensitive values; they are never logged.
                .sqlx_logging(false);
            Database::connect(options)
                .await
                .context("could not connect to PostgreSQL (check ASSAY_DATABASE_URL)")
        }
    }
}

/// Which engine a pool talks to.
pub fn kind(db: &DatabaseConnection) -> DatabaseKind {
    match db.get_database_backend() {
        DbBackend::Postgres => DatabaseKind::Postgres,
        _ => DatabaseKind::Sqlite,
    }
}
