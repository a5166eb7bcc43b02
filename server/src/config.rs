//! Typed settings, loaded once at start-up from an optional TOML file and `ASSAY_*`
//! environment variables (the environment wins). Bad settings stop start-up with a message
//! that names the setting; nothing reads configuration lazily later.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::auth::password::{HashCost, HashLimits};

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
    /// Password hashes (sign-in, password changes) computed at once; each takes a core
    /// and 19 MiB while it runs. Unset: the number of cores less one, at least one.
    #[serde(default)]
    pub password_hash_concurrency: Option<usize>,
    /// Password hashes that may wait for a free slot; a request beyond them is answered
    /// 503 (`busy`) with `Retry-After` at once.
    #[serde(default = "default_password_hash_queue")]
    pub password_hash_queue: usize,
    /// The longest a password hash waits for a slot before its request is answered 503.
    #[serde(default = "default_password_hash_wait_secs")]
    pub password_hash_wait_secs: u64,
    /// Base64 of 32 random bytes; encrypts secrets and evidence at rest. Unset: a key file
    /// `data_dir/master.key` is created on first start (back it up with the database).
    #[serde(default)]
    pub master_key: Option<SecretString>,
    /// Largest evidence file accepted, in bytes (413 beyond).
    #[serde(default = "default_evidence_max_bytes")]
    pub evidence_max_bytes: usize,
    /// Where the sealed evidence blobs live: `local` (under `data_dir/evidence`) or `s3`
    /// (a bucket of any S3-compatible service, so that several instances share them).
    #[serde(default)]
    pub evidence_store: EvidenceBackend,
    /// The bucket, required when `evidence_store` is `s3`.
    #[serde(default)]
    pub s3_bucket: Option<String>,
    /// The bucket's region; services other than AWS mostly ignore it but sign with it.
    #[serde(default = "default_s3_region")]
    pub s3_region: String,
    /// The service's URL for MinIO, Ceph and the like (requests are then path-style);
    /// unset means AWS.
    #[serde(default)]
    pub s3_endpoint: Option<String>,
    /// A static access key. Unset: the standard `AWS_*` environment, a web-identity or
    /// container role, or the instance role supplies credentials.
    #[serde(default)]
    pub s3_access_key_id: Option<String>,
    /// The secret half of `s3_access_key_id`.
    #[serde(default)]
    pub s3_secret_access_key: Option<SecretString>,
    /// Keys are written under this prefix, so one bucket can hold several deployments.
    #[serde(default)]
    pub s3_prefix: Option<String>,
    /// Permits a plain-HTTP `s3_endpoint`; only for a test service on the loopback.
    #[serde(default)]
    pub s3_allow_http: bool,
    /// The SMTP server emails are delivered through. Unset: emails wait in the outbox
    /// (`GET /api/outbox` shows them) until one is configured.
    #[serde(default)]
    pub smtp_host: Option<String>,
    /// Unset: 587 for `starttls`, 465 for `tls`, 25 for `none`.
    #[serde(default)]
    pub smtp_port: Option<u16>,
    /// `starttls` (upgrade a plain connection; refused if the server cannot), `tls`
    /// (implicit TLS) or `none` (plain; only for a relay on the loopback or a private net).
    #[serde(default)]
    pub smtp_security: SmtpSecurity,
    #[serde(default)]
    pub smtp_username: Option<String>,
    #[serde(default)]
    pub smtp_password: Option<SecretString>,
    /// The sender every email carries, e.g. `Assay <assay@example.com>`.
    #[serde(default = "default_smtp_from")]
    pub smtp_from: String,
    /// Seconds between scheduler rounds (reminders, expiry alerts, reassessments, email
    /// delivery); 0 turns the scheduler off on this instance.
    #[serde(default = "default_scheduler_interval_secs")]
    pub scheduler_interval_secs: u64,
    /// Addresses of the reverse proxies in front of Assay (comma-separated). Only a
    /// request from one of them has its `X-Forwarded-For` believed, so sign-in throttling
    /// counts the real client, not the proxy; unset, the peer address is the client.
    #[serde(default, deserialize_with = "address_list")]
    pub trusted_proxies: Vec<IpAddr>,
}

/// `"10.0.0.1, 10.0.0.2"` (or a TOML list of strings) as addresses.
fn address_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<IpAddr>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Listed {
        One(String),
        Many(Vec<String>),
    }
    let items = match Listed::deserialize(d)? {
        Listed::One(text) => text.split(',').map(str::to_owned).collect(),
        Listed::Many(items) => items,
    };
    items
        .iter()
        .map(|item| item.trim())
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpAddr>()
                .map_err(|_| serde::de::Error::custom(format!("“{item}” is not an IP address")))
        })
        .collect()
}

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    #[default]
    Starttls,
    Tls,
    None,
}

