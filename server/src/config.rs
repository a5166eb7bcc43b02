//! Typed settings, loaded once at start-up from an optional TOML file and `ASSAY_*`
//! environment variables (the environment wins). Bad settings stop start-up with a message
//! that names the setting; nothing reads configuration lazily later.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::auth::password::HashCost;

/// Every setting Assay reads. Field names are the TOML keys; `ASSAY_` + the upper-case name
/// is the environment variable (`ASSAY_DATABASE_URL`, `ASSAY_BIND`, …).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Address the HTTP server listens on.
    #[serde(default = "default_bind")]
    pub bind: SocketAddr,
    /// Where Assay keeps its files (the embedded SQLite database, local evidence).
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; unset means an SQLite file under `data_dir`.
    #[serde(default)]
    pub database_url: Option<SecretString>,
    /// Connections in the database pool.
    #[serde(default = "default_max_connections")]
    pub database_max_connections: u32,
    /// A request that takes longer than this is answered with 408.
    #[serde(default = "default_request_timeout_secs")]
    pub request_timeout_secs: u64,
    /// Largest JSON request body accepted, in bytes (413 beyond).
    #[serde(default = "default_max_json_bytes")]
    pub max_json_bytes: usize,
    /// `text` for people, `json` for log shippers.
    #[serde(default)]
    pub log_format: LogFormat,
    /// The address people reach Assay at; links in emails start with it.
    #[serde(default = "default_public_url")]
    pub public_url: String,
    /// Set when Assay is served over HTTPS: session cookies become `Secure` and take the
    /// `__Host-` prefix.
    #[serde(default)]
    pub cookie_secure: bool,
    /// A session unused for this long ends.
    #[serde(default = "default_session_idle_minutes")]
    pub session_idle_minutes: u32,
    /// A session ends this long after sign-in, however active.
    #[serde(default = "default_session_absolute_hours")]
    pub session_absolute_hours: u32,
    /// `owasp` (always, in production). `fast_insecure` exists only to keep test suites
    /// quick and must never be used for real accounts.
    #[serde(default)]
    pub password_hash_cost: HashCost,
    /// Base64 of 32 random bytes; encrypts secrets and evidence at rest. Unset: a key file
    /// `data_dir/master.key` is created on first start (back it up with the database).
    #[serde(default)]
    pub master_key: Option<SecretString>,
    /// Largest evidence file accepted, in bytes (413 beyond).
    #[serde(default = "default_evidence_max_bytes")]
    pub evidence_max_bytes: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

fn default_bind() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}
fn default_data_dir() -> PathBuf {
    PathBuf::from("data")
}
fn default_max_connections() -> u32 {
    10
}
fn default_request_timeout_secs() -> u64 {
    30
}
fn default_max_json_bytes() -> usize {
    1024 * 1024
}
fn default_evidence_max_bytes() -> usize {
    25 * 1024 * 1024
}
fn default_public_url() -> String {
    "http://127.0.0.1:8080".to_owned()
}
fn default_session_idle_minutes() -> u32 {
    30
}
fn default_session_absolute_hours() -> u32 {
    12
}

/// Which database a URL points at, decided once from its scheme.
#[derive(Debug, Clone)]
pub enum DatabaseTarget {
    Sqlite { path: PathBuf },
    Postgres { url: SecretString },
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid configuration: {0}")]
    Invalid(String),
    #[error("setting `{setting}`: {message}")]
    Setting {
        setting: &'static str,
        message: String,
    },
}

