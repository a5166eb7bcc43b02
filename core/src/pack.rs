//! Evidence packs: the manifest that lists every file of a pack with its size and SHA-256,
//! and the verification an auditor runs on a pack (the `assay pack verify` command, and later
//! a browser page): the Ed25519 signature over the exact bytes of `manifest.json`, every
//! listed file against its size and hash, and files the manifest does not list.
//!
//! Pure: the caller hands the files over through [`PackFiles`] (from a zip archive, or from
//! memory), so the same check runs natively and in `wasm32-unknown-unknown`. Only verifying
//! lives here; the server signs, so nothing here needs randomness.

use std::collections::BTreeSet;

use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The value of the manifest's `format` field.
pub const FORMAT: &str = "assay-evidence-pack";
/// The manifest format this version writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// The manifest's path in a pack.
pub const MANIFEST: &str = "manifest.json";
/// The signature's path: the 64 raw bytes of the Ed25519 signature over `manifest.json`.
pub const SIGNATURE: &str = "manifest.sig";
/// The only signature algorithm packs use.
pub const ALGORITHM: &str = "ed25519";

/// The signing key a pack names: its algorithm, the 32-byte public key as 64 lowercase hex
/// digits, and its [`fingerprint`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyInfo {
    pub algorithm: String,
    pub public_key: String,
    pub fingerprint: String,
}

impl KeyInfo {
    /// The description of an Ed25519 public key.
    pub fn ed25519(public_key: &[u8; 32]) -> KeyInfo {
        KeyInfo {
            algorithm: ALGORITHM.to_owned(),
            public_key: hex(public_key),
            fingerprint: fingerprint(public_key),
        }
    }
}

/// One file of a pack as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// The path inside the archive (`evidence/soc2.pdf`).
    pub path: String,
    pub size: u64,
    /// SHA-256 of the contents, 64 lowercase hex digits.
    pub sha256: String,
}

/// `manifest.json`: what the pack is and every other file in it. The signature covers its
/// exact bytes, so it is never re-serialised before checking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    pub format_version: u32,
    /// The slug of the organisation that signed the pack.
    pub organization: String,
    pub assessment_id: uuid::Uuid,
    /// RFC 3339.
    pub created_at: String,
    pub signing_key: KeyInfo,
    pub files: Vec<ManifestFile>,
}

impl Manifest {
    /// The bytes written as `manifest.json` (and signed): pretty JSON and a final newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

/// A file's size and SHA-256.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileDigest {
    pub size: u64,
    pub sha256: [u8; 32],
}

impl FileDigest {
    pub fn of(bytes: &[u8]) -> FileDigest {
        FileDigest {
            size: bytes.len() as u64,
            sha256: Sha256::digest(bytes).into(),
        }
    }

    /// The entry the manifest lists for this file at `path`.
    pub fn entry(&self, path: &str) -> ManifestFile {
        ManifestFile {
            path: path.to_owned(),
            size: self.size,
            sha256: hex(&self.sha256),
        }
    }
}

/// Why a file of the pack could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// No file has this path.
    Missing,
    /// It is there but cannot be read (damaged, or larger than the reader accepts).
    Unreadable(String),
}

/// The files of a pack, however they are stored. The verifier reads `manifest.json` and
/// `manifest.sig` whole and asks only for the digest of every other file, so a reader can
/// hash large files as it streams them.
pub trait PackFiles {
    /// Every file's path, in archive order (a path twice if the archive holds it twice).
    fn paths(&self) -> Vec<String>;
    /// The whole contents of the file at `path`.
    fn read(&mut self, path: &str) -> Result<Vec<u8>, FileError>;
    /// The size and SHA-256 of the file at `path`.
    fn digest(&mut self, path: &str) -> Result<FileDigest, FileError> {
        self.read(path).map(|bytes| FileDigest::of(&bytes))
    }
}

impl PackFiles for std::collections::BTreeMap<String, Vec<u8>> {
    fn paths(&self) -> Vec<String> {
        self.keys().cloned().collect()
    }

