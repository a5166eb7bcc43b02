//! The append-only, tamper-evident audit log. Every entry belongs to a chain (its
//! organisation, or `system`) and stores `prev_hash` and
//! `hash = SHA-256(prev_hash ‖ "\n" ‖ canonical JSON of the entry)`. Appends take the chain's
//! head row first, which serialises writers on both SQLite and PostgreSQL, and happen in the
//! caller's transaction, so a change and its audit entry commit together or not at all.

use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use uuid::Uuid;

use assay_core::api::CursorPage;

use crate::caller::UserCaller;
use crate::db::entities::{audit_chain_head, audit_log};
use crate::error::{Error, Result};
use crate::services::pages::{PageRequest, foreign};

/// UTC with exactly six fractional digits: fixed width, so text order is time order, and
/// the stored text is exactly what was hashed.
const TIMESTAMP: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// Formats an instant the way audit entries store it.
pub fn format_timestamp(t: OffsetDateTime) -> Result<String> {
    t.to_offset(time::UtcOffset::UTC)
        .format(TIMESTAMP)
        .map_err(|e| Error::Internal(e.into()))
}

/// The hash a chain starts from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const SYSTEM_CHAIN: &str = "system";

/// What happened. The stored name is stable; never rename one that has shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    OrganisationCreated,
    UserCreated,
    UserInvited,
    UserUpdated,
    InvitationAccepted,
    PasswordResetSent,
    SignInSucceeded,
    SignInFailed,
    SignedOut,
    PasswordChanged,
    PasswordReset,
    MfaEnabled,
    MfaDisabled,
    OrganisationUpdated,
    VendorCreated,
    VendorUpdated,
    VendorArchived,
    VendorRestored,
    VendorContractUpdated,
    TemplateImported,
    TemplatePublished,
    TemplateDraftSaved,
    AssessmentSent,
    AssessmentCancelled,
    AssessmentDueDateChanged,
    AssessmentResent,
    AssessmentLinksRevoked,
    RecipientResent,
    RecipientLinksRevoked,
    AssessmentSubmitted,
    PortalOpened,
    SectionDelegated,
    EvidenceUploaded,
    EvidenceRemoved,
    AnswerAccepted,
    ClarificationRequested,
    ClarificationAnswered,
    ScoreOverridden,
    OverrideWithdrawn,
    RiskAccepted,
    RiskAcceptanceWithdrawn,
    AssessmentDecided,
    RemediationCreated,
    RemediationUpdated,
    RemediationClosed,
    ScoringModelPublished,
    ApiTokenCreated,
    ApiTokenRevoked,
    ExportDownloaded,
    SchedulesUpdated,
    ExchangeRatesUpdated,
    ContractPolicyUpdated,
    RenewalReminded,
    SubprocessorsUpdated,
    ClientProfileUpdated,
    RegimesUpdated,
    AdequacyUpdated,
    AnswersImported,
    ReminderSent,
    EvidenceExpiryAlerted,
    ReassessmentPrepared,
    IncidentReported,
    IncidentUpdated,
    IncidentResolved,
    SigningKeyCreated,
    EvidencePackDownloaded,
    BulkSendStarted,
    BulkSendFinished,
    SsoSettingsUpdated,
}