impl SmtpSecurity {
    pub fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        }
    }
}

fn default_smtp_from() -> String {
    "Assay <assay@localhost>".to_owned()
}
fn default_scheduler_interval_secs() -> u64 {
    60
}

/// Which backend holds the sealed evidence blobs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceBackend {
    #[default]
    Local,
    S3,
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
fn default_s3_region() -> String {
    "us-east-1".to_owned()
}
fn default_public_url() -> String {
    "http://127.0.0.1:8080".to_owned()
}
fn default_password_hash_queue() -> usize {
    32
}
fn default_password_hash_wait_secs() -> u64 {
    5
}
fn default_session_idle_minutes() -> u32 {
    30
}
fn default_session_absolute_hours() -> u32 {
    12
}

/// Where evidence blobs live, decided once from the `evidence_store` and `s3_*` settings.
#[derive(Debug, Clone)]
pub enum EvidenceTarget {
    Local { root: PathBuf },
    S3(S3Target),
}

/// A validated S3-compatible bucket: the bucket is named, the keys come in pairs, the
/// prefix has no empty or relative segments.
#[derive(Debug, Clone)]
pub struct S3Target {
    pub bucket: String,
    pub region: String,
    pub endpoint: Option<String>,
    /// Access key id and secret, when given as settings.
    pub credentials: Option<(String, SecretString)>,
    /// Without leading or trailing `/`; empty means the bucket's root.
    pub prefix: String,
    pub allow_http: bool,
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
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
    #[error("setting “{setting}”: {message}")]
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
        "password_hash_concurrency",
        "password_hash_queue",
        "password_hash_wait_secs",
        "master_key",
        "evidence_max_bytes",
        "evidence_store",
        "s3_bucket",
        "s3_region",
        "s3_endpoint",
        "s3_access_key_id",
        "s3_secret_access_key",
        "s3_prefix",
        "s3_allow_http",
        "smtp_host",
        "smtp_port",
        "smtp_security",
        "smtp_username",
        "smtp_password",
        "smtp_from",
        "scheduler_interval_secs",
        "trusted_proxies",
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
            password_hash_concurrency: None,
            password_hash_queue: default_password_hash_queue(),
            password_hash_wait_secs: default_password_hash_wait_secs(),
            master_key: None,
            evidence_max_bytes: default_evidence_max_bytes(),
            evidence_store: EvidenceBackend::default(),
            s3_bucket: None,
            s3_region: default_s3_region(),
            s3_endpoint: None,
            s3_access_key_id: None,
            s3_secret_access_key: None,
            s3_prefix: None,
            s3_allow_http: false,
            smtp_host: None,
            smtp_port: None,
            smtp_security: SmtpSecurity::default(),
            smtp_username: None,
            smtp_password: None,
            smtp_from: default_smtp_from(),
            scheduler_interval_secs: default_scheduler_interval_secs(),
            trusted_proxies: Vec::new(),
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
        if self.password_hash_concurrency == Some(0) {
            return Err(ConfigError::Setting {
                setting: "password_hash_concurrency",
                message: "must be at least 1 (leave it unset for the number of cores less one)"
                    .into(),
            });
        }
        if self.password_hash_wait_secs == 0 {
            return Err(ConfigError::Setting {
                setting: "password_hash_wait_secs",
                message: "must be at least 1".into(),
            });
        }
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return Err(ConfigError::Setting {
                setting: "public_url",
                message: "must start with http:// or https://".into(),
            });
        }
        self.database()?;
        self.evidence_target()?;
        if self.smtp_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::Setting {
                setting: "smtp_from",
                message: "must be an address such as “Assay <assay@example.com>”".into(),
            });
        }
        if self.smtp_username.is_some() != self.smtp_password.is_some() {
            return Err(ConfigError::Setting {
                setting: "smtp_username",
                message: "smtp_username and smtp_password are set together".into(),
            });
        }
        Ok(())
    }

    /// Where evidence blobs live. The `s3_*` settings are checked only when
    /// `evidence_store` is `s3`, so a local deployment is never stopped by them.
    pub fn evidence_target(&self) -> Result<EvidenceTarget, ConfigError> {
        if self.evidence_store == EvidenceBackend::Local {
            return Ok(EvidenceTarget::Local {
                root: self.data_dir.join("evidence"),
            });
        }
        let setting = |setting: &'static str, message: &str| ConfigError::Setting {
            setting,
            message: message.to_owned(),
        };
        let bucket = non_empty(&self.s3_bucket).ok_or_else(|| {
            setting(
                "s3_bucket",
                "is required when evidence_store is \"s3\"; name the bucket that holds evidence",
            )
        })?;
        let region = self.s3_region.trim();
        if region.is_empty() {
            return Err(setting("s3_region", "must not be empty"));
        }
        let endpoint = match non_empty(&self.s3_endpoint) {
            None => None,
            Some(url) if url.starts_with("https://") => Some(url.trim_end_matches('/')),
            Some(url) if url.starts_with("http://") => {
                if !self.s3_allow_http {
                    return Err(setting(
                        "s3_endpoint",
                        "is plain HTTP; use https://, or set s3_allow_http = true for a test service",
                    ));
                }
                Some(url.trim_end_matches('/'))
            }
            Some(_) => {
                return Err(setting(
                    "s3_endpoint",
                    "must start with https:// or http://",
                ));
            }
        };
        let secret = self
            .s3_secret_access_key
            .as_ref()
            .filter(|s| !s.expose_secret().trim().is_empty());
        let credentials = match (non_empty(&self.s3_access_key_id), secret) {
            (Some(id), Some(secret)) => Some((id.to_owned(), secret.clone())),
            (None, None) => None,
            (Some(_), None) => {
                return Err(setting(
                    "s3_secret_access_key",
                    "is required when s3_access_key_id is set",
                ));
            }
            (None, Some(_)) => {
                return Err(setting(
                    "s3_access_key_id",
                    "is required when s3_secret_access_key is set",
                ));
            }
        };
        let prefix = self
            .s3_prefix
            .as_deref()
            .unwrap_or_default()
            .trim()
            .trim_matches('/');
        if prefix
            .split('/')
            .any(|part| part.is_empty() && !prefix.is_empty() || part == "." || part == "..")
        {
            return Err(setting(
                "s3_prefix",
                "must be segments separated by single “/”, without “.” or “..”",
            ));
        }
        Ok(EvidenceTarget::S3(S3Target {
            bucket: bucket.to_owned(),
            region: region.to_owned(),
            endpoint: endpoint.map(str::to_owned),
            credentials,
            prefix: prefix.to_owned(),
            allow_http: self.s3_allow_http,
        }))
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    /// How many password hashes run and wait at once.
    pub fn password_hash_limits(&self) -> HashLimits {
        HashLimits {
            concurrency: self
                .password_hash_concurrency
                .unwrap_or_else(HashLimits::default_concurrency),
            queue: self.password_hash_queue,
            wait: Duration::from_secs(self.password_hash_wait_secs),
        }
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
            ("password_hash_concurrency", "3"),
            ("password_hash_queue", "0"),
            ("password_hash_wait_secs", "2"),
            (
                "master_key",
                "\"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\"",
            ),
            ("evidence_max_bytes", "1000"),
            ("evidence_store", "\"s3\""),
            ("s3_bucket", "\"assay-evidence\""),
            ("s3_region", "\"eu-west-1\""),
            ("s3_endpoint", "\"https://minio.internal:9000\""),
            ("s3_access_key_id", "\"AKIAEXAMPLE\""),
            ("s3_secret_access_key", "\"not-a-real-secret\""),
            ("s3_prefix", "\"prod/evidence\""),
            ("s3_allow_http", "false"),
            ("smtp_host", "\"smtp.example.com\""),
            ("smtp_port", "2525"),
            ("smtp_security", "\"tls\""),
            ("smtp_username", "\"assay\""),
            ("smtp_password", "\"not-a-real-password\""),
            ("smtp_from", "\"Assay <assay@example.com>\""),
            ("scheduler_interval_secs", "30"),
            ("trusted_proxies", "\"10.0.0.2, 10.0.0.3\""),
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
        assert_eq!(settings.evidence_store, EvidenceBackend::S3);
        assert_eq!(settings.smtp_security, SmtpSecurity::Tls);
        assert_eq!(settings.smtp_port, Some(2525));
        assert_eq!(settings.trusted_proxies.len(), 2);
        assert_eq!(
            settings.password_hash_limits(),
            HashLimits {
                concurrency: 3,
                queue: 0,
                wait: Duration::from_secs(2)
            }
        );
        assert!(settings.validate().is_ok());
    }

    #[test]
    fn password_hashing_defaults_to_the_cores_less_one_and_a_queue_of_32() {
        let limits = Settings::with_data_dir("d").password_hash_limits();
        assert_eq!(limits, HashLimits::default());
        assert_eq!(limits.queue, 32);
        assert_eq!(limits.wait, Duration::from_secs(5));
        let mut settings = Settings::with_data_dir("d");
        settings.password_hash_concurrency = Some(0);
        let error = settings.validate().expect_err("no slot").to_string();
        assert!(error.contains("password_hash_concurrency"), "{error}");
    }

    #[test]
    fn smtp_settings_that_cannot_work_are_refused_with_their_name() {
        let mut settings = Settings::with_data_dir("d");
        settings.smtp_from = "not an address".to_owned();
        let error = settings.validate().expect_err("refused").to_string();
        assert!(error.contains("smtp_from"), "{error}");
        let mut settings = Settings::with_data_dir("d");
        settings.smtp_username = Some("assay".to_owned());
        let error = settings.validate().expect_err("refused").to_string();
        assert!(error.contains("smtp_username"), "{error}");
        assert_eq!(SmtpSecurity::Starttls.default_port(), 587);
        assert_eq!(SmtpSecurity::default(), SmtpSecurity::Starttls);
    }

    fn with_s3(configure: impl FnOnce(&mut Settings)) -> Settings {
        let mut s = Settings::with_data_dir("d");
        s.evidence_store = EvidenceBackend::S3;
        s.s3_bucket = Some("assay-evidence".to_owned());
        configure(&mut s);
        s
    }

    #[test]
    fn local_evidence_lives_under_the_data_dir_whatever_the_s3_settings_say() {
        let mut settings = Settings::with_data_dir("/tmp/x");
        settings.s3_endpoint = Some("ftp://ignored".to_owned());

        let target = settings
            .evidence_target()
            .expect("local needs no s3 settings");

        assert!(
            matches!(&target, EvidenceTarget::Local { root } if root == Path::new("/tmp/x/evidence")),
            "{target:?}"
        );
    }

    #[test]
    fn the_s3_store_without_a_bucket_stops_start_up_naming_s3_bucket() {
        let missing = with_s3(|s| s.s3_bucket = None);
        let blank = with_s3(|s| s.s3_bucket = Some("  ".to_owned()));

        for settings in [missing, blank] {
            let err = settings.validate().expect_err("a bucket is required");
            assert!(
                matches!(
                    err,
                    ConfigError::Setting {
                        setting: "s3_bucket",
                        ..
                    }
                ),
                "{err}"
            );
            assert!(err.to_string().contains("s3_bucket"), "{err}");
        }
    }

    #[test]
    fn s3_settings_that_cannot_work_are_refused_with_their_name() {
        let cases: [(&str, Settings); 4] = [
            (
                "s3_endpoint",
                with_s3(|s| s.s3_endpoint = Some("http://127.0.0.1:9000".to_owned())),
            ),
            (
                "s3_endpoint",
                with_s3(|s| s.s3_endpoint = Some("minio:9000".to_owned())),
            ),
            (
                "s3_secret_access_key",
                with_s3(|s| s.s3_access_key_id = Some("AKIAEXAMPLE".to_owned())),
            ),
            (
                "s3_prefix",
                with_s3(|s| s.s3_prefix = Some("a//b".to_owned())),
            ),
        ];
        for (name, settings) in cases {
            let err = settings.validate().expect_err(name);
            assert!(
                matches!(err, ConfigError::Setting { setting, .. } if setting == name),
                "expected an error naming {name}, got {err}"
            );
        }
    }

    #[test]
    fn a_valid_s3_configuration_is_normalised() {
        let settings = with_s3(|s| {
            s.s3_endpoint = Some("http://127.0.0.1:9000/".to_owned());
            s.s3_allow_http = true;
            s.s3_prefix = Some("/prod/evidence/".to_owned());
            s.s3_access_key_id = Some("AKIAEXAMPLE".to_owned());
            s.s3_secret_access_key = Some(SecretString::from("secret".to_owned()));
        });

        let Ok(EvidenceTarget::S3(target)) = settings.evidence_target() else {
            panic!("a valid S3 configuration");
        };

        assert_eq!(target.bucket, "assay-evidence");
        assert_eq!(target.region, "us-east-1");
        assert_eq!(target.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(target.prefix, "prod/evidence");
        assert!(target.credentials.is_some());
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
