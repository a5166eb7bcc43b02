//! Every email Assay sends: composed from a [`Letter`] (one layout, rendered as plain text
//! and as HTML with every value escaped) and queued in the outbox in the caller's
//! transaction, so an email exists exactly when the change that caused it commits. The
//! delivery worker (`services::delivery`) sends it from there.
//!
//! Invitation emails carry live links (a token that acts as the vendor, or sets a user's
//! password), so no body is readable at rest: [`Mailer::queue`] seals the text and the HTML
//! with the master key, bound to the outbox row, and the worker opens them with
//! [`open_body`] to send them and then replaces them with [`DELIVERED`]. Until then only the
//! worker and the operator's `assay outbox read` can read an email; the API shows who it is
//! for, its subject and how delivery went.

use std::collections::BTreeMap;
use std::sync::Arc;

use assay_core::delivery::EmailDelivery;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::crypto::{CryptoError, MasterKey};
use crate::db::entities::outbox;
use crate::error::{Error, Result};

/// What a delivered email keeps instead of its text (migration 17 writes the same words).
pub const DELIVERED: &str = "Delivered; the message text is not kept.";

/// What an email is about (shown in the outbox, and the template it came from).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailKind {
    AccountInvitation,
    PasswordReset,
    AssessmentInvitation,
    Reminder,
    Overdue,
    Clarification,
    Decision,
    EvidenceExpiry,
    Reassessment,
    Incident,
    Renewal,
}

assay_core::named!(EmailKind {
    AccountInvitation => "account_invitation", "Account invitation";
    PasswordReset => "password_reset", "Password reset";
    AssessmentInvitation => "assessment_invitation", "Questionnaire invitation";
    Reminder => "reminder", "Reminder";
    Overdue => "overdue", "Overdue notice";
    Clarification => "clarification", "Clarification request";
    Decision => "decision", "Decision";
    EvidenceExpiry => "evidence_expiry", "Evidence expiry alert";
    Reassessment => "reassessment", "Reassessment notice";
    Incident => "incident", "Incident notice";
    Renewal => "renewal", "Renewal reminder";
});

/// The content of one email, laid out the same way for every kind: a greeting, paragraphs,
/// an optional list of facts, an optional button, and the closing line.
#[derive(Debug, Clone, Default)]
pub struct Letter {
    pub subject: String,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    /// Label and value pairs (a due date, a file name, a deadline).
    pub facts: Vec<(String, String)>,
    /// The one thing to do: a label and a link.
    pub action: Option<(String, String)>,
    /// A note under the action (why the link is personal, who to ask).
    pub note: Option<String>,
}

impl Letter {
    pub fn new(subject: impl Into<String>, greeting: impl Into<String>) -> Self {
        Letter {
            subject: subject.into(),
            greeting: greeting.into(),
            ..Default::default()
        }
    }

    pub fn paragraph(mut self, text: impl Into<String>) -> Self {
        self.paragraphs.push(text.into());
        self
    }

    pub fn fact(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.facts.push((label.into(), value.into()));
        self
    }

    pub fn action(mut self, label: impl Into<String>, url: impl Into<String>) -> Self {
        self.action = Some((label.into(), url.into()));
        self
    }

    pub fn note(mut self, text: impl Into<String>) -> Self {
        self.note = Some(text.into());
        self
    }

    pub fn text(&self) -> String {
        let mut out = format!("{}\n\n", self.greeting);
        for paragraph in &self.paragraphs {
            out.push_str(paragraph);
            out.push_str("\n\n");
        }
        for (label, value) in &self.facts {
            out.push_str(&format!("{label}: {value}\n"));
        }
        if !self.facts.is_empty() {
            out.push('\n');
        }
        if let Some((label, url)) = &self.action {
            out.push_str(&format!("{label}:\n{url}\n\n"));
        }
        if let Some(note) = &self.note {
            out.push_str(note);
            out.push_str("\n\n");
        }
        out.push_str("-- \nSent by Assay, vendor due diligence.\n");
        out
    }

