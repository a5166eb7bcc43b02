//! The browser side of the server: the Trunk build embedded in the binary (read from
//! `dist/` at run time in debug builds), client-side routes answered with `index.html`,
//! and the response headers every page and API answer carries.

use std::borrow::Cow;
use std::collections::HashSet;

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
    /// Directories of the build whose parts have copies compressed with the directory's
    /// main module as dictionary (`.dcb`, see `tools/wasm-dictionary`).
    dictionaries: HashSet<String>,
}

/// What a request says about the codings it takes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Accepts<'a> {
    /// `Accept-Encoding`.
    pub encoding: &'a str,
    /// `Available-Dictionary`: the SHA-256 of a dictionary the browser kept for this URL,
    /// as a structured-field byte sequence (`:base64:`).
    pub dictionary: &'a str,
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
        let dictionaries = Dist::iter()
            .filter(|name| name.ends_with(".dcb"))
            .filter_map(|name| name.rsplit_once('/').map(|(dir, _)| dir.to_owned()))
            .collect();
        Frontend {
            index,
            portal,
            dictionaries,
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
    /// client-side routes survive a reload. Where the build left a compressed copy of the
    /// file that the browser `accepts` (brotli with the bundle's main module as dictionary,
    /// `.dcb`; brotli, `.br`; gzip, `.gz`), that copy is sent as it is, with no work per
    /// request.
    pub fn respond(&self, uri: &Uri, accepts: Accepts<'_>) -> Response {
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
            let sent = precompressed(&asset, accepts);
            let coding = sent.as_ref().map(|(name, _)| *name);
            let mut response = match sent {
                Some((name, copy)) => (
                    [(header::CONTENT_ENCODING, name)],
                    Body::from(copy.data.into_owned()),
                )
                    .into_response(),
                None => Body::from(file.data.into_owned()).into_response(),
            };
            // Only a browser holding the dictionary can read a `dcb` body: kept by that
            // browser alone, never by a shared cache, which might overlook the Vary below
            // and hand it to another.
            let cache = match coding {
                Some("dcb") => "private, max-age=31536000, immutable",
                _ => cache,
            };
            // A copy sent, or one this client did not take: either way the answer depends
            // on what the request accepts. Only files without copies are looked up twice.
            let vary = if Dist::get(&format!("{asset}.dcb")).is_some() {
                Some("accept-encoding, available-dictionary")
            } else if coding.is_some() || has_compressed_copy(&asset) {
                Some("accept-encoding")
            } else {
                None
            };
            let headers = response.headers_mut();
            if let Ok(mime) = HeaderValue::from_str(mime.as_ref()) {
                headers.insert(header::CONTENT_TYPE, mime);
            }
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            if let Some(vary) = vary {
                headers.insert(header::VARY, HeaderValue::from_static(vary));
            }
            if let Some(pattern) = self.dictionary_for(&asset) {
                headers.insert("use-as-dictionary", pattern);
            }
            return response;
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

impl Frontend {
    /// `Use-As-Dictionary` for the main module of a split bundle whose parts have copies
    /// compressed with it: the browser keeps it and offers it for every file of the same
    /// directory, as the browser addresses it (the portal's under `/portal-app/`).
    fn dictionary_for(&self, asset: &str) -> Option<HeaderValue> {
        let (dir, name) = asset.rsplit_once('/')?;
        if !name.ends_with("_bg.wasm") || !self.dictionaries.contains(dir) {
            return None;
        }
        let url_dir = match dir.strip_prefix("portal/") {
            Some(rest) => format!("/{PORTAL_ASSETS}{rest}"),
            None => format!("/{dir}"),
        };
        // A URL pattern: only names that mean themselves in one (Trunk's and build-wasm's).
        let plain = url_dir
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.'));
        plain
            .then(|| HeaderValue::from_str(&format!("match=\"{url_dir}/*\"")).ok())
            .flatten()
    }
}

/// The codings the release build stores beside each compressible file, best first.
const CODINGS: [(&str, &str); 2] = [("br", "br"), ("gzip", "gz")];

/// The best pre-compressed copy of `asset` that the client accepts, with its coding.
fn precompressed(
    asset: &str,
    accepts: Accepts<'_>,
) -> Option<(&'static str, rust_embed::EmbeddedFile)> {
    if accepts_coding(accepts.encoding, "dcb")
        && let Some(copy) = Dist::get(&format!("{asset}.dcb"))
        && compressed_with(&copy.data, accepts.dictionary)
    {
        return Some(("dcb", copy));
    }
    CODINGS.into_iter().find_map(|(coding, extension)| {
        if !accepts_coding(accepts.encoding, coding) {
            return None;
        }
        Dist::get(&format!("{asset}.{extension}")).map(|copy| (coding, copy))
    })
}

/// Whether a `dcb` body was compressed with the dictionary a browser says it has: the body
/// starts with four magic bytes and the dictionary's SHA-256 (RFC 9842), and
/// `Available-Dictionary` is that hash as a structured-field byte sequence (`:base64:`).
fn compressed_with(dcb: &[u8], available_dictionary: &str) -> bool {
    let Some(encoded) = available_dictionary
        .trim()
        .strip_prefix(':')
        .and_then(|rest| rest.strip_suffix(':'))
    else {
        return false;
    };
    let Ok(hash) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
        return false;
    };
    hash.len() == 32 && dcb.len() >= 36 && dcb[..4] == DCB_MAGIC && dcb[4..36] == hash[..]
}

const DCB_MAGIC: [u8; 4] = [0xff, 0x44, 0x43, 0x42];

fn has_compressed_copy(asset: &str) -> bool {
    CODINGS
        .into_iter()
        .any(|(_, extension)| Dist::get(&format!("{asset}.{extension}")).is_some())
}

/// Whether an `Accept-Encoding` value allows `coding` (named, or `*`, with a non-zero q).
fn accepts_coding(accept_encoding: &str, coding: &str) -> bool {
    let mut named = None;
    let mut wildcard = None;
    for item in accept_encoding.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let allowed = parts
            .filter_map(|param| param.trim().strip_prefix("q="))
            .all(|q| q.trim().parse::<f32>().is_ok_and(|q| q > 0.0));
        if name.eq_ignore_ascii_case(coding) {
            named = Some(allowed);
        } else if name == "*" {
            wildcard = Some(allowed);
        }
    }
    named.or(wildcard).unwrap_or(false)
}

