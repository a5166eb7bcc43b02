//! The organisation's regulatory and contract settings, from its one settings row: the
//! contract policy, its own profile (country, sectors, margin), its changes to the
//! regulatory presets and its own adequacy lists. Everything that judges a vendor against
//! them (scoring, the contract view, incidents, the register) reads them here, once.

use assay_core::contract::ContractPolicy;
use assay_core::regime::{self, ClientProfile, Regime, RegimeOverrides};
use assay_core::transfer::AdequacyLists;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use uuid::Uuid;

use crate::db::contracts as db;
use crate::error::{Error, Result};

/// The adequacy lists Assay ships (`core/data/adequacy.json`), read once.
pub(crate) fn shipped_adequacy() -> &'static Arc<AdequacyLists> {
    static LISTS: std::sync::OnceLock<Arc<AdequacyLists>> = std::sync::OnceLock::new();
    LISTS.get_or_init(|| {
        Arc::new(assay_core::transfer::shipped().unwrap_or_else(|problems| {
            // The tests keep the shipped file valid; a broken build checks nothing rather
            // than stopping every scorecard.
            tracing::error!(?problems, "the shipped adequacy lists are invalid");
            AdequacyLists::default()
        }))
    })
}

/// The regulatory presets Assay ships (`core/data/regimes.json`), read once.
pub(crate) fn shipped_regimes() -> &'static [Regime] {
    static REGIMES: std::sync::OnceLock<Vec<Regime>> = std::sync::OnceLock::new();
    REGIMES.get_or_init(|| {
        regime::presets().unwrap_or_else(|problems| {
            tracing::error!(?problems, "the shipped regimes are invalid");
            Vec::new()
        })
    })
}

/// One organisation's settings, as read.
#[derive(Debug, Clone)]
pub(crate) struct OrgSettings {
    pub policy: ContractPolicy,
    /// `None` until an Admin sets it: no regime applies and transfers are not judged.
    pub client: Option<ClientProfile>,
    pub regime_overrides: RegimeOverrides,
    /// The organisation's own adequacy lists, or the shipped ones.
    pub adequacy: Arc<AdequacyLists>,
    /// Whether `adequacy` is the organisation's own copy.
    pub adequacy_edited: bool,
}

impl OrgSettings {
    /// The presets with the organisation's changes. Overrides were checked against the
    /// presets when saved; a preset that later lost a clock they name leaves them out
    /// rather than stopping every view.
    pub fn regimes(&self) -> Vec<Regime> {
        regime::merge(shipped_regimes(), &self.regime_overrides).unwrap_or_else(|problems| {
            tracing::warn!(
                ?problems,
                "regime overrides no longer fit the presets; using the presets"
            );
            shipped_regimes().to_vec()
        })
    }
}

fn column<T: DeserializeOwned>(
    organization_id: Uuid,
    what: &str,
    text: Option<&str>,
) -> Result<Option<T>> {
    text.map(|t| {
        serde_json::from_str(t).map_err(|e| {
            Error::internal(anyhow::anyhow!(
                "the {what} of organisation {organization_id} is unreadable: {e}"
            ))
        })
    })
    .transpose()
}

/// The organisation's settings, in one read.
pub(crate) async fn read(
    conn: &impl sea_orm::ConnectionTrait,
    organization_id: Uuid,
) -> Result<OrgSettings> {
    let row = db::policy(conn, organization_id).await?;
    let text = |f: fn(&crate::db::entities::organization_policy::Model) -> Option<&str>| {
        row.as_ref().and_then(f)
    };
    let adequacy: Option<AdequacyLists> = column(
        organization_id,
        "adequacy lists",
        text(|r| r.adequacy.as_deref()),
    )?;
    Ok(OrgSettings {
        policy: column(
            organization_id,
            "contract policy",
            text(|r| r.contract_policy.as_deref()),
        )?
        .unwrap_or_default(),
        client: column(
            organization_id,
            "client profile",
            text(|r| r.client_profile.as_deref()),
        )?,
        regime_overrides: column(
            organization_id,
            "regime overrides",
            text(|r| r.regime_overrides.as_deref()),
        )?
        .unwrap_or_default(),
        adequacy_edited: adequacy.is_some(),
        adequacy: adequacy.map_or_else(|| Arc::clone(shipped_adequacy()), Arc::new),
    })
}

/// Saves one of the organisation's settings (`None`: back to the default) and records who
/// changed it, in the caller's transaction.
pub(crate) async fn save(
    txn: &sea_orm::DatabaseTransaction,
    user: &crate::caller::UserCaller,
    column: db::PolicyColumn,
    value: Option<String>,
    action: crate::services::audit::Action,
    detail: serde_json::Value,
    now: time::OffsetDateTime,
) -> Result<()> {
    db::set_policy(txn, user.organization_id, column, value, user.id, now).await?;
    crate::services::audit::record(
        txn,
        crate::services::audit::Event::by(
            user,
            action,
            ("organization", user.organization_id.to_string()),
            detail,
        ),
        now,
    )
    .await?;
    Ok(())
}
