//! Cross-site request forgery defence for cookie-authenticated API calls (ASVS 3.5): a
//! state-changing request must come from this origin (`Origin` / `Sec-Fetch-Site`), and a
//! POST must not use a content type a cross-site HTML form can send, except multipart from
//! this origin (uploads). PUT, PATCH and DELETE cannot be sent cross-site without a CORS
//! preflight, which Assay never grants. Otherwise 403.
//!
//! "This origin" is scheme, host and port: the scheme Assay is reached by (that of
//! `public_url`) with the request's `Host`, or `public_url`'s own origin. An `Origin` of
//! `http://assay.example` is refused when Assay is served as `https://assay.example`.

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::Error;

/// Where Assay is reached, from `public_url`: its scheme and its own `host[:port]`.
#[derive(Debug, Clone)]
pub struct Origins {
    scheme: String,
    public_host: String,
}

impl Origins {
    pub fn from_public_url(public_url: &str) -> Self {
        let (scheme, rest) = public_url.split_once("://").unwrap_or(("http", public_url));
        let public_host = rest.split('/').next().unwrap_or_default();
        Origins {
            scheme: scheme.to_ascii_lowercase(),
            public_host: public_host.to_ascii_lowercase(),
        }
    }

    /// Whether `origin` (scheme://host[:port]) is this server as the request reached it.
    fn allows(&self, origin: &str, host: &str) -> bool {
        let origin = origin.trim_end_matches('/').to_ascii_lowercase();
        let Some((scheme, origin_host)) = origin.split_once("://") else {
            return false;
        };
        scheme == self.scheme
            && (origin_host == host.to_ascii_lowercase() || origin_host == self.public_host)
    }
}

pub async fn middleware(State(origins): State<Origins>, request: Request, next: Next) -> Response {
    match check(&origins, &request) {
        Ok(()) => next.run(request).await,
        Err(message) => Error::Forbidden(message.to_owned()).into_response(),
    }
}

fn check(origins: &Origins, request: &Request) -> Result<(), &'static str> {
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
            if !origins.allows(origin, host) {
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

    fn check(request: &Request) -> Result<(), &'static str> {
        super::check(&Origins::from_public_url("http://a.test:8080"), request)
    }

    #[test]
    fn the_scheme_and_port_of_the_origin_count() {
        let json_from = |origin: &'static str, host: &'static str| {
            request(
                Method::POST,
                &[
                    ("content-type", "application/json"),
                    ("origin", origin),
                    ("host", host),
                ],
            )
        };
        let https = Origins::from_public_url("https://assay.example");
        assert!(super::check(&https, &json_from("https://assay.example", "assay.example")).is_ok());
        assert!(
            super::check(&https, &json_from("http://assay.example", "assay.example")).is_err(),
            "a plain-HTTP page may not write to the HTTPS site"
        );
        assert!(
            super::check(
                &https,
                &json_from("https://assay.example:8443", "assay.example")
            )
            .is_err(),
            "another port is another origin"
        );
        assert!(
            super::check(&https, &json_from("https://assay.example", "10.0.0.5:8080")).is_ok(),
            "behind a proxy the Host may be internal; public_url's origin is accepted"
        );
    }

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
