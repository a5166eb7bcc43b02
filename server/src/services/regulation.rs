//! The regulations and adequacy decisions an organisation judges its vendors by: the
//! presets Assay ships (`core/data`) with the organisation's changes (a clock it reads
//! differently, a regime it does not want considered), and the adequacy lists, shipped or
//! the organisation's own copy. A change to a list records again, today, the scorecards
//! of the vendors whose subprocessors are in a country whose status changed.

use std::collections::BTreeSet;

use assay_core::access::Permission;
use assay_core::api::{AdequacyChange, AdequacyView, RegimesView};
use assay_core::country::Country;
use assay_core::regime::{self, RegimeOverrides};
use assay_core::transfer::{self, AdequacyLists};
use serde_json::json;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::contracts::PolicyColumn;
use crate::error::{Error, Result};
use crate::services::audit::Action;
use crate::services::org_settings::{self, OrgSettings, shipped_regimes};
use crate::state::Ctx;

fn shipped_fault(what: &str, problems: impl std::fmt::Debug) -> Error {
    Error::Internal(anyhow::anyhow!(
        "the shipped {what} file is invalid: {problems:?}"
    ))
}

fn regimes_view(settings: &OrgSettings) -> Result<RegimesView> {
    let regimes = settings.regimes();
    Ok(RegimesView {
        version: regime::presets_version().map_err(|p| shipped_fault("regimes", p))?,
        left_out: shipped_regimes()
            .iter()
            .filter(|p| !regimes.iter().any(|r| r.id == p.id))
            .cloned()
            .collect(),
        regimes,
        overrides: settings.regime_overrides.clone(),
    })
}

/// `GET /api/settings/regimes`: the regimes as the organisation uses them.
pub async fn regimes(ctx: &Ctx, user: &UserCaller) -> Result<RegimesView> {
    user.require(Permission::ReadAssessments)?;
    regimes_view(&org_settings::read(&ctx.db, user.organization_id).await?)
}

/// `PUT /api/settings/regimes` (Admin): replaces the organisation's changes to the presets.
/// A change naming a regime or clock the presets lack, or leaving a clock without a limit,
/// is refused naming it.
pub async fn set_regimes(
    ctx: &Ctx,
    user: &UserCaller,
    overrides: RegimeOverrides,
) -> Result<RegimesView> {
    user.require(Permission::ManageOrganisation)?;
    if let Err(problems) = regime::merge(shipped_regimes(), &overrides)
        && let Some((field, message)) = problems.into_iter().next()
    {
        return Err(Error::validation(field, message));
    }
    let body = serde_json::to_string(&overrides).map_err(Error::internal)?;
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    org_settings::save(
        &txn,
        user,
        PolicyColumn::RegimeOverrides,
        (!overrides.regimes.is_empty()).then_some(body),
        Action::RegimesUpdated,
        json!({ "overrides": overrides }),
        now,
    )
    .await?;
    let settings = org_settings::read(&txn, user.organization_id).await?;
    txn.commit().await?;
    regimes_view(&settings)
}

/// `GET /api/settings/adequacy`: the lists transfers are judged by.
pub async fn adequacy(ctx: &Ctx, user: &UserCaller) -> Result<AdequacyView> {
    user.require(Permission::ReadAssessments)?;
    let settings = org_settings::read(&ctx.db, user.organization_id).await?;
    Ok(AdequacyView {
        lists: (*settings.adequacy).clone(),
        edited: settings.adequacy_edited,
        changes: Vec::new(),
    })
}

/// The most lists: one per region transfers leave (EEA, UK, Switzerland).
const MAX_LISTS: usize = 3;

