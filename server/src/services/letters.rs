//! The wording of every email, one function per kind. Each returns a [`Letter`]; the
//! mailer renders it as text and HTML. Links to the portal are personal and carried only by
//! invitations: reminders and notices point back to them instead of minting new ones.

use time::Date;

pub use crate::services::mailer::Letter;

const PERSONAL_LINK: &str = "No account is needed. The link is personal: do not forward it; to bring in a colleague, delegate a section from the questionnaire.";

pub fn account_invitation(
    name: &str,
    inviter: &str,
    organization: &str,
    role: &str,
    link: &str,
) -> Letter {
    Letter::new(
        format!("You are invited to {organization} on Assay"),
        format!("Hello {name},"),
    )
    .paragraph(format!(
        "{inviter} invited you to {organization} on Assay as {role}."
    ))
    .action("Set your password", link)
    .note("The link works once and expires in 72 hours.")
}

pub fn password_reset(name: &str, admin: &str, organization: &str, link: &str) -> Letter {
    Letter::new(
        format!("Set a new password for {organization} on Assay"),
        format!("Hello {name},"),
    )
    .paragraph(format!(
        "{admin} sent you this link to set a new password for your account at {organization} on Assay. Your current password works until you set the new one."
    ))
    .action("Set a new password", link)
    .note("The link works once and expires in 72 hours. If you did not ask for it, tell your administrator.")
}

pub struct Questionnaire<'a> {
    pub organization: &'a str,
    pub vendor: &'a str,
    pub title: &'a str,
    pub due: Date,
}

pub fn assessment_invitation(name: &str, q: &Questionnaire<'_>, link: &str) -> Letter {
    Letter::new(
        format!(
            "{} asks you to complete a security questionnaire",
            q.organization
        ),
        format!("Hello {name},"),
    )
    .paragraph(format!(
        "{} asks {} to complete \"{}\" by {}.",
        q.organization, q.vendor, q.title, q.due
    ))
    .fact("Questionnaire", q.title)
    .fact("Due", q.due.to_string())
    .action("Open your questionnaire", link)
    .note(PERSONAL_LINK)
}

pub fn delegation(
    name: &str,
    by: &str,
    section: &str,
    q: &Questionnaire<'_>,
    link: &str,
) -> Letter {
    Letter::new(
        format!("{by} asks you to answer part of a security questionnaire"),
        format!("Hello {name},"),
    )
    .paragraph(format!(
        "{by} asks you to answer the section \"{section}\" of \"{}\", which {} asked {} to complete by {}.",
        q.title, q.organization, q.vendor, q.due
    ))
    .action("Open the section", link)
    .note("No account is needed. The link is personal and shows only that section.")
}

/// "today", "tomorrow", "in 3 days".
fn in_days(days: i64) -> String {
    match days {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        n => format!("in {n} days"),
    }
}

pub fn clarification(name: &str, organization: &str, title: &str) -> Letter {
    Letter::new(
        format!("{organization} has questions about your answers"),
        format!("Hello {name},"),
    )
    .paragraph(format!(
        "{organization} reviewed \"{title}\" and asks you to clarify some answers. Open the questionnaire with your personal link, answer the questions marked for clarification, and submit again."
    ))
}

/// A reminder `days_left` days (0: today) before the due date.
pub fn reminder(name: &str, q: &Questionnaire<'_>, days_left: i64) -> Letter {
    let when = in_days(days_left);
    Letter::new(
        format!("Reminder: \"{}\" is due {when}", q.title),
        format!("Hello {name},"),
    )
    .paragraph(format!(
        "{} asked {} to complete \"{}\"; it is due {when}, on {}.",
        q.organization, q.vendor, q.title, q.due
    ))
    .paragraph(
        "Open it with the personal link from your invitation email: your answers so far are saved. If you cannot find the link, reply to the person who asked you and they can send a new one.",
    )
    .fact("Due", q.due.to_string())
}

pub fn overdue(name: &str, q: &Questionnaire<'_>) -> Letter {
    Letter::new(
        format!("Overdue: \"{}\" was due on {}", q.title, q.due),
        format!("Hello {name},"),
    )
    .paragraph(format!(
        "{} asked {} to complete \"{}\" by {}, and it has not been submitted yet.",
        q.organization, q.vendor, q.title, q.due
    ))
    .paragraph(
        "Please finish and submit it with the personal link from your invitation email, or tell the person who asked you when to expect it.",
    )
    .fact("Was due", q.due.to_string())
}

pub fn decision(
    name: &str,
    organization: &str,
    title: &str,
    outcome: &str,
    conditions: &[String],
) -> Letter {
    let mut letter = Letter::new(
        format!("{organization} has decided on \"{title}\": {outcome}"),
        format!("Hello {name},"),
    )
    .paragraph(format!(
        "{organization} has completed its review of \"{title}\". The decision: {outcome}."
    ));
    if !conditions.is_empty() {
        letter = letter.paragraph("The approval comes with these conditions:");
        for (i, condition) in conditions.iter().enumerate() {
            letter = letter.fact(format!("Condition {}", i + 1), condition.clone());
        }
    }
    letter.paragraph("Open remediation items, if any, stay open in your questionnaire.")
}

