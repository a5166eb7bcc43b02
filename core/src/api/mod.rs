//! Wire types shared by the server and the browser client, so both sides agree on the shape
//! of every JSON body by construction. One module per resource; every type is re-exported
//! here, so `assay_core::api::Name` names each of them. The API depends on the domain and
//! never the other way round: a body that is domain data (an incident report) belongs to its
//! domain module and is re-exported from here.

mod accounts;
mod assessments;
mod audit;
mod bulk_sends;
mod common;
mod dashboard;
mod health;
mod incidents;
mod packs;
mod portal;
mod regulation;
mod remediations;
mod review;
mod scoring_models;
mod sso;
mod templates;
mod tokens;
mod vendors;
mod work;

pub use accounts::*;
pub use assessments::*;
pub use audit::*;
pub use bulk_sends::*;
pub use common::*;
pub use dashboard::*;
pub use health::*;
pub use incidents::*;
pub use packs::*;
pub use portal::*;
pub use regulation::*;
pub use remediations::*;
pub use review::*;
pub use scoring_models::*;
pub use sso::*;
pub use templates::*;
pub use tokens::*;
pub use vendors::*;
pub use work::*;