assay_core::named!(Action {
    OrganisationCreated => "organisation.created", "Organisation created";
    UserCreated => "user.created", "User created";
    UserInvited => "user.invited", "User invited";
    UserUpdated => "user.updated", "User changed";
    InvitationAccepted => "user.invitation_accepted", "Invitation accepted";
    PasswordResetSent => "user.password_reset_sent", "Password reset link sent";
    SignInSucceeded => "auth.sign_in_succeeded", "Signed in";
    SignInFailed => "auth.sign_in_failed", "Sign-in failed";
    SignedOut => "auth.signed_out", "Signed out";
    PasswordChanged => "auth.password_changed", "Password changed";
    PasswordReset => "auth.password_reset", "Password reset";
    MfaEnabled => "auth.mfa_enabled", "Two-factor sign-in turned on";
    MfaDisabled => "auth.mfa_disabled", "Two-factor sign-in turned off";
    OrganisationUpdated => "organisation.updated", "Organisation settings changed";
    VendorCreated => "vendor.created", "Vendor registered";
    VendorUpdated => "vendor.updated", "Vendor changed";
    VendorArchived => "vendor.archived", "Vendor archived";
    VendorRestored => "vendor.restored", "Vendor restored";
    VendorContractUpdated => "vendor.contract_updated", "Contract terms changed";
    TemplateImported => "template.imported", "Template imported";
    TemplateDraftSaved => "template.draft_saved", "Template draft saved";
    TemplatePublished => "template.published", "Template published";
    AssessmentSent => "assessment.sent", "Questionnaire sent";
    AssessmentCancelled => "assessment.cancelled", "Assessment cancelled";
    AssessmentDueDateChanged => "assessment.due_date_changed", "Due date changed";
    AssessmentResent => "assessment.resent", "Link sent again";
    AssessmentLinksRevoked => "assessment.links_revoked", "Links revoked";
    RecipientResent => "assessment.recipient_resent", "Link sent again to one recipient";
    RecipientLinksRevoked => "assessment.recipient_links_revoked", "One recipient's links revoked";
    AssessmentSubmitted => "assessment.submitted", "Answers submitted";
    PortalOpened => "portal.opened", "Portal opened";
    SectionDelegated => "portal.section_delegated", "Section delegated";
    EvidenceUploaded => "evidence.uploaded", "Evidence uploaded";
    EvidenceRemoved => "evidence.removed", "Evidence removed";
    AnswerAccepted => "review.answer_accepted", "Answer accepted";
    ClarificationRequested => "review.clarification_requested", "Clarification requested";
    ClarificationAnswered => "review.clarification_answered", "Clarification answered";
    ScoreOverridden => "review.score_overridden", "Score overridden";
    OverrideWithdrawn => "review.override_withdrawn", "Override withdrawn";
    RiskAccepted => "review.risk_accepted", "Risk accepted";
    RiskAcceptanceWithdrawn => "review.risk_acceptance_withdrawn", "Risk acceptance withdrawn";
    AssessmentDecided => "assessment.decided", "Decision recorded";
    RemediationCreated => "remediation.created", "Remediation item raised";
    RemediationUpdated => "remediation.updated", "Remediation item changed";
    RemediationClosed => "remediation.closed", "Remediation item closed";
    ScoringModelPublished => "scoring_model.published", "Scoring model published";
    ApiTokenCreated => "api_token.created", "API token created";
    ApiTokenRevoked => "api_token.revoked", "API token revoked";
    ExportDownloaded => "export.downloaded", "Export downloaded";
    SchedulesUpdated => "schedules.updated", "Schedules changed";
    ExchangeRatesUpdated => "exchange_rates.updated", "Exchange rates changed";
    ContractPolicyUpdated => "contract_policy.updated", "Contract policy changed";
    RenewalReminded => "contract.renewal_reminded", "Renewal reminder sent";
    SubprocessorsUpdated => "vendor.subprocessors_updated", "Subprocessor register changed";
    ClientProfileUpdated => "client_profile.updated", "Organisation profile changed";
    RegimesUpdated => "regimes.updated", "Regulatory regimes changed";
    AdequacyUpdated => "adequacy.updated", "Adequacy lists changed";
    AnswersImported => "answers.imported", "Answers imported from a spreadsheet";
    ReminderSent => "reminder.sent", "Reminder sent";
    EvidenceExpiryAlerted => "evidence.expiry_alerted", "Evidence expiry alert sent";
    ReassessmentPrepared => "reassessment.prepared", "Reassessment prepared";
    IncidentReported => "incident.reported", "Incident reported";
    IncidentUpdated => "incident.updated", "Incident changed";
    IncidentResolved => "incident.resolved", "Incident resolved";
    SigningKeyCreated => "organisation.signing_key_created", "Evidence-pack signing key created";
    EvidencePackDownloaded => "export.evidence_pack_downloaded", "Evidence pack downloaded";
    BulkSendStarted => "bulk_send.started", "Questionnaire sent to many vendors";
    BulkSendFinished => "bulk_send.finished", "Bulk send finished";
    SsoSettingsUpdated => "sso_settings.updated", "Single sign-on settings changed";
});

