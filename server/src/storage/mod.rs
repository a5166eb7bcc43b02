//! The evidence store: files encrypted at rest (AES-256-GCM, a fresh data key per file
//! wrapped by the master key), their SHA-256 recorded at upload and checked on every read.
//! Sealing and verification happen here, whatever the backend; the backend only keeps the
//! sealed bytes: the local disk under `data_dir/evidence`, or an S3-compatible bucket.

pub mod sniff;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::config::{EvidenceTarget, S3Target};
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
    #[error("the evidence object store failed: {0}")]
    ObjectStore(#[from] object_store::Error),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("the stored file does not match the SHA-256 recorded at upload")]
    IntegrityMismatch,
    #[error("a storage task failed: {0}")]
    Task(String),
}

#[derive(Debug, Clone)]
pub struct EvidenceStore {
    backend: Backend,
    key: MasterKey,
}

/// Where the sealed bytes live. Both backends use the same relative key layout, so moving
/// from the disk to a bucket is a copy of `data_dir/evidence` under the prefix.
#[derive(Debug, Clone)]
enum Backend {
    Local(PathBuf),
    /// Any `object_store` backend (S3-compatible in production); keys under `prefix`.
    ObjectStore {
        store: Arc<dyn ObjectStore>,
        prefix: ObjectPath,
    },
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Two levels of fan-out keep directories small: `ab/cd/abcd….blob`.
fn key_parts(id: Uuid) -> [String; 3] {
    let hex = id.simple().to_string();
    [
        hex[..2].to_owned(),
        hex[2..4].to_owned(),
        format!("{hex}.blob"),
    ]
}

impl EvidenceStore {
    /// A store under `root` (created when missing).
    pub fn local(root: impl Into<PathBuf>, key: MasterKey) -> Self {
        EvidenceStore {
            backend: Backend::Local(root.into()),
            key,
        }
    }

    /// A store in `store`, every key under `prefix` (`""` for the root).
    pub fn in_object_store(
        store: Arc<dyn ObjectStore>,
        prefix: &str,
        key: MasterKey,
    ) -> Result<Self, StorageError> {
        Ok(EvidenceStore {
            backend: Backend::ObjectStore {
                store,
                prefix: ObjectPath::parse(prefix).map_err(object_store::Error::from)?,
            },
            key,
        })
    }

    /// The store the settings name. Nothing is contacted yet: a bucket that is unreachable
    /// or refuses the credentials shows on the first upload or download, as a logged 500.
    pub fn open(target: &EvidenceTarget, key: MasterKey) -> Result<Self, StorageError> {
        match target {
            EvidenceTarget::Local { root } => Ok(Self::local(root.clone(), key)),
            EvidenceTarget::S3(s3) => {
                Self::in_object_store(Arc::new(s3_client(s3)?), &s3.prefix, key)
            }
        }
    }

    fn path_of(root: &Path, id: Uuid) -> PathBuf {
        let [a, b, file] = key_parts(id);
        root.join(a).join(b).join(file)
    }

    fn object_path(prefix: &ObjectPath, id: Uuid) -> ObjectPath {
        let [a, b, file] = key_parts(id);
        prefix.clone().join(a).join(b).join(file)
    }

    /// Encrypts and writes `contents` as blob `id`. Either write is atomic (a local temp
    /// file, fsync and rename; a single S3 PUT), so a crash never leaves a half-written
    /// blob under the real name.
    pub async fn put(&self, id: Uuid, contents: Vec<u8>) -> Result<StoredBlob, StorageError> {
        let key = self.key.clone();
        match &self.backend {
            Backend::Local(root) => {
                let path = Self::path_of(root, id);
                run_blocking(move || {
                    let (blob, sealed) = seal(&key, id, &contents)?;
                    write_atomically(&path, &sealed)?;
                    Ok(blob)
                })
                .await
            }
            Backend::ObjectStore { store, prefix } => {
                let (blob, sealed) = run_blocking(move || seal(&key, id, &contents)).await?;
                store
                    .put(&Self::object_path(prefix, id), PutPayload::from(sealed))
                    .await?;
                Ok(blob)
            }
        }
    }

    /// Reads, decrypts and verifies blob `id` against the hash recorded at upload.
    pub async fn get(
        &self,
        id: Uuid,
        wrapped_key: Vec<u8>,
        expected_sha256: String,
    ) -> Result<Vec<u8>, StorageError> {
        let key = self.key.clone();
        match &self.backend {
            Backend::Local(root) => {
                let path = Self::path_of(root, id);
                run_blocking(move || {
                    let sealed = std::fs::read(&path)?;
                    open_verified(&key, id, &sealed, &wrapped_key, &expected_sha256)
                })
                .await
            }
            Backend::ObjectStore { store, prefix } => {
                let sealed = store
                    .get(&Self::object_path(prefix, id))
                    .await?
                    .bytes()
                    .await?;
                run_blocking(move || {
                    open_verified(&key, id, &sealed, &wrapped_key, &expected_sha256)
                })
                .await
            }
        }
    }

