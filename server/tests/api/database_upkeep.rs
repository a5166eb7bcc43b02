//! SQLite is tuned as part of the product: every connection bounds `ANALYZE` to 400 rows
//! per index, and `PRAGMA optimize` runs at start-up (and hourly) so the query planner
//! has statistics. PostgreSQL keeps its own statistics (autovacuum); Assay leaves it be.

use assay_server::db;
use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::{TestApp, spawn_app};

/// The tables SQLite holds statistics for.
async fn analysed_tables(app: &TestApp) -> Vec<String> {
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT DISTINCT tbl FROM sqlite_stat1 ORDER BY tbl",
        ))
        .await
        .expect("SQLite keeps statistics in sqlite_stat1 once analysed");
    rows.iter()
        .map(|row| row.try_get::<String>("", "tbl").expect("a table name"))
        .collect()
}

#[tokio::test]
async fn sqlite_has_query_planner_statistics_from_start_up_and_postgres_is_left_to_autovacuum() {
    let app = spawn_app().await;
    if app.expected_database == "postgres" {
        assert!(
            !db::optimize(&app.db).await.expect("nothing to run"),
            "on PostgreSQL, statistics are autovacuum's work"
        );
        return;
    }

    let tables = analysed_tables(&app).await;
    let limit = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "PRAGMA analysis_limit",
        ))
        .await
        .expect("pragma")
        .expect("a value")
        .try_get_by_index::<i64>(0)
        .expect("a number");

    assert!(
        tables.iter().any(|t| t == "templates"),
        "start-up analysed the tables (the built-in template is there): {tables:?}"
    );
    assert_eq!(limit, 400, "ANALYZE reads at most 400 rows per index");
    assert!(
        db::optimize(&app.db).await.expect("optimize runs"),
        "and it can run again at any time"
    );
}
