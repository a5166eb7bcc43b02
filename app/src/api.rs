//! The typed API client: one function per endpoint, each decoding the success body or the
//! server's `{ "error": … }` body into [`ApiError`], whose `Display` is fit to show a user.

use assay_core::api::{
    AcceptInvitationRequest, AuditEntryView, ChangePasswordRequest, ErrorBody, ErrorResponse,
    HealthResponse, InviteUserRequest, LoginRequest, Me, MfaCode, MfaSetup, OrganizationView,
    OutboxEmailView, Page, PasswordConfirmation, RecoveryCodes, UpdateOrganizationRequest,
    UpdateUserRequest, UserView,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Why a call failed, in words a user can act on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The server could not be reached at all.
    #[error("Assay could not be reached. Check your connection and try again.")]
    Network,
    /// The server answered with an error body.
    #[error("{}", .body.message)]
    Server { status: u16, body: ErrorBody },
    /// The server answered with something the app does not understand.
    #[error("Assay sent an unexpected answer (HTTP {status}). Reload the page and try again.")]
    Unexpected { status: u16 },
}

impl ApiError {
    /// The request id to quote to an operator, when the server gave one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Server { body, .. } => body.request_id.as_deref(),
            _ => None,
        }
    }

    /// The input field the error is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Server { body, .. } => body.field.as_deref(),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Server { status, .. } | ApiError::Unexpected { status } => Some(*status),
            ApiError::Network => None,
        }
    }

    /// The stable error code, when the server sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Server { body, .. } => Some(body.code.as_str()),
            _ => None,
        }
    }

    /// The session is missing or has ended.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }
}

async fn error_of(response: Response) -> ApiError {
    let status = response.status();
    match response.json::<ErrorResponse>().await {
        Ok(ErrorResponse { error }) => ApiError::Server {
            status,
            body: error,
        },
        Err(_) => ApiError::Unexpected { status },
    }
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let request = request.map_err(|_| ApiError::Network)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(response)
    } else {
        Err(error_of(response).await)
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    response
        .json::<T>()
        .await
        .map_err(|_| ApiError::Unexpected { status })
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(send(Request::get(path).build()).await?).await
}

fn with_json(builder: RequestBuilder, body: &impl Serialize) -> Result<Request, gloo_net::Error> {
    builder.json(body)
}

async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    decode(send(with_json(Request::post(path), body)).await?).await
}

/// A write whose success has no body (204).
async fn post_no_content<B: Serialize>(path: &str, body: &B) -> Result<(), ApiError> {
    send(with_json(Request::post(path), body)).await.map(|_| ())
}

/// `GET /api/health`.
pub async fn health() -> Result<HealthResponse, ApiError> {
    get("/api/health").await
}

/// `GET /api/auth/me`; `Ok(None)` when nobody is signed in.
pub async fn me() -> Result<Option<Me>, ApiError> {
    match get::<Me>("/api/auth/me").await {
        Ok(me) => Ok(Some(me)),
        Err(e) if e.is_unauthorized() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Signs in; `totp` is the authenticator or recovery code when the account uses MFA.
pub async fn login(email: String, password: String, totp: Option<String>) -> Result<Me, ApiError> {
    post(
        "/api/auth/login",
        &LoginRequest {
            email,
            password,
            totp,
        },
    )
    .await
}

pub async fn mfa_setup() -> Result<MfaSetup, ApiError> {
    post("/api/auth/mfa/setup", &serde_json::json!({})).await
}

pub async fn mfa_enable(code: String) -> Result<RecoveryCodes, ApiError> {
    post("/api/auth/mfa/enable", &MfaCode { code }).await
}

pub async fn mfa_disable(password: String) -> Result<(), ApiError> {
    post_no_content("/api/auth/mfa/disable", &PasswordConfirmation { password }).await
}

pub async fn logout() -> Result<(), ApiError> {
    post_no_content("/api/auth/logout", &serde_json::json!({})).await
}

pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), ApiError> {
    post_no_content(
        "/api/auth/password",
        &ChangePasswordRequest {
            current_password,
            new_password,
        },
    )
    .await
}

/// Admin: require MFA for the whole organisation, or not.
pub async fn update_organization(require_mfa: bool) -> Result<OrganizationView, ApiError> {
    decode(
        send(with_json(
            Request::patch("/api/organization"),
            &UpdateOrganizationRequest { require_mfa },
        ))
        .await?,
    )
    .await
}

pub async fn users() -> Result<Vec<UserView>, ApiError> {
    get("/api/users").await
}

pub async fn invite_user(request: InviteUserRequest) -> Result<UserView, ApiError> {
    post("/api/users", &request).await
}

pub async fn update_user(id: uuid::Uuid, request: UpdateUserRequest) -> Result<UserView, ApiError> {
    let path = format!("/api/users/{id}");
    decode(send(with_json(Request::patch(&path), &request)).await?).await
}

pub async fn accept_invitation(token: String, password: String) -> Result<(), ApiError> {
    post_no_content(
        "/api/invitations/accept",
        &AcceptInvitationRequest { token, password },
    )
    .await
}

pub async fn outbox() -> Result<Vec<OutboxEmailView>, ApiError> {
    get("/api/outbox").await
}

pub async fn audit(query: &str) -> Result<Page<AuditEntryView>, ApiError> {
    get(&format!("/api/audit?{query}")).await
}

/// The chain check's result: `intact`, `entries_checked`, `first_broken`.
pub async fn verify_audit() -> Result<serde_json::Value, ApiError> {
    get("/api/audit/verify").await
}