    fn read(&mut self, path: &str) -> Result<Vec<u8>, FileError> {
        self.get(path).cloned().ok_or(FileError::Missing)
    }

    fn digest(&mut self, path: &str) -> Result<FileDigest, FileError> {
        self.get(path)
            .map(|bytes| FileDigest::of(bytes))
            .ok_or(FileError::Missing)
    }
}

/// What the signature check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureStatus {
    /// The signature over `manifest.json` verifies with the key.
    Valid,
    /// It does not: the manifest was changed after signing, or another key signed it.
    Invalid,
    /// No `manifest.sig`, or not 64 bytes.
    Missing,
    /// No usable key: the one given or the one the manifest names is not an Ed25519 key.
    NoKey,
}

/// What became of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// Size and SHA-256 are those the manifest lists.
    Matches,
    /// Its size or SHA-256 differs from the manifest's.
    Changed,
    /// Listed in the manifest, not in the pack.
    Missing,
    /// In the pack, not listed in the manifest.
    Unlisted,
    /// In the pack but could not be read.
    Unreadable,
}

impl FileStatus {
    /// A short label for a column of results.
    pub fn label(self) -> &'static str {
        match self {
            FileStatus::Matches => "ok",
            FileStatus::Changed => "CHANGED",
            FileStatus::Missing => "MISSING",
            FileStatus::Unlisted => "NOT LISTED",
            FileStatus::Unreadable => "UNREADABLE",
        }
    }
}

/// One file's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub path: String,
    pub status: FileStatus,
}

/// Who signed: what the manifest says, with the fingerprint of the key the signature was
/// checked with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signer {
    /// The organisation's slug, as the manifest names it.
    pub organization: String,
    /// The fingerprint of the key the signature was checked with.
    pub fingerprint: String,
}

/// The verdict on a pack: valid only when the signature verifies and every file matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackReport {
    pub valid: bool,
    pub signature: SignatureStatus,
    /// Whether the signature was checked against a key the caller supplied (the
    /// organisation's published key) rather than only the key inside the pack.
    pub key_checked: bool,
    /// Set when the manifest could be read.
    pub signer: Option<Signer>,
    pub assessment_id: Option<uuid::Uuid>,
    pub created_at: Option<String>,
    /// Every file: those the manifest lists, in its order, then those it does not.
    pub files: Vec<FileReport>,
    /// One sentence per problem, naming the file.
    pub problems: Vec<String>,
}

impl PackReport {
    /// The verdict as one sentence.
    pub fn verdict(&self) -> String {
        let signer = self.signer.as_ref().map_or_else(String::new, |s| {
            format!(
                " by organisation “{}” (key fingerprint {})",
                s.organization, s.fingerprint
            )
        });
        if !self.valid {
            let n = self.problems.len();
            return format!(
                "NOT VALID: {n} problem{} found; do not rely on this pack.",
                if n == 1 { "" } else { "s" }
            );
        }
        let checked = if self.key_checked {
            "The key is the one you gave."
        } else {
            "The key was taken from the pack itself and was NOT checked against the organisation's published key: compare the fingerprint with GET /api/organizations/{slug}/signing-key, or pass --key."
        };
        format!("VALID: every file matches the manifest, signed{signer}. {checked}",)
    }
}

