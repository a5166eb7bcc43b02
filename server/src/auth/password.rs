//! Password hashing with argon2id at OWASP's minimum (m=19 MiB, t=2, p=1), off the async
//! runtime and behind a small concurrency limit, so a storm of sign-ins queues here instead
//! of starving every other request. Unknown accounts are checked against a dummy hash, so
//! they cost the same time as a wrong password.

use std::sync::Arc;
use std::time::Duration;

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

use crate::error::Error;

/// How expensive each hash is. Production always uses [`HashCost::Owasp`]; tests may opt
/// into [`HashCost::FastInsecure`] through a setting that documents itself as unsafe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HashCost {
    #[default]
    Owasp,
    FastInsecure,
}

impl HashCost {
    fn params(self) -> Params {
        match self {
            HashCost::Owasp => Params::DEFAULT,
            // Still argon2id, with the smallest memory the algorithm accepts.
            HashCost::FastInsecure => Params::new(8, 1, 1, None).unwrap_or(Params::DEFAULT),
        }
    }
}

/// Shared hasher: cheap to clone.
#[derive(Clone)]
pub struct PasswordService {
    cost: HashCost,
    permits: Arc<Semaphore>,
    dummy_hash: Arc<String>,
}

impl std::fmt::Debug for PasswordService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordService")
            .field("cost", &self.cost)
            .finish_non_exhaustive()
    }
}

/// How long a hash may wait for a free slot before the caller is told to retry later.
const QUEUE_TIMEOUT: Duration = Duration::from_secs(5);

impl PasswordService {
    pub fn new(cost: HashCost) -> anyhow::Result<Self> {
        let permits = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .max(1);
        let dummy_hash = hash_blocking(cost, "assay-dummy-password-for-unknown-accounts")?;
        Ok(PasswordService {
            cost,
            permits: Arc::new(Semaphore::new(permits)),
            dummy_hash: Arc::new(dummy_hash),
        })
    }

    /// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) for a new password.
    pub async fn hash(&self, password: &SecretString) -> Result<String, Error> {
        let cost = self.cost;
        let password = password.clone();
        self.run(move || hash_blocking(cost, password.expose_secret()).map_err(Error::Internal))
            .await
    }

    /// Whether `password` matches `stored`; with no stored hash (unknown account, or an
    /// invited user without a password) the dummy hash is checked so timing is the same.
    pub async fn verify(
        &self,
        password: &SecretString,
        stored: Option<&str>,
    ) -> Result<bool, Error> {
        let known = stored.is_some();
        let hash = stored
            .map(str::to_owned)
            .unwrap_or_else(|| (*self.dummy_hash).clone());
        let password = password.clone();
        let matches = self
            .run(move || {
                Ok(Argon2::default()
                    .verify_password(password.expose_secret().as_bytes(), hash.as_str())
                    .is_ok())
            })
            .await?;
        Ok(known && matches)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let permit = tokio::time::timeout(QUEUE_TIMEOUT, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| Error::TooManyRequests {
                retry_after_secs: 5,
            })?
            .map_err(|e| Error::Internal(e.into()))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| Error::Internal(e.into()))?
    }
}

fn hash_blocking(cost: HashCost, password: &str) -> anyhow::Result<String> {
    let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, cost.params());
    let hash = hasher
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("argon2 failed: {e}"))?;
    Ok(hash.to_string())
}

/// Passwords: 12 to 128 characters, not a commonly used one, no composition rules
/// (OWASP ASVS 6.2). Returns the message to show.
pub fn check_new_password(password: &str, email: &str) -> Result<(), &'static str> {
    let length = password.chars().count();
    if length < 12 {
        return Err("Use at least 12 characters.");
    }
    if length > 128 {
        return Err("Use at most 128 characters.");
    }
    let lower = password.to_lowercase();
    if super::common_passwords::is_common(&lower) {
        return Err("This password is too common; choose another.");
    }
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    if local.len() >= 4 && lower.contains(&local) {
        return Err("Do not use your email address in your password.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn production_hashes_are_argon2id_at_owasp_parameters_and_verify() {
        let service = PasswordService::new(HashCost::Owasp).expect("service");
        let secret = SecretString::from("correct horse battery".to_owned());

        let hash = service.hash(&secret).await.expect("hash");

        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(service.verify(&secret, Some(&hash)).await.expect("verify"));
        let wrong = SecretString::from("wrong horse battery".to_owned());
        assert!(!service.verify(&wrong, Some(&hash)).await.expect("verify"));
    }

    #[tokio::test]
    async fn unknown_accounts_never_verify_even_with_the_dummy_password() {
        let service = PasswordService::new(HashCost::FastInsecure).expect("service");
        let dummy = SecretString::from("assay-dummy-password-for-unknown-accounts".to_owned());
        assert!(!service.verify(&dummy, None).await.expect("verify"));
    }

    #[test]
    fn password_rules_are_length_and_commonness_only() {
        assert!(check_new_password("short", "a@b.c").is_err());
        assert!(check_new_password(&"x".repeat(129), "a@b.c").is_err());
        assert!(check_new_password("password1234", "a@b.c").is_err());
        assert!(check_new_password("alice.smith-2026!", "alice.smith@example.com").is_err());
        assert!(check_new_password("all lower case words ok", "a@b.c").is_ok());
    }
}