    pub fn html(&self) -> String {
        let mut out = String::from(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"></head>\
             <body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1f2933;max-width:40em\">\n",
        );
        out.push_str(&format!("<p>{}</p>\n", escape(&self.greeting)));
        for paragraph in &self.paragraphs {
            out.push_str(&format!("<p>{}</p>\n", escape(paragraph)));
        }
        if !self.facts.is_empty() {
            out.push_str("<table style=\"border-collapse:collapse\">\n");
            for (label, value) in &self.facts {
                out.push_str(&format!(
                    "<tr><th scope=\"row\" style=\"text-align:left;padding:2px 12px 2px 0\">{}</th><td>{}</td></tr>\n",
                    escape(label),
                    escape(value)
                ));
            }
            out.push_str("</table>\n");
        }
        if let Some((label, url)) = &self.action {
            out.push_str(&format!(
                "<p><a href=\"{}\" style=\"display:inline-block;padding:8px 16px;background:#1d4ed8;color:#fff;text-decoration:none;border-radius:4px\">{}</a></p>\n",
                escape(url),
                escape(label)
            ));
        }
        if let Some(note) = &self.note {
            out.push_str(&format!(
                "<p style=\"color:#52606d;font-size:90%\">{}</p>\n",
                escape(note)
            ));
        }
        out.push_str(
            "<p style=\"color:#52606d;font-size:90%\">Sent by Assay, vendor due diligence.</p>\n</body></html>\n",
        );
        out
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// An email to send.
#[derive(Debug, Clone)]
pub struct Email {
    /// The tenant it belongs to (Admins of that organisation see it).
    pub organization_id: Option<Uuid>,
    pub to: String,
    pub kind: EmailKind,
    pub letter: Letter,
}

/// Composes and queues emails: links start at the public URL, and bodies are sealed with
/// the master key until they are delivered. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Mailer {
    /// Where people reach Assay, without a trailing `/`.
    public_url: Arc<str>,
    key: MasterKey,
}

impl Mailer {
    pub fn new(public_url: &str, key: MasterKey) -> Self {
        Mailer {
            public_url: public_url.trim_end_matches('/').into(),
            key,
        }
    }

    /// A link into Assay: `path` (starting with `/`, a fragment allowed) after the public
    /// URL.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    /// The key bodies are sealed with (the delivery worker opens them with it).
    pub fn key(&self) -> &MasterKey {
        &self.key
    }

