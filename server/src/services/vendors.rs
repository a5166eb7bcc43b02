//! The vendor register: validated input, inherent tier from core, contacts, contract terms,
//! and an audit entry for every change.

use assay_core::access::Permission;
use assay_core::api::{
    ContactInput, ContactView, CursorPage, VendorInput, VendorPatch, VendorStatus, VendorSummary,
    VendorView,
};
use assay_core::risk::{InherentRiskProfile, RiskTier};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::caller::UserCaller;
use crate::db::entities::{vendor, vendor_contact};
use crate::db::vendors::{self as db, After, ListFilter, Sort};
use crate::error::{Error, Result};
use crate::services::accounts::Email;
use crate::services::audit::{self, Action, Event};
use crate::services::pages::{PageRequest, foreign};
use crate::services::{restored, stored, text_field};
use crate::state::Ctx;

fn website(value: Option<&str>) -> Result<Option<String>> {
    let Some(url) = value.map(str::trim).filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            Error::validation("website", "Enter a web address starting with https://")
        })?;
    if rest.is_empty() || rest.contains(char::is_whitespace) || url.len() > 300 {
        return Err(Error::validation("website", "Enter a valid web address."));
    }
    Ok(Some(url.to_owned()))
}

/// The countries as assigned ISO 3166-1 codes: a code in any case, or a country's English
/// name or common name ("Germany" is stored as DE, "UK" as GB). Anything else is refused,
/// naming it.
fn countries(values: &[String]) -> Result<Vec<String>> {
    use assay_core::country::Country;
    if values.len() > 250 {
        return Err(Error::validation(
            "countries",
            "List each country once; there are fewer than 250.",
        ));
    }
    let mut out = Vec::new();
    for value in values {
        let code = Country::parse(value)
            .or_else(|error| assay_core::country::named(value).ok_or(error))
            .map_err(|error| Error::validation("countries", error.to_string()))?
            .code()
            .to_owned();
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

fn tags(values: &[String]) -> Result<Vec<String>> {
    if values.len() > 20 {
        return Err(Error::validation("tags", "Use at most 20 tags."));
    }
    let mut out = Vec::new();
    for value in values {
        let tag = text_field("tags", value, 40, true)?;
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    Ok(out)
}

fn contacts(vendor_id: Uuid, values: &[ContactInput]) -> Result<Vec<vendor_contact::ActiveModel>> {
    if values.len() > 50 {
        return Err(Error::validation("contacts", "Use at most 50 contacts."));
    }
    values
        .iter()
        .map(|c| {
            let email = Email::parse(&c.email).map_err(|_| {
                Error::validation(
                    "contacts",
                    format!("“{}” is not a valid email address.", c.email),
                )
            })?;
            Ok(vendor_contact::ActiveModel {
                id: Set(Uuid::now_v7()),
                vendor_id: Set(vendor_id),
                name: Set(text_field("contacts", &c.name, 200, true)?),
                email: Set(email.as_str().to_owned()),
                role: Set(Some(text_field(
                    "contacts",
                    c.role.as_deref().unwrap_or_default(),
                    100,
                    false,
                )?)
                .filter(|r| !r.is_empty())),
            })
        })
        .collect()
}

fn json_list<T: serde::Serialize>(values: &T) -> Result<String> {
    serde_json::to_string(values).map_err(|e| Error::Internal(e.into()))
}

fn parse_json<T: serde::de::DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

fn timestamp(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// `GET /api/vendors`: search, filters, order and page, as sent.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Part of the legal name or the services description, in any case.
    pub q: Option<String>,
    /// Inherent tier: low, medium, high, critical.
    pub tier: Option<RiskTier>,
    /// A tag the vendor carries.
    pub tag: Option<String>,
    /// active (default) or archived.
    pub status: Option<VendorStatus>,
    /// name (default), tier (most critical first), updated (newest first).
    pub sort: Option<String>,
    /// The `next` cursor of the previous page, read with the same sort and filters.
    pub after: Option<String>,
    /// Rows per page, 1 to 200; default 50.
    pub limit: Option<u64>,
}

/// The organisation's vendors matching the query, a keyset page at a time in the order
/// asked for, with the total matching: a count and one query walking the order's index
/// from the cursor, whatever the page size or how deep the page. A cursor names the row it
/// follows by the sort's key (name, tier or update time, and the id), so it is refused
/// under another sort, other filters or another organisation.
pub async fn list(
    ctx: &Ctx,
    user: &UserCaller,
    query: ListQuery,
) -> Result<CursorPage<VendorSummary>> {
    user.require(Permission::ReadVendors)?;
    let sort = match query.sort.as_deref().map(str::trim) {
        None | Some("" | "name") => Sort::Name,
        Some("tier") => Sort::Tier,
        Some("updated") => Sort::Updated,
        Some(other) => {
            return Err(Error::validation(
                "sort",
                format!("Unknown sort “{other}”: use name, tier or updated."),
            ));
        }
    };
    let filter = ListFilter {
        search: query
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_lowercase),
        tier: query.tier,
        tag: query.tag.filter(|t| !t.trim().is_empty()),
        status: query.status.unwrap_or(VendorStatus::Active),
    };
    let scope = json!([
        user.organization_id,
        sort.name(),
        filter.status.as_str(),
        filter.tier.map(db::tier_rank),
        filter.tag,
        filter.search
    ])
    .to_string();
    let parts = match sort {
        Sort::Name | Sort::Updated => 2,
        Sort::Tier => 3,
    };
    let page = PageRequest::parse_scoped(query.after.as_deref(), query.limit, parts, &scope)?;
    let after = page.after().map(|key| after_key(sort, key)).transpose()?;
    let conn = &ctx.db;
    let total = db::count(conn, user.organization_id, &filter).await?;
    let rows = db::page(
        conn,
        user.organization_id,
        &filter,
        sort,
        after.as_ref(),
        page.fetch(),
    )
    .await?;
    let (rows, next) = page.finish(rows, |v| match sort {
        Sort::Name => vec![v.legal_name.clone(), v.id.to_string()],
        Sort::Tier => vec![
            v.tier_rank.to_string(),
            v.legal_name.clone(),
            v.id.to_string(),
        ],
        // The time as stored, offset and all, so it compares as the rows do.
        Sort::Updated => vec![timestamp(v.updated_at), v.id.to_string()],
    });
    let items = rows.into_iter().map(summary).collect::<Result<Vec<_>>>()?;
    Ok(CursorPage { items, total, next })
}

/// The row a cursor's key names, in `sort`'s terms.
fn after_key(sort: Sort, key: &[String]) -> Result<After> {
    let id = |text: &str| Uuid::parse_str(text).map_err(|_| foreign());
    Ok(match (sort, key) {
        (Sort::Name, [legal_name, row]) => After::Name {
            legal_name: legal_name.clone(),
            id: id(row)?,
        },
        (Sort::Tier, [rank, legal_name, row]) => After::Tier {
            rank: rank.parse().map_err(|_| foreign())?,
            legal_name: legal_name.clone(),
            id: id(row)?,
        },
        (Sort::Updated, [at, row]) => After::Updated {
            updated_at: OffsetDateTime::parse(at, &Rfc3339).map_err(|_| foreign())?,
            id: id(row)?,
        },
        _ => return Err(foreign()),
    })
}

/// A list row, from the vendor row alone (no further queries).
pub fn summary(model: vendor::Model) -> Result<VendorSummary> {
    Ok(VendorSummary {
        id: model.id,
        inherent_tier: restored(&model.inherent_tier)?,
        criticality: restored(&model.criticality)?,
        status: restored(&model.status)?,
        tags: parse_json(&model.tags),
        updated_at: timestamp(model.updated_at),
        legal_name: model.legal_name,
    })
}

/// The full view of a vendor (contacts and contract included).
pub async fn view(
    conn: &impl sea_orm::ConnectionTrait,
    model: vendor::Model,
) -> Result<VendorView> {
    let contacts = db::contacts(conn, model.id)
        .await?
        .into_iter()
        .map(|c| ContactView {
            id: c.id,
            name: c.name,
            email: c.email,
            role: c.role,
        })
        .collect();
    let (contract, breach_notice) = crate::services::contracts::view_of(conn, &model).await?;
    Ok(VendorView {
        id: model.id,
        legal_name: model.legal_name,
        website: model.website,
        services: model.services,
        data_types: parse_json(&model.data_types),
        system_access: restored(&model.system_access)?,
        criticality: restored(&model.criticality)?,
        inherent_tier: restored(&model.inherent_tier)?,
        countries: parse_json(&model.countries),
        tags: parse_json(&model.tags),
        owner_id: model.owner_id,
        status: restored(&model.status)?,
        contacts,
        contract,
        breach_notice,
        created_at: timestamp(model.created_at),
        updated_at: timestamp(model.updated_at),
    })
}

async fn check_owner(
    conn: &impl sea_orm::ConnectionTrait,
    user: &UserCaller,
    owner: Option<Uuid>,
) -> Result<()> {
    if let Some(owner) = owner
        && crate::db::accounts::find_user_in_org(conn, user.organization_id, owner)
            .await?
            .is_none()
    {
        return Err(Error::validation(
            "owner_id",
            "The owner must be a user of your organisation.",
        ));
    }
    Ok(())
}

/// Creates a vendor (Procurement, Admin).
pub async fn create(ctx: &Ctx, user: &UserCaller, input: VendorInput) -> Result<VendorView> {
    let db_conn = &ctx.db;
    user.require(Permission::ManageVendors)?;
    let id = Uuid::now_v7();
    let legal_name = text_field("legal_name", &input.legal_name, 200, true)?;
    let profile = InherentRiskProfile {
        data_types: input.data_types.clone(),
        system_access: input.system_access,
        criticality: input.criticality,
    };
    // Someone is answerable for every vendor (the owner filter and evidence-expiry alerts
    // go to the owner): unless another owner is named, it is whoever registers it.
    let owner = input.owner_id.unwrap_or(user.id);
    let now = ctx.clock.now();
    let model = vendor::ActiveModel {
        id: Set(id),
        organization_id: Set(user.organization_id),
        legal_name: Set(legal_name.clone()),
        website: Set(website(input.website.as_deref())?),
        services: Set(text_field("services", &input.services, 5000, false)?),
        data_types: Set(json_list(&input.data_types)?),
        system_access: Set(stored(input.system_access)),
        criticality: Set(stored(input.criticality)),
        inherent_tier: Set(stored(profile.inherent_tier())),
        tier_rank: Set(db::tier_rank(profile.inherent_tier())),
        countries: Set(json_list(&countries(&input.countries)?)?),
        tags: Set(json_list(&tags(&input.tags)?)?),
        owner_id: Set(Some(owner)),
        status: Set(stored(VendorStatus::Active)),
        created_at: Set(now),
        updated_at: Set(now),
        reassess_on: Set(None),
    };
    let contacts = contacts(id, &input.contacts)?;
    let txn = crate::db::begin_write(db_conn).await?;
    check_owner(&txn, user, Some(owner)).await?;
    let model = model.insert(&txn).await?;
    db::replace_contacts(&txn, id, contacts).await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::VendorCreated,
            ("vendor", id.to_string()),
            json!({ "legal_name": legal_name, "inherent_tier": profile.inherent_tier() }),
        ),
        ctx.clock.now(),
    )
    .await?;
    let view = view(&txn, model).await?;
    txn.commit().await?;
    Ok(view)
}

