//! The typed API client: one function per endpoint, each decoding the success body or the
//! server's `{ "error": … }` body into [`ApiError`], whose `Display` is fit to show a user.

use assay_core::api::{ErrorBody, ErrorResponse, HealthResponse};
use gloo_net::http::{Request, Response};
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
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|_| ApiError::Unexpected { status });
    }
    match response.json::<ErrorResponse>().await {
        Ok(ErrorResponse { error }) => Err(ApiError::Server {
            status,
            body: error,
        }),
        Err(_) => Err(ApiError::Unexpected { status }),
    }
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = Request::get(path)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    decode(response).await
}

/// `GET /api/health`.
pub async fn health() -> Result<HealthResponse, ApiError> {
    get("/api/health").await
}