    /// Queues `email` for delivery, its body sealed; returns its outbox id (also its
    /// Message-ID, so a receiving server can recognise a repeat).
    pub async fn queue(
        &self,
        conn: &impl ConnectionTrait,
        email: Email,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let (body, html_body) = seal_body(
            &self.key,
            id,
            &Body {
                text: email.letter.text(),
                html: Some(email.letter.html()),
            },
        )
        .map_err(|e| Error::Internal(e.into()))?;
        outbox::ActiveModel {
            id: Set(id),
            organization_id: Set(email.organization_id),
            recipient: Set(email.to),
            subject: Set(email.letter.subject.clone()),
            body: Set(body),
            html_body: Set(html_body),
            sealed: Set(true),
            kind: Set(email.kind.as_str().to_owned()),
            status: Set(OutboxStatus::Queued.as_str().to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(None),
            lease_owner: Set(None),
            lease_until: Set(None),
            last_error: Set(None),
            sent_at: Set(None),
            refused: Set(false),
            created_at: Set(now),
        }
        .insert(conn)
        .await?;
        Ok(id)
    }
}

/// An email's content, opened: the plain text and, usually, the same as HTML.
#[derive(Clone, PartialEq, Eq)]
pub struct Body {
    pub text: String,
    pub html: Option<String>,
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // It may hold a live link.
        f.write_str("Body(..)")
    }
}

/// Binds each part to its row and to its place, so a sealed body copied to another email,
/// or the HTML swapped for the text, does not open.
fn aad(id: Uuid, part: &str) -> Vec<u8> {
    format!("outbox:{id}:{part}").into_bytes()
}

/// The `body` and `html_body` column values that hold `body` sealed for email `id`.
fn seal_body(
    key: &MasterKey,
    id: Uuid,
    body: &Body,
) -> std::result::Result<(String, Option<String>), CryptoError> {
    let text = key.seal_text(&body.text, &aad(id, "text"))?;
    let html = body
        .html
        .as_deref()
        .map(|html| key.seal_text(html, &aad(id, "html")))
        .transpose()?;
    Ok((text, html))
}

/// Opens an email's body, for delivery and for `assay outbox read`. A row that is not
/// sealed (queued before bodies were, and not yet sealed by [`seal_plaintext`], or
/// delivered and left with [`DELIVERED`]) is returned as it is.
pub fn open_body(key: &MasterKey, email: &outbox::Model) -> std::result::Result<Body, CryptoError> {
    if !email.sealed {
        return Ok(Body {
            text: email.body.clone(),
            html: email.html_body.clone(),
        });
    }
    Ok(Body {
        text: key.open_text(&email.body, &aad(email.id, "text"))?,
        html: email
            .html_body
            .as_deref()
            .map(|html| key.open_text(html, &aad(email.id, "html")))
            .transpose()?,
    })
}

/// Seals the bodies of emails queued before bodies were sealed and not delivered yet; the
/// server runs it at start-up, after the migrations. Returns how many it sealed. Each row
/// is sealed only if it is still plaintext and unsent, so instances starting together, or a
/// delivery in flight, never seal one twice or seal a delivery notice.
pub async fn seal_plaintext(conn: &impl ConnectionTrait, key: &MasterKey) -> Result<usize> {
    const PAGE: u64 = 100;
    let mut sealed = 0;
    loop {
        let page = outbox::Entity::find()
            .filter(outbox::Column::Sealed.eq(false))
            .filter(outbox::Column::Status.ne(OutboxStatus::Sent.as_str()))
            .order_by_asc(outbox::Column::Id)
            .limit(PAGE)
            .all(conn)
            .await?;
        if page.is_empty() {
            return Ok(sealed);
        }
        for email in page {
            let plain = open_body(key, &email).map_err(|e| Error::Internal(e.into()))?;
            let (body, html_body) =
                seal_body(key, email.id, &plain).map_err(|e| Error::Internal(e.into()))?;
            let updated = outbox::Entity::update_many()
                .col_expr(outbox::Column::Body, Expr::value(body))
                .col_expr(outbox::Column::HtmlBody, Expr::value(html_body))
                .col_expr(outbox::Column::Sealed, Expr::value(true))
                .filter(outbox::Column::Id.eq(email.id))
                .filter(outbox::Column::Sealed.eq(false))
                .filter(outbox::Column::Status.ne(OutboxStatus::Sent.as_str()))
                .exec(conn)
                .await?;
            sealed += updated.rows_affected as usize;
        }
    }
}

/// An email waiting for delivery, opened: what `assay outbox read` prints.
#[derive(Debug)]
pub struct Undelivered {
    pub recipient: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    pub created_at: OffsetDateTime,
    pub body: Body,
}

/// The newest email to `to` (an address as it was queued, lower case) that has not been
/// delivered, opened with `key`: how an operator without SMTP hands out a link.
pub async fn newest_undelivered(
    conn: &impl ConnectionTrait,
    key: &MasterKey,
    to: &str,
) -> Result<Option<Undelivered>> {
    let Some(email) = outbox::Entity::find()
        .filter(outbox::Column::Recipient.eq(to))
        .filter(outbox::Column::Status.ne(OutboxStatus::Sent.as_str()))
        .order_by_desc(outbox::Column::CreatedAt)
        .order_by_desc(outbox::Column::Id)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let body = open_body(key, &email).map_err(|e| {
        Error::Internal(
            anyhow::Error::new(e)
                .context("the email could not be opened: is this the master key the server uses?"),
        )
    })?;
    Ok(Some(Undelivered {
        recipient: email.recipient,
        subject: email.subject,
        status: email.status,
        attempts: email.attempts,
        created_at: email.created_at,
        body,
    }))
}

/// How the email carrying one link went, as the assessment page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub state: EmailDelivery,
    /// When the mail server accepted it.
    pub delivered_at: Option<OffsetDateTime>,
    /// While retrying: the next attempt.
    pub retry_at: Option<OffsetDateTime>,
    /// The mail server's last error, as it came (see `reason_for_people` before showing it).
    pub error: Option<String>,
}

impl Delivery {
    /// An email just queued.
    pub fn queued() -> Delivery {
        Delivery {
            state: EmailDelivery::Queued,
            delivered_at: None,
            retry_at: None,
            error: None,
        }
    }
}

/// The outbox columns delivery is read from (never the body).
#[derive(FromQueryResult)]
struct DeliveryRow {
    id: Uuid,
    status: String,
    refused: bool,
    sent_at: Option<OffsetDateTime>,
    next_attempt_at: Option<OffsetDateTime>,
    last_error: Option<String>,
}

