//! The assessment lifecycle as a state machine: every status change goes through
//! [`transition`], which refuses illegal moves (the API answers 409). "Overdue" is not a
//! status but derived from the due date.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::named;

/// Where an assessment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssessmentStatus {
    Draft,
    Sent,
    InProgress,
    Submitted,
    UnderReview,
    ReturnedForClarification,
    Completed,
    Cancelled,
}

named!(AssessmentStatus {
    Draft => "draft", "Draft";
    Sent => "sent", "Sent";
    InProgress => "in_progress", "In progress";
    Submitted => "submitted", "Submitted";
    UnderReview => "under_review", "Under review";
    ReturnedForClarification => "returned_for_clarification", "Returned for clarification";
    Completed => "completed", "Completed";
    Cancelled => "cancelled", "Cancelled";
});

impl AssessmentStatus {
    /// Nothing changes a completed or cancelled assessment.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            AssessmentStatus::Completed | AssessmentStatus::Cancelled
        )
    }

    /// The vendor may change answers.
    pub fn vendor_can_answer(self) -> bool {
        matches!(
            self,
            AssessmentStatus::Sent
                | AssessmentStatus::InProgress
                | AssessmentStatus::ReturnedForClarification
        )
    }
}

/// What happens to an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentEvent {
    /// Procurement sends the invitation.
    Send,
    /// The vendor saves a first answer.
    StartAnswering,
    /// The vendor submits.
    Submit,
    /// A risk manager starts reviewing.
    StartReview,
    /// A risk manager asks the vendor to clarify.
    RequestClarification,
    /// A decision completes the review.
    Complete,
    Cancel,
}

impl AssessmentEvent {
    pub const ALL: [AssessmentEvent; 7] = [
        AssessmentEvent::Send,
        AssessmentEvent::StartAnswering,
        AssessmentEvent::Submit,
        AssessmentEvent::StartReview,
        AssessmentEvent::RequestClarification,
        AssessmentEvent::Complete,
        AssessmentEvent::Cancel,
    ];
}

/// The move is not allowed from this status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an assessment that is {from:?} cannot {event:?}")]
pub struct IllegalTransition {
    pub from: AssessmentStatus,
    pub event: AssessmentEvent,
}

/// The status after `event`, or why it cannot happen.
pub fn transition(
    from: AssessmentStatus,
    event: AssessmentEvent,
) -> Result<AssessmentStatus, IllegalTransition> {
    use AssessmentEvent as E;
    use AssessmentStatus as S;
    let to = match (from, event) {
        (S::Draft, E::Send) => S::Sent,
        (S::Sent, E::StartAnswering) => S::InProgress,
        (S::Sent | S::InProgress | S::ReturnedForClarification, E::Submit) => S::Submitted,
        (S::Submitted, E::StartReview) => S::UnderReview,
        (S::Submitted | S::UnderReview, E::RequestClarification) => S::ReturnedForClarification,
        (S::UnderReview, E::Complete) => S::Completed,
        (s, E::Cancel) if !s.is_final() => S::Cancelled,
        _ => return Err(IllegalTransition { from, event }),
    };
    Ok(to)
}

/// Waiting on the vendor past the due date.
pub fn is_overdue(status: AssessmentStatus, due: Date, today: Date) -> bool {
    status.vendor_can_answer() && today > due
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use AssessmentEvent as E;
    use AssessmentStatus as S;

    #[test]
    fn the_happy_path_and_a_clarification_round_trip() {
        let mut status = S::Draft;
        for event in [
            E::Send,
            E::StartAnswering,
            E::Submit,
            E::StartReview,
            E::RequestClarification,
            E::Submit,
            E::StartReview,
            E::Complete,
        ] {
            status = transition(status, event).expect("legal");
        }
        assert_eq!(status, S::Completed);
    }

    #[test]
    fn exactly_the_documented_moves_are_legal() {
        let legal: Vec<(S, E)> = S::ALL
            .iter()
            .flat_map(|s| E::ALL.iter().map(move |e| (*s, *e)))
            .filter(|(s, e)| transition(*s, *e).is_ok())
            .collect();
        let cancellable = S::ALL.iter().filter(|s| !s.is_final()).count();
        // send, start, 3 submits, review, 2 clarifications, complete + every cancel
        assert_eq!(legal.len(), 9 + cancellable, "{legal:?}");
        assert!(
            transition(S::Draft, E::Submit).is_err(),
            "cannot submit what was never sent"
        );
        assert!(
            transition(S::Submitted, E::Complete).is_err(),
            "a decision needs a review"
        );
    }

    #[test]
    fn final_statuses_never_change() {
        for status in [S::Completed, S::Cancelled] {
            for event in E::ALL {
                assert_eq!(
                    transition(status, event),
                    Err(IllegalTransition {
                        from: status,
                        event
                    })
                );
            }
        }
    }

    #[test]
    fn overdue_only_while_waiting_on_the_vendor() {
        let due = date!(2026 - 11 - 30);
        assert!(!is_overdue(S::Sent, due, date!(2026 - 11 - 30)));
        assert!(is_overdue(S::InProgress, due, date!(2026 - 12 - 01)));
        assert!(is_overdue(
            S::ReturnedForClarification,
            due,
            date!(2026 - 12 - 01)
        ));
        assert!(!is_overdue(S::Submitted, due, date!(2027 - 01 - 01)));
        assert!(!is_overdue(S::Completed, due, date!(2027 - 01 - 01)));
    }
}