    /// Removes blob `id`; one already gone is not an error.
    pub async fn delete(&self, id: Uuid) -> Result<(), StorageError> {
        match &self.backend {
            Backend::Local(root) => {
                let path = Self::path_of(root, id);
                run_blocking(move || match std::fs::remove_file(&path) {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                    Err(e) => Err(e.into()),
                })
                .await
            }
            Backend::ObjectStore { store, prefix } => {
                match store.delete(&Self::object_path(prefix, id)).await {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                    Err(e) => Err(e.into()),
                }
            }
        }
    }
}

/// An S3 client for the validated settings. Keys left unset fall back to the standard AWS
/// environment (`AWS_ACCESS_KEY_ID`, web identity, container or instance roles), which is
/// how deployments on AWS avoid static keys; Assay's own settings always win.
fn s3_client(s3: &S3Target) -> Result<object_store::aws::AmazonS3, StorageError> {
    let mut builder = AmazonS3Builder::from_env()
        .with_bucket_name(&s3.bucket)
        .with_region(&s3.region)
        .with_allow_http(s3.allow_http);
    if let Some(endpoint) = &s3.endpoint {
        // MinIO, Ceph and most other services address buckets by path, not by host name.
        builder = builder
            .with_endpoint(endpoint)
            .with_virtual_hosted_style_request(false);
    }
    if let Some((id, secret)) = &s3.credentials {
        builder = builder
            .with_access_key_id(id)
            .with_secret_access_key(secret.expose_secret());
    }
    Ok(builder.build()?)
}

fn seal(key: &MasterKey, id: Uuid, contents: &[u8]) -> Result<(StoredBlob, Vec<u8>), StorageError> {
    let sha256 = sha256_hex(contents);
    let (sealed, wrapped_key) = key.seal_file(contents, id.as_bytes())?;
    let blob = StoredBlob {
        sha256,
        size: contents.len() as u64,
        wrapped_key,
    };
    Ok((blob, sealed))
}

/// Any failure to open (altered bytes, another blob's bytes, a wrong key) is reported as
/// an integrity failure, like a hash mismatch: the file must not be served either way.
fn open_verified(
    key: &MasterKey,
    id: Uuid,
    sealed: &[u8],
    wrapped_key: &[u8],
    expected_sha256: &str,
) -> Result<Vec<u8>, StorageError> {
    let contents = key
        .open_file(sealed, wrapped_key, id.as_bytes())
        .map_err(|_| StorageError::IntegrityMismatch)?;
    if sha256_hex(&contents) != expected_sha256 {
        return Err(StorageError::IntegrityMismatch);
    }
    Ok(contents)
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

    fn blob_path(dir: &Path, id: Uuid) -> PathBuf {
        EvidenceStore::path_of(&dir.join("evidence"), id)
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
        let on_disk = std::fs::read(blob_path(dir.path(), id)).expect("file");
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

        let path = blob_path(dir.path(), id);
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
        std::fs::create_dir_all(blob_path(dir.path(), b).parent().expect("dir")).expect("mkdir");
        std::fs::copy(blob_path(dir.path(), a), blob_path(dir.path(), b)).expect("copy");

        let swapped = store.get(b, blob.wrapped_key, blob.sha256).await;

        assert!(swapped.is_err(), "ciphertexts are bound to their id");
        store.delete(a).await.expect("delete");
        assert!(!blob_path(dir.path(), a).exists());
    }

    #[tokio::test]
    async fn an_object_store_holds_only_sealed_bytes_under_the_prefix() {
        let memory: Arc<dyn ObjectStore> = Arc::new(object_store::memory::InMemory::new());
        let store = EvidenceStore::in_object_store(
            memory.clone(),
            "prod/evidence",
            MasterKey::from_bytes(&[3; 32]),
        )
        .expect("a valid prefix");
        let id = Uuid::now_v7();

        let blob = store.put(id, PDF.to_vec()).await.expect("put");

        let hex = id.simple().to_string();
        let location = ObjectPath::parse(format!(
            "prod/evidence/{}/{}/{hex}.blob",
            &hex[..2],
            &hex[2..4]
        ))
        .expect("path");
        let sealed = memory
            .get(&location)
            .await
            .expect("the blob is under the prefix, in the local layout")
            .bytes()
            .await
            .expect("bytes");
        assert!(
            !sealed.windows(8).any(|w| w == b"SOC 2 Ty"),
            "plaintext at rest"
        );
        let back = store
            .get(id, blob.wrapped_key.clone(), blob.sha256.clone())
            .await
            .expect("get");
        assert_eq!(back, PDF);

        let mut altered = sealed.to_vec();
        altered[0] ^= 0xFF;
        memory
            .put(&location, PutPayload::from(altered))
            .await
            .expect("tamper");
        let refused = store
            .get(id, blob.wrapped_key.clone(), blob.sha256.clone())
            .await;
        assert!(matches!(refused, Err(StorageError::IntegrityMismatch)));

        store.delete(id).await.expect("delete");
        store
            .delete(id)
            .await
            .expect("deleting twice is not an error");
        assert!(matches!(
            memory.get(&location).await,
            Err(object_store::Error::NotFound { .. })
        ));
    }
}
