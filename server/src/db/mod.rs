//! The connection pool: SQLite (embedded, the default) or PostgreSQL, chosen by settings,
//! migrated at start-up. Queries live in one module per aggregate beside this one.

pub mod accounts;
pub mod assessments;
pub mod bulk_sends;
pub mod contracts;
pub mod due_dates;
pub mod entities;
pub mod exchange_rates;
pub mod incidents;
pub mod portal;
pub mod remediations;
pub mod scoring_models;
pub mod session_store;
pub mod setup;
pub mod subprocessors;
pub mod vendors;
pub mod work;

use std::time::Duration;

use anyhow::Context;
use assay_core::api::DatabaseKind;
use assay_core::named::Named;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, ExecResult, QueryResult, SqliteTransactionMode, SqlxSqliteConnector, Statement,
    TransactionOptions, TransactionTrait,
};
use secrecy::ExposeSecret;

use crate::config::{DatabaseTarget, Settings};

/// Counts the statements an application sends to its database, so tests can hold a list
/// to a fixed number of queries whatever its size (a deterministic limit, not a timing),
/// and, once a test asks for it, keeps the statements themselves so it can read their
/// plans (`EXPLAIN`).
#[derive(Clone, Debug, Default)]
pub struct QueryCounter(std::sync::Arc<Counted>);

#[derive(Debug, Default)]
struct Counted {
    count: std::sync::atomic::AtomicU64,
    recording: std::sync::atomic::AtomicBool,
    recorded: std::sync::Mutex<Vec<Statement>>,
}

impl QueryCounter {
    /// Counts every statement sent through `db` and the handles cloned from it afterwards.
    pub fn attach(db: &mut DatabaseConnection) -> QueryCounter {
        use std::sync::atomic::Ordering::Relaxed;
        let counter = QueryCounter::default();
        let counted = counter.0.clone();
        db.set_metric_callback(move |info| {
            counted.count.fetch_add(1, Relaxed);
            if counted.recording.load(Relaxed) {
                counted
                    .recorded
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(info.statement.clone());
            }
        });
        counter
    }

