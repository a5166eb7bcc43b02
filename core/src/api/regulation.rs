//! The organisation's regulatory settings: its changes to the regulatory presets and its
//! own adequacy lists (#17).

use serde::{Deserialize, Serialize};

use crate::country::{Country, Region};
use crate::regime::{Proposal, Regime, RegimeOverrides};
use crate::transfer::{AdequacyLists, Status};

/// `GET/PUT /api/settings/regimes`: the regimes as the organisation uses them (the presets
/// with its changes; disabled regimes left out), and the changes themselves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegimesView {
    /// The version of the shipped presets.
    pub version: String,
    pub regimes: Vec<Regime>,
    pub overrides: RegimeOverrides,
    /// The presets the organisation left out, as shipped.
    #[serde(default)]
    pub left_out: Vec<Regime>,
}

/// `GET/PUT /api/settings/adequacy`: the adequacy lists transfers are judged by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdequacyView {
    #[serde(flatten)]
    pub lists: AdequacyLists,
    /// `true`: the organisation's own copy; `false`: the lists Assay ships.
    pub edited: bool,
    /// What a save changed today (only in the answer to a save).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<AdequacyChange>,
}

/// A country whose status a save changed, and how many vendors transfer there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdequacyChange {
    pub region: Region,
    pub country: Country,
    pub before: Status,
    pub after: Status,
    /// Vendors with a subprocessor there, whose scorecards are recorded again today.
    pub vendors: usize,
}

/// The breach-notification hours the regulations that apply to a vendor propose for its
/// contract (on the vendor and its contract; none until an Admin sets the organisation's
/// profile, since the regimes that apply depend on where and what the client is).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BreachNoticeView {
    /// The regimes that apply, by name ("GDPR", "DORA").
    pub regimes: Vec<String>,
    pub proposal: Proposal,
}