pub struct ExpiringFile<'a> {
    pub vendor: &'a str,
    pub file_name: &'a str,
    pub kind: Option<&'a str>,
    pub expires_on: Date,
    pub days_left: i64,
}

pub fn evidence_expiry(name: &str, file: &ExpiringFile<'_>, link: &str) -> Letter {
    let when = in_days(file.days_left);
    let what = file.kind.unwrap_or("evidence");
    Letter::new(
        format!("{}'s {what} expires {when}", file.vendor),
        format!("Hello {name},"),
    )
    .paragraph(format!(
        "The {what} \"{}\" that {} provided expires on {}. Once it has expired it no longer counts for the vendor's score; ask the vendor for the current one.",
        file.file_name, file.vendor, file.expires_on
    ))
    .fact("Vendor", file.vendor)
    .fact("File", file.file_name)
    .fact("Expires", file.expires_on.to_string())
    .action("Open the vendor", link)
}

/// A contract coming up for renewal, with the vendor's latest scorecard.
pub struct Renewal<'a> {
    pub vendor: &'a str,
    pub notice_date: Date,
    pub renewal_date: Option<Date>,
    pub days_left: i64,
    /// "High (overall 71.5), decided Approved with conditions on 2026-10-02", when scored.
    pub scorecard: Option<String>,
}

pub fn renewal(name: &str, r: &Renewal<'_>, link: &str) -> Letter {
    let when = in_days(r.days_left);
    let mut letter = Letter::new(
        format!("Decide on renewing {}: notice is due {when}", r.vendor),
        format!("Hello {name},"),
    )
    .paragraph(format!(
        "The last day to give notice not to renew the contract with {} is {}{}. Decide whether to renew before then; the vendor's latest scorecard is below.",
        r.vendor,
        r.notice_date,
        r.renewal_date
            .map(|d| format!(" (it renews on {d})"))
            .unwrap_or_default()
    ))
    .fact("Vendor", r.vendor)
    .fact("Notice by", r.notice_date.to_string());
    if let Some(renews) = r.renewal_date {
        letter = letter.fact("Renews on", renews.to_string());
    }
    letter
        .fact(
            "Latest scorecard",
            r.scorecard
                .clone()
                .unwrap_or_else(|| "not assessed yet".to_owned()),
        )
        .action("Open the vendor", link)
}

pub struct Reassessment<'a> {
    pub vendor: &'a str,
    pub title: &'a str,
    pub tier: &'a str,
    pub months: u32,
    pub completed_on: Date,
    /// The due date, when it was sent automatically.
    pub sent_due: Option<Date>,
}

pub fn reassessment(name: &str, r: &Reassessment<'_>, link: &str) -> Letter {
    let mut letter = Letter::new(
        format!("{} is due for reassessment", r.vendor),
        format!("Hello {name},"),
    )
    .paragraph(format!(
        "{}'s last assessment was completed on {} at residual tier {}; vendors at that tier are reassessed every {} months.",
        r.vendor, r.completed_on, r.tier, r.months
    ));
    letter = match r.sent_due {
        Some(due) => letter.paragraph(format!(
            "\"{}\" was sent to the previous recipients automatically, due on {due}.",
            r.title
        )),
        None => letter.paragraph(format!(
            "A draft of \"{}\" is ready: check the recipients and the due date, then send it.",
            r.title
        )),
    };
    letter.action("Open the assessment", link)
}

pub struct IncidentNotice<'a> {
    pub vendor: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// UTC, as people read it.
    pub discovered: String,
    pub deadline: String,
    pub hours: i32,
    /// Set when the report came after the deadline.
    pub hours_late: Option<i64>,
    pub contact: &'a str,
}

pub fn incident(name: &str, i: &IncidentNotice<'_>, link: &str) -> Letter {
    let timing = match i.hours_late {
        Some(h) => format!(
            "It was reported {h} h after the contract's {}-hour notification deadline ({}).",
            i.hours, i.deadline
        ),
        None => format!(
            "The contract's {}-hour notification deadline is {}.",
            i.hours, i.deadline
        ),
    };
    Letter::new(
        format!("Incident reported by {}: {}", i.vendor, i.title),
        format!("Hello {name},"),
    )
    .paragraph(format!(
        "{} reported an incident, discovered {}.",
        i.vendor, i.discovered
    ))
    .paragraph(i.description)
    .paragraph(timing)
    .fact("Vendor", i.vendor)
    .fact("Discovered", i.discovered.clone())
    .fact("Notification deadline", i.deadline.clone())
    .fact("Contact", i.contact)
    .action("Open the incident", link)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn reminders_say_when_in_words() {
        let q = Questionnaire {
            organization: "Acme",
            vendor: "Globex",
            title: "Security review",
            due: date!(2026 - 12 - 20),
        };
        assert_eq!(
            reminder("Ann", &q, 3).subject,
            "Reminder: \"Security review\" is due in 3 days"
        );
        assert_eq!(
            reminder("Ann", &q, 1).subject,
            "Reminder: \"Security review\" is due tomorrow"
        );
        assert!(
            overdue("Ann", &q)
                .text()
                .contains("by 2026-12-20, and it has not been submitted")
        );
    }
}