/// Who did it: a user, or an operator tool / the system (no id).
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<Uuid>,
    pub label: String,
}

impl Actor {
    pub fn user(id: Uuid, email: &str) -> Self {
        Actor {
            id: Some(id),
            label: email.to_owned(),
        }
    }
    pub fn operator() -> Self {
        Actor {
            id: None,
            label: "operator (CLI)".to_owned(),
        }
    }
    /// Assay's own scheduler (reminders, alerts, reassessments).
    pub fn scheduler() -> Self {
        Actor {
            id: None,
            label: "scheduler".to_owned(),
        }
    }
    pub fn anonymous() -> Self {
        Actor {
            id: None,
            label: "anonymous".to_owned(),
        }
    }
}

/// An event to record. `detail` must never contain secrets (passwords, tokens, codes).
#[derive(Debug, Clone)]
pub struct Event {
    pub organization_id: Option<Uuid>,
    pub actor: Actor,
    pub action: Action,
    pub target: Option<(&'static str, String)>,
    pub detail: serde_json::Value,
}

impl Event {
    /// Something a user did to their own account (sign-in, password, MFA).
    pub fn own_account(
        organization_id: Uuid,
        user_id: Uuid,
        email: &str,
        action: Action,
        detail: serde_json::Value,
    ) -> Event {
        Event {
            organization_id: Some(organization_id),
            actor: Actor::user(user_id, email),
            action,
            target: Some(("user", user_id.to_string())),
            detail,
        }
    }

    /// Something a vendor did through the portal, named by `who` (their email or name, or
    /// "vendor").
    pub fn by_vendor(
        organization_id: Uuid,
        who: impl Into<String>,
        action: Action,
        target: (&'static str, String),
        detail: serde_json::Value,
    ) -> Event {
        Event {
            organization_id: Some(organization_id),
            actor: Actor {
                id: None,
                label: who.into(),
            },
            action,
            target: Some(target),
            detail,
        }
    }

    /// Something a signed-in user did in their own organisation.
    pub fn by(
        user: &UserCaller,
        action: Action,
        target: (&'static str, String),
        detail: serde_json::Value,
    ) -> Event {
        Event {
            organization_id: Some(user.organization_id),
            actor: Actor::user(user.id, &user.email),
            action,
            target: Some(target),
            detail,
        }
    }
}

/// The fields that are hashed, in a fixed order.
#[derive(Serialize)]
struct Canonical<'a> {
    chain: &'a str,
    seq: i64,
    organization_id: Option<Uuid>,
    actor_id: Option<Uuid>,
    actor: &'a str,
    action: &'a str,
    target_type: Option<&'a str>,
    target_id: Option<&'a str>,
    occurred_at: &'a str,
    request_id: Option<&'a str>,
    /// The detail exactly as stored: hashing it verbatim keeps verification byte-stable
    /// (parsing and printing again is not, for floats such as 94.09090909090912).
    detail: &'a RawValue,
}

fn entry_hash(prev_hash: &str, canonical: &Canonical<'_>) -> Result<String> {
    // serde_json's maps are ordered by key (no preserve_order), so this is canonical.
    let json = serde_json::to_string(canonical).map_err(|e| Error::Internal(e.into()))?;
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(json.as_bytes());
    Ok(hex::encode(hasher.finalize()))
}

fn chain_of(organization_id: Option<Uuid>) -> String {
    organization_id.map_or_else(|| SYSTEM_CHAIN.to_owned(), |id| id.to_string())
}

/// Appends `event` to its chain. Call inside the transaction that makes the change.
pub async fn record(conn: &impl ConnectionTrait, event: Event, now: OffsetDateTime) -> Result<()> {
    let chain = chain_of(event.organization_id);
    audit_chain_head::Entity::insert(audit_chain_head::ActiveModel {
        chain: Set(chain.clone()),
        last_seq: Set(0),
        last_hash: Set(GENESIS.to_owned()),
    })
    .on_conflict(
        OnConflict::column(audit_chain_head::Column::Chain)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    // Taking the head row's write lock first orders concurrent appends to one chain.
    audit_chain_head::Entity::update_many()
        .col_expr(
            audit_chain_head::Column::LastSeq,
            Expr::col(audit_chain_head::Column::LastSeq).add(1),
        )
        .filter(audit_chain_head::Column::Chain.eq(&chain))
        .exec(conn)
        .await?;
    let head = audit_chain_head::Entity::find_by_id(chain.clone())
        .one(conn)
        .await?
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("audit chain head vanished")))?;

