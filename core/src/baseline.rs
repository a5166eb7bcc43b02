//! The built-in template, "Assay Baseline — Security & Data Protection": 51 questions for
//! outsourcing vendors with scoring rules, knock-outs, evidence requirements, contract
//! checks. Shipped as native JSON (`core/baseline/assay-baseline.json`), valid against
//! `core/schema/template.schema.json`.

use crate::import::ImportError;
use crate::template::Template;

/// The baseline as JSON, exactly as shipped.
pub const BASELINE_JSON: &str = include_str!("../baseline/assay-baseline.json");

/// The baseline template with its scoring rules.
pub fn baseline_template() -> Result<Template, ImportError> {
    serde_json::from_str(BASELINE_JSON).map_err(|e| ImportError {
        line: Some(e.line()),
        column: None,
        item: None,
        message: format!("the built-in baseline is invalid: {e}"),
    })
}