    /// Statements sent so far.
    pub fn get(&self) -> u64 {
        self.0.count.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Keeps every statement sent from now on (with its values) until [`Self::recorded`]
    /// takes them; only tests turn this on.
    pub fn record(&self) {
        self.0
            .recording
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// The statements kept since [`Self::record`] or the last call, oldest first.
    pub fn recorded(&self) -> Vec<Statement> {
        std::mem::take(
            &mut *self
                .0
                .recorded
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

/// Opens the pool the settings name and brings the schema up to date.
pub async fn connect_and_migrate(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let db = connect(settings).await?;
    Migrator::up(&db, None)
        .await
        .context("could not apply database migrations")?;
    Ok(db)
}

/// Keeps SQLite's query-planner statistics current: `PRAGMA optimize` runs `ANALYZE` on
/// the tables whose indexes have no statistics yet or whose size changed tenfold since
/// they were analysed, reading at most `analysis_limit` (400) rows per index, so it stays
/// short even on a large database. The `0x10000` bit makes it look at every table,
/// not only those this pool connection happened to query. Run at start-up and hourly.
/// Answers whether it ran: PostgreSQL keeps its own statistics (autovacuum's `ANALYZE`),
/// so there it does nothing and answers `false`.
pub async fn optimize(db: &DatabaseConnection) -> Result<bool, DbErr> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(false);
    }
    db.execute_unprepared("PRAGMA optimize = 0x10002").await?;
    Ok(true)
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
                .busy_timeout(Duration::from_secs(10))
                // SQLite's recommended bound on the rows ANALYZE reads per index, for
                // `PRAGMA optimize` (see [`optimize`]).
                .analysis_limit(400);
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

/// How often [`begin_write`] tries to take SQLite's write lock before giving up; each try
/// waits up to the busy timeout (10 s) inside SQLite first, so two tries stay within the
/// request timeout (30 s) and a client hears 503 with `Retry-After` rather than 408.
const WRITE_ATTEMPTS: u32 = 2;

/// The longest a writer waits for this process's turn to write to SQLite before it is told
/// to come back (503 with `Retry-After`), like SQLite's own busy timeout.
const WRITE_TURN_WAIT: Duration = Duration::from_secs(10);

/// Starts the transaction of one state-changing use case: the only way services write.
///
/// On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken before the first read, so a
/// use case that reads, then writes cannot fail half-way because another writer committed
/// in between (`SQLITE_BUSY_SNAPSHOT`, which the busy timeout never helps with: under
/// concurrent vendors that answered a quarter to a half of all saves with 500). Writers of
/// this process first queue in order for its one write turn ([`WriteTurns`]), so they wait
/// without polling; SQLite's busy handler only still sleeps when another process (the
/// command line) holds the lock. When even that times out, the begin is retried with a
/// growing pause, and only then does the caller see [`crate::error::is_contention`].
///
/// On PostgreSQL it is `READ COMMITTED`, where conflicting writers wait on row locks
/// rather than fail; the rare deadlock or lock time-out surfaces as
/// [`crate::error::is_contention`] and
/// is answered with 503 and `Retry-After`, never as an internal error.
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(WriteTxn {
            txn: db.begin().await?,
            _turn: None,
        });
    }
    let turn = tokio::time::timeout(WRITE_TURN_WAIT, WriteTurns::of(db).acquire_owned())
        .await
        .ok()
        .and_then(Result::ok)
        // Answered like a pool that had no connection in time: 503 with `Retry-After`.
        .ok_or(DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout))?;
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    let mut attempt = 1;
    loop {
        match db.begin_with_options(options).await {
            Err(e) if crate::error::is_contention(&e) && attempt < WRITE_ATTEMPTS => {
                tokio::time::sleep(Duration::from_millis(50 << attempt)).await;
                attempt += 1;
            }
            result => {
                return result.map(|txn| WriteTxn {
                    txn,
                    _turn: Some(turn),
                });
            }
        }
    }
}

/// The write transaction of one use case. On SQLite it also holds this process's write
/// turn until it is committed, rolled back or dropped.
pub struct WriteTxn {
    txn: DatabaseTransaction,
    _turn: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

impl std::ops::Deref for WriteTxn {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }

    fn is_mock_connection(&self) -> bool {
        self.txn.is_mock_connection()
    }
}

/// One write turn per SQLite database file in this process, handed out first come, first
/// served. SQLite lets one writer in at a time anyway; without the queue, waiting writers
/// sat in its busy handler, which sleeps in steps of milliseconds instead of waking when
/// the lock is free, and that made the tail of concurrent answer saves 50–240 ms.
struct WriteTurns;

impl WriteTurns {
    fn of(db: &DatabaseConnection) -> std::sync::Arc<tokio::sync::Semaphore> {
        use std::collections::HashMap;
        use std::sync::{Arc, Mutex, OnceLock};
        static TURNS: OnceLock<Mutex<HashMap<std::path::PathBuf, Arc<tokio::sync::Semaphore>>>> =
            OnceLock::new();
        let file = db
            .get_sqlite_connection_pool()
            .connect_options()
            .get_filename()
            .to_path_buf();
        let mut turns = TURNS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        turns
            .entry(file)
            .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(1)))
            .clone()
    }
}

/// The keyset condition of a page that continues after the row whose `columns` hold
/// `values`, in `order`: the row value `(a, b, …) > (?, ?, …)` (`<` going down). SQLite
/// and PostgreSQL both read a row value as a range of an index on those columns, so a page
/// deep in a list starts at its cursor instead of skipping the rows before it. Each column
/// is qualified by its table: a page may join a table with the same column names.
pub fn after_key<C: sea_orm::ColumnTrait>(
    columns: &[C],
    values: impl IntoIterator<Item = sea_orm::Value>,
    order: sea_orm::Order,
) -> sea_orm::sea_query::Expr {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let key = Expr::tuple(columns.iter().map(|c| Expr::col((c.entity_name(), *c))));
    let cursor = Expr::tuple(values.into_iter().map(Expr::val));
    match order {
        sea_orm::Order::Desc => key.lt(cursor),
        _ => key.gt(cursor),
    }
}