/// The first 128 bits of the key's SHA-256 as eight groups of four hex digits
/// (`3f2a:91c0:…`), to compare by eye with the published key.
pub fn fingerprint(public_key: &[u8]) -> String {
    let digest = Sha256::digest(public_key);
    digest[..16]
        .chunks(2)
        .map(hex)
        .collect::<Vec<_>>()
        .join(":")
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Hex (either case, surrounding spaces ignored) to bytes; `None` if it is not hex.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim().as_bytes();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| {
        char::from(c)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    text.chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// Whether `path` is one a manifest may list: relative, `/`-separated, no `.` or `..`
/// parts, no backslashes or control characters, and not the manifest or signature.
fn listable(path: &str) -> bool {
    !path.is_empty()
        && path != MANIFEST
        && path != SIGNATURE
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
}

/// Verifies a pack: the signature over `manifest.json` with `public_key` (the 32 raw bytes
/// of the organisation's published key) or, without one, with the key the manifest names;
/// then every listed file's size and SHA-256, and files the manifest does not list.
pub fn verify(files: &mut impl PackFiles, public_key: Option<&[u8]>) -> PackReport {
    let mut report = PackReport {
        valid: false,
        signature: SignatureStatus::Missing,
        key_checked: public_key.is_some(),
        signer: None,
        assessment_id: None,
        created_at: None,
        files: Vec::new(),
        problems: Vec::new(),
    };
    let paths = files.paths();
    let mut seen = BTreeSet::new();
    for path in &paths {
        if !seen.insert(path.as_str()) {
            report.problems.push(format!(
                "{path} appears more than once in the archive: which copy a tool reads is not defined."
            ));
        }
    }
    let manifest_bytes = match files.read(MANIFEST) {
        Ok(bytes) => bytes,
        Err(e) => {
            report.problems.push(match e {
                FileError::Missing => {
                    "The pack has no manifest.json, so nothing in it can be checked.".to_owned()
                }
                FileError::Unreadable(why) => format!("manifest.json cannot be read: {why}."),
            });
            return report;
        }
    };
    let manifest: Option<Manifest> = match serde_json::from_slice::<Manifest>(&manifest_bytes) {
        Ok(m) if m.format == FORMAT && m.format_version == FORMAT_VERSION => Some(m),
        Ok(m) => {
            report.problems.push(format!(
                "manifest.json is a {} manifest of version {}; this verifier reads {FORMAT} version {FORMAT_VERSION}.",
                m.format, m.format_version
            ));
            None
        }
        Err(e) => {
            report.problems.push(format!(
                "manifest.json is not a valid pack manifest (it was changed, or is not one): {e}."
            ));
            None
        }
    };
    check_signature(
        files,
        &manifest_bytes,
        manifest.as_ref(),
        public_key,
        &mut report,
    );
    let Some(manifest) = manifest else {
        return report;
    };
    report.assessment_id = Some(manifest.assessment_id);
    report.created_at = Some(manifest.created_at.clone());
    let mut listed = BTreeSet::new();
    for entry in &manifest.files {
        if !listable(&entry.path) {
            report.problems.push(format!(
                "The manifest lists “{}”, which is not a path a pack may hold.",
                entry.path
            ));
            continue;
        }
        if !listed.insert(entry.path.as_str()) {
            report
                .problems
                .push(format!("The manifest lists {} twice.", entry.path));
            continue;
        }
        let status = match files.digest(&entry.path) {
            Ok(found) => {
                let expected = unhex(&entry.sha256);
                if expected.as_deref() == Some(&found.sha256[..]) && found.size == entry.size {
                    FileStatus::Matches
                } else {
                    report.problems.push(format!(
                        "{} has changed: it is {} bytes with SHA-256 {}, where the manifest says {} bytes with SHA-256 {}.",
                        entry.path,
                        found.size,
                        hex(&found.sha256),
                        entry.size,
                        entry.sha256
                    ));
                    FileStatus::Changed
                }
            }
            Err(FileError::Missing) => {
                report.problems.push(format!(
                    "{} is listed in the manifest but missing from the pack.",
                    entry.path
                ));
                FileStatus::Missing
            }
            Err(FileError::Unreadable(why)) => {
                report
                    .problems
                    .push(format!("{} cannot be read: {why}.", entry.path));
                FileStatus::Unreadable
            }
        };
        report.files.push(FileReport {
            path: entry.path.clone(),
            status,
        });
    }
    let mut extra = BTreeSet::new();
    for path in &paths {
        if path == MANIFEST || path == SIGNATURE || listed.contains(path.as_str()) {
            continue;
        }
        if extra.insert(path.as_str()) {
            report.problems.push(format!(
                "{path} is in the pack but not in the manifest: it was added after signing."
            ));
            report.files.push(FileReport {
                path: path.clone(),
                status: FileStatus::Unlisted,
            });
        }
    }
    report.valid = report.problems.is_empty() && report.signature == SignatureStatus::Valid;
    report
}

/// Checks `manifest.sig` over `manifest_bytes` and records the signer.
fn check_signature(
    files: &mut impl PackFiles,
    manifest_bytes: &[u8],
    manifest: Option<&Manifest>,
    public_key: Option<&[u8]>,
    report: &mut PackReport,
) {
    let named = manifest.map(|m| &m.signing_key);
    if let Some(key) = named {
        if key.algorithm != ALGORITHM {
            report.problems.push(format!(
                "The manifest names a {} key; packs are signed with {ALGORITHM}.",
                key.algorithm
            ));
        }
        if let Some(raw) = unhex(&key.public_key)
            && fingerprint(&raw) != key.fingerprint
        {
            report.problems.push(format!(
                "The manifest gives the fingerprint {} for a key whose fingerprint is {}.",
                key.fingerprint,
                fingerprint(&raw)
            ));
        }
    }
    let key_bytes: Option<Vec<u8>> = match (public_key, named) {
        (Some(given), named) => {
            if let Some(named) = named
                && unhex(&named.public_key).as_deref() != Some(given)
            {
                report.problems.push(format!(
                    "The pack names the key with fingerprint {} as its signer, not the key you gave (fingerprint {}).",
                    named.fingerprint,
                    fingerprint(given)
                ));
            }
            Some(given.to_vec())
        }
        (None, Some(named)) => unhex(&named.public_key),
        (None, None) => None,
    };
    let key = key_bytes
        .as_deref()
        .and_then(|k| <[u8; 32]>::try_from(k).ok())
        .and_then(|k| VerifyingKey::from_bytes(&k).ok());
    let Some(key) = key else {
        report.signature = SignatureStatus::NoKey;
        report.problems.push(if public_key.is_some() {
            "The key you gave is not an Ed25519 public key (32 bytes, as 64 hex digits).".to_owned()
        } else {
            "manifest.json names no usable Ed25519 public key, so its signature cannot be checked."
                .to_owned()
        });
        return;
    };
    let signature = match files.read(SIGNATURE) {
        Ok(bytes) => <[u8; 64]>::try_from(bytes.as_slice())
            .ok()
            .map(|b| Signature::from_bytes(&b)),
        Err(_) => None,
    };
    let Some(signature) = signature else {
        report.signature = SignatureStatus::Missing;
        report.problems.push(
            "manifest.sig is missing or is not an Ed25519 signature (64 bytes), so manifest.json is unsigned."
                .to_owned(),
        );
        return;
    };
    if key.verify_strict(manifest_bytes, &signature).is_ok() {
        report.signature = SignatureStatus::Valid;
        report.signer = manifest.map(|m| Signer {
            organization: m.organization.clone(),
            fingerprint: fingerprint(key.as_bytes()),
        });
    } else {
        report.signature = SignatureStatus::Invalid;
        report.problems.push(
            "The signature in manifest.sig does not match manifest.json: the manifest or its signature was changed after signing, or another key signed it."
                .to_owned(),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use ed25519_dalek::{Signer as _, SigningKey};
    use proptest::prelude::*;

    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7; 32])
    }

    /// A signed pack of `files` (path → contents), as the server writes one.
    fn pack(key: &SigningKey, files: &[(&str, Vec<u8>)]) -> BTreeMap<String, Vec<u8>> {
        let manifest = Manifest {
            format: FORMAT.to_owned(),
            format_version: FORMAT_VERSION,
            organization: "acme".to_owned(),
            assessment_id: uuid::Uuid::nil(),
            created_at: "2026-12-15T10:00:00Z".to_owned(),
            signing_key: KeyInfo::ed25519(key.verifying_key().as_bytes()),
            files: files
                .iter()
                .map(|(path, bytes)| FileDigest::of(bytes).entry(path))
                .collect(),
        };
        let bytes = manifest.to_bytes();
        let mut out: BTreeMap<String, Vec<u8>> = files
            .iter()
            .map(|(p, b)| ((*p).to_owned(), b.clone()))
            .collect();
        out.insert(SIGNATURE.to_owned(), key.sign(&bytes).to_bytes().to_vec());
        out.insert(MANIFEST.to_owned(), bytes);
        out
    }

    fn sample() -> BTreeMap<String, Vec<u8>> {
        pack(
            &key(),
            &[
                ("README.txt", b"An evidence pack.\n".to_vec()),
                ("evidence/soc2.pdf", b"%PDF-1.7 SOC 2".to_vec()),
            ],
        )
    }

    #[test]
    fn an_untouched_pack_is_valid_and_names_its_signer() {
        let published = key().verifying_key().to_bytes();
        let report = verify(&mut sample(), Some(&published));
        assert!(report.valid, "{:?}", report.problems);
        assert_eq!(report.signature, SignatureStatus::Valid);
        assert!(report.key_checked);
        let signer = report.signer.as_ref().expect("a signer");
        assert_eq!(signer.organization, "acme");
        assert_eq!(signer.fingerprint, fingerprint(&published));
        assert!(report.files.iter().all(|f| f.status == FileStatus::Matches));
        assert!(
            report.verdict().starts_with("VALID"),
            "{}",
            report.verdict()
        );
    }

    #[test]
    fn without_a_key_the_verdict_says_the_key_was_not_checked() {
        let report = verify(&mut sample(), None);
        assert!(report.valid, "{:?}", report.problems);
        assert!(!report.key_checked);
        assert!(
            report.verdict().contains("NOT checked"),
            "{}",
            report.verdict()
        );
    }

    #[test]
    fn a_pack_signed_by_another_key_is_refused_when_the_published_key_is_given() {
        let other = SigningKey::from_bytes(&[9; 32]);
        let mut forged = pack(&other, &[("README.txt", b"forged".to_vec())]);
        assert!(verify(&mut forged, None).valid, "self-consistent");
        let published = key().verifying_key().to_bytes();
        let report = verify(&mut forged, Some(&published));
        assert!(!report.valid);
        assert_eq!(report.signature, SignatureStatus::Invalid);
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.contains("not the key you gave")),
            "{:?}",
            report.problems
        );
    }

    #[test]
    fn a_changed_an_added_and_a_removed_file_are_each_named() {
        let mut files = sample();
        files
            .get_mut("evidence/soc2.pdf")
            .expect("a file")
            .push(b'!');
        files.insert("evidence/extra.pdf".to_owned(), b"late".to_vec());
        files.remove("README.txt");
        let report = verify(&mut files, None);
        assert!(!report.valid);
        let status = |path: &str| {
            report
                .files
                .iter()
                .find(|f| f.path == path)
                .map(|f| f.status)
        };
        assert_eq!(status("evidence/soc2.pdf"), Some(FileStatus::Changed));
        assert_eq!(status("evidence/extra.pdf"), Some(FileStatus::Unlisted));
        assert_eq!(status("README.txt"), Some(FileStatus::Missing));
        for path in ["evidence/soc2.pdf", "evidence/extra.pdf", "README.txt"] {
            assert!(
                report.problems.iter().any(|p| p.starts_with(path)),
                "{path} named in {:?}",
                report.problems
            );
        }
        assert_eq!(
            report.signature,
            SignatureStatus::Valid,
            "the manifest is intact"
        );
    }

    #[test]
    fn an_edited_manifest_fails_its_signature() {
        let mut files = sample();
        let text = String::from_utf8(files[MANIFEST].clone()).expect("utf-8");
        files.insert(
            MANIFEST.to_owned(),
            text.replace("\"acme\"", "\"umbrella\"").into_bytes(),
        );
        let report = verify(&mut files, None);
        assert!(!report.valid);
        assert_eq!(report.signature, SignatureStatus::Invalid);
        assert!(report.signer.is_none(), "no signer for a bad signature");
        assert!(report.problems.iter().any(|p| p.contains("manifest.json")));
    }

    #[test]
    fn a_missing_manifest_or_signature_is_refused() {
        let mut files = sample();
        files.remove(SIGNATURE);
        let report = verify(&mut files, None);
        assert_eq!(report.signature, SignatureStatus::Missing);
        assert!(!report.valid);
        files.remove(MANIFEST);
        let report = verify(&mut files, None);
        assert!(!report.valid);
        assert!(report.problems[0].contains("no manifest.json"));
    }

    /// An archive as a list, so a path can appear twice.
    struct Listed(Vec<(String, Vec<u8>)>);

    impl PackFiles for Listed {
        fn paths(&self) -> Vec<String> {
            self.0.iter().map(|(p, _)| p.clone()).collect()
        }

        fn read(&mut self, path: &str) -> Result<Vec<u8>, FileError> {
            self.0
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, b)| b.clone())
                .ok_or(FileError::Missing)
        }
    }

    #[test]
    fn a_path_twice_in_the_archive_is_refused() {
        let mut files = Listed(sample().into_iter().collect());
        files
            .0
            .push(("evidence/soc2.pdf".to_owned(), b"a second copy".to_vec()));
        let report = verify(&mut files, None);
        assert!(!report.valid);
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.starts_with("evidence/soc2.pdf appears more than once")),
            "{:?}",
            report.problems
        );
    }

    #[test]
    fn paths_that_escape_the_pack_are_refused() {
        for path in [
            "../etc/passwd",
            "/abs",
            "a/./b",
            "a\\b",
            "",
            "manifest.json",
        ] {
            assert!(!listable(path), "{path}");
        }
        assert!(listable("evidence/SOC-2 report.pdf"));
    }

    #[test]
    fn hex_round_trips_and_fingerprints_are_eight_groups() {
        assert_eq!(hex(&[0, 0xab, 0xff]), "00abff");
        assert_eq!(unhex("00ABff"), Some(vec![0, 0xab, 0xff]));
        assert_eq!(unhex("0g"), None);
        assert_eq!(unhex("abc"), None);
        let print = fingerprint(&[1; 32]);
        assert_eq!(print.len(), 8 * 4 + 7, "{print}");
        assert_eq!(print.split(':').count(), 8);
    }

    proptest! {
        /// Any one flipped byte anywhere in the pack (a file, the manifest or the
        /// signature) makes it invalid, with a problem that names what changed.
        #[test]
        fn any_flipped_byte_is_reported(
            contents in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..64), 1..4),
            which in any::<prop::sample::Index>(),
            at in any::<prop::sample::Index>(),
            bit in 0u8..8,
        ) {
            let names: Vec<String> = (0..contents.len()).map(|i| format!("evidence/file-{i}.bin")).collect();
            let files: Vec<(&str, Vec<u8>)> = names.iter().map(String::as_str).zip(contents).collect();
            let mut packed = pack(&key(), &files);
            let paths: Vec<String> = packed.keys().cloned().collect();
            let path = which.get(&paths).clone();
            let bytes = packed.get_mut(&path).expect("a file");
            let i = at.index(bytes.len());
            bytes[i] ^= 1 << bit;
            let report = verify(&mut packed, Some(key().verifying_key().as_bytes()));
            prop_assert!(!report.valid, "flipping {path}[{i}] went unnoticed");
            let named = if path == SIGNATURE { "manifest.sig" } else { path.as_str() };
            prop_assert!(
                report.problems.iter().any(|p| p.contains(named) || (path == SIGNATURE && p.contains("manifest.json"))),
                "{path} named in {:?}", report.problems
            );
        }
    }
}
