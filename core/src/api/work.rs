//! `GET /api/work`: what waits on the signed-in user, for the home page. Each list is one
//! kind of task, chosen by role: a Risk manager sees what to review and which remediation
//! items are late, Procurement which vendors are late with their answers, both what evidence
//! is about to lapse and which incidents have a notification clock running; an Admin all of
//! them and an Auditor none (nothing waits on someone who only reads).

use serde::{Deserialize, Serialize};

use crate::access::{Permission, Role};
use crate::named;

/// One kind of task on the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// Submitted or under review, oldest submission first.
    AwaitingReview,
    /// Still with the vendor after its due date, longest overdue first.
    OverdueAnswers,
    /// Evidence of a live assessment that expires within [`EXPIRY_WINDOW_DAYS`].
    ExpiringEvidence,
    /// Open remediation items past their due date, longest overdue first.
    RemediationPastDue,
    /// Unresolved incidents, nearest notification deadline first.
    IncidentClocks,
}

named!(WorkKind {
    AwaitingReview => "awaiting_review", "Waiting for review";
    OverdueAnswers => "overdue_answers", "Overdue answers";
    ExpiringEvidence => "expiring_evidence", "Evidence expiring in 30 days";
    RemediationPastDue => "remediation_past_due", "Remediation items past due";
    IncidentClocks => "incident_clocks", "Incidents with the notification clock running";
});

/// How far ahead expiring evidence is listed.
pub const EXPIRY_WINDOW_DAYS: i64 = 30;

/// How many tasks of one kind the home page lists; `total` says how many there are.
pub const WORK_ITEMS_SHOWN: u64 = 10;

impl WorkKind {
    /// Whether this kind of task is `role`'s to act on: the permission its action needs.
    /// Expiring evidence is asked for again by Procurement and weighed by Risk managers.
    pub fn is_for(self, role: Role) -> bool {
        let acts = |p: Permission| role.can(p);
        match self {
            WorkKind::AwaitingReview | WorkKind::RemediationPastDue => {
                acts(Permission::ReviewAssessments)
            }
            WorkKind::OverdueAnswers => acts(Permission::SendAssessments),
            WorkKind::ExpiringEvidence => {
                acts(Permission::SendAssessments) || acts(Permission::ReviewAssessments)
            }
            WorkKind::IncidentClocks => acts(Permission::ManageIncidents),
        }
    }

    /// The kinds `role` sees, in the order the home page shows them.
    pub fn for_role(role: Role) -> Vec<WorkKind> {
        WorkKind::ALL
            .into_iter()
            .filter(|k| k.is_for(role))
            .collect()
    }
}

/// Where a task is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum WorkTarget {
    Assessment(uuid::Uuid),
    Incident(uuid::Uuid),
}

/// One task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkItem {
    pub target: WorkTarget,
    pub vendor_id: uuid::Uuid,
    pub vendor_name: String,
    /// What the task is about, as people read it: the questionnaire's title, the file's
    /// name, the remediation item's or the incident's title.
    pub subject: String,
    /// The date that makes it a task: submitted on, due on, expires on, due on, or the
    /// notification deadline (RFC 3339 for a deadline, ISO 8601 dates otherwise).
    pub when: String,
    /// Past its date (a late incident report, or an item past due).
    pub late: bool,
}

/// One kind of task: how many there are and the first [`WORK_ITEMS_SHOWN`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkList {
    pub kind: WorkKind,
    pub total: u64,
    pub items: Vec<WorkItem>,
}

/// `GET /api/work`: the caller's lists, in [`WorkKind::for_role`] order (empty ones too,
/// so the page can say "nothing waiting").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkView {
    pub lists: Vec<WorkList>,
    /// The organisation has no vendor yet and the caller can register one: the home page
    /// shows the first steps (register a vendor, choose a questionnaire, send it).
    #[serde(default)]
    pub first_steps: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_sees_the_tasks_it_can_act_on() {
        use WorkKind::*;
        assert_eq!(
            WorkKind::for_role(Role::Admin),
            WorkKind::ALL.to_vec(),
            "an Admin can do everything, so sees every list"
        );
        assert_eq!(
            WorkKind::for_role(Role::RiskManager),
            vec![
                AwaitingReview,
                ExpiringEvidence,
                RemediationPastDue,
                IncidentClocks
            ],
            "a Risk manager reviews, follows remediation and incidents, but sends nothing"
        );
        assert_eq!(
            WorkKind::for_role(Role::Procurement),
            vec![OverdueAnswers, ExpiringEvidence, IncidentClocks],
            "Procurement chases answers and evidence, and cannot review"
        );
        assert!(
            WorkKind::for_role(Role::Auditor).is_empty(),
            "nothing waits on an Auditor, who only reads"
        );
    }

    #[test]
    fn a_target_reads_as_kind_and_id_on_the_wire() {
        let id = uuid::Uuid::nil();
        let json = serde_json::to_value(WorkTarget::Incident(id)).expect("serialises");
        assert_eq!(json, serde_json::json!({ "kind": "incident", "id": id }));
    }
}
