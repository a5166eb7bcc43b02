//! Where one recipient's invitation stands, as Procurement follows it: the link (withdrawn,
//! expired, opened) and the email that carries it (queued, retrying, delivered, bounced,
//! failed), folded into one status, and the mail server's reason made fit to show.

use serde::{Deserialize, Serialize};

use crate::named;

/// How the email carrying a link went, as the outbox records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailDelivery {
    /// Not tried yet, or being sent right now.
    Queued,
    /// An attempt failed; it is tried again later.
    Retrying,
    /// The recipient's mail server accepted it.
    Delivered,
    /// The mail server refused it for good (a 5xx reply).
    Bounced,
    /// Every attempt failed, or the message could not be sent at all.
    Failed,
}

/// One recipient's link and its email, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecipientStatus {
    /// The link exists; how its email went was not recorded (links sent before Assay
    /// tracked delivery).
    Sent,
    /// The email waits for the mail server.
    Queued,
    /// Delivery failed for now and is tried again (`retry_at`, `delivery_error`).
    Retrying,
    /// The mail server accepted the email.
    Delivered,
    /// The mail server refused the address for good (`delivery_error` says why).
    Bounced,
    /// Every attempt failed (`delivery_error` says why).
    Failed,
    /// The vendor opened the link.
    Opened,
    /// The link was withdrawn (resent, revoked, or the assessment cancelled).
    Revoked,
    /// The link ran out before it was withdrawn.
    Expired,
}

named!(RecipientStatus {
    Sent => "sent", "Sent";
    Queued => "queued", "Queued";
    Retrying => "retrying", "Retrying";
    Delivered => "delivered", "Delivered";
    Bounced => "bounced", "Bounced";
    Failed => "failed", "Failed";
    Opened => "opened", "Opened";
    Revoked => "revoked", "Withdrawn";
    Expired => "expired", "Expired";
});

impl RecipientStatus {
    /// What matters most to whoever follows the link: a link that no longer works says so
    /// first (withdrawn, then expired), then whether the vendor opened it, then how its
    /// email went.
    pub fn of(
        revoked: bool,
        expired: bool,
        opened: bool,
        delivery: Option<EmailDelivery>,
    ) -> RecipientStatus {
        if revoked {
            return RecipientStatus::Revoked;
        }
        if expired {
            return RecipientStatus::Expired;
        }
        if opened {
            return RecipientStatus::Opened;
        }
        match delivery {
            None => RecipientStatus::Sent,
            Some(EmailDelivery::Queued) => RecipientStatus::Queued,
            Some(EmailDelivery::Retrying) => RecipientStatus::Retrying,
            Some(EmailDelivery::Delivered) => RecipientStatus::Delivered,
            Some(EmailDelivery::Bounced) => RecipientStatus::Bounced,
            Some(EmailDelivery::Failed) => RecipientStatus::Failed,
        }
    }

    /// Something went wrong that a person should act on (resend to a corrected address,
    /// or ask the vendor).
    pub fn needs_attention(self) -> bool {
        matches!(
            self,
            RecipientStatus::Bounced | RecipientStatus::Failed | RecipientStatus::Retrying
        )
    }
}

/// The most of a mail server's reason shown to people, in characters.
pub const REASON_LENGTH: usize = 200;

/// A mail server's error as Procurement reads it: one line (line breaks and runs of
/// spaces become one space), at most [`REASON_LENGTH`] characters, and nothing that looks
/// like a credential (a `user:password@` in a URL, a long base64 or hex run such as an
/// `AUTH` exchange echoed back) — those become `[hidden]`.
pub fn reason_for_people(error: &str) -> String {
    let words: Vec<String> = error.split_whitespace().map(hide_secret).collect();
    let line = words.join(" ");
    if line.chars().count() <= REASON_LENGTH {
        return line;
    }
    let mut cut: String = line.chars().take(REASON_LENGTH - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// `word`, or `[hidden]` in place of what in it may be a secret.
fn hide_secret(word: &str) -> String {
    // scheme://user:password@host → scheme://[hidden]@host
    if let Some((scheme, rest)) = word.split_once("://")
        && let Some((userinfo, host)) = rest.split_once('@')
        && userinfo.contains(':')
    {
        return format!("{scheme}://[hidden]@{host}");
    }
    let core = word.trim_matches(|c: char| matches!(c, '(' | ')' | '<' | '>' | ',' | ';' | '.'));
    let encoded = core.len() >= 24
        && core
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_'))
        && core.chars().any(|c| c.is_ascii_digit())
        && core.chars().any(|c| c.is_ascii_alphabetic());
    if encoded {
        return word.replace(core, "[hidden]");
    }
    word.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_that_no_longer_works_says_so_before_anything_else() {
        use EmailDelivery::*;
        use RecipientStatus as S;
        assert_eq!(S::of(true, true, true, Some(Delivered)), S::Revoked);
        assert_eq!(S::of(false, true, true, Some(Delivered)), S::Expired);
        assert_eq!(S::of(false, false, true, Some(Failed)), S::Opened);
        assert_eq!(S::of(false, false, false, Some(Bounced)), S::Bounced);
        assert_eq!(S::of(false, false, false, Some(Retrying)), S::Retrying);
        assert_eq!(S::of(false, false, false, Some(Queued)), S::Queued);
        assert_eq!(S::of(false, false, false, Some(Delivered)), S::Delivered);
        assert_eq!(S::of(false, false, false, None), S::Sent);
        assert!(S::Bounced.needs_attention() && !S::Delivered.needs_attention());
    }

    #[test]
    fn a_reason_is_one_short_line() {
        let reason = reason_for_people(
            "permanent error (550): 5.1.1 <vera@vendor.test>:\r\n  Recipient address rejected",
        );
        assert_eq!(
            reason,
            "permanent error (550): 5.1.1 <vera@vendor.test>: Recipient address rejected"
        );
        let long = reason_for_people(&"word ".repeat(100));
        assert_eq!(long.chars().count(), REASON_LENGTH);
        assert!(long.ends_with('…') && !long.contains('\n'));
    }

    #[test]
    fn a_reason_shows_no_credentials() {
        let reason = reason_for_people(
            "Connection error: smtp://assay:hunter2@mail.example.test refused \
             AUTH PLAIN AGFzc2F5AGh1bnRlcjJodW50ZXIyaHVudGVyMg== (535)",
        );
        assert!(!reason.contains("hunter2"), "{reason}");
        assert!(!reason.contains("AGFzc2F5"), "{reason}");
        assert!(
            reason.contains("smtp://[hidden]@mail.example.test"),
            "{reason}"
        );
        assert!(reason.contains("(535)"), "{reason}");
    }
}