    let occurred_at = format_timestamp(now)?;
    let request_id = crate::request_id::current();
    let (target_type, target_id) = match &event.target {
        Some((kind, id)) => (Some(*kind), Some(id.as_str())),
        None => (None, None),
    };
    let detail = serde_json::to_string(&event.detail).map_err(|e| Error::Internal(e.into()))?;
    let stored_detail = RawValue::from_string(detail.clone()).map_err(Error::internal)?;
    let canonical = Canonical {
        chain: &chain,
        seq: head.last_seq,
        organization_id: event.organization_id,
        actor_id: event.actor.id,
        actor: &event.actor.label,
        action: event.action.as_str(),
        target_type,
        target_id,
        occurred_at: &occurred_at,
        request_id: request_id.as_deref(),
        detail: &stored_detail,
    };
    let hash = entry_hash(&head.last_hash, &canonical)?;
    audit_log::Entity::insert(audit_log::ActiveModel {
        chain: Set(chain.clone()),
        seq: Set(head.last_seq),
        organization_id: Set(event.organization_id),
        actor_id: Set(event.actor.id),
        actor: Set(event.actor.label.clone()),
        action: Set(event.action.as_str().to_owned()),
        target_type: Set(target_type.map(str::to_owned)),
        target_id: Set(target_id.map(str::to_owned)),
        occurred_at: Set(occurred_at),
        request_id: Set(request_id),
        detail: Set(detail),
        prev_hash: Set(head.last_hash.clone()),
        hash: Set(hash.clone()),
        ..Default::default()
    })
    .exec_without_returning(conn)
    .await?;
    audit_chain_head::Entity::update_many()
        .col_expr(audit_chain_head::Column::LastHash, Expr::value(hash))
        .filter(audit_chain_head::Column::Chain.eq(&chain))
        .exec(conn)
        .await?;
    Ok(())
}

/// The outcome of checking one chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ChainReport {
    pub chain: String,
    pub entries_checked: u64,
    pub intact: bool,
    /// The first entry that does not match, with why.
    pub first_broken: Option<BrokenEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BrokenEntry {
    pub id: i64,
    pub seq: i64,
    pub reason: String,
}

/// Recomputes every hash of a chain in order and names the first entry that does not fit.
pub async fn verify_chain(
    conn: &impl ConnectionTrait,
    organization_id: Option<Uuid>,
) -> Result<ChainReport> {
    let chain = chain_of(organization_id);
    const PAGE: u64 = 1_000;
    let mut prev_hash = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut checked = 0u64;
    let broken = |row: &audit_log::Model, reason: &str, checked| ChainReport {
        chain: chain.clone(),
        entries_checked: checked,
        intact: false,
        first_broken: Some(BrokenEntry {
            id: row.id,
            seq: row.seq,
            reason: reason.to_owned(),
        }),
    };
    loop {
        let rows = audit_log::Entity::find()
            .filter(audit_log::Column::Chain.eq(&chain))
            .filter(audit_log::Column::Seq.gte(expected_seq))
            .order_by_asc(audit_log::Column::Seq)
            .limit(PAGE)
            .all(conn)
            .await?;
        let page_len = rows.len() as u64;
        for row in rows {
            checked += 1;
            if row.seq != expected_seq {
                return Ok(broken(&row, "an entry before this one is missing", checked));
            }
            if row.prev_hash != prev_hash {
                return Ok(broken(
                    &row,
                    "prev_hash does not match the previous entry",
                    checked,
                ));
            }
            let detail: &RawValue = match serde_json::from_str(&row.detail) {
                Ok(detail) => detail,
                Err(_) => return Ok(broken(&row, "detail is not valid JSON", checked)),
            };
            let canonical = Canonical {
                chain: &row.chain,
                seq: row.seq,
                organization_id: row.organization_id,
                actor_id: row.actor_id,
                actor: &row.actor,
                action: &row.action,
                target_type: row.target_type.as_deref(),
                target_id: row.target_id.as_deref(),
                occurred_at: &row.occurred_at,
                request_id: row.request_id.as_deref(),
                detail,
            };
            let hash = entry_hash(&prev_hash, &canonical)?;
            if hash != row.hash {
                return Ok(broken(
                    &row,
                    "content does not match its hash (altered)",
                    checked,
                ));
            }
            prev_hash = hash;
            expected_seq += 1;
        }
        if page_len < PAGE {
            break;
        }
    }
    // Entries deleted from the end leave the head pointing past the last entry.
    let head = audit_chain_head::Entity::find_by_id(chain.clone())
        .one(conn)
        .await?;
    if let Some(head) = head
        && (head.last_seq != expected_seq - 1 || head.last_hash != prev_hash)
    {
        return Ok(ChainReport {
            chain: chain.clone(),
            entries_checked: checked,
            intact: false,
            first_broken: Some(BrokenEntry {
                id: 0,
                seq: expected_seq,
                reason: format!(
                    "the chain should end at entry {} but ends at {}: entries were removed",
                    head.last_seq,
                    expected_seq - 1
                ),
            }),
        });
    }
    Ok(ChainReport {
        chain,
        entries_checked: checked,
        intact: true,
        first_broken: None,
    })
}

/// Every chain's id (organisations and `system`), for the operator's full check.
pub async fn chains(conn: &impl ConnectionTrait) -> Result<Vec<Option<Uuid>>> {
    let heads = audit_chain_head::Entity::find()
        .order_by_asc(audit_chain_head::Column::Chain)
        .all(conn)
        .await?;
    Ok(heads
        .into_iter()
        .map(|h| Uuid::parse_str(&h.chain).ok())
        .collect())
}

/// Filters for listing an organisation's entries.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
}

