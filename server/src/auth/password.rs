//! Password hashing with argon2id at OWASP's minimum (m=19 MiB, t=2, p=1), off the async
//! runtime and behind a concurrency limit with a bounded queue, so a storm of sign-ins
//! cannot starve every other request: at most `password_hash_concurrency` hashes run at
//! once (by default one core is left for everything else), at most `password_hash_queue`
//! wait, each for at most `password_hash_wait_secs`; the rest are told to come back
//! (503 with `Retry-After`). Unknown accounts are checked against a dummy hash, so they
//! cost the same time as a wrong password.
//!
//! Each slot owns its 19 MiB of argon2 memory for the life of the process. Allocating and
//! freeing it per hash let glibc keep the freed blocks in per-thread arenas (the blocking
//! pool has many threads), so a sign-in storm grew the server by about 200 MB and never
//! gave it back; with the memory reused, hashing needs `concurrency` × 19 MiB, no more.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use argon2::password_hash::phc::{Output, ParamsString, Salt};
use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, Version};
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

/// How many hashes may run and wait at once (from the `password_hash_*` settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashLimits {
    /// Hashes running at once (each holds one core and 19 MiB while it runs).
    pub concurrency: usize,
    /// Hashes that may wait for a free slot; beyond that a request is refused at once.
    pub queue: usize,
    /// The longest a hash waits for a slot before the request is refused.
    pub wait: Duration,
}

impl HashLimits {
    /// All cores but one (at least one), so that sign-ins never take every core from the
    /// requests that are already signed in.
    pub fn default_concurrency() -> usize {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        concurrency_for(cores)
    }
}

fn concurrency_for(cores: usize) -> usize {
    cores.saturating_sub(1).max(1)
}

impl Default for HashLimits {
    fn default() -> Self {
        HashLimits {
            concurrency: Self::default_concurrency(),
            queue: 32,
            wait: Duration::from_secs(5),
        }
    }
}

/// What a refused request is told to wait before retrying, in seconds.
const RETRY_AFTER_SECS: u64 = 2;

/// Shared hasher: cheap to clone.
#[derive(Clone)]
pub struct PasswordService {
    cost: HashCost,
    limits: HashLimits,
    permits: Arc<Semaphore>,
    /// Requests waiting for a permit now.
    waiting: Arc<AtomicUsize>,
    /// Argon2 memory, one buffer per slot, handed to whichever hash holds the slot.
    memory: Arc<Mutex<Vec<Memory>>>,
    dummy_hash: Arc<String>,
}

/// The memory one hash works in, grown to the largest cost it has served and then reused.
#[derive(Default)]
pub struct Memory(Vec<Block>);

impl Memory {
    /// The first `count` blocks, growing the buffer the first time.
    fn blocks(&mut self, count: usize) -> &mut [Block] {
        if self.0.len() < count {
            self.0.resize(count, Block::new());
        }
        &mut self.0[..count]
    }

    #[cfg(test)]
    fn address(&self) -> *const Block {
        self.0.as_ptr()
    }
}

impl std::fmt::Debug for PasswordService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordService")
            .field("cost", &self.cost)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// One place in the queue; leaving it (served, timed out or cancelled) frees it.
struct QueuePlace(Arc<AtomicUsize>);

impl Drop for QueuePlace {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl PasswordService {
    /// A hasher with the default limits (command-line tools and tests).
    pub fn new(cost: HashCost) -> anyhow::Result<Self> {
        Self::with_limits(cost, HashLimits::default())
    }

    pub fn with_limits(cost: HashCost, limits: HashLimits) -> anyhow::Result<Self> {
        anyhow::ensure!(limits.concurrency >= 1, "password hashing needs a slot");
        let mut memory: Vec<Memory> = (0..limits.concurrency).map(|_| Memory::default()).collect();
        let dummy_hash = hash_with(
            &mut memory[0],
            cost,
            "assay-dummy-password-for-unknown-accounts",
        )?;
        Ok(PasswordService {
            cost,
            limits,
            permits: Arc::new(Semaphore::new(limits.concurrency)),
            waiting: Arc::new(AtomicUsize::new(0)),
            memory: Arc::new(Mutex::new(memory)),
            dummy_hash: Arc::new(dummy_hash),
        })
    }

    /// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) for a new password.
    pub async fn hash(&self, password: &SecretString) -> Result<String, Error> {
        let cost = self.cost;
        let password = password.clone();
        self.run(move |memory| {
            hash_with(memory, cost, password.expose_secret()).map_err(Error::Internal)
        })
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
            .run(move |memory| Ok(verify_with(memory, password.expose_secret(), &hash)))
            .await?;
        Ok(known && matches)
    }

