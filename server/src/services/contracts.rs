//! Contracts (#17): a vendor's terms in force with their history, checked as they are saved
//! (every term sane, each save a new version), what the terms raise by themselves (a
//! liability cap below the client's required minimum, a term the organisation's policy
//! requires), and the organisation's contract policy.
//!
//! Scoring reads the contract in force and the policy (`review::scorecards`): a save
//! records the vendor's latest scorecard again, a policy change marks every submitted
//! assessment changing so the scheduler's sweep records their cards.

use assay_core::access::Permission;
use assay_core::api::{
    BreachNoticeView, ContractVersionView, ContractView, CursorPage, VendorView,
};
use assay_core::contract::{Contract, ContractFinding, ContractPolicy, PolicySubject};
use assay_core::regime;
use assay_core::risk::{Criticality, DataType, RiskTier};
use serde_json::json;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::contracts::{self as db, PolicyColumn};
use crate::db::entities::{contract_version, vendor};
use crate::error::{Error, Result};
use crate::services::audit::{self, Action, Event};
use crate::services::org_settings::{self, OrgSettings};
use crate::services::restored;
use crate::state::Ctx;

/// Versions per page of a contract's history.
const HISTORY_PAGE: u64 = 50;

/// The terms of a stored version.
pub(crate) fn terms(model: &contract_version::Model) -> Result<Contract> {
    serde_json::from_str(&model.terms).map_err(|e| {
        Error::internal(anyhow::anyhow!(
            "contract version {} of vendor {} is unreadable: {e}",
            model.version,
            model.vendor_id
        ))
    })
}

/// The organisation's contract policy (no rules until an Admin sets one).
pub(crate) async fn policy_of(
    conn: &impl sea_orm::ConnectionTrait,
    organization_id: Uuid,
) -> Result<ContractPolicy> {
    Ok(crate::services::org_settings::read(conn, organization_id)
        .await?
        .policy)
}

/// What the terms raise without any answer: the liability cap against the client's own
/// minimum, and the organisation's policy for a vendor like this one.
pub(crate) fn findings(
    terms: &Contract,
    policy: &ContractPolicy,
    vendor: &vendor::Model,
) -> Result<Vec<ContractFinding>> {
    let data_types: std::collections::BTreeSet<DataType> =
        serde_json::from_str(&vendor.data_types).unwrap_or_default();
    let criticality: Criticality = restored(&vendor.criticality)?;
    let tier: RiskTier = restored(&vendor.inherent_tier)?;
    let subject = PolicySubject {
        data_types: &data_types,
        criticality,
        tier,
    };
    Ok(terms
        .liability_shortfall()
        .into_iter()
        .chain(policy.check(&subject, terms))
        .collect())
}

/// What the regulations that apply to the client and this vendor propose for the
/// breach-notification term; none until the organisation's profile is set.
pub(crate) fn breach_notice(
    settings: &OrgSettings,
    vendor: &vendor::Model,
) -> Option<BreachNoticeView> {
    let client = settings.client.as_ref()?;
    let data_types: std::collections::BTreeSet<DataType> =
        serde_json::from_str(&vendor.data_types).unwrap_or_default();
    let regimes = settings.regimes();
    let applicable = regime::applicable(&regimes, client, &data_types);
    Some(BreachNoticeView {
        regimes: applicable.iter().map(|r| r.name.clone()).collect(),
        proposal: regime::propose_notification_hours(&applicable, client.margin_hours),
    })
}

/// The contract in force of a vendor whose row the caller already read (none while no
/// terms are recorded), and what the regulations propose for its breach notice.
pub(crate) async fn view_of(
    conn: &impl sea_orm::ConnectionTrait,
    vendor: &vendor::Model,
) -> Result<(Option<ContractView>, Option<BreachNoticeView>)> {
    let settings = org_settings::read(conn, vendor.organization_id).await?;
    let notice = breach_notice(&settings, vendor);
    let Some(model) = db::current(conn, vendor.organization_id, vendor.id).await? else {
        return Ok((None, notice));
    };
    let names = crate::db::accounts::display_names(conn, model.changed_by).await?;
    let terms = terms(&model)?;
    let view = ContractView {
        version: u32::try_from(model.version).unwrap_or_default(),
        findings: findings(&terms, &settings.policy, vendor)?,
        terms,
        changed_at: Some(crate::services::rfc3339(model.changed_at)),
        changed_by: model.changed_by.and_then(|id| names.get(&id).cloned()),
        breach_notice: notice.clone(),
    };
    Ok((Some(view), notice))
}

/// `GET /api/vendors/{id}/contract`: the terms in force (version 0 and no terms while none
/// are recorded).
pub async fn current(ctx: &Ctx, user: &UserCaller, vendor_id: Uuid) -> Result<ContractView> {
    user.require(Permission::ReadVendors)?;
    let vendor = crate::db::vendors::find(&ctx.db, user.organization_id, vendor_id)
        .await?
        .ok_or(Error::NotFound)?;
    let (contract, breach_notice) = view_of(&ctx.db, &vendor).await?;
    Ok(contract.unwrap_or(ContractView {
        breach_notice,
        ..ContractView::default()
    }))
}

