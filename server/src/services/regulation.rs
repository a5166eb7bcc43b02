//! The regulations and adequacy decisions Assay ships (`core/data`), as people in an
//! organisation read them: each regime with its articles, clocks, who reports to whom, and
//! the source to cite; each adequacy list with its authority, date, completeness and sources.
//! The files are checked when read (and by core's tests), so a broken file is a fault of
//! this build, not of the caller.

use assay_core::access::Permission;
use assay_core::{regime, transfer};
use serde_json::{Value, json};

use crate::caller::UserCaller;
use crate::error::{Error, Result};

fn shipped_fault(what: &str, problems: impl std::fmt::Debug) -> Error {
    Error::Internal(anyhow::anyhow!(
        "the shipped {what} file is invalid: {problems:?}"
    ))
}

/// `{version, regimes}`: the shipped regulatory presets.
pub fn regimes(user: &UserCaller) -> Result<Value> {
    user.require(Permission::ReadAssessments)?;
    let version = regime::presets_version().map_err(|p| shipped_fault("regimes", p))?;
    let regimes = regime::presets().map_err(|p| shipped_fault("regimes", p))?;
    Ok(json!({ "version": version, "regimes": regimes }))
}

/// The shipped adequacy lists (EEA, UK, Switzerland), each dated, with its sources.
pub fn adequacy(user: &UserCaller) -> Result<Value> {
    user.require(Permission::ReadAssessments)?;
    let lists = transfer::shipped().map_err(|p| shipped_fault("adequacy", p))?;
    serde_json::to_value(lists).map_err(|e| Error::Internal(e.into()))
}
