//! Bulk sends: one questionnaire to many vendors at once. Which of a vendor's contacts a
//! send goes to (the recipients rule), what each vendor's send came to, and why a vendor
//! was passed over. Pure: the server reads the vendors and contacts, this decides.

use serde::{Deserialize, Serialize};

/// The most vendors one bulk send reaches: more is refused up front, naming `vendors`.
pub const MAX_VENDORS: usize = 5_000;

/// Which of each vendor's contacts receive the questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum RecipientsRule {
    /// The vendor's main contact: the first contact registered with it.
    Primary,
    /// Every contact of the vendor; with `role`, only those whose role is that text (in
    /// any case, spaces around it ignored).
    All {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
}

/// One vendor contact, as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub email: String,
    pub role: Option<String>,
}

/// Why a vendor of a bulk send got nothing. The stored name is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The vendor has no contacts at all.
    NoContact,
    /// None of its contacts has the role the rule names.
    NoContactWithRole,
    /// An assessment of the vendor is still open (a draft, or not yet completed or
    /// cancelled): a second one would ask the vendor twice.
    AssessmentOpen,
    /// The vendor is archived.
    VendorArchived,
}

crate::named!(SkipReason {
    NoContact => "no_contact", "The vendor has no contact.";
    NoContactWithRole => "no_contact_with_role", "No contact of the vendor has that role.";
    AssessmentOpen => "assessment_open", "An assessment of this vendor is already open.";
    VendorArchived => "vendor_archived", "The vendor is archived.";
});

/// What one vendor's send came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemResult {
    /// Not looked at yet.
    Pending,
    /// An assessment was created and its links emailed.
    Sent,
    /// Passed over, for a reason people can act on.
    Skipped,
    /// Could not be sent (the reason says why); nothing was created for the vendor.
    Failed,
}

crate::named!(ItemResult {
    Pending => "pending", "Waiting";
    Sent => "sent", "Sent";
    Skipped => "skipped", "Skipped";
    Failed => "failed", "Failed";
});

/// Where a bulk send stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BulkSendStatus {
    /// Accepted; no vendor looked at yet.
    Queued,
    /// Some vendors done, some still waiting.
    Running,
    /// Every vendor has its result.
    Done,
}

crate::named!(BulkSendStatus {
    Queued => "queued", "Queued";
    Running => "running", "Sending";
    Done => "done", "Done";
});

impl RecipientsRule {
    /// The rule with its role trimmed, and an empty role read as none.
    pub fn normalized(self) -> RecipientsRule {
        match self {
            RecipientsRule::Primary => RecipientsRule::Primary,
            RecipientsRule::All { role } => RecipientsRule::All {
                role: role.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()),
            },
        }
    }

    /// Who receives the questionnaire among `contacts` (in the order they were
    /// registered, the first being the main contact), each address once; or why nobody
    /// does.
    pub fn recipients<'a>(&self, contacts: &'a [Contact]) -> Result<Vec<&'a Contact>, SkipReason> {
        if contacts.is_empty() {
            return Err(SkipReason::NoContact);
        }
        let chosen: Vec<&Contact> = match self {
            RecipientsRule::Primary => contacts.iter().take(1).collect(),
            RecipientsRule::All { role: None } => contacts.iter().collect(),
            RecipientsRule::All { role: Some(role) } => {
                let wanted = role.trim().to_lowercase();
                contacts
                    .iter()
                    .filter(|c| {
                        c.role
                            .as_deref()
                            .is_some_and(|r| r.trim().to_lowercase() == wanted)
                    })
                    .collect()
            }
        };
        let mut seen = std::collections::BTreeSet::new();
        let chosen: Vec<&Contact> = chosen
            .into_iter()
            .filter(|c| seen.insert(c.email.to_lowercase()))
            .collect();
        if chosen.is_empty() {
            return Err(SkipReason::NoContactWithRole);
        }
        Ok(chosen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(name: &str, email: &str, role: Option<&str>) -> Contact {
        Contact {
            name: name.to_owned(),
            email: email.to_owned(),
            role: role.map(str::to_owned),
        }
    }

    #[test]
    fn the_primary_rule_picks_the_first_registered_contact() {
        let contacts = [
            contact("Zoe", "zoe@v.test", None),
            contact("Adam", "adam@v.test", Some("Security")),
        ];
        let chosen = RecipientsRule::Primary
            .recipients(&contacts)
            .expect("a recipient");
        assert_eq!(
            chosen,
            vec![&contacts[0]],
            "the first registered, not by name"
        );
    }

    #[test]
    fn the_role_rule_matches_in_any_case_and_each_address_once() {
        let contacts = [
            contact("Zoe", "zoe@v.test", Some("Sales")),
            contact("Adam", "adam@v.test", Some(" security lead ")),
            contact("Ada", "ADAM@v.test", Some("Security Lead")),
            contact("Eve", "eve@v.test", Some("Security lead")),
        ];
        let rule = RecipientsRule::All {
            role: Some("Security LEAD".to_owned()),
        };
        let chosen: Vec<&str> = rule
            .recipients(&contacts)
            .expect("recipients")
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(chosen, ["Adam", "Eve"]);
        let everyone = RecipientsRule::All { role: None }
            .recipients(&contacts)
            .expect("recipients");
        assert_eq!(everyone.len(), 3, "ADAM@ and adam@ are one address");
    }

    #[test]
    fn a_vendor_without_contacts_or_without_the_role_is_skipped_with_its_reason() {
        assert_eq!(
            RecipientsRule::Primary.recipients(&[]),
            Err(SkipReason::NoContact)
        );
        let contacts = [contact("Zoe", "zoe@v.test", None)];
        let rule = RecipientsRule::All {
            role: Some("DPO".to_owned()),
        };
        assert_eq!(
            rule.recipients(&contacts),
            Err(SkipReason::NoContactWithRole)
        );
    }

    #[test]
    fn a_blank_role_means_every_contact() {
        let rule = RecipientsRule::All {
            role: Some("  ".to_owned()),
        }
        .normalized();
        assert_eq!(rule, RecipientsRule::All { role: None });
    }

    #[test]
    fn stored_names_are_the_wire_names() {
        crate::named::assert_names_are_the_wire::<SkipReason>();
        crate::named::assert_names_are_the_wire::<ItemResult>();
        crate::named::assert_names_are_the_wire::<BulkSendStatus>();
    }
}
