//! Every email Assay sends: composed from a [`Letter`] (one layout, rendered as plain text
//! and as HTML with every value escaped) and queued in the outbox in the caller's
//! transaction, so an email exists exactly when the change that caused it commits. The
//! delivery worker (`services::delivery`) sends it from there.

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::db::entities::outbox;
use crate::error::Result;

/// What an email is about (shown in the outbox, and the template it came from).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailKind {
    AccountInvitation,
    AssessmentInvitation,
    Reminder,
    Overdue,
    Clarification,
    Decision,
    EvidenceExpiry,
    Reassessment,
    Incident,
}

impl EmailKind {
    pub const ALL: [EmailKind; 9] = [
        EmailKind::AccountInvitation,
        EmailKind::AssessmentInvitation,
        EmailKind::Reminder,
        EmailKind::Overdue,
        EmailKind::Clarification,
        EmailKind::Decision,
        EmailKind::EvidenceExpiry,
        EmailKind::Reassessment,
        EmailKind::Incident,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EmailKind::AccountInvitation => "account_invitation",
            EmailKind::AssessmentInvitation => "assessment_invitation",
            EmailKind::Reminder => "reminder",
            EmailKind::Overdue => "overdue",
            EmailKind::Clarification => "clarification",
            EmailKind::Decision => "decision",
            EmailKind::EvidenceExpiry => "evidence_expiry",
            EmailKind::Reassessment => "reassessment",
            EmailKind::Incident => "incident",
        }
    }
}

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

/// Queues `email` for delivery; returns its outbox id (also its Message-ID, so a receiving
/// server can recognise a repeat).
pub async fn queue(conn: &impl ConnectionTrait, email: Email) -> Result<Uuid> {
    let id = Uuid::now_v7();
    outbox::ActiveModel {
        id: Set(id),
        organization_id: Set(email.organization_id),
        recipient: Set(email.to),
        subject: Set(email.letter.subject.clone()),
        body: Set(email.letter.text()),
        html_body: Set(Some(email.letter.html())),
        kind: Set(email.kind.as_str().to_owned()),
        status: Set(OutboxStatus::Queued.as_str().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(None),
        lease_owner: Set(None),
        lease_until: Set(None),
        last_error: Set(None),
        sent_at: Set(None),
        created_at: Set(OffsetDateTime::now_utc()),
    }
    .insert(conn)
    .await?;
    Ok(id)
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

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Queued => "queued",
            OutboxStatus::Sending => "sending",
            OutboxStatus::Retrying => "retrying",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }
}

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
}