/// One organisation's rows whose id is below `after`, for a page in descending id order
/// read from an `(organization_id, id)` index. Both forms of the cursor on purpose. SQLite
/// turns `id < ?` after the equality into a range of that index (a row value it would
/// only read as the equality). PostgreSQL, given only `id < ?`, walks the primary key
/// instead (UUIDv7 ids follow the table's physical order, which it prices as cheap) and
/// filters out other organisations' rows, so a small organisation's second page read
/// through every larger one's; the row value `(organization_id, id) < (?, ?)` matches
/// the page index and it walks that. Plans for both in `docs/OPERATIONS.md`.
pub fn id_before_in_organization<C: sea_orm::ColumnTrait>(
    organization: C,
    id: C,
    organization_id: uuid::Uuid,
    after: uuid::Uuid,
) -> sea_orm::Condition {
    sea_orm::Condition::all().add(id.lt(after)).add(after_key(
        &[organization, id],
        [organization_id.into(), after.into()],
        sea_orm::Order::Desc,
    ))
}

/// `expr LIKE '%text%'` with `text` matched literally: its `%`, `_` and `\` are escaped,
/// so a search for `%` finds a per cent sign instead of every row.
pub fn contains(expr: sea_orm::sea_query::Expr, text: &str) -> sea_orm::sea_query::Expr {
    use sea_orm::sea_query::{ExprTrait, LikeExpr};
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    expr.like(LikeExpr::new(pattern).escape('\\'))
}

/// The stored name of an enum kept as text.
pub fn stored<T: Named>(value: T) -> String {
    value.name().to_owned()
}

/// The enum value a stored name names; an unknown name means the row was not written by
/// this version of Assay.
pub fn restored<T: Named>(text: &str) -> crate::error::Result<T> {
    T::from_name(text).ok_or_else(|| {
        crate::error::Error::Internal(anyhow::anyhow!(
            "unknown stored name {text:?} for {}",
            std::any::type_name::<T>()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn sqlite(dir: &std::path::Path) -> DatabaseConnection {
        let options = SqliteConnectOptions::new()
            .filename(dir.join("turns.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .expect("open SQLite");
        SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
    }

    /// On one runtime thread, so that each spawned writer runs up to where it waits before
    /// the next one is spawned: the order of spawning is the order of arrival.
    #[tokio::test(flavor = "current_thread")]
    async fn writers_of_one_process_write_in_the_order_they_arrived() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = sqlite(dir.path()).await;
        db.execute_unprepared(
            "CREATE TABLE arrivals (seq INTEGER PRIMARY KEY AUTOINCREMENT, writer INTEGER)",
        )
        .await
        .expect("table");
        let first = begin_write(&db).await.expect("the first writer's turn");

        let mut writers = Vec::new();
        for writer in 1..=12 {
            let db = db.clone();
            writers.push(tokio::spawn(async move {
                let txn = begin_write(&db).await?;
                txn.execute_unprepared(&format!("INSERT INTO arrivals (writer) VALUES ({writer})"))
                    .await?;
                txn.commit().await
            }));
            for _ in 0..4 {
                tokio::task::yield_now().await;
            }
        }
        first.commit().await.expect("commit");
        for writer in writers {
            writer
                .await
                .expect("task")
                .expect("every writer gets its turn");
        }

        let order: Vec<i64> = db
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT writer FROM arrivals ORDER BY seq",
            ))
            .await
            .expect("rows")
            .iter()
            .map(|row| row.try_get_by_index(0).expect("writer"))
            .collect();
        assert_eq!(
            order,
            (1..=12).collect::<Vec<i64>>(),
            "writers waiting for SQLite's write lock are served first come, first served"
        );
    }
}