/// A keyset page of an organisation's entries, newest first (by their place in the
/// organisation's chain), with the total matching: a count and one query walking the
/// chain's unique `(chain, seq)` index down from the cursor. `after` is the `next` of the
/// previous page, read with the same filters (a cursor from other filters or another
/// organisation is refused naming `after`); `limit` is 1 to 200.
pub async fn list(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    filter: &Filter,
    after: Option<&str>,
    limit: Option<u64>,
) -> Result<CursorPage<audit_log::Model>> {
    let scope = serde_json::json!([
        organization_id,
        filter.actor,
        filter.action,
        filter.from.map(format_timestamp).transpose()?,
        filter.to.map(format_timestamp).transpose()?
    ])
    .to_string();
    let page = PageRequest::parse_scoped(after, limit, 1, &scope)?;
    let query = filtered(organization_id, filter)?;
    let total = query.clone().count(conn).await?;
    let query = match page.after() {
        Some([seq]) => {
            query.filter(audit_log::Column::Seq.lt(seq.parse::<i64>().map_err(|_| foreign())?))
        }
        Some(_) => return Err(foreign()),
        None => query,
    };
    let rows = query
        .order_by_desc(audit_log::Column::Seq)
        .limit(page.fetch())
        .all(conn)
        .await?;
    let (items, next) = page.finish(rows, |row| vec![row.seq.to_string()]);
    Ok(CursorPage { items, total, next })
}

/// Every matching entry, oldest first (for exports).
pub async fn all(
    conn: &impl ConnectionTrait,
    organization_id: Uuid,
    filter: &Filter,
) -> Result<Vec<audit_log::Model>> {
    Ok(filtered(organization_id, filter)?
        .order_by_asc(audit_log::Column::Seq)
        .all(conn)
        .await?)
}

fn filtered(organization_id: Uuid, filter: &Filter) -> Result<sea_orm::Select<audit_log::Entity>> {
    let mut query =
        audit_log::Entity::find().filter(audit_log::Column::Chain.eq(organization_id.to_string()));
    if let Some(actor) = &filter.actor {
        query = query.filter(crate::db::contains(
            sea_orm::sea_query::Expr::col(audit_log::Column::Actor),
            actor,
        ));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_log::Column::Action.starts_with(action));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::Column::OccurredAt.gte(format_timestamp(from)?));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_log::Column::OccurredAt.lt(format_timestamp(to)?));
    }
    Ok(query)
}
