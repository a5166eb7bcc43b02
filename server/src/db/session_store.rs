//! tower-sessions' store over sea-orm, so sessions live in the same database (SQLite or
//! PostgreSQL) as everything else and every server instance sees them.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, SqlErr,
};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use crate::clock::Clock;
use crate::db::entities::session;

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        DbSessionStore { db }
    }

    /// Removes sessions past their expiry (they are already ignored when loading).
    pub async fn delete_expired(&self) -> Result<u64, sea_orm::DbErr> {
        let result = session::Entity::delete_many()
            .filter(session::Column::ExpiryDate.lt(Clock::system().now()))
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected)
    }
}

fn backend(e: sea_orm::DbErr) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn active_model(record: &Record) -> session_store::Result<session::ActiveModel> {
    let data = serde_json::to_string(&record.data)
        .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    Ok(session::ActiveModel {
        id: Set(record.id.to_string()),
        data: Set(data),
        expiry_date: Set(record.expiry_date),
    })
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Ids are 128 random bits; a collision is astronomically unlikely, but it must never
        // hand one user another's session, so insert (never upsert) and retry on conflict.
        loop {
            match session::Entity::insert(active_model(record)?)
                .exec(&self.db)
                .await
            {
                Ok(_) => return Ok(()),
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    record.id = Id::default();
                }
                Err(e) => return Err(backend(e)),
            }
        }
    }

    /// Updates an existing session only. A request still in flight when its session was
    /// deleted (sign-out, password change, deactivation) must never write the row back:
    /// an upsert here let an old cookie work again after sign-out.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let model = active_model(record)?;
        session::Entity::update_many()
            .set(session::ActiveModel {
                data: model.data,
                expiry_date: model.expiry_date,
                ..Default::default()
            })
            .filter(session::Column::Id.eq(record.id.to_string()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, session_id: &Id) -> session_store::Result<Option<Record>> {
        let Some(row) = session::Entity::find_by_id(session_id.to_string())
            .filter(session::Column::ExpiryDate.gt(Clock::system().now()))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *session_id,
            data,
            expiry_date: row.expiry_date,
        }))
    }

    async fn delete(&self, session_id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(session_id.to_string())
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
