//! The browser side of the server: the Trunk build embedded in the binary (read from
//! `dist/` at run time in debug builds), client-side routes answered with `index.html`,
//! and the response headers every page and API answer carries.

use std::borrow::Cow;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

#[derive(rust_embed::Embed)]
// Relative to server/Cargo.toml.
#[folder = "../dist"]
#[allow_missing = true]
struct Dist;

/// The index page and the Content-Security-Policy derived from it, computed once.
#[derive(Clone)]
pub struct Frontend {
    index: Option<Cow<'static, [u8]>>,
    /// The vendor portal's own page (`dist/portal/index.html`, assets under `/portal-app/`).
    portal: Option<Cow<'static, [u8]>>,
    csp: HeaderValue,
}

/// Where the portal bundle's assets are served (Trunk's `--public-url` for it).
const PORTAL_ASSETS: &str = "portal-app/";

impl Frontend {
    pub fn load() -> Self {
        let index = Dist::get("index.html").map(|file| file.data);
        let portal = Dist::get("portal/index.html").map(|file| file.data);
        let hashes: Vec<String> = [&index, &portal]
            .into_iter()
            .flatten()
            .flat_map(|html| inline_script_hashes(&String::from_utf8_lossy(html)))
            .collect();
        let csp = content_security_policy(&hashes);
        Frontend {
            index,
            portal,
            // The policy is built from base64 and fixed text only, so it is a valid header.
            csp: HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static(
                "default-src 'self'; frame-ancestors 'none'",
            )),
        }
    }

    pub fn csp(&self) -> HeaderValue {
        self.csp.clone()
    }

    /// A static file if one matches the path; otherwise the app's index page, so that
    /// client-side routes survive a reload.
    pub fn respond(&self, uri: &Uri) -> Response {
        let path = uri.path().trim_start_matches('/');
        let portal_page = path == "portal" || path.starts_with("portal/");
        let asset = match path.strip_prefix(PORTAL_ASSETS) {
            Some(rest) => Cow::Owned(format!("portal/{rest}")),
            None => Cow::Borrowed(path),
        };
        if !path.is_empty()
            && path != "index.html"
            && !portal_page
            && let Some(file) = Dist::get(&asset)
        {
            let mime = mime_guess::from_path(asset.as_ref()).first_or_octet_stream();
            let cache = if is_hashed_asset(&asset) {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
            return (
                [
                    (header::CONTENT_TYPE, mime.as_ref().to_owned()),
                    (header::CACHE_CONTROL, cache.to_owned()),
                ],
                Body::from(file.data.into_owned()),
            )
                .into_response();
        }
        let page = if portal_page {
            &self.portal
        } else {
            &self.index
        };
        match page {
            Some(html) => (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-cache"),
                ],
                Body::from(html.clone().into_owned()),
            )
                .into_response(),
            None => (
                StatusCode::SERVICE_UNAVAILABLE,
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                NOT_BUILT_PAGE,
            )
                .into_response(),
        }
    }
}

const NOT_BUILT_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Assay</title></head><body><h1>Assay</h1><p>This server was built without its web \
interface. Build it with <code>trunk build --release</code> and then \
<code>cargo build --release</code>, or run <code>./scripts/run</code>.</p></body></html>";

/// Trunk names its outputs `name-<hash>.ext`, the hash being a 64-bit number in hex without
/// leading zeros; those files never change content, so they may be cached for a year.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// `'sha256-…'` sources for each inline `<script>` of the page (Trunk's loader is one), so
/// the policy can forbid every other inline script.
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_and_more = &after[open_end + 1..];
        let Some(close) = body_and_more.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            let digest = Sha256::digest(&body_and_more.as_bytes()[..close]);
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &body_and_more[close..];
    }
    hashes
}

/// Only this origin's scripts, styles, images and connections; wasm compilation allowed;
/// no framing, no plugins, no foreign form targets.
fn content_security_policy(script_hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in script_hashes {
        script_src.push(' ');
        script_src.push_str(hash);
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_asset_names_are_recognised_as_hashed() {
        assert!(is_hashed_asset("assay-frontend-6f1c2d3e4a5b6c7d_bg.wasm"));
        assert!(is_hashed_asset("styles-0123456789abcdef.css"));
        assert!(
            is_hashed_asset("assay-frontend-498ea794bfd8899.js"),
            "a hash with a leading zero dropped"
        );
        assert!(!is_hashed_asset("my-page.html"));
        assert!(!is_hashed_asset("favicon.svg"));
        assert!(!is_hashed_asset("index.html"));
    }

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let html = r#"<script src="/a.js"></script><script type="module">init();</script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1, "{hashes:?}");
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init();"));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
        assert!(content_security_policy(&hashes).contains(&hashes[0]));
    }
}
