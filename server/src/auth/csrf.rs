//! Cross-site request forgery defence for cookie-authenticated API calls (ASVS 3.5): a
//! state-changing request must come from this origin (`Origin` / `Sec-Fetch-Site`), and a
//! POST must not use a content type a cross-site HTML form can send, except multipart from
//! this origin (uploads). PUT, PATCH and DELETE cannot be sent cross-site without a CORS
//! preflight, which Assay never grants. Otherwise 403.

use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::Error;

pub async fn middleware(request: Request, next: Next) -> Response {
    match check(&request) {
        Ok(()) => next.run(request).await,
        Err(message) => Error::Forbidden(message.to_owned()).into_response(),
    }
}

fn check(request: &Request) -> Result<(), &'static str> {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return Ok(());
    }
    let headers = request.headers();
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let fetch_site = header("sec-fetch-site");
    if let Some(site) = fetch_site
        && site != "same-origin"
        && site != "none"
    {
        return Err("cross-site request refused");
    }
    let origin = header(header::ORIGIN.as_str());
    let same_origin = match (origin, header(header::HOST.as_str())) {
        (Some(origin), Some(host)) => {
            let origin_host = origin
                .split_once("://")
                .map_or(origin, |(_, rest)| rest)
                .trim_end_matches('/');
            if origin_host != host {
                return Err("cross-origin request refused");
            }
            true
        }
        (Some(_), None) => return Err("cross-origin request refused"),
        (None, _) => fetch_site == Some("same-origin"),
    };
    if request.method() != Method::POST {
        return Ok(());
    }
    let content_type = header(header::CONTENT_TYPE.as_str()).map(|v| {
        v.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    });
    match content_type.as_deref() {
        None => Err("state-changing requests need Content-Type: application/json"),
        Some("text/plain" | "application/x-www-form-urlencoded") => {
            Err("state-changing requests need Content-Type: application/json")
        }
        Some("multipart/form-data") if !same_origin => {
            Err("uploads are accepted only from Assay's own pages")
        }
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(method: Method, headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder().method(method).uri("/api/x");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(Body::empty()).expect("request")
    }

    #[test]
    fn json_from_this_origin_passes() {
        let r = request(
            Method::POST,
            &[
                ("content-type", "application/json"),
                ("origin", "http://a.test:8080"),
                ("host", "a.test:8080"),
            ],
        );
        assert!(check(&r).is_ok());
    }

    #[test]
    fn form_content_types_and_foreign_origins_are_refused() {
        let form = request(
            Method::POST,
            &[("content-type", "application/x-www-form-urlencoded")],
        );
        assert!(check(&form).is_err());
        let plain = request(Method::POST, &[("content-type", "text/plain")]);
        assert!(check(&plain).is_err());
        let none = request(Method::POST, &[]);
        assert!(check(&none).is_err());
        let delete = request(
            Method::DELETE,
            &[("origin", "https://evil.test"), ("host", "a.test")],
        );
        assert!(
            check(&delete).is_err(),
            "origin checks apply to every write"
        );
        let foreign = request(
            Method::POST,
            &[
                ("content-type", "application/json"),
                ("origin", "https://evil.test"),
                ("host", "a.test"),
            ],
        );
        assert!(check(&foreign).is_err());
        let cross_site = request(
            Method::POST,
            &[
                ("content-type", "application/json"),
                ("sec-fetch-site", "cross-site"),
            ],
        );
        assert!(check(&cross_site).is_err());
    }

    #[test]
    fn multipart_needs_proof_of_same_origin() {
        let bare = request(
            Method::POST,
            &[("content-type", "multipart/form-data; boundary=x")],
        );
        assert!(check(&bare).is_err());
        let same = request(
            Method::POST,
            &[
                ("content-type", "multipart/form-data; boundary=x"),
                ("sec-fetch-site", "same-origin"),
            ],
        );
        assert!(check(&same).is_ok());
    }

    #[test]
    fn reads_and_same_origin_deletes_are_not_blocked() {
        assert!(check(&request(Method::GET, &[])).is_ok());
        assert!(
            check(&request(Method::DELETE, &[])).is_ok(),
            "no form can send DELETE"
        );
    }
}