impl Settings {
    /// Every setting's key, as in the TOML file and (upper-cased, prefixed) the environment.
    pub const KEYS: &'static [&'static str] = &[
        "bind",
        "data_dir",
        "database_url",
        "database_max_connections",
        "request_timeout_secs",
        "max_json_bytes",
        "log_format",
        "public_url",
        "cookie_secure",
        "session_idle_minutes",
        "session_absolute_hours",
        "password_hash_cost",
        "master_key",
        "evidence_max_bytes",
    ];

    /// Reads `config_file` (when given; it must exist) and then the `ASSAY_*` environment.
    pub fn load(config_file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::new();
        if let Some(path) = config_file {
            if !path.is_file() {
                return Err(ConfigError::Setting {
                    setting: "config",
                    message: format!("no such file: {}", path.display()),
                });
            }
            figment = figment.merge(Toml::file_exact(path));
        }
        // Only variables that name a setting: others with the prefix configure tooling
        // (ASSAY_CONFIG, ASSAY_TEST_POSTGRES_URL, …), not the server.
        let env = Env::prefixed("ASSAY_").only(Self::KEYS);
        let settings: Settings = figment
            .merge(env)
            .extract()
            .map_err(|e| ConfigError::Invalid(e.to_string()))?;
        settings.validate()?;
        Ok(settings)
    }

    /// Settings for tests and tools: the defaults with a given data directory.
    pub fn with_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        Settings {
            bind: default_bind(),
            data_dir: data_dir.into(),
            database_url: None,
            database_max_connections: default_max_connections(),
            request_timeout_secs: default_request_timeout_secs(),
            max_json_bytes: default_max_json_bytes(),
            log_format: LogFormat::default(),
            public_url: default_public_url(),
            cookie_secure: false,
            session_idle_minutes: default_session_idle_minutes(),
            session_absolute_hours: default_session_absolute_hours(),
            password_hash_cost: HashCost::default(),
            master_key: None,
            evidence_max_bytes: default_evidence_max_bytes(),
        }
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if self.request_timeout_secs == 0 {
            return Err(ConfigError::Setting {
                setting: "request_timeout_secs",
                message: "must be at least 1".into(),
            });
        }
        if self.database_max_connections == 0 {
            return Err(ConfigError::Setting {
                setting: "database_max_connections",
                message: "must be at least 1".into(),
            });
        }
        if self.session_idle_minutes == 0 || self.session_absolute_hours == 0 {
            return Err(ConfigError::Setting {
                setting: "session_idle_minutes",
                message: "session lifetimes must be at least 1".into(),
            });
        }
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(ConfigError::Setting {
                setting: "public_url",
                message: "must start with http:// or https://".into(),
            });
        }
        self.database()?;
        Ok(())
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    /// The database to use: the configured URL, or `data_dir/assay.db`.
    pub fn database(&self) -> Result<DatabaseTarget, ConfigError> {
        let Some(url) = &self.database_url else {
            return Ok(DatabaseTarget::Sqlite {
                path: self.data_dir.join("assay.db"),
            });
        };
        let raw = url.expose_secret();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            Ok(DatabaseTarget::Postgres { url: url.clone() })
        } else if let Some(rest) = raw.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//");
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() || path == ":memory:" {
                return Err(ConfigError::Setting {
                    setting: "database_url",
                    message: "an SQLite URL needs a file path, e.g. sqlite://data/assay.db".into(),
                });
            }
            Ok(DatabaseTarget::Sqlite {
                path: PathBuf::from(path),
            })
        } else {
            Err(ConfigError::Setting {
                setting: "database_url",
                message: "must start with sqlite:// or postgres://".into(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_url(url: &str) -> Settings {
        let mut s = Settings::with_data_dir("d");
        s.database_url = Some(SecretString::from(url.to_owned()));
        s
    }

    #[test]
    fn default_database_is_sqlite_under_the_data_dir() {
        let target = Settings::with_data_dir("/tmp/x").database().expect("valid");
        assert!(
            matches!(&target, DatabaseTarget::Sqlite { path } if path == Path::new("/tmp/x/assay.db")),
            "{target:?}"
        );
    }

    #[test]
    fn sqlite_and_postgres_urls_are_recognised() {
        assert!(matches!(
            with_url("sqlite://data/a.db").database(),
            Ok(DatabaseTarget::Sqlite { path }) if path == Path::new("data/a.db")
        ));
        assert!(matches!(
            with_url("postgres://u:p@127.0.0.1/assay").database(),
            Ok(DatabaseTarget::Postgres { .. })
        ));
    }

    #[test]
    fn every_listed_key_is_a_setting_the_file_may_set() {
        let values = [
            ("bind", "\"127.0.0.1:9000\""),
            ("data_dir", "\"/tmp/assay\""),
            ("database_url", "\"sqlite://x.db\""),
            ("database_max_connections", "3"),
            ("request_timeout_secs", "5"),
            ("max_json_bytes", "100"),
            ("log_format", "\"json\""),
            ("public_url", "\"https://assay.example\""),
            ("cookie_secure", "true"),
            ("session_idle_minutes", "10"),
            ("session_absolute_hours", "2"),
            ("password_hash_cost", "\"owasp\""),
            (
                "master_key",
                "\"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\"",
            ),
            ("evidence_max_bytes", "1000"),
        ];
        let keys: Vec<&str> = values.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, Settings::KEYS, "KEYS must list every setting");
        let toml: String = values.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
        let settings: Settings = Figment::new()
            .merge(Toml::string(&toml))
            .extract()
            .expect("every key is accepted");
        assert_eq!(settings.bind.port(), 9000);
        assert_eq!(settings.log_format, LogFormat::Json);
    }

    #[test]
    fn a_typo_in_the_config_file_is_an_error() {
        let result: Result<Settings, _> =
            Figment::new().merge(Toml::string("bnid = \"x\"")).extract();
        assert!(result.is_err(), "unknown keys must not be ignored silently");
    }

    #[test]
    fn unknown_scheme_is_rejected_with_the_setting_name() {
        let err = with_url("mysql://x").database().expect_err("must fail");
        assert!(err.to_string().contains("database_url"), "{err}");
    }
}
