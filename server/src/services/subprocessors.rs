//! Fourth parties (#17): each vendor's subprocessor register, kept by the client (a register
//! received by email) or by the vendor through the portal (a dated change notice), the
//! checks on it (the contract's change notice, transfers out of the client's region), and
//! the portfolio's concentration: which subprocessors and countries many vendors share.
//!
//! Scoring reads the register of the vendor (`review::scorecards`): a change records the
//! vendor's latest scorecard again.

use std::collections::{BTreeMap, BTreeSet};

use assay_core::access::Permission;
use assay_core::api::{FourthPartiesView, RegisterView, SubprocessorView};
use assay_core::regime::ClientProfile;
use assay_core::risk::RiskTier;
use assay_core::subprocessor::{self, Subprocessor, VendorRegister};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::caller::{UserCaller, VendorCaller};
use crate::db::contracts::{self as contracts_db, PolicyColumn};
use crate::db::entities::{subprocessor as entity, vendor};
use crate::db::subprocessors as db;
use crate::error::{Error, Result};
use crate::services::audit::{self, Action, Event};
use crate::state::Ctx;

/// The most rows one register may hold.
pub const MAX_ROWS: usize = 500;

/// The row's entry.
pub(crate) fn entry(model: &entity::Model) -> Result<Subprocessor> {
    serde_json::from_str(&model.entry).map_err(|e| {
        Error::internal(anyhow::anyhow!(
            "subprocessor {} is unreadable: {e}",
            model.id
        ))
    })
}

/// The organisation's own profile (its country), if an Admin set it.
pub(crate) async fn client_profile(
    conn: &impl sea_orm::ConnectionTrait,
    organization_id: Uuid,
) -> Result<Option<ClientProfile>> {
    Ok(crate::services::org_settings::read(conn, organization_id)
        .await?
        .client)
}