/// `GET /api/vendors/{id}/contracts`: every saved version, newest first, 50 a page
/// (`after` is the cursor of the page before: the last version number it showed).
pub async fn history(
    ctx: &Ctx,
    user: &UserCaller,
    vendor_id: Uuid,
    after: Option<&str>,
) -> Result<CursorPage<ContractVersionView>> {
    user.require(Permission::ReadVendors)?;
    let before =
        match after.map(str::trim).filter(|a| !a.is_empty()) {
            Some(cursor) => Some(cursor.parse::<i32>().ok().filter(|v| *v > 0).ok_or_else(
                || Error::validation("after", "Use the `next` value of the page before."),
            )?),
            None => None,
        };
    let vendor = crate::db::vendors::find(&ctx.db, user.organization_id, vendor_id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut rows = db::history(
        &ctx.db,
        user.organization_id,
        vendor.id,
        before,
        HISTORY_PAGE + 1,
    )
    .await?;
    let more = rows.len() as u64 > HISTORY_PAGE;
    rows.truncate(HISTORY_PAGE as usize);
    let names =
        crate::db::accounts::display_names(&ctx.db, rows.iter().filter_map(|r| r.changed_by))
            .await?;
    // The newest version's number is how many there are: versions are never deleted.
    let total = match (before, rows.first()) {
        (None, Some(first)) => u64::try_from(first.version).unwrap_or_default(),
        _ => db::current(&ctx.db, user.organization_id, vendor.id)
            .await?
            .map_or(0, |c| u64::try_from(c.version).unwrap_or_default()),
    };
    let next = more
        .then(|| rows.last().map(|r| r.version.to_string()))
        .flatten();
    let items = rows
        .iter()
        .map(|row| {
            Ok(ContractVersionView {
                version: u32::try_from(row.version).unwrap_or_default(),
                terms: terms(row)?,
                changed_at: crate::services::rfc3339(row.changed_at),
                changed_by: row.changed_by.and_then(|id| names.get(&id).cloned()),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(CursorPage { items, total, next })
}

/// `PUT /api/vendors/{id}/contract` (Procurement, Admin): the terms become the next
/// version. A term that is not sane is refused naming its field, and nothing is saved.
pub async fn set(
    ctx: &Ctx,
    user: &UserCaller,
    vendor_id: Uuid,
    terms: Contract,
) -> Result<VendorView> {
    user.require(Permission::ManageVendors)?;
    if let Some((field, message)) = terms.problems().into_iter().next() {
        return Err(Error::validation(field, message));
    }
    let body = serde_json::to_string(&terms).map_err(Error::internal)?;
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    let vendor = db::lock_vendor(&txn, user.organization_id, vendor_id)
        .await?
        .ok_or(Error::NotFound)?;
    let saved = db::insert_next(
        &txn,
        user.organization_id,
        vendor.id,
        body,
        terms.notice_date,
        user.id,
        now,
    )
    .await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::VendorContractUpdated,
            ("vendor", vendor.id.to_string()),
            json!({ "version": saved.version, "terms": terms }),
        ),
        now,
    )
    .await?;
    // Contract checks read the terms: the latest scorecard is recorded under the new ones.
    crate::services::review::record_latest_of_vendor(&txn, user.organization_id, vendor.id, now)
        .await?;
    let view = crate::services::vendors::view(&txn, vendor).await?;
    txn.commit().await?;
    Ok(view)
}

/// `GET /api/settings/policy`: the contract policy (no rules until an Admin sets one).
pub async fn policy(ctx: &Ctx, user: &UserCaller) -> Result<ContractPolicy> {
    user.require(Permission::ReadVendors)?;
    policy_of(&ctx.db, user.organization_id).await
}

/// `PUT /api/settings/policy` (Admin): replaces the policy. Every submitted assessment's
/// scorecard changes today (the scheduler's sweep records them), since policy findings
/// hold residual tiers up.
pub async fn set_policy(
    ctx: &Ctx,
    user: &UserCaller,
    policy: ContractPolicy,
) -> Result<ContractPolicy> {
    user.require(Permission::ManageOrganisation)?;
    if let Some((field, message)) = policy.problems().into_iter().next() {
        return Err(Error::validation(field, message));
    }
    let body = serde_json::to_string(&policy).map_err(Error::internal)?;
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    org_settings::save(
        &txn,
        user,
        PolicyColumn::ContractPolicy,
        (!policy.rules.is_empty()).then_some(body),
        Action::ContractPolicyUpdated,
        json!({ "rules": policy.rules }),
        now,
    )
    .await?;
    crate::db::assessments::mark_submitted_changing(&txn, user.organization_id, ctx.clock.today())
        .await?;
    txn.commit().await?;
    Ok(policy)
}
