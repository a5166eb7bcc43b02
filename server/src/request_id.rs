//! One id per request: generated here (an id sent by the client is not trusted, so logs
//! cannot be forged), put in the `x-request-id` response header, on every log line of the
//! request, and in error bodies.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

tokio::task_local! {
    static REQUEST_ID: String;
}

pub const HEADER: &str = "x-request-id";

/// The id of the request being handled, if any.
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Assigns the id, logs the request once when it completes, and echoes the id in the
/// response. The line is `request` at `info` with the id, method, route, status and
/// duration in milliseconds, and nothing else: the route is the template the request
/// matched (`/api/vendors/{id}`), never the path or query string a client sent, so ids,
/// tokens and search terms stay out of the log. Logs written while the request is handled
/// (errors) carry the same id, method and route through the `request` span.
pub async fn middleware(mut request: Request, next: Next) -> Response {
    let id = uuid::Uuid::now_v7().to_string();
    if let Ok(value) = HeaderValue::from_str(&id) {
        request.headers_mut().insert(HEADER, value);
    }
    let method = request.method().clone();
    let route = route(&request);
    let span = tracing::info_span!("request", request_id = %id, %method, %route);
    let started = Instant::now();
    let mut response = REQUEST_ID
        .scope(id.clone(), next.run(request).instrument(span))
        .await;
    let status = response.status().as_u16();
    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    // Outside the span, so that the line carries each field once.
    tracing::info!(request_id = %id, %method, %route, status, duration_ms, "request");
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HEADER, value);
    }
    response
}

/// What the log names a request by: the route template it matched; requests no route
/// matched are only told apart as API (a 404) or web app (pages and their files, whose
/// paths can carry ids too).
fn route(request: &Request) -> String {
    match request.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str().to_owned(),
        None if crate::startup::is_api_path(request.uri().path()) => "(no route)".to_owned(),
        None => "(web app)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Lines {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// What the server would log, at the default filter, for `uri` on a router with a
    /// `/api/vendors/{id}` route, as text and as JSON.
    async fn logged(uri: &str) -> (Response, String, String) {
        let app = Router::new()
            .route("/api/vendors/{id}", get(|| async { "a vendor" }))
            .layer(axum::middleware::from_fn(middleware));
        let text = Lines::default();
        let json = Lines::default();
        let subscriber = {
            use tracing_subscriber::layer::SubscriberExt;
            let (text, json) = (text.clone(), json.clone());
            tracing_subscriber::registry()
                .with(crate::telemetry::default_filter())
                .with(
                    tracing_subscriber::fmt::layer()
                        .with_ansi(false)
                        .with_writer(move || text.clone()),
                )
                .with(
                    tracing_subscriber::fmt::layer()
                        .json()
                        .with_writer(move || json.clone()),
                )
        };
        let _guard = tracing::subscriber::set_default(subscriber);
        let request = Request::builder()
            .uri(uri)
            .body(Body::empty())
            .expect("a request");
        let response = app.oneshot(request).await.expect("infallible");
        let read = |lines: Lines| {
            String::from_utf8(lines.0.lock().unwrap_or_else(|e| e.into_inner()).clone())
                .expect("UTF-8")
        };
        (response, read(text), read(json))
    }

    #[tokio::test]
    async fn a_request_is_one_info_line_naming_its_route_template_never_its_ids_or_query() {
        let secret_id = "0193a1b2-7c4d-7e5f-8a9b-0c1d2e3f4a5b";
        let (response, text, json) =
            logged(&format!("/api/vendors/{secret_id}?token=hunter2-secret")).await;

        let id = response.headers()[HEADER]
            .to_str()
            .expect("ascii")
            .to_owned();
        assert_eq!(text.lines().count(), 1, "one line per request: {text}");
        for expected in [
            " INFO ",
            "request",
            &format!("request_id={id}"),
            "method=GET",
            "route=/api/vendors/{id}",
            "status=200",
            "duration_ms=",
        ] {
            assert!(text.contains(expected), "{expected:?} in {text}");
        }
        let line: serde_json::Value =
            serde_json::from_str(json.trim()).expect("one JSON object per line");
        let fields = &line["fields"];
        assert_eq!(fields["route"], "/api/vendors/{id}", "{line}");
        assert_eq!(fields["request_id"], id.as_str(), "{line}");
        assert_eq!(fields["status"], 200, "{line}");
        assert!(fields["duration_ms"].is_u64(), "{line}");
        for log in [&text, &json] {
            assert!(!log.contains(secret_id), "the id leaked: {log}");
            assert!(!log.contains("hunter2"), "the query string leaked: {log}");
        }
    }

    #[tokio::test]
    async fn a_request_no_route_matched_is_logged_without_its_path() {
        let (_, api, _) = logged("/api/reset/4f1c2d-token").await;
        let (_, page, _) = logged("/vendors/4f1c2d-token").await;

        assert!(api.contains("route=(no route) status=404"), "{api}");
        assert!(page.contains("route=(web app)"), "{page}");
        assert!(!format!("{api}{page}").contains("4f1c2d"), "{api}{page}");
    }
}
