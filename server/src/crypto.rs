//! Encryption at rest: AES-256-GCM under a master key from settings (or, for the embedded
//! default, a key file created once under the data directory). Secrets in the database
//! (TOTP seeds) are sealed directly; evidence files use envelope encryption: a fresh data
//! key per file, itself sealed by the master key, so the master key never touches file
//! contents and can be rotated by re-wrapping keys only.

use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use secrecy::{ExposeSecret, SecretString};

const NONCE_LEN: usize = 12;
/// Prefix of sealed text values, so a future format can coexist.
const TEXT_PREFIX: &str = "v1:";

/// The master key. `Debug` never shows it.
#[derive(Clone)]
pub struct MasterKey {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(..)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("the data could not be decrypted: wrong key, or altered data")]
    Decrypt,
    #[error("no randomness available: {0}")]
    Random(String),
    #[error("the sealed value is malformed")]
    Malformed,
}

fn random<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| CryptoError::Random(e.to_string()))?;
    Ok(bytes)
}

fn seal_with(cipher: &Aes256Gcm, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let nonce = random::<NONCE_LEN>()?;
    let mut out = nonce.to_vec();
    let sealed = cipher
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| CryptoError::Decrypt)?;
    out.extend_from_slice(&sealed);
    Ok(out)
}

fn open_with(cipher: &Aes256Gcm, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if sealed.len() < NONCE_LEN + 16 {
        return Err(CryptoError::Malformed);
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| CryptoError::Malformed)?;
    cipher
        .decrypt(&Nonce::from(nonce), Payload { msg: body, aad })
        .map_err(|_| CryptoError::Decrypt)
}

