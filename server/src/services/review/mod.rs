//! The review of a submitted assessment: its scorecard (computed by `assay-core`, stored as
//! numbered versions whenever it changes), per-answer review and clarification threads,
//! overrides, and the decision that completes the assessment and freezes its scorecard.

use std::collections::BTreeMap;

use assay_core::access::Permission;
use assay_core::api::{
    AcceptRiskRequest, ClarificationRequest, ClarificationView, DecisionRequest, DecisionView,
    OverrideRequest, OverrideView, ReviewRequest, RiskAcceptanceView, ScorecardVersionView,
    ScorecardView,
};
use assay_core::assessment::{self, AssessmentEvent, AssessmentStatus};
use assay_core::incident::IncidentFact;
use assay_core::review::{AuthorKind, DecisionOutcome, ReviewStatus};
use assay_core::risk::{InherentRiskProfile, RiskTier};
use assay_core::scoring::{
    self, EvidenceItem, Override, OverrideTarget, ScheduledChange, ScoreCard, ScoringInput,
    ScoringModel, Settlement,
};
use assay_core::template::Template;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::caller::{UserCaller, VendorCaller};
use crate::db::assessments::{find, find_for_write, names, snapshot, status_of};
use crate::db::entities::{
    answer_review, assessment as entity, assessment_invitation as invitation, clarification,
    decision, evidence, score_override, scorecard,
};
use crate::db::portal::reviews_of;
use crate::db::stored;
use crate::db::vendors;
use crate::error::{Error, Result};
use crate::services::audit::{self, Action, Event};
use crate::services::letters;
use crate::services::mailer;
use crate::services::mailer::{EmailKind, Mailer};
use crate::services::{IN_CHUNK, parse_date, text};
use crate::services::{flat, illegal, rfc3339};
use crate::state::Ctx;

mod acceptances;
mod answer_reviews;
mod clarifications;
mod decisions;
mod overrides;
mod scorecards;

pub use acceptances::*;
pub use answer_reviews::*;
pub use clarifications::*;
pub use decisions::*;
pub use overrides::*;
pub use scorecards::*;

/// An optional last day (`expires_on`, `YYYY-MM-DD`, blank for none) of an override or
/// acceptance (`what`); a day already past is refused.
fn last_day(text: Option<&str>, today: Date, what: &str) -> Result<Option<Date>> {
    let day = text
        .filter(|t| !t.trim().is_empty())
        .map(|t| parse_date("expires_on", t))
        .transpose()?;
    if day.is_some_and(|d| d < today) {
        return Err(Error::validation(
            "expires_on",
            format!("The last day of the {what} has passed."),
        ));
    }
    Ok(day)
}