const NOT_BUILT_PAGE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Assay</title></head><body><h1>Assay</h1><p>This server was built without its web \
interface. Build it with <code>trunk build --release</code> and then \
<code>cargo build --release</code>, or run <code>./scripts/run</code>.</p></body></html>";

/// Trunk names its outputs `name-<hash>.ext`, and `scripts/build-wasm` puts the split wasm
/// bundle in a directory `name-<hash>/`, the hash being a 64-bit number in hex (Trunk drops
/// leading zeros); those files never change content, so they may be cached for a year.
fn is_hashed_asset(path: &str) -> bool {
    let mut segments = path.split('/').rev();
    let name = segments.next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    has_hash_suffix(stem) || segments.any(has_hash_suffix)
}

fn has_hash_suffix(name: &str) -> bool {
    name.rsplit_once('-').is_some_and(|(_, hash)| {
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
        assert!(
            is_hashed_asset("assay-frontend-0123456789abcdef/split_3.wasm"),
            "a file inside a hashed directory"
        );
        assert!(is_hashed_asset(
            "portal/assay-portal-0123456789abcdef/__wasm_split.js"
        ));
        assert!(!is_hashed_asset("portal/favicon.svg"));
    }

    #[test]
    fn accept_encoding_is_read_with_its_quality_values() {
        assert!(accepts_coding("gzip, deflate, br, zstd", "br"));
        assert!(accepts_coding("gzip, deflate, br, zstd", "gzip"));
        assert!(!accepts_coding("gzip, deflate", "br"));
        assert!(!accepts_coding("", "gzip"), "no header: identity only");
        assert!(
            !accepts_coding("br;q=0, gzip", "br"),
            "q=0 refuses a coding"
        );
        assert!(
            accepts_coding("BR;q=0.5", "br"),
            "names are case-insensitive"
        );
        assert!(accepts_coding("*", "br"));
        assert!(
            !accepts_coding("*, br;q=0", "br"),
            "a named coding overrides the wildcard"
        );
        assert!(!accepts_coding("identity", "gzip"));
    }

    #[test]
    fn a_dictionary_copy_is_sent_only_to_a_browser_holding_its_dictionary() {
        let hash = Sha256::digest(b"the main module");
        let body = [&DCB_MAGIC[..], &hash[..], b"brotli stream"].concat();
        let offered = format!(
            ":{}:",
            base64::engine::general_purpose::STANDARD.encode(hash)
        );
        assert!(compressed_with(&body, &offered));
        assert!(
            compressed_with(&body, &format!(" {offered} ")),
            "spaces around"
        );
        let other = format!(
            ":{}:",
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"another"))
        );
        assert!(!compressed_with(&body, &other), "another dictionary");
        assert!(!compressed_with(&body, ""), "no dictionary offered");
        assert!(
            !compressed_with(&body, offered.trim_matches(':')),
            "not a byte sequence"
        );
        assert!(!compressed_with(&body, ":not base64!:"));
        assert!(!compressed_with(&body[..20], &offered), "a truncated body");
        let mut wrong_magic = body.clone();
        wrong_magic[0] = 0;
        assert!(!compressed_with(&wrong_magic, &offered), "not a dcb body");
    }

    #[test]
    fn the_main_module_is_offered_as_dictionary_for_its_directory_as_browsers_address_it() {
        let frontend = Frontend {
            index: None,
            portal: None,
            csp: HeaderValue::from_static("default-src 'self'"),
            dictionaries: HashSet::from([
                "assay-frontend-0123456789abcdef".to_owned(),
                "portal/assay-portal-0123456789abcdef".to_owned(),
            ]),
        };
        assert_eq!(
            frontend.dictionary_for("assay-frontend-0123456789abcdef/assay-frontend_bg.wasm"),
            Some(HeaderValue::from_static(
                "match=\"/assay-frontend-0123456789abcdef/*\""
            ))
        );
        assert_eq!(
            frontend.dictionary_for("portal/assay-portal-0123456789abcdef/assay-portal_bg.wasm"),
            Some(HeaderValue::from_static(
                "match=\"/portal-app/assay-portal-0123456789abcdef/*\""
            )),
            "the portal's files are served under /portal-app/"
        );
        assert_eq!(
            frontend.dictionary_for("assay-frontend-0123456789abcdef/part_0.wasm"),
            None,
            "only the main module"
        );
        assert_eq!(
            frontend.dictionary_for("assay-frontend-fedcba9876543210/assay-frontend_bg.wasm"),
            None,
            "a directory without dictionary copies"
        );
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