/// One vendor of the caller's organisation (any role).
pub async fn get(ctx: &Ctx, user: &UserCaller, id: Uuid) -> Result<VendorView> {
    let db_conn = &ctx.db;
    user.require(Permission::ReadVendors)?;
    let model = db::find(db_conn, user.organization_id, id)
        .await?
        .ok_or(Error::NotFound)?;
    view(db_conn, model).await
}

/// Changes the fields present in `patch`; the inherent tier follows the profile.
pub async fn update(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    patch: VendorPatch,
) -> Result<VendorView> {
    let db_conn = &ctx.db;
    user.require(Permission::ManageVendors)?;
    let txn = crate::db::begin_write(db_conn).await?;
    let current = db::find(&txn, user.organization_id, id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut changed = Vec::new();
    let mut active = current.clone().into_active_model();
    if let Some(name) = &patch.legal_name {
        active.legal_name = Set(text_field("legal_name", name, 200, true)?);
        changed.push("legal_name");
    }
    if let Some(site) = &patch.website {
        active.website = Set(website(Some(site))?);
        changed.push("website");
    }
    if let Some(services) = &patch.services {
        active.services = Set(text_field("services", services, 5000, false)?);
        changed.push("services");
    }
    let mut profile = InherentRiskProfile {
        data_types: parse_json(&current.data_types),
        system_access: restored(&current.system_access)?,
        criticality: restored(&current.criticality)?,
    };
    if let Some(types) = &patch.data_types {
        profile.data_types = types.clone();
        active.data_types = Set(json_list(types)?);
        changed.push("data_types");
    }
    if let Some(access) = patch.system_access {
        profile.system_access = access;
        active.system_access = Set(stored(access));
        changed.push("system_access");
    }
    if let Some(criticality) = patch.criticality {
        profile.criticality = criticality;
        active.criticality = Set(stored(criticality));
        changed.push("criticality");
    }
    let tier: RiskTier = profile.inherent_tier();
    active.inherent_tier = Set(stored(tier));
    active.tier_rank = Set(db::tier_rank(tier));
    if let Some(list) = &patch.countries {
        active.countries = Set(json_list(&countries(list)?)?);
        changed.push("countries");
    }
    if let Some(list) = &patch.tags {
        active.tags = Set(json_list(&tags(list)?)?);
        changed.push("tags");
    }
    if let Some(owner) = patch.owner_id {
        check_owner(&txn, user, Some(owner)).await?;
        active.owner_id = Set(Some(owner));
        changed.push("owner_id");
    }
    if let Some(list) = &patch.contacts {
        db::replace_contacts(&txn, id, contacts(id, list)?).await?;
        changed.push("contacts");
    }
    active.updated_at = Set(ctx.clock.now());
    let model = active.update(&txn).await?;
    audit::record(
        &txn,
        Event::by(
            user,
            Action::VendorUpdated,
            ("vendor", id.to_string()),
            json!({ "changed": changed, "inherent_tier": tier }),
        ),
        ctx.clock.now(),
    )
    .await?;
    // The inherent tier feeds the residual tier of the vendor's latest scorecard.
    crate::services::review::record_latest_of_vendor(
        &txn,
        user.organization_id,
        id,
        ctx.clock.now(),
    )
    .await?;
    let view = view(&txn, model).await?;
    txn.commit().await?;
    Ok(view)
}

/// Archives a vendor: it leaves the active list but its history stays (nothing is deleted,
/// so past assessments and the audit trail remain whole).
pub async fn archive(ctx: &Ctx, user: &UserCaller, id: Uuid) -> Result<()> {
    set_status(
        ctx,
        user,
        id,
        VendorStatus::Archived,
        Action::VendorArchived,
    )
    .await
    .map(|_| ())
}

/// Brings an archived vendor back to the active list, as it was (Procurement, Admin).
pub async fn restore(ctx: &Ctx, user: &UserCaller, id: Uuid) -> Result<VendorView> {
    set_status(ctx, user, id, VendorStatus::Active, Action::VendorRestored).await
}

async fn set_status(
    ctx: &Ctx,
    user: &UserCaller,
    id: Uuid,
    status: VendorStatus,
    action: Action,
) -> Result<VendorView> {
    let db_conn = &ctx.db;
    user.require(Permission::ManageVendors)?;
    let txn = crate::db::begin_write(db_conn).await?;
    let current = db::find(&txn, user.organization_id, id)
        .await?
        .ok_or(Error::NotFound)?;
    let mut active = current.into_active_model();
    active.status = Set(stored(status));
    active.updated_at = Set(ctx.clock.now());
    if status == VendorStatus::Active {
        // Reassessments and expiry alerts held back while it was archived may be due.
        let today = ctx.clock.today();
        active.reassess_on = Set(Some(today));
        crate::db::due_dates::alert_vendor_now(&txn, user.organization_id, id, today).await?;
    }
    let model = active.update(&txn).await?;
    audit::record(
        &txn,
        Event::by(user, action, ("vendor", id.to_string()), json!({})),
        ctx.clock.now(),
    )
    .await?;
    let view = view(&txn, model).await?;
    txn.commit().await?;
    Ok(view)
}