/// How each of the emails `ids` went, by id, in one query; an id no longer in the outbox
/// is left out.
pub async fn deliveries(
    conn: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<BTreeMap<Uuid, Delivery>> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rows = outbox::Entity::find()
        .select_only()
        .columns([
            outbox::Column::Id,
            outbox::Column::Status,
            outbox::Column::Refused,
            outbox::Column::SentAt,
            outbox::Column::NextAttemptAt,
            outbox::Column::LastError,
        ])
        .filter(outbox::Column::Id.is_in(ids))
        .into_model::<DeliveryRow>()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let state = match OutboxStatus::parse(&row.status) {
                Some(OutboxStatus::Sent) => EmailDelivery::Delivered,
                Some(OutboxStatus::Retrying) => EmailDelivery::Retrying,
                Some(OutboxStatus::Failed) if row.refused => EmailDelivery::Bounced,
                Some(OutboxStatus::Failed) => EmailDelivery::Failed,
                Some(OutboxStatus::Queued | OutboxStatus::Sending) | None => EmailDelivery::Queued,
            };
            let delivery = Delivery {
                state,
                delivered_at: row.sent_at,
                retry_at: row
                    .next_attempt_at
                    .filter(|_| state == EmailDelivery::Retrying),
                error: row.last_error.filter(|_| state != EmailDelivery::Delivered),
            };
            (row.id, delivery)
        })
        .collect())
}

/// Where an email stands in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting for its first attempt (or for SMTP to be configured).
    Queued,
    /// An instance holds its lease and is sending it.
    Sending,
    /// An attempt failed; it is tried again at `next_attempt_at`.
    Retrying,
    Sent,
    /// Refused permanently, or every attempt failed.
    Failed,
}

assay_core::named!(OutboxStatus {
    Queued => "queued", "Queued";
    Sending => "sending", "Sending";
    Retrying => "retrying", "Waiting to retry";
    Sent => "sent", "Sent";
    Failed => "failed", "Failed";
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_renders_as_text_and_as_escaped_html() {
        let letter = Letter::new("Reminder", "Hello <Ann>,")
            .paragraph("Acme & Co asks you to finish \"Security\".")
            .fact("Due", "2026-12-20")
            .action(
                "Open your questionnaire",
                "https://assay.example/portal?a=1&b=2",
            )
            .note("The link is personal.");
        let text = letter.text();
        assert!(text.starts_with("Hello <Ann>,\n\nAcme & Co asks you"));
        assert!(text.contains("Due: 2026-12-20\n"));
        assert!(text.contains("Open your questionnaire:\nhttps://assay.example/portal?a=1&b=2\n"));
        let html = letter.html();
        assert!(html.contains("<p>Hello &lt;Ann&gt;,</p>"));
        assert!(html.contains("Acme &amp; Co asks you to finish &quot;Security&quot;."));
        assert!(html.contains("href=\"https://assay.example/portal?a=1&amp;b=2\""));
        assert!(!html.contains("<Ann>"));
    }

    fn row(id: Uuid, body: &str, html_body: Option<&str>) -> outbox::Model {
        outbox::Model {
            id,
            organization_id: None,
            recipient: "vera@vendor.test".to_owned(),
            subject: "Your questionnaire".to_owned(),
            body: body.to_owned(),
            status: OutboxStatus::Queued.as_str().to_owned(),
            created_at: time::macros::datetime!(2026-12-01 09:00 UTC),
            html_body: html_body.map(str::to_owned),
            kind: EmailKind::AssessmentInvitation.as_str().to_owned(),
            attempts: 0,
            next_attempt_at: None,
            lease_owner: None,
            lease_until: None,
            last_error: None,
            sent_at: None,
            sealed: true,
            refused: false,
        }
    }

    #[test]
    fn a_sealed_body_opens_only_in_its_own_row_and_place() {
        let key = MasterKey::from_bytes(&[3; 32]);
        let id = Uuid::now_v7();
        let body = Body {
            text: "Open: https://assay.example/portal#token=abc123".to_owned(),
            html: Some("<a href=\"https://assay.example/portal#token=abc123\">".to_owned()),
        };

        let (text, html) = seal_body(&key, id, &body).expect("sealed");

        let html = html.expect("an HTML part");
        assert!(!text.contains("abc123") && !html.contains("abc123"));
        assert_eq!(
            open_body(&key, &row(id, &text, Some(&html))).expect("opens"),
            body
        );
        assert!(
            open_body(&key, &row(Uuid::now_v7(), &text, Some(&html))).is_err(),
            "copied to another email"
        );
        assert!(
            open_body(&key, &row(id, &html, Some(&text))).is_err(),
            "text and HTML swapped"
        );
        let mut legacy = row(id, "Hello, plain", None);
        legacy.sealed = false;
        assert_eq!(
            open_body(&key, &legacy)
                .expect("a row from before sealing")
                .text,
            "Hello, plain"
        );
    }
}
