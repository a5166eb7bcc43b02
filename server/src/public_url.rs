//! Whether `public_url` can name the server at the address it listens on: a pure check
//! that `assay serve` runs at start-up, so that a setup link or an emailed link that could
//! never work is noticed when the server starts rather than when someone clicks it.

use std::net::{IpAddr, SocketAddr};

/// A warning when the address Assay listens on (`bound`: the bind address with the port
/// actually bound) and `public_url` cannot both be right; `None` otherwise.
///
/// Assay cannot see what stands in front of it, so only set-ups that cannot work are
/// reported, and only when `public_url` names this machine (`localhost`, `*.localhost`,
/// `127.0.0.0/8`, `[::1]`):
/// - on a port other than the one Assay listens on (`--bind 127.0.0.1:9000` with the
///   default `http://127.0.0.1:8080`). A proxy on this machine could forward that port,
///   but with a loopback URL a forgotten `public_url` is far likelier than such a proxy;
/// - while Assay listens on one address that is not loopback (`192.0.2.10:8080`): nothing
///   answers on this machine's loopback address;
/// - while Assay listens on every interface (`0.0.0.0`, `::`): it works on this machine,
///   but the links in emails and the setup link send everyone else to their own machine.
///
/// Any other host is never questioned, whatever its port or scheme: `https://assay.example`
/// in front of `127.0.0.1:8080` is the usual reverse proxy. Names are not looked up
/// (no DNS at start-up), so a host name that resolves to this machine counts as another.
pub fn mismatch(bound: SocketAddr, public_url: &str) -> Option<String> {
    let (host, port) = host_and_port(public_url)?;
    if !is_loopback(&host) {
        return None;
    }
    let ip = bound.ip();
    if port != bound.port() && (ip.is_loopback() || ip.is_unspecified()) {
        return Some(format!(
            "public_url ({public_url}) names port {port} of this machine, but Assay listens on {bound}: \
             the setup link and links in emails will not reach it. Set public_url \
             (ASSAY_PUBLIC_URL) to the address people open, or listen on port {port}."
        ));
    }
    if ip.is_unspecified() {
        return Some(format!(
            "public_url ({public_url}) names this machine, but Assay listens on {bound}, for \
             other machines too: links in emails would send other people to their own \
             machine. Set public_url (ASSAY_PUBLIC_URL) to the address people open."
        ));
    }
    if !ip.is_loopback() {
        return Some(format!(
            "public_url ({public_url}) names this machine's loopback address, but Assay \
             listens only on {bound}: the setup link and links in emails will not reach it. \
             Set public_url (ASSAY_PUBLIC_URL) to the address people open."
        ));
    }
    None
}

/// The lower-cased host and the port (explicit, or the scheme's) of an `http(s)` URL.
fn host_and_port(url: &str) -> Option<(String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let (host, port) = match authority.strip_prefix('[') {
        Some(bracketed) => {
            let (host, after) = bracketed.split_once(']')?;
            (host, after.strip_prefix(':'))
        }
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let port = match port {
        None | Some("") => default_port,
        Some(port) => port.parse().ok()?,
    };
    Some((host.to_ascii_lowercase(), port))
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warns(bound: &str, public_url: &str) -> bool {
        mismatch(bound.parse().expect("address"), public_url).is_some()
    }

    #[test]
    fn the_defaults_and_a_matching_local_url_do_not_warn() {
        assert!(!warns("127.0.0.1:8080", "http://127.0.0.1:8080"));
        assert!(!warns("127.0.0.1:8080", "http://localhost:8080/"));
        assert!(!warns("[::1]:8080", "http://[::1]:8080"));
        assert!(!warns("127.0.0.1:80", "http://localhost"));
    }

    #[test]
    fn a_reverse_proxy_in_front_is_never_questioned() {
        assert!(!warns("127.0.0.1:8080", "https://assay.example"));
        assert!(!warns("127.0.0.1:8080", "https://assay.example:8443/assay"));
        assert!(!warns("0.0.0.0:8080", "https://assay.example"));
        assert!(!warns("10.0.0.5:8080", "http://assay.internal:80"));
    }

    #[test]
    fn a_local_url_on_another_port_warns() {
        let warning = mismatch(
            "127.0.0.1:9000".parse().expect("address"),
            "http://localhost:8080",
        )
        .expect("a warning");
        assert!(
            warning.contains("port 8080") && warning.contains("127.0.0.1:9000"),
            "{warning}"
        );
        assert!(warns("127.0.0.1:8080", "https://localhost"));
        assert!(warns("0.0.0.0:9000", "http://127.0.0.1:8080"));
        assert!(warns("127.0.0.1:8080", "http://app.localhost:3000"));
    }

    #[test]
    fn a_local_url_while_listening_elsewhere_warns() {
        assert!(warns("192.0.2.10:8080", "http://localhost:8080"));
        assert!(warns("0.0.0.0:8080", "http://127.0.0.1:8080"));
        assert!(warns("[::]:8080", "http://[::1]:8080"));
    }

    #[test]
    fn urls_are_read_with_their_default_ports_user_info_and_paths() {
        assert_eq!(
            host_and_port("https://LocalHost/x?y#z"),
            Some(("localhost".to_owned(), 443))
        );
        assert_eq!(
            host_and_port("http://user:pw@127.0.0.1:81/"),
            Some(("127.0.0.1".to_owned(), 81))
        );
        assert_eq!(
            host_and_port("http://[::1]:8080"),
            Some(("::1".to_owned(), 8080))
        );
        assert_eq!(host_and_port("ftp://localhost"), None);
        assert_eq!(host_and_port("http://localhost:99999"), None);
    }
}
