//! Delivers the outbox over SMTP. Any number of instances may run it: an instance first
//! claims an email with a compare-and-set on its lease (`lease_until` in the past or
//! unset), so one instance at a time holds it, and a crashed instance's lease simply runs
//! out and another takes over. Failures are retried with backoff; a permanent refusal or
//! the last attempt marks the email failed. The outbox id is the Message-ID, so in the one
//! case a repeat is possible (an instance dies after the server accepted the message and
//! before it recorded that) the receiving side can recognise it.
//!
//! Bodies are sealed at rest (see `services::mailer`): the worker opens one just to send
//! it, and a sent email keeps only the delivery notice ([`DELIVERED`]). Emails waiting for a retry, or failed,
//! keep their sealed body.

use std::time::Duration as StdDuration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use secrecy::{ExposeSecret, SecretString};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use assay_core::schedule::{MAX_DELIVERY_ATTEMPTS, retry_delay};

use crate::config::{Settings, SmtpSecurity};
use crate::crypto::MasterKey;
use crate::db::entities::outbox;
use crate::error::Result;
use crate::services::mailer::{self, Body, DELIVERED, OutboxStatus};
use crate::state::Ctx;

/// How long a claimed email stays with the instance sending it.
const LEASE: Duration = Duration::minutes(5);
/// Emails claimed per round.
const BATCH: u64 = 50;

/// The SMTP connection settings, ready to send.
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Where the Message-ID says the message comes from.
    domain: String,
    /// Kept to take it out of any error text before that is stored (and shown).
    password: Option<SecretString>,
}

impl Smtp {
    /// The transport `settings` describe, or `None` when no SMTP host is set.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Option<Smtp>> {
        let Some(host) = settings
            .smtp_host
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
        else {
            return Ok(None);
        };
        let security = settings.smtp_security;
        let builder = match security {
            SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
            SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        };
        let mut builder = builder
            .port(settings.smtp_port.unwrap_or(security.default_port()))
            .timeout(Some(StdDuration::from_secs(30)));
        if let (Some(user), Some(password)) = (&settings.smtp_username, &settings.smtp_password) {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                password.expose_secret().to_owned(),
            ));
        }
        let from: Mailbox = settings
            .smtp_from
            .parse()
            .map_err(|e| anyhow::anyhow!("smtp_from: {e}"))?;
        let domain = from.email.domain().to_owned();
        Ok(Some(Smtp {
            transport: builder.build(),
            from,
            domain,
            password: settings.smtp_password.clone(),
        }))
    }

    /// `error` without the SMTP password, should a server or library ever echo it.
    fn redacted(&self, error: String) -> String {
        match self.password.as_ref().map(|p| p.expose_secret()) {
            Some(password) if !password.is_empty() && error.contains(password) => {
                error.replace(password, "[hidden]")
            }
            _ => error,
        }
    }

    fn message(&self, email: &outbox::Model, body: Body) -> std::result::Result<Message, String> {
        let to: Mailbox = email
            .recipient
            .parse()
            .map_err(|e| format!("the recipient address is not valid: {e}"))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(format!("<{}@{}>", email.id, self.domain)));
        let message = match body.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(body.text, html)),
            None => builder.body(body.text),
        };
        message.map_err(|e| format!("the message could not be built: {e}"))
    }
}