impl MasterKey {
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        MasterKey {
            cipher: Aes256Gcm::new(&Key::<Aes256Gcm>::from(*bytes)),
        }
    }

    /// Parses a base64-encoded 32-byte key (the `master_key` setting).
    pub fn from_base64(text: &SecretString) -> anyhow::Result<Self> {
        let bytes = B64
            .decode(text.expose_secret().trim())
            .context("master_key must be base64")?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| anyhow::anyhow!("master_key must decode to exactly 32 bytes"))?;
        Ok(Self::from_bytes(&bytes))
    }

    /// The configured key, or the one in `data_dir/master.key`, created (mode 0600) on first
    /// use. Losing that file makes encrypted data unreadable: back it up with the database.
    pub fn load_or_create(
        configured: Option<&SecretString>,
        data_dir: &Path,
    ) -> anyhow::Result<Self> {
        if configured.is_some() || data_dir.join("master.key").exists() {
            return Self::load(configured, data_dir);
        }
        let path = data_dir.join("master.key");
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("could not create {}", data_dir.display()))?;
        let key = random::<32>().map_err(|e| anyhow::anyhow!(e))?;
        let encoded = B64.encode(key);
        write_private(&path, encoded.as_bytes())
            .with_context(|| format!("could not write {}", path.display()))?;
        Ok(Self::from_bytes(&key))
    }

    /// The configured key, or the one in `data_dir/master.key`; never creates one (for
    /// operator tools, where a new key could only fail to open what the server sealed).
    pub fn load(configured: Option<&SecretString>, data_dir: &Path) -> anyhow::Result<Self> {
        if let Some(text) = configured {
            return Self::from_base64(text);
        }
        let path = data_dir.join("master.key");
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "no master key: set ASSAY_MASTER_KEY, or run where {} is",
                path.display()
            )
        })?;
        Self::from_base64(&SecretString::from(text))
    }

    /// Encrypts `plaintext`; `aad` binds it to its context (e.g. the owning row's id), so
    /// a value copied to another row does not decrypt.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        seal_with(&self.cipher, plaintext, aad)
    }

    pub fn open(&self, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        open_with(&self.cipher, sealed, aad)
    }

    /// Seals a short text value for a database column (`v1:` + base64).
    pub fn seal_text(&self, plaintext: &str, aad: &[u8]) -> Result<String, CryptoError> {
        Ok(format!(
            "{TEXT_PREFIX}{}",
            B64.encode(self.seal(plaintext.as_bytes(), aad)?)
        ))
    }

    pub fn open_text(&self, sealed: &str, aad: &[u8]) -> Result<String, CryptoError> {
        let body = sealed
            .strip_prefix(TEXT_PREFIX)
            .ok_or(CryptoError::Malformed)?;
        let bytes = B64.decode(body).map_err(|_| CryptoError::Malformed)?;
        String::from_utf8(self.open(&bytes, aad)?).map_err(|_| CryptoError::Malformed)
    }

    /// Envelope encryption of a file: returns the sealed contents and the sealed data key.
    pub fn seal_file(
        &self,
        contents: &[u8],
        aad: &[u8],
    ) -> Result<(Vec<u8>, Vec<u8>), CryptoError> {
        let data_key = random::<32>()?;
        let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(data_key));
        let sealed = seal_with(&cipher, contents, aad)?;
        let wrapped = self.seal(&data_key, aad)?;
        Ok((sealed, wrapped))
    }

    pub fn open_file(
        &self,
        sealed: &[u8],
        wrapped_key: &[u8],
        aad: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let data_key: [u8; 32] = self
            .open(wrapped_key, aad)?
            .try_into()
            .map_err(|_| CryptoError::Malformed)?;
        let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(data_key));
        open_with(&cipher, sealed, aad)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> MasterKey {
        MasterKey::from_bytes(&[7; 32])
    }

    #[test]
    fn text_round_trips_and_is_bound_to_its_context() {
        let key = key();
        let sealed = key.seal_text("JBSWY3DPEHPK3PXP", b"user:1").expect("seal");
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            key.open_text(&sealed, b"user:1").expect("open"),
            "JBSWY3DPEHPK3PXP"
        );
        assert!(
            key.open_text(&sealed, b"user:2").is_err(),
            "moved to another row"
        );
        assert!(
            MasterKey::from_bytes(&[8; 32])
                .open_text(&sealed, b"user:1")
                .is_err(),
            "other key"
        );
    }

    #[test]
    fn files_use_a_fresh_data_key_and_detect_tampering() {
        let key = key();
        let contents = b"%PDF-1.7 SOC 2 Type II report";
        let (sealed, wrapped) = key.seal_file(contents, b"evidence:9").expect("seal");
        assert!(
            !sealed.windows(8).any(|w| w == b"%PDF-1.7"),
            "no plaintext at rest"
        );
        assert_eq!(
            key.open_file(&sealed, &wrapped, b"evidence:9")
                .expect("open"),
            contents
        );
        let (again, _) = key.seal_file(contents, b"evidence:9").expect("seal");
        assert_ne!(sealed, again, "fresh nonce and key each time");
        let mut altered = sealed.clone();
        let last = altered.len() - 1;
        altered[last] ^= 1;
        assert!(key.open_file(&altered, &wrapped, b"evidence:9").is_err());
    }

    #[test]
    fn a_key_file_is_created_once_private_and_reused() {
        let dir = tempfile::tempdir().expect("dir");
        let first = MasterKey::load_or_create(None, dir.path()).expect("create");
        let sealed = first.seal_text("secret", b"x").expect("seal");
        let second = MasterKey::load_or_create(None, dir.path()).expect("load");
        assert_eq!(second.open_text(&sealed, b"x").expect("same key"), "secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("master.key"))
                .expect("file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_configured_key_must_be_32_bytes_of_base64() {
        assert!(MasterKey::from_base64(&SecretString::from("c2hvcnQ=".to_owned())).is_err());
        let good = B64.encode([1u8; 32]);
        assert!(MasterKey::from_base64(&SecretString::from(good)).is_ok());
    }
}
