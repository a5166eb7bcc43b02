//! The server's one error type, mapped to HTTP once. Every variant's doc says its status.
//! 4xx bodies explain the problem; 5xx bodies are opaque (the cause is logged once, with the
//! request id that the body also carries).

use assay_core::api::{ErrorBody, ErrorResponse};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::request_id;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400: the request could not be read (malformed JSON, missing parameter).
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// 422: the request was read but a value is not acceptable.
    #[error("{message}")]
    Validation { field: String, message: String },
    /// 401: no valid session or credentials.
    #[error("authentication required")]
    Unauthorized,
    /// 401: the password was right; a second factor is needed (`mfa_required`).
    #[error("Enter the code from your authenticator app.")]
    MfaRequired,
    /// 401: the second factor was wrong.
    #[error("That code is not valid. Try the current code, or a recovery code.")]
    InvalidMfaCode,
    /// 401: sign-in failed. One message for an unknown email and a wrong password.
    #[error("The email address or password is not correct.")]
    InvalidCredentials,
    /// 403: authenticated, but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// 403: the organisation requires MFA and this user has not set it up yet.
    #[error(
        "Your organisation requires two-factor authentication: set it up on your account page first."
    )]
    MfaEnrolmentRequired,
    /// 403 (`sso_required`): the password was right, but the organisation signs in with
    /// single sign-on and this user is not its break-glass Admin.
    #[error(
        "Your organisation signs in with single sign-on: use \"Continue with single sign-on\" on the sign-in page."
    )]
    SsoRequired,
    /// 403 (`invalid_setup_token`): the first-run setup token is missing, wrong, used, or
    /// replaced by a later start of `assay serve`.
    #[error(
        "This setup link is not valid: it is incomplete, already used, or was replaced when Assay restarted. Open the newest setup link printed by assay serve."
    )]
    InvalidSetupToken,
    /// 404: nothing here, or nothing this principal may see (the two look the same).
    #[error("not found")]
    NotFound,
    /// 409: someone saved this answer since the caller loaded it; `current` is what is
    /// stored now.
    #[error("This answer was changed by someone else; review the current value.")]
    StaleAnswer { current: serde_json::Value },
    /// 422: a submission is missing required answers (listed).
    #[error("Some required questions are not answered yet.")]
    Incomplete { missing: Vec<String> },
    /// 410: the thing existed but is no longer usable (an expired or used link).
    #[error("{0}")]
    Gone(String),
    /// 409: the request conflicts with the current state.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// 413: the body is larger than allowed.
    #[error("request body too large")]
    PayloadTooLarge,
    /// 415: the body's content type is not accepted here.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 429: too many attempts; retry after the given seconds.
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    /// 503 (`busy`): the server is at capacity for this kind of work (every password
    /// hashing slot taken and the queue full, or waited too long); retry after the given
    /// seconds. Nothing was changed.
    #[error("at capacity: password hashing slots and queue are full")]
    Busy { retry_after_secs: u64 },
    /// 500: a bug or an unavailable dependency. Never shown to the client.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
    /// 500: a database failure. Never shown to the client. 503 with `Retry-After` when the
    /// database was only busy ([`is_contention`]); 409 when a concurrent
    /// request created the same unique thing first.
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Error::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Unauthorized
            | Error::InvalidCredentials
            | Error::MfaRequired
            | Error::InvalidMfaCode => StatusCode::UNAUTHORIZED,
            Error::Forbidden(_)
            | Error::MfaEnrolmentRequired
            | Error::InvalidSetupToken
            | Error::SsoRequired => StatusCode::FORBIDDEN,
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::Conflict { .. } => StatusCode::CONFLICT,
            Error::Gone(_) => StatusCode::GONE,
            Error::StaleAnswer { .. } => StatusCode::CONFLICT,
            Error::Incomplete { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Error::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Error::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Error::Database(e) if is_contention(e) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Database(e) if is_duplicate(e) => StatusCode::CONFLICT,
            Error::Internal(_) | Error::Database(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Error::BadRequest { code, .. } | Error::Conflict { code, .. } => code,
            Error::Validation { .. } => "validation_failed",
            Error::Unauthorized => "unauthorized",
            Error::InvalidCredentials => "invalid_credentials",
            Error::MfaRequired => "mfa_required",
            Error::InvalidMfaCode => "invalid_mfa_code",
            Error::Forbidden(_) => "forbidden",
            Error::MfaEnrolmentRequired => "mfa_enrolment_required",
            Error::InvalidSetupToken => "invalid_setup_token",
            Error::SsoRequired => "sso_required",
            Error::NotFound => "not_found",
            Error::Gone(_) => "gone",
            Error::StaleAnswer { .. } => "answer_changed",
            Error::Incomplete { .. } => "incomplete",
            Error::PayloadTooLarge => "payload_too_large",
            Error::UnsupportedMediaType(_) => "unsupported_media_type",
            Error::TooManyRequests { .. } => "too_many_requests",
            Error::Busy { .. } => "busy",
            Error::Database(e) if is_contention(e) => "busy",
            Error::Database(e) if is_duplicate(e) => "already_exists",
            Error::Internal(_) | Error::Database(_) => "internal_error",
        }
    }

    /// What the client is told. Server errors are opaque; a busy database and a
    /// duplicate say what to do.
    fn public_message(&self) -> String {
        match self.status() {
            StatusCode::SERVICE_UNAVAILABLE => {
                "Assay is busy right now; nothing was changed. Try again in a moment.".to_owned()
            }
            StatusCode::CONFLICT if matches!(self, Error::Database(_)) => {
                "Someone else just made the same change; reload to see it.".to_owned()
            }
            status if status.is_server_error() => {
                "Something went wrong on our side. Quote the request id if you contact support."
                    .to_owned()
            }
            _ => self.to_string(),
        }
    }

    fn details(&self) -> Option<serde_json::Value> {
        match self {
            Error::StaleAnswer { current } => Some(serde_json::json!({ "current": current })),
            Error::Incomplete { missing } => Some(serde_json::json!({ "missing": missing })),
            _ => None,
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            Error::Validation { field, .. } => Some(field.clone()),
            _ => None,
        }
    }

    /// A bug or a broken invariant (500), from any error.
    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        Error::Internal(e.into())
    }

    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A validation error moved to `field`, for a form that names a value differently from
    /// the rule it shares (`admin_email` checked as any `email`); other errors unchanged.
    pub fn on_field(self, field: &str) -> Self {
        match self {
            Error::Validation { message, .. } => Error::validation(field, message),
            other => other,
        }
    }
}