/// What one delivery round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Sends every email that is due at `now`, as instance `owner`, opening bodies with `key`.
pub async fn deliver_due(
    ctx: &Ctx,
    smtp: &Smtp,
    key: &MasterKey,
    owner: &str,
    now: OffsetDateTime,
) -> Result<Round> {
    let db = &ctx.db;
    let mut round = Round::default();
    let candidates: Vec<Uuid> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Id)
        .filter(outbox::Column::Status.is_in([
            OutboxStatus::Queued.as_str(),
            OutboxStatus::Retrying.as_str(),
            OutboxStatus::Sending.as_str(),
        ]))
        .filter(
            Condition::any()
                .add(outbox::Column::NextAttemptAt.is_null())
                .add(outbox::Column::NextAttemptAt.lte(now)),
        )
        .filter(available(now))
        .order_by_asc(outbox::Column::CreatedAt)
        .limit(BATCH)
        .into_tuple()
        .all(db)
        .await?;
    for id in candidates {
        let Some(email) = claim(ctx, id, owner, now).await? else {
            continue; // another instance took it
        };
        let attempts = email.attempts + 1;
        let message = mailer::open_body(key, &email)
            .map_err(|e| {
                format!("the message could not be opened with this instance's master key: {e}")
            })
            .and_then(|body| smtp.message(&email, body));
        // (permanent, refused by the mail server, what went wrong)
        let outcome = match message {
            Err(problem) => Err((true, false, problem)),
            Ok(message) => smtp.transport.send(message).await.map(|_| ()).map_err(|e| {
                // A 5xx reply: the mail server refused it, and will again.
                let refused = e.is_permanent();
                (refused, refused, smtp.redacted(e.to_string()))
            }),
        };
        let mut refused = false;
        let (status, next, error, sent_at) = match outcome {
            Ok(()) => {
                round.sent += 1;
                (OutboxStatus::Sent, None, None, Some(now))
            }
            Err((permanent, bounced, error))
                if permanent || attempts as u32 >= MAX_DELIVERY_ATTEMPTS =>
            {
                round.failed += 1;
                refused = bounced;
                tracing::warn!(email = %email.id, %error, attempts, "email delivery failed for good");
                (OutboxStatus::Failed, None, Some(error), None)
            }
            Err((_, _, error)) => {
                round.retrying += 1;
                tracing::info!(email = %email.id, %error, attempts, "email delivery will be retried");
                (
                    OutboxStatus::Retrying,
                    Some(now + retry_delay(attempts as u32)),
                    Some(error),
                    None,
                )
            }
        };
        let mut update = outbox::Entity::update_many();
        if status == OutboxStatus::Sent {
            // The text (and any link in it) is not kept once it has gone.
            update = update
                .col_expr(outbox::Column::Body, Expr::value(DELIVERED))
                .col_expr(
                    outbox::Column::HtmlBody,
                    Expr::value(Option::<String>::None),
                )
                .col_expr(outbox::Column::Sealed, Expr::value(false));
        }
        update
            .col_expr(outbox::Column::Status, Expr::value(status.as_str()))
            .col_expr(outbox::Column::Attempts, Expr::value(attempts))
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(next))
            .col_expr(outbox::Column::LastError, Expr::value(error))
            .col_expr(outbox::Column::SentAt, Expr::value(sent_at))
            .col_expr(outbox::Column::Refused, Expr::value(refused))
            .col_expr(
                outbox::Column::LeaseOwner,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                outbox::Column::LeaseUntil,
                Expr::value(Option::<OffsetDateTime>::None),
            )
            .filter(outbox::Column::Id.eq(email.id))
            .filter(outbox::Column::LeaseOwner.eq(owner))
            .exec(db)
            .await?;
    }
    Ok(round)
}

/// Not leased, or leased by an instance whose lease has run out.
fn available(now: OffsetDateTime) -> Condition {
    Condition::any()
        .add(outbox::Column::LeaseUntil.is_null())
        .add(outbox::Column::LeaseUntil.lt(now))
}

/// Takes the lease on email `id` if nobody holds it; the update's row count says who won.
async fn claim(
    ctx: &Ctx,
    id: Uuid,
    owner: &str,
    now: OffsetDateTime,
) -> Result<Option<outbox::Model>> {
    let db = &ctx.db;
    let claimed = outbox::Entity::update_many()
        .col_expr(outbox::Column::LeaseOwner, Expr::value(owner))
        .col_expr(outbox::Column::LeaseUntil, Expr::value(now + LEASE))
        .col_expr(
            outbox::Column::Status,
            Expr::value(OutboxStatus::Sending.as_str()),
        )
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.is_in([
            OutboxStatus::Queued.as_str(),
            OutboxStatus::Retrying.as_str(),
            OutboxStatus::Sending.as_str(),
        ]))
        .filter(available(now))
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(None);
    }
    Ok(outbox::Entity::find_by_id(id).one(db).await?)
}