/// Each list sane, one per region; the first problem names its list (`lists[1].entries[4].source`).
fn checked(lists: &AdequacyLists) -> Result<()> {
    if lists.version.trim().is_empty() || lists.version.chars().count() > 100 {
        return Err(Error::validation(
            "version",
            "Give the lists a version (at most 100 characters), e.g. the day you checked them.",
        ));
    }
    if lists.lists.is_empty() || lists.lists.len() > MAX_LISTS {
        return Err(Error::validation(
            "lists",
            "Give one list per region transfers leave: the EEA, the UK, Switzerland.",
        ));
    }
    let mut regions = BTreeSet::new();
    for (i, list) in lists.lists.iter().enumerate() {
        if let Some((field, message)) = list.problems().into_iter().next() {
            return Err(Error::validation(format!("lists[{i}].{field}"), message));
        }
        if !regions.insert(list.region) {
            return Err(Error::validation(
                format!("lists[{i}].region"),
                "Each region has one list.",
            ));
        }
    }
    Ok(())
}

/// `PUT /api/settings/adequacy` (Admin): the organisation's own lists. The countries whose
/// status changes today for transfers out of the organisation's region are listed in the
/// answer, and the submitted assessments of the vendors with a subprocessor there are
/// recorded again today (a dated scorecard change).
pub async fn set_adequacy(
    ctx: &Ctx,
    user: &UserCaller,
    lists: AdequacyLists,
) -> Result<AdequacyView> {
    user.require(Permission::ManageOrganisation)?;
    checked(&lists)?;
    let body = serde_json::to_string(&lists).map_err(Error::internal)?;
    let now = ctx.clock.now();
    let today = ctx.clock.today();
    let txn = crate::db::begin_write(&ctx.db).await?;
    let before = org_settings::read(&txn, user.organization_id).await?;
    let mut changes = Vec::new();
    for new in &lists.lists {
        let empty;
        let old = match before.adequacy.for_region(new.region) {
            Some(old) => old,
            None => {
                empty = transfer::AdequacyList {
                    entries: Vec::new(),
                    adequate_regions: Default::default(),
                    ..new.clone()
                };
                &empty
            }
        };
        changes.extend(
            transfer::changes(old, new, today)
                .into_iter()
                .map(|c| (new.region, c)),
        );
    }
    // Only transfers out of the organisation's own region are judged.
    let region = region_of(&before);
    let judged: BTreeSet<Country> = changes
        .iter()
        .filter(|(r, _)| Some(*r) == region)
        .map(|(_, c)| c.country)
        .collect();
    let mut affected: BTreeSet<Uuid> = BTreeSet::new();
    let mut by_country: std::collections::BTreeMap<Country, BTreeSet<Uuid>> = Default::default();
    if !judged.is_empty() {
        for row in crate::db::subprocessors::all_current(&txn, user.organization_id).await? {
            let entry = crate::services::subprocessors::entry(&row)?;
            for country in entry.countries().intersection(&judged) {
                by_country
                    .entry(*country)
                    .or_default()
                    .insert(row.vendor_id);
                affected.insert(row.vendor_id);
            }
        }
    }
    let changes: Vec<AdequacyChange> = changes
        .into_iter()
        .map(|(changed, c)| AdequacyChange {
            region: changed,
            country: c.country,
            before: c.before,
            after: c.after,
            vendors: if Some(changed) == region {
                by_country.get(&c.country).map_or(0, BTreeSet::len)
            } else {
                0
            },
        })
        .collect();
    org_settings::save(
        &txn,
        user,
        PolicyColumn::Adequacy,
        Some(body),
        Action::AdequacyUpdated,
        json!({
            "version": lists.version,
            "changes": changes,
            "vendors_re_evaluated": affected.len(),
        }),
        now,
    )
    .await?;
    crate::db::assessments::mark_submitted_of_vendors_changing(
        &txn,
        user.organization_id,
        &affected,
        today,
    )
    .await?;
    txn.commit().await?;
    Ok(AdequacyView {
        lists,
        edited: true,
        changes,
    })
}

fn region_of(settings: &OrgSettings) -> Option<assay_core::country::Region> {
    settings
        .client
        .as_ref()
        .and_then(|c| transfer::client_region(c.country))
}