    /// Runs blocking hashing work on one of the slots (with the slot's memory), off the
    /// async runtime. With every
    /// slot taken it waits in the queue; a full queue, or a wait longer than the limit, is
    /// [`Error::Busy`] (503 with `Retry-After`): a client retries in a moment, instead of
    /// every request piling up behind sign-ins.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Memory) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let busy = || Error::Busy {
            retry_after_secs: RETRY_AFTER_SECS,
        };
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(tokio::sync::TryAcquireError::Closed) => {
                return Err(Error::internal(anyhow::anyhow!("hashing slots closed")));
            }
            Err(tokio::sync::TryAcquireError::NoPermits) => {
                let place = QueuePlace(self.waiting.clone());
                if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.limits.queue {
                    return Err(busy());
                }
                let permit =
                    tokio::time::timeout(self.limits.wait, self.permits.clone().acquire_owned())
                        .await
                        .map_err(|_| busy())?
                        .map_err(Error::internal)?;
                drop(place);
                permit
            }
        };
        let pool = self.memory.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            // Holding a permit means a buffer is free: there are as many as permits.
            let mut memory = lock(&pool).pop().unwrap_or_default();
            let result = work(&mut memory);
            lock(&pool).push(memory);
            result
        })
        .await
        .map_err(|e| Error::Internal(e.into()))?
    }
}

fn lock(pool: &Mutex<Vec<Memory>>) -> std::sync::MutexGuard<'_, Vec<Memory>> {
    // A panic while holding the lock cannot leave the list of buffers half-changed.
    pool.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A new PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), computed in `memory`.
fn hash_with(memory: &mut Memory, cost: HashCost, password: &str) -> anyhow::Result<String> {
    let params = cost.params();
    let failed = |e: &dyn std::fmt::Display| anyhow::anyhow!("argon2 failed: {e}");
    let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt = Salt::generate();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    hasher
        .hash_password_into_with_memory(
            password.as_bytes(),
            &salt,
            &mut out,
            memory.blocks(params.block_count()),
        )
        .map_err(|e| failed(&e))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(salt),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(hash.to_string())
}

