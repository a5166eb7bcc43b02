//! The review of a submitted assessment: per-answer review states, decisions and
//! remediation items, as enums with the stable names stored and sent on the wire.

use serde::{Deserialize, Serialize};

use crate::named;

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

/// Whether a question still asks something of the reviewer: not accepted yet, and either
/// below full points as computed from the answer (an override does not settle it: the
/// reviewer still accepts the answer), unanswered, claimed not applicable, or in a
/// clarification that is open or was answered by the vendor. Hidden questions never do:
/// the vendor was not shown them.
pub fn needs_attention(
    score: &crate::scoring::QuestionScore,
    review: Option<ReviewStatus>,
) -> bool {
    use crate::scoring::QuestionStatus;
    match (review, score.status) {
        (Some(ReviewStatus::Accepted), _) | (_, QuestionStatus::Hidden) => false,
        (Some(ReviewStatus::ClarificationRequested | ReviewStatus::Answered), _) => true,
        (None, QuestionStatus::Unanswered | QuestionStatus::NotApplicable) => true,
        (None, QuestionStatus::Scored) => {
            let computed = score
                .overridden
                .as_ref()
                .map_or(score.points, |o| o.computed);
            computed.is_none_or(|p| p < 1.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::{Category, OverriddenPoints, QuestionScore, QuestionStatus};

    fn scored(points: Option<f64>) -> QuestionScore {
        QuestionScore {
            id: "q".to_owned(),
            category: Category::Encryption,
            weight: 1.0,
            status: QuestionStatus::Scored,
            points,
            contribution: 0.0,
            overridden: None,
        }
    }

    #[test]
    fn full_points_or_an_accepted_answer_ask_nothing_of_the_reviewer() {
        assert!(!needs_attention(&scored(Some(1.0)), None));
        assert!(!needs_attention(
            &scored(Some(0.2)),
            Some(ReviewStatus::Accepted)
        ));
        let hidden = QuestionScore {
            status: QuestionStatus::Hidden,
            ..scored(None)
        };
        assert!(!needs_attention(&hidden, None), "the vendor never saw it");
    }

    #[test]
    fn weak_unanswered_not_applicable_or_discussed_answers_need_attention() {
        assert!(
            needs_attention(&scored(Some(0.7)), None),
            "below full points"
        );
        for status in [QuestionStatus::Unanswered, QuestionStatus::NotApplicable] {
            let q = QuestionScore {
                status,
                ..scored(None)
            };
            assert!(needs_attention(&q, None), "{status:?}");
        }
        for review in [ReviewStatus::ClarificationRequested, ReviewStatus::Answered] {
            assert!(
                needs_attention(&scored(Some(1.0)), Some(review)),
                "{review:?}: the conversation is not closed"
            );
        }
    }

    #[test]
    fn an_override_does_not_settle_a_weak_answer_until_it_is_accepted() {
        let overridden = QuestionScore {
            overridden: Some(OverriddenPoints {
                override_id: "o".to_owned(),
                computed: Some(0.0),
            }),
            ..scored(Some(1.0))
        };
        assert!(needs_attention(&overridden, None));
        assert!(!needs_attention(&overridden, Some(ReviewStatus::Accepted)));
    }
}
