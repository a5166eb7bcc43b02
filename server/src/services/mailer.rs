//! The mailer interface: every email Assay sends is queued here, in the caller's
//! transaction, so an email exists exactly when the change that caused it commits. Until
//! SMTP delivery exists the queue is the record Admins read (`GET /api/outbox`); a delivery
//! worker will send from the same table.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::db::accounts;
use crate::error::Result;

/// An email to send.
#[derive(Debug, Clone)]
pub struct Email {
    /// The tenant it belongs to (Admins of that organisation see it).
    pub organization_id: Option<Uuid>,
    pub to: String,
    pub subject: String,
    /// Plain text.
    pub body: String,
}

/// Queues `email` for delivery.
pub async fn queue(conn: &impl ConnectionTrait, email: Email) -> Result<()> {
    accounts::insert_outbox(
        conn,
        email.organization_id,
        &email.to,
        &email.subject,
        &email.body,
    )
    .await?;
    Ok(())
}
