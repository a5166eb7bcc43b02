//! The template library: importing a template, and its drafts and published versions.

use serde::{Deserialize, Serialize};

/// `POST /api/templates`: a template file's text, imported as a new draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportTemplateRequest {
    /// The file's contents.
    pub content: String,
    /// `vsaq`, `oscal`, `csv` or `json`; detected from the contents when absent.
    #[serde(default)]
    pub format: Option<String>,
    /// Overrides the title found in the file.
    #[serde(default)]
    pub title: Option<String>,
}

/// A published, immutable version of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateVersionView {
    pub version: u32,
    /// SHA-256 of the published JSON.
    pub sha256: String,
    pub published_at: String,
}

/// A template of the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateView {
    pub id: uuid::Uuid,
    pub title: String,
    pub source_format: String,
    /// Shipped with Assay (read-only for organisations).
    pub built_in: bool,
    /// `{format, title, sections, questions, choices, conditional_items, warnings, severities}`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub summary: serde_json::Value,
    pub versions: Vec<TemplateVersionView>,
    pub updated_at: String,
    /// The draft as Assay template JSON; only on single-template responses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub draft: Option<serde_json::Value>,
    /// Whether the draft differs from the latest published version.
    #[serde(default)]
    pub unpublished_changes: bool,
}
