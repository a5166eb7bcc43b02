//! The review of a submitted assessment: per-answer review states, decisions and
//! remediation items, as enums with the stable names stored and sent on the wire.

use serde::{Deserialize, Serialize};

macro_rules! named {
    ($ty:ident { $($variant:ident => $name:literal, $label:literal;)+ }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The stable name (stored and on the wire).
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $name),+ }
            }

            /// As people read it.
            pub fn label(self) -> &'static str {
                match self { $($ty::$variant => $label),+ }
            }

            /// The value of a stored name.
            pub fn parse(name: &str) -> Option<$ty> {
                Self::ALL.iter().copied().find(|v| v.as_str() == name)
            }
        }
    };
}

pub(crate) use named;

/// Where the review of one answer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// The reviewer accepted the answer.
    Accepted,
    /// The reviewer asked the vendor to clarify; the vendor may change this answer.
    ClarificationRequested,
    /// The vendor replied or changed the answer; it waits for the reviewer again.
    Answered,
}

named!(ReviewStatus {
    Accepted => "accepted", "Accepted";
    ClarificationRequested => "clarification_requested", "Clarification requested";
    Answered => "answered", "Vendor answered";
});

/// Who wrote a clarification message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuthorKind {
    Reviewer,
    Vendor,
}

named!(AuthorKind {
    Reviewer => "reviewer", "Reviewer";
    Vendor => "vendor", "Vendor";
});

/// The outcome of a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DecisionOutcome {
    Approved,
    ApprovedWithConditions,
    Rejected,
}

named!(DecisionOutcome {
    Approved => "approved", "Approved";
    ApprovedWithConditions => "approved_with_conditions", "Approved with conditions";
    Rejected => "rejected", "Rejected";
});

/// Whether a remediation item still needs work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RemediationStatus {
    Open,
    Closed,
}

named!(RemediationStatus {
    Open => "open", "Open";
    Closed => "closed", "Closed";
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_round_trip_and_match_the_wire() {
        for outcome in DecisionOutcome::ALL {
            assert_eq!(DecisionOutcome::parse(outcome.as_str()), Some(*outcome));
            let wire = serde_json::to_value(outcome).expect("json");
            assert_eq!(wire, outcome.as_str());
        }
        for status in ReviewStatus::ALL {
            assert_eq!(serde_json::to_value(status).expect("json"), status.as_str());
        }
        assert_eq!(RemediationStatus::parse("pending"), None);
    }
}
