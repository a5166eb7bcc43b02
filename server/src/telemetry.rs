//! Logging set-up: human-readable or JSON lines, filtered by `RUST_LOG` (default `info`).

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Without `RUST_LOG`: `info`, but the database libraries only from `warn` (at `info` they
/// would log every statement, which can carry personal data). At this level a request
/// writes one line (see `request_id`).
const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn";

/// The filter used when `RUST_LOG` is not set.
pub fn default_filter() -> EnvFilter {
    EnvFilter::new(DEFAULT_FILTER)
}

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| default_filter());
    // Colours only for a person at a terminal: written to a file or a log collector the
    // escape codes made each request's line half again as long.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    // A second initialisation (tests) is harmless: the first subscriber stays.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