/// The JSON error body for a status, with the current request's id.
pub fn error_response(
    status: StatusCode,
    code: &str,
    message: String,
    field: Option<String>,
) -> Response {
    error_response_with(status, code, message, field, None)
}

fn error_response_with(
    status: StatusCode,
    code: &str,
    message: String,
    field: Option<String>,
    details: Option<serde_json::Value>,
) -> Response {
    let body = ErrorResponse {
        error: ErrorBody {
            code: code.to_owned(),
            message,
            field,
            request_id: request_id::current(),
            details,
        },
    };
    (status, Json(body)).into_response()
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        match status {
            // The cause goes to the log, once; the client gets the request id to quote.
            StatusCode::SERVICE_UNAVAILABLE => tracing::warn!(error = ?self, "busy"),
            s if s.is_server_error() => tracing::error!(error = ?self, "request failed"),
            _ => {}
        }
        let message = self.public_message();
        let mut response =
            error_response_with(status, self.code(), message, self.field(), self.details());
        let retry_after = match self {
            Error::TooManyRequests { retry_after_secs } | Error::Busy { retry_after_secs } => {
                Some(retry_after_secs)
            }
            _ if status == StatusCode::SERVICE_UNAVAILABLE => Some(1),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Whether a database error means "busy, try again" rather than a fault: SQLite's busy
/// and locked codes, PostgreSQL's serialisation failure, deadlock and lock time-out, and
/// a pool with no free connection.
pub fn is_contention(error: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr};
    let sqlx = match error {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => e,
        _ => return false,
    };
    match sqlx.as_ref() {
        sea_orm::sqlx::Error::PoolTimedOut => true,
        sea_orm::sqlx::Error::Database(db_error) => {
            let code = db_error.code().unwrap_or_default();
            // SQLite: BUSY (5) and its extended codes (261 recovery, 517 snapshot, 773
            // timeout), LOCKED (6) and 262 (shared cache). PostgreSQL: 40001, 40P01, 55P03.
            matches!(
                code.as_ref(),
                "5" | "261" | "517" | "773" | "6" | "262" | "40001" | "40P01" | "55P03"
            )
        }
        _ => false,
    }
}

fn is_duplicate(e: &sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => Error::UnsupportedMediaType(
                "expected a request body with Content-Type: application/json".into(),
            ),
            JsonRejection::JsonSyntaxError(e) => Error::BadRequest {
                code: "malformed_json",
                message: format!("the request body is not valid JSON: {}", e.body_text()),
            },
            JsonRejection::JsonDataError(e) => Error::BadRequest {
                code: "invalid_body",
                message: e.body_text(),
            },
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Error::PayloadTooLarge
            }
            other => Error::BadRequest {
                code: "unreadable_body",
                message: other.body_text(),
            },
        }
    }
}

/// `axum::Json` whose rejections come back in Assay's error format.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(Error))]
pub struct ApiJson<T>(pub T);

impl<T: serde::Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}