/// The register's view: each row with its own findings, judged today.
async fn view(
    conn: &impl sea_orm::ConnectionTrait,
    vendor: &vendor::Model,
    today: time::Date,
) -> Result<RegisterView> {
    let rows = db::register(conn, vendor.organization_id, vendor.id).await?;
    let contract = match contracts_db::current(conn, vendor.organization_id, vendor.id).await? {
        Some(c) => crate::services::contracts::terms(&c)?,
        None => Default::default(),
    };
    let settings = crate::services::org_settings::read(conn, vendor.organization_id).await?;
    let client = settings.client.as_ref().map(|p| p.country);
    let subprocessors = rows
        .iter()
        .map(|row| {
            let entry = entry(row)?;
            let findings = subprocessor::check_register(
                &contract,
                std::slice::from_ref(&entry),
                client,
                &settings.adequacy,
                today,
            );
            Ok(SubprocessorView {
                id: row.id,
                entry,
                findings,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(RegisterView {
        vendor_id: vendor.id,
        subprocessors,
        client_country: client.map(|c| c.code().to_owned()),
    })
}

/// The register of a vendor of the organisation, judged on `today` (the exports).
pub(crate) async fn register_of(
    conn: &impl sea_orm::ConnectionTrait,
    organization_id: Uuid,
    vendor_id: Uuid,
    today: time::Date,
) -> Result<RegisterView> {
    let vendor = crate::db::vendors::find(conn, organization_id, vendor_id)
        .await?
        .ok_or(Error::NotFound)?;
    view(conn, &vendor, today).await
}

/// `GET /api/vendors/{id}/subprocessors` (any role).
pub async fn register(ctx: &Ctx, user: &UserCaller, vendor_id: Uuid) -> Result<RegisterView> {
    user.require(Permission::ReadVendors)?;
    register_of(&ctx.db, user.organization_id, vendor_id, ctx.clock.today()).await
}

/// Each row sane and named once; the first problem names its row and field
/// (`subprocessors[2].name`).
fn checked(rows: &[Subprocessor]) -> Result<()> {
    if rows.len() > MAX_ROWS {
        return Err(Error::validation(
            "subprocessors",
            format!("A register holds at most {MAX_ROWS} subprocessors."),
        ));
    }
    let mut names = BTreeSet::new();
    for (i, row) in rows.iter().enumerate() {
        if let Some((field, message)) = row.problems().into_iter().next() {
            return Err(Error::validation(
                format!("subprocessors[{i}].{field}"),
                format!("{} (row {}).", message.trim_end_matches('.'), i + 1),
            ));
        }
        if !names.insert(subprocessor::normalise_name(&row.name)) {
            return Err(Error::validation(
                format!("subprocessors[{i}].name"),
                format!("{} is listed twice; one row per subprocessor.", row.name),
            ));
        }
    }
    Ok(())
}

/// Writes the register as `rows` say: a row whose name is already on it is updated, a new
/// one added, one no longer named is removed today (its row is kept with that day).
async fn write(
    txn: &impl sea_orm::ConnectionTrait,
    vendor: &vendor::Model,
    rows: &[Subprocessor],
    remove_missing: bool,
    changed_by: &str,
    now: OffsetDateTime,
) -> Result<()> {
    let current = db::register(txn, vendor.organization_id, vendor.id).await?;
    let by_key: BTreeMap<String, &entity::Model> =
        current.iter().map(|r| (r.name_key.clone(), r)).collect();
    let mut named = BTreeSet::new();
    for row in rows {
        let key = subprocessor::normalise_name(&row.name);
        let body = serde_json::to_string(row).map_err(Error::internal)?;
        named.insert(key.clone());
        match by_key.get(&key) {
            Some(existing) => {
                entity::Entity::update_many()
                    .col_expr(entity::Column::Entry, body.into())
                    .col_expr(entity::Column::ChangedBy, changed_by.into())
                    .col_expr(entity::Column::UpdatedAt, now.into())
                    .filter(entity::Column::Id.eq(existing.id))
                    .exec(txn)
                    .await?;
            }
            None => {
                entity::Entity::insert(entity::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    organization_id: Set(vendor.organization_id),
                    vendor_id: Set(vendor.id),
                    name_key: Set(key),
                    entry: Set(body),
                    removed_on: Set(None),
                    changed_by: Set(changed_by.to_owned()),
                    created_at: Set(now),
                    updated_at: Set(now),
                })
                .exec_without_returning(txn)
                .await?;
            }
        }
    }
    if remove_missing {
        let gone: Vec<Uuid> = current
            .iter()
            .filter(|r| !named.contains(&r.name_key))
            .map(|r| r.id)
            .collect();
        if !gone.is_empty() {
            entity::Entity::update_many()
                .col_expr(entity::Column::RemovedOn, now.date().into())
                .col_expr(entity::Column::ChangedBy, changed_by.into())
                .col_expr(entity::Column::UpdatedAt, now.into())
                .filter(entity::Column::Id.is_in(gone))
                .exec(txn)
                .await?;
        }
    }
    Ok(())
}

/// `PUT /api/vendors/{id}/subprocessors` (Procurement, Admin): the whole register, as the
/// client received it. Nothing is saved when a row is refused.
pub async fn replace(
    ctx: &Ctx,
    user: &UserCaller,
    vendor_id: Uuid,
    rows: Vec<Subprocessor>,
) -> Result<RegisterView> {
    user.require(Permission::ManageVendors)?;
    checked(&rows)?;
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    let vendor = contracts_db::lock_vendor(&txn, user.organization_id, vendor_id)
        .await?
        .ok_or(Error::NotFound)?;
    write(
        &txn,
        &vendor,
        &rows,
        true,
        &format!("user:{}", user.id),
        now,
    )
    .await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::SubprocessorsUpdated,
            ("vendor", vendor.id.to_string()),
            json!({ "subprocessors": rows.iter().map(|r| &r.name).collect::<Vec<_>>() }),
        ),
        now,
    )
    .await?;
    crate::services::review::record_latest_of_vendor(&txn, user.organization_id, vendor.id, now)
        .await?;
    let view = view(&txn, &vendor, now.date()).await?;
    txn.commit().await?;
    Ok(view)
}

/// On submission: the register the questionnaire's register table states (when it is shown
/// and answered) becomes the vendor's register, as `replace` writes one: a subprocessor
/// already on it keeps the day it was added and the notice given for it (unless the vendor
/// names an earlier day), a new one is added, and one no longer named is removed today.
/// Audited as the vendor's change. `vendor` is locked by the caller.
pub(crate) async fn take_from_answers(
    txn: &impl sea_orm::ConnectionTrait,
    vendor: &vendor::Model,
    assessment_id: Uuid,
    template: &assay_core::template::Template,
    answers: &assay_core::evaluate::Answers,
    now: OffsetDateTime,
) -> Result<()> {
    let Some(stated) = subprocessor::register_table::stated(template, answers, now.date()) else {
        return Ok(());
    };
    let mut rows = stated.map_err(|message| Error::validation("answers", message))?;
    checked(&rows)?;
    let current = db::register(txn, vendor.organization_id, vendor.id).await?;
    let mut removed: Vec<String> = Vec::new();
    for model in &current {
        let known = entry(model)?;
        match rows
            .iter_mut()
            .find(|r| subprocessor::normalise_name(&r.name) == model.name_key)
        {
            Some(row) => {
                row.added_on = row.added_on.min(known.added_on);
                row.notice_given_on = known.notice_given_on;
            }
            None => removed.push(known.name),
        }
    }
    let by = format!("vendor:{assessment_id}");
    write(txn, vendor, &rows, true, &by, now).await?;
    audit::record(
        txn,
        Event::by_vendor(
            vendor.organization_id,
            "vendor".to_owned(),
            Action::SubprocessorsUpdated,
            ("vendor", vendor.id.to_string()),
            json!({
                "from_assessment": assessment_id.to_string(),
                "subprocessors": rows.iter().map(|r| &r.name).collect::<Vec<_>>(),
                "removed": removed,
            }),
        ),
        now,
    )
    .await?;
    Ok(())
}

/// The vendor of the portal caller's assessment; `lock`: its row locked until the
/// transaction ends (a change notice), else only read.
async fn portal_vendor(
    conn: &impl sea_orm::ConnectionTrait,
    caller: &VendorCaller,
    lock: bool,
) -> Result<vendor::Model> {
    use crate::db::entities::assessment;
    let a = assessment::Entity::find_by_id(caller.assessment_id)
        .filter(assessment::Column::OrganizationId.eq(caller.organization_id))
        .one(conn)
        .await?
        .ok_or(Error::NotFound)?;
    let vendor = if lock {
        contracts_db::lock_vendor(conn, caller.organization_id, a.vendor_id).await?
    } else {
        crate::db::vendors::find(conn, caller.organization_id, a.vendor_id).await?
    };
    vendor.ok_or(Error::NotFound)
}

/// The register as the vendor reads it: the client's own judgement of the rows is not the
/// vendor's to read.
fn as_vendor_sees_it(mut view: RegisterView) -> RegisterView {
    for row in &mut view.subprocessors {
        row.findings.clear();
    }
    view.client_country = None;
    view
}

/// `GET /api/portal/subprocessors`: the vendor's register as the client holds it.
pub async fn portal_register(ctx: &Ctx, caller: &VendorCaller) -> Result<RegisterView> {
    let vendor = portal_vendor(&ctx.db, caller, false).await?;
    Ok(as_vendor_sees_it(
        view(&ctx.db, &vendor, ctx.clock.today()).await?,
    ))
}

/// `POST /api/portal/subprocessors`: the vendor's change notice: a subprocessor added or
/// changed (notice given today unless an earlier day is named), or, with `remove`, one
/// taken off. Dated and audited; a new subprocessor inside the contract's notice period or
/// without a mechanism is a finding on the vendor's scorecard.
pub async fn portal_notice(
    ctx: &Ctx,
    caller: &VendorCaller,
    notice: ChangeNotice,
) -> Result<RegisterView> {
    if caller.section.is_some() {
        return Err(Error::Forbidden(
            "Only the questionnaire's recipient can change the subprocessor register.".to_owned(),
        ));
    }
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    let vendor = portal_vendor(&txn, caller, true).await?;
    let by = format!("vendor:{}", caller.assessment_id);
    let action = match notice {
        ChangeNotice::Add { mut subprocessor } => {
            subprocessor.notice_given_on = Some(
                subprocessor
                    .notice_given_on
                    .filter(|d| *d <= now.date())
                    .unwrap_or(now.date()),
            );
            checked(std::slice::from_ref(&subprocessor))?;
            write(
                &txn,
                &vendor,
                std::slice::from_ref(&subprocessor),
                false,
                &by,
                now,
            )
            .await?;
            json!({ "added": subprocessor.name, "added_on": subprocessor.added_on.to_string(),
                    "notice_given_on": subprocessor.notice_given_on.map(|d| d.to_string()) })
        }
        ChangeNotice::Remove { name } => {
            let key = subprocessor::normalise_name(&name);
            let current = db::register(&txn, vendor.organization_id, vendor.id).await?;
            let row = current.iter().find(|r| r.name_key == key).ok_or_else(|| {
                Error::validation("name", format!("{name} is not on the register."))
            })?;
            entity::Entity::update_many()
                .col_expr(entity::Column::RemovedOn, now.date().into())
                .col_expr(entity::Column::ChangedBy, by.clone().into())
                .col_expr(entity::Column::UpdatedAt, now.into())
                .filter(entity::Column::Id.eq(row.id))
                .exec(&txn)
                .await?;
            json!({ "removed": name })
        }
    };
    audit::record(
        &txn,
        Event::by_vendor(
            caller.organization_id,
            caller.recipient_email.clone(),
            Action::SubprocessorsUpdated,
            ("vendor", vendor.id.to_string()),
            action,
        ),
        now,
    )
    .await?;
    crate::services::review::record_latest_of_vendor(&txn, vendor.organization_id, vendor.id, now)
        .await?;
    let view = view(&txn, &vendor, now.date()).await?;
    txn.commit().await?;
    Ok(as_vendor_sees_it(view))
}

/// A vendor's change to its register.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "change", rename_all = "snake_case", deny_unknown_fields)]
pub enum ChangeNotice {
    /// A subprocessor added (or its row changed).
    Add {
        #[schema(value_type = Object)]
        subprocessor: Subprocessor,
    },
    /// A subprocessor taken off the register.
    Remove { name: String },
}

/// The subprocessors on a page of `GET /api/fourth-parties`.
pub const FOURTH_PARTIES_PAGE: usize = 50;

/// `GET /api/fourth-parties?after=`: a page of the subprocessors, most shared first (after
/// the one `after` names), every country, and the names of the vendors they mention. The
/// concentration is computed over the whole portfolio (a fixed three queries), then paged.
pub async fn fourth_parties(
    ctx: &Ctx,
    user: &UserCaller,
    after: Option<&str>,
) -> Result<FourthPartiesView> {
    let whole = portfolio(ctx, user).await?;
    let after = after.map(str::trim).filter(|a| !a.is_empty());
    let (page, next) = subprocessor::page_after(&whole.subprocessors, after, FOURTH_PARTIES_PAGE)
        .ok_or_else(|| {
        Error::validation("after", "Use the `next` value of the page before.")
    })?;
    let named: BTreeSet<&str> = page
        .iter()
        .chain(&whole.countries)
        .flat_map(|d| d.vendor_ids.iter().map(String::as_str))
        .collect();
    let vendor_names = whole
        .vendor_names
        .iter()
        .filter(|(id, _)| named.contains(id.as_str()))
        .map(|(id, name)| (id.clone(), name.clone()))
        .collect();
    Ok(FourthPartiesView {
        subprocessors: page,
        next,
        vendor_names,
        ..whole
    })
}

/// The whole concentration view (any role), every subprocessor on one page, as the CSV
/// export holds it: the subprocessors and countries the active vendors share, with the
/// tiers of the vendors behind each (the latest scorecard's residual tier, else the
/// inherent tier).
pub async fn portfolio(ctx: &Ctx, user: &UserCaller) -> Result<FourthPartiesView> {
    user.require(Permission::ReadVendors)?;
    let rows = db::all_current(&ctx.db, user.organization_id).await?;
    let vendor_ids: BTreeSet<Uuid> = rows.iter().map(|r| r.vendor_id).collect();
    let vendors: BTreeMap<Uuid, vendor::Model> = vendor::Entity::find()
        .filter(vendor::Column::OrganizationId.eq(user.organization_id))
        .filter(vendor::Column::Id.is_in(vendor_ids.iter().copied()))
        .filter(vendor::Column::Status.eq(assay_core::api::VendorStatus::Active.as_str()))
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    let latest =
        crate::services::review::latest_cards(&ctx.db, user.organization_id, &vendor_ids).await?;
    let mut entries: BTreeMap<Uuid, Vec<Subprocessor>> = BTreeMap::new();
    for row in &rows {
        if vendors.contains_key(&row.vendor_id) {
            entries.entry(row.vendor_id).or_default().push(entry(row)?);
        }
    }
    let keys: BTreeMap<Uuid, String> = entries.keys().map(|id| (*id, id.to_string())).collect();
    let registers = entries
        .iter()
        .map(|(id, subprocessors)| {
            let vendor = &vendors[id];
            let tier = latest
                .get(id)
                .and_then(|l| l.card.as_ref())
                .map(|c| c.residual_tier)
                .map_or_else(
                    || crate::services::restored::<RiskTier>(&vendor.inherent_tier),
                    Ok,
                )?;
            Ok(VendorRegister {
                vendor: &keys[id],
                tier,
                subprocessors,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let subprocessors = subprocessor::concentration(&registers);
    Ok(FourthPartiesView {
        subprocessors_total: subprocessors.len(),
        subprocessors,
        next: None,
        countries: subprocessor::country_concentration(&registers),
        vendors: registers.len(),
        vendor_names: entries
            .keys()
            .map(|id| (id.to_string(), vendors[id].legal_name.clone()))
            .collect(),
    })
}

/// `GET /api/settings/client-profile`: the organisation's country, sectors and the margin
/// it keeps before its own regulatory deadlines; none until an Admin sets it.
pub async fn profile(ctx: &Ctx, user: &UserCaller) -> Result<Option<ClientProfile>> {
    user.require(Permission::ReadVendors)?;
    client_profile(&ctx.db, user.organization_id).await
}

/// `PUT /api/settings/client-profile` (Admin): every submitted assessment's card changes
/// today (transfers are judged from the client's region).
pub async fn set_profile(
    ctx: &Ctx,
    user: &UserCaller,
    profile: ClientProfile,
) -> Result<ClientProfile> {
    user.require(Permission::ManageOrganisation)?;
    if !(profile.margin_hours.is_finite() && (0.0..=720.0).contains(&profile.margin_hours)) {
        return Err(Error::validation(
            "margin_hours",
            "The margin is a number of hours from 0 to 720.",
        ));
    }
    let body = serde_json::to_string(&profile).map_err(Error::internal)?;
    let now = ctx.clock.now();
    let txn = crate::db::begin_write(&ctx.db).await?;
    crate::services::org_settings::save(
        &txn,
        user,
        PolicyColumn::ClientProfile,
        Some(body),
        Action::ClientProfileUpdated,
        json!({ "country": profile.country, "sectors": profile.sectors, "margin_hours": profile.margin_hours }),
        now,
    )
    .await?;
    crate::db::assessments::mark_submitted_changing(&txn, user.organization_id, now.date()).await?;
    txn.commit().await?;
    Ok(profile)
}

/// The concentration view as CSV: a row per subprocessor, then per country.
pub fn concentration_csv(view: &FourthPartiesView) -> String {
    use crate::exports::csv::line;
    let mut out = line([
        "Kind", "Name", "Vendors", "Critical", "High", "Medium", "Low", "Which",
    ]);
    for (kind, rows) in [
        ("Subprocessor", &view.subprocessors),
        ("Country", &view.countries),
    ] {
        for d in rows {
            let count = |tier: RiskTier| d.by_tier.get(&tier).copied().unwrap_or(0).to_string();
            let which = d
                .vendor_ids
                .iter()
                .filter_map(|id| view.vendor_names.get(id).cloned())
                .collect::<Vec<_>>()
                .join("; ");
            out.push_str(&line([
                kind.to_owned(),
                d.name.clone(),
                d.vendors.to_string(),
                count(RiskTier::Critical),
                count(RiskTier::High),
                count(RiskTier::Medium),
                count(RiskTier::Low),
                which,
            ]));
        }
    }
    out
}
