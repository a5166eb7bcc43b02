//! Shapes around every resource: the error body of each non-2xx response, and a keyset
//! page of results.

use serde::{Deserialize, Serialize};

/// The body of every non-2xx API response: `{ "error": { ... } }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorResponse {
    pub error: ErrorBody,
}

/// A machine-readable `code`, a human-readable `message`, the offending input `field` when
/// there is one, and the request id to quote when asking an operator about a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Machine-readable specifics: the current answer on a 409, the missing questions on
    /// an incomplete submission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub details: Option<serde_json::Value>,
}

/// A page of a list that grows without bound, read newest first by keyset: pass `next` as
/// `after` for the following page; the last page has none. Pages stay as fast at the
/// millionth row as at the first, and a row added meanwhile never shifts what follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CursorPage<T> {
    pub items: Vec<T>,
    /// How many rows match the filters, in all.
    pub total: u64,
    /// The cursor of the following page (`after=`), if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}
