//! The evidence store: files encrypted at rest (AES-256-GCM, a fresh data key per file
//! wrapped by the master key), their SHA-256 recorded at upload and checked on every read.
//! The blobs live on the local disk under `data_dir/evidence`; the interface is the one an
//! S3-compatible backend will implement.

pub mod sniff;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::crypto::{CryptoError, MasterKey};

/// What must be stored beside a blob to read it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    /// SHA-256 of the plaintext, hex.
    pub sha256: String,
    pub size: u64,
    /// The data key, sealed by the master key.
    pub wrapped_key: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("evidence storage I/O failed: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("the stored file does not match the SHA-256 recorded at upload")]
    IntegrityMismatch,
    #[error("a storage task failed: {0}")]
    Task(String),
}

#[derive(Debug, Clone)]
pub struct EvidenceStore {
    root: PathBuf,
    key: MasterKey,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl EvidenceStore {
    /// A store under `root` (created when missing).
    pub fn local(root: impl Into<PathBuf>, key: MasterKey) -> Self {
        EvidenceStore {
            root: root.into(),
            key,
        }
    }

    /// Two levels of fan-out keep directories small.
    fn path_of(&self, id: Uuid) -> PathBuf {
        let hex = id.simple().to_string();
        self.root
            .join(&hex[..2])
            .join(&hex[2..4])
            .join(format!("{hex}.blob"))
    }

    /// Encrypts and writes `contents` as blob `id`; the write is atomic (temp file, fsync,
    /// rename), so a crash never leaves a half-written blob under the real name.
    pub async fn put(&self, id: Uuid, contents: Vec<u8>) -> Result<StoredBlob, StorageError> {
        let path = self.path_of(id);
        let key = self.key.clone();
        run_blocking(move || {
            let sha256 = sha256_hex(&contents);
            let (sealed, wrapped_key) = key.seal_file(&contents, id.as_bytes())?;
            write_atomically(&path, &sealed)?;
            Ok(StoredBlob {
                sha256,
                size: contents.len() as u64,
                wrapped_key,
            })
        })
        .await
    }

    /// Reads, decrypts and verifies blob `id` against the hash recorded at upload.
    pub async fn get(
        &self,
        id: Uuid,
        wrapped_key: Vec<u8>,
        expected_sha256: String,
    ) -> Result<Vec<u8>, StorageError> {
        let path = self.path_of(id);
        let key = self.key.clone();
        run_blocking(move || {
            let sealed = std::fs::read(&path)?;
            let contents = key
                .open_file(&sealed, &wrapped_key, id.as_bytes())
                .map_err(|_| StorageError::IntegrityMismatch)?;
            if sha256_hex(&contents) != expected_sha256 {
                return Err(StorageError::IntegrityMismatch);
            }
            Ok(contents)
        })
        .await
    }

    pub async fn delete(&self, id: Uuid) -> Result<(), StorageError> {
        let path = self.path_of(id);
        run_blocking(move || match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        })
        .await
    }
}

async fn run_blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StorageError> + Send + 'static,
) -> Result<T, StorageError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StorageError::Task(e.to_string()))?
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("blob path has no parent"))?;
    std::fs::create_dir_all(dir)?;
    let temp = path.with_extension("tmp");
    let mut file = std::fs::File::create(&temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &Path) -> EvidenceStore {
        EvidenceStore::local(dir.join("evidence"), MasterKey::from_bytes(&[3; 32]))
    }

    const PDF: &[u8] = b"%PDF-1.7 SOC 2 Type II report for Vendor Ltd, period ending 2026-06-30";

    #[tokio::test]
    async fn a_blob_round_trips_and_is_not_plaintext_on_disk() {
        let dir = tempfile::tempdir().expect("dir");
        let store = store(dir.path());
        let id = Uuid::now_v7();

        let blob = store.put(id, PDF.to_vec()).await.expect("put");

        assert_eq!(blob.sha256, sha256_hex(PDF));
        assert_eq!(blob.size, PDF.len() as u64);
        let on_disk = std::fs::read(store.path_of(id)).expect("file");
        assert!(
            !on_disk.windows(8).any(|w| w == b"SOC 2 Ty"),
            "plaintext at rest"
        );
        let back = store
            .get(id, blob.wrapped_key.clone(), blob.sha256.clone())
            .await
            .expect("get");
        assert_eq!(back, PDF);
    }

    #[tokio::test]
    async fn an_altered_blob_or_a_wrong_hash_is_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let store = store(dir.path());
        let id = Uuid::now_v7();
        let blob = store.put(id, PDF.to_vec()).await.expect("put");

        let wrong_hash = store
            .get(id, blob.wrapped_key.clone(), sha256_hex(b"other"))
            .await;
        assert!(matches!(wrong_hash, Err(StorageError::IntegrityMismatch)));

        let path = store.path_of(id);
        let mut bytes = std::fs::read(&path).expect("file");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xFF;
        std::fs::write(&path, bytes).expect("tamper");
        let altered = store.get(id, blob.wrapped_key, blob.sha256).await;
        assert!(matches!(altered, Err(StorageError::IntegrityMismatch)));
    }

    #[tokio::test]
    async fn a_blob_cannot_be_read_under_another_id() {
        let dir = tempfile::tempdir().expect("dir");
        let store = store(dir.path());
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let blob = store.put(a, PDF.to_vec()).await.expect("put");
        std::fs::create_dir_all(store.path_of(b).parent().expect("dir")).expect("mkdir");
        std::fs::copy(store.path_of(a), store.path_of(b)).expect("copy");

        let swapped = store.get(b, blob.wrapped_key, blob.sha256).await;

        assert!(swapped.is_err(), "ciphertexts are bound to their id");
        store.delete(a).await.expect("delete");
        assert!(!store.path_of(a).exists());
    }
}