/// Whether `password` hashes to `stored` (a PHC string with its own algorithm, version,
/// cost and salt), computed in `memory`; the comparison is constant-time (`Output`'s `==`).
/// An unreadable stored hash never matches.
fn verify_with(memory: &mut Memory, password: &str, stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(hash.algorithm.as_str()),
        Params::try_from(&hash),
    ) else {
        return false;
    };
    let Ok(version) = Version::try_from(hash.version.unwrap_or(Version::V0x13.into())) else {
        return false;
    };
    // A hash costlier than any this server makes (say, from a tuned-up past setting) is
    // checked in memory of its own, so the slot's buffer never stays that large.
    let mut own = Memory::default();
    let memory = if params.block_count() > 2 * Params::DEFAULT.block_count() {
        &mut own
    } else {
        memory
    };
    let mut out = vec![0u8; expected.len()];
    let hasher = Argon2::new(algorithm, version, params.clone());
    hasher
        .hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut out,
            memory.blocks(params.block_count()),
        )
        .is_ok()
        && Output::new(&out).is_ok_and(|computed| &computed == expected)
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
    async fn hashes_read_and_write_the_standard_phc_format() {
        use argon2::{PasswordHasher, PasswordVerifier};
        let service = PasswordService::new(HashCost::Owasp).expect("service");
        let secret = SecretString::from("correct horse battery".to_owned());

        let ours = service.hash(&secret).await.expect("hash");
        let theirs = Argon2::default()
            .hash_password(b"correct horse battery")
            .expect("the argon2 crate hashes")
            .to_string();

        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", ours.as_str())
                .is_ok(),
            "the argon2 crate verifies a hash this service made: {ours}"
        );
        assert!(
            service
                .verify(&secret, Some(&theirs))
                .await
                .expect("verify"),
            "a hash stored before hashing reused its memory still verifies: {theirs}"
        );
        let wrong = SecretString::from("correct horse battery!".to_owned());
        assert!(!service.verify(&wrong, Some(&theirs)).await.expect("verify"));
        assert!(
            !service
                .verify(&secret, Some("$argon2id$v=19$garbled"))
                .await
                .expect("verify"),
            "an unreadable stored hash never matches"
        );
    }

    #[tokio::test]
    async fn every_hash_on_a_slot_reuses_the_same_memory() {
        let service =
            PasswordService::with_limits(HashCost::Owasp, limits(1, 8, 600)).expect("service");
        let slot = || {
            let pool = lock(&service.memory);
            assert_eq!(
                pool.len(),
                1,
                "one buffer per slot, and it is back in the pool"
            );
            (pool[0].address(), pool[0].0.len())
        };
        let before = slot();
        let secret = SecretString::from("correct horse battery".to_owned());

        for _ in 0..3 {
            let hash = service.hash(&secret).await.expect("hash");
            assert!(service.verify(&secret, Some(&hash)).await.expect("verify"));
        }

        assert_eq!(
            slot(),
            before,
            "hashing and verifying work in the slot's buffer, never in a new allocation"
        );
        assert_eq!(
            before.1,
            Params::DEFAULT.block_count(),
            "19 MiB of 1 KiB blocks"
        );
    }

    /// One slot held by a test until [`Occupied::release`].
    struct Occupied {
        release: std::sync::mpsc::Sender<()>,
        done: tokio::task::JoinHandle<Result<(), Error>>,
    }

    impl Occupied {
        /// Frees the slot and waits until it is free.
        async fn release(self) {
            self.release.send(()).expect("the slot's work is waiting");
            self.done
                .await
                .expect("task")
                .expect("the occupying work ran");
        }
    }

    /// Occupies one slot; resolves once the occupying work is running.
    async fn occupy(service: &PasswordService) -> Occupied {
        let (release, released) = std::sync::mpsc::channel::<()>();
        let (started, running) = tokio::sync::oneshot::channel();
        let service = service.clone();
        let done = tokio::spawn(async move {
            service
                .run(move |_| {
                    let _ = started.send(());
                    let _ = released.recv();
                    Ok(())
                })
                .await
        });
        running.await.expect("the work starts");
        Occupied { release, done }
    }

    fn limits(concurrency: usize, queue: usize, wait_secs: u64) -> HashLimits {
        HashLimits {
            concurrency,
            queue,
            wait: Duration::from_secs(wait_secs),
        }
    }

    #[tokio::test]
    async fn with_every_slot_taken_and_the_queue_full_a_hash_is_refused_at_once_as_busy() {
        let service =
            PasswordService::with_limits(HashCost::FastInsecure, limits(1, 0, 600)).expect("ok");
        let occupied = occupy(&service).await;
        let secret = SecretString::from("correct horse battery".to_owned());

        let refused = service.hash(&secret).await;

        assert!(
            matches!(refused, Err(Error::Busy { retry_after_secs }) if retry_after_secs > 0),
            "{refused:?}"
        );
        occupied.release().await;
        let result = service.hash(&secret).await;
        assert!(
            result.is_ok(),
            "once the slot is free, hashing works: {result:?}"
        );
    }

    #[tokio::test]
    async fn the_queue_holds_as_many_waiting_hashes_as_allowed_and_they_run_in_turn() {
        let service =
            PasswordService::with_limits(HashCost::FastInsecure, limits(1, 2, 600)).expect("ok");
        let occupied = occupy(&service).await;
        let secret = SecretString::from("correct horse battery".to_owned());
        let mut queued = Vec::new();
        for _ in 0..2 {
            let (service, secret) = (service.clone(), secret.clone());
            queued.push(tokio::spawn(async move { service.hash(&secret).await }));
        }
        while service.waiting.load(Ordering::Acquire) < 2 {
            tokio::task::yield_now().await;
        }

        let third = service.hash(&secret).await;
        occupied.release().await;

        assert!(matches!(third, Err(Error::Busy { .. })), "{third:?}");
        for waiting in queued {
            let hashed = waiting.await.expect("task");
            assert!(hashed.is_ok(), "a queued hash runs once a slot is free");
        }
        assert_eq!(
            service.waiting.load(Ordering::Acquire),
            0,
            "the queue empties"
        );
    }

    #[tokio::test]
    async fn a_hash_that_waits_longer_than_allowed_is_refused_and_leaves_the_queue() {
        let service =
            PasswordService::with_limits(HashCost::FastInsecure, limits(1, 4, 0)).expect("ok");
        let occupied = occupy(&service).await;
        let secret = SecretString::from("correct horse battery".to_owned());

        let refused = service.hash(&secret).await;

        assert!(matches!(refused, Err(Error::Busy { .. })), "{refused:?}");
        assert_eq!(service.waiting.load(Ordering::Acquire), 0);
        occupied.release().await;
    }

    #[test]
    fn by_default_hashing_leaves_one_core_for_everything_else() {
        assert_eq!(concurrency_for(1), 1);
        assert_eq!(concurrency_for(2), 1);
        assert_eq!(concurrency_for(8), 7);
        assert_eq!(HashLimits::default().queue, 32);
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
