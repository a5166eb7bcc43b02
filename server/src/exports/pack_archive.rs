//! Reading an evidence pack (a ZIP archive) for `assay pack verify`, with bounds: a pack
//! comes from outside and a few kilobytes of ZIP can expand to gigabytes. Every file is
//! hashed as it streams out of the archive, counting the bytes it really yields (not the
//! sizes it declares), and the whole archive may yield at most [`MAX_UNCOMPRESSED`] bytes;
//! only `manifest.json` and `manifest.sig` are held in memory, up to
//! [`MAX_MANIFEST_BYTES`]. The checking itself is `assay_core::pack::verify`.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use assay_core::pack::{self, FileDigest, FileError, PackFiles, PackReport};
use sha2::{Digest, Sha256};

/// At most this many entries (a pack holds its documents and the evidence files).
const MAX_ENTRIES: usize = 10_000;
/// At most this many bytes once decompressed, all files together: far more than evidence
/// uploads (25 MiB each by default) add up to.
const MAX_UNCOMPRESSED: u64 = 16 * 1024 * 1024 * 1024;
/// `manifest.json` and `manifest.sig` are read whole: at most this many bytes each.
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

/// A pack archive opened for verification.
pub struct PackArchive {
    archive: zip::ZipArchive<BufReader<File>>,
    /// Every entry's name in archive order (directories left out), duplicates kept.
    names: Vec<String>,
    /// What the archive may still yield.
    left: u64,
}

impl PackArchive {
    /// Opens `path`; refuses what is not a ZIP archive or has too many entries.
    pub fn open(path: &Path) -> anyhow::Result<PackArchive> {
        Self::open_bounded(path, MAX_UNCOMPRESSED)
    }

    /// As [`PackArchive::open`], yielding at most `max_uncompressed` bytes in all.
    fn open_bounded(path: &Path, max_uncompressed: u64) -> anyhow::Result<PackArchive> {
        let file = File::open(path)
            .map_err(|e| anyhow::anyhow!("could not open {}: {e}", path.display()))?;
        let mut archive = zip::ZipArchive::new(BufReader::new(file))
            .map_err(|e| anyhow::anyhow!("{} is not a ZIP archive: {e}", path.display()))?;
        if archive.len() > MAX_ENTRIES {
            anyhow::bail!(
                "{} has {} entries; an evidence pack has at most {MAX_ENTRIES}",
                path.display(),
                archive.len()
            );
        }
        let mut names = Vec::with_capacity(archive.len());
        for index in 0..archive.len() {
            let entry = archive
                .by_index_raw(index)
                .map_err(|e| anyhow::anyhow!("{}: entry {index}: {e}", path.display()))?;
            if !entry.is_dir() {
                let name = entry
                    .name()
                    .map_err(|e| anyhow::anyhow!("{}: entry {index}: {e}", path.display()))?;
                names.push(name.into_owned());
            }
        }
        Ok(PackArchive {
            archive,
            names,
            left: max_uncompressed,
        })
    }

    /// Streams the file at `path` into `sink`, at most `limit` bytes (and what the archive
    /// may still yield); answers how many bytes it yielded.
    fn stream(
        &mut self,
        path: &str,
        limit: u64,
        mut sink: impl FnMut(&[u8]),
    ) -> Result<u64, FileError> {
        let index = self
            .archive
            .index_for_name(path)
            .ok_or(FileError::Missing)?;
        let mut entry = self
            .archive
            .by_index(index)
            .map_err(|e| FileError::Unreadable(e.to_string()))?;
        let cap = limit.min(self.left);
        let mut buffer = vec![0u8; 64 * 1024];
        let mut total: u64 = 0;
        loop {
            let n = entry
                .read(&mut buffer)
                .map_err(|e| FileError::Unreadable(e.to_string()))?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > cap {
                return Err(FileError::Unreadable(if cap == self.left {
                    "the archive expands to more than any evidence pack (a ZIP bomb?)".to_owned()
                } else {
                    format!("it is larger than {} MiB", limit / (1024 * 1024))
                }));
            }
            sink(&buffer[..n]);
        }
        self.left -= total;
        Ok(total)
    }
}

impl PackFiles for PackArchive {
    fn paths(&self) -> Vec<String> {
        self.names.clone()
    }

    fn read(&mut self, path: &str) -> Result<Vec<u8>, FileError> {
        let mut bytes = Vec::new();
        self.stream(path, MAX_MANIFEST_BYTES, |chunk| {
            bytes.extend_from_slice(chunk);
        })?;
        Ok(bytes)
    }

    fn digest(&mut self, path: &str) -> Result<FileDigest, FileError> {
        let mut hasher = Sha256::new();
        let size = self.stream(path, MAX_UNCOMPRESSED, |chunk| hasher.update(chunk))?;
        Ok(FileDigest {
            size,
            sha256: hasher.finalize().into(),
        })
    }
}

/// `--key`: the 64 hex digits the signing-key endpoint and README print, a PEM
/// `PUBLIC KEY`, or a file holding either.
pub fn parse_key(text: &str) -> anyhow::Result<[u8; 32]> {
    if let Some(key) = key_from_text(text) {
        return Ok(key);
    }
    let path = Path::new(text.trim());
    if path.is_file() {
        let contents = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("--key: could not read {}: {e}", path.display()))?;
        if let Some(key) = key_from_text(&contents) {
            return Ok(key);
        }
    }
    anyhow::bail!(
        "--key: give the organisation's public key as 64 hex digits (GET /api/organizations/SLUG/signing-key), as a PEM PUBLIC KEY, or a file holding one"
    )
}

fn key_from_text(text: &str) -> Option<[u8; 32]> {
    use base64::Engine;
    let text = text.trim();
    if let Some(bytes) = pack::unhex(text) {
        return bytes.try_into().ok();
    }
    let body: String = text
        .strip_prefix("-----BEGIN PUBLIC KEY-----")?
        .trim_end()
        .strip_suffix("-----END PUBLIC KEY-----")?
        .split_whitespace()
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .ok()?;
    // The fixed 12-byte prefix of an Ed25519 SubjectPublicKeyInfo, then the key.
    let (prefix, key) = der.split_at_checked(12)?;
    (prefix
        == [
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ])
    .then(|| key.try_into().ok())
    .flatten()
}

/// The report as `assay pack verify` prints it: a line per file, the signature, the verdict.
pub fn report_text(report: &PackReport) -> String {
    let mut out = String::new();
    for file in &report.files {
        out.push_str(&format!("{:<11} {}\n", file.status.label(), file.path));
    }
    let signature = match report.signature {
        pack::SignatureStatus::Valid => "valid".to_owned(),
        pack::SignatureStatus::Invalid => "INVALID".to_owned(),
        pack::SignatureStatus::Missing => "MISSING".to_owned(),
        pack::SignatureStatus::NoKey => "NOT CHECKED (no usable key)".to_owned(),
    };
    out.push_str(&format!("\nSignature:  {signature}\n"));
    if let Some(signer) = &report.signer {
        out.push_str(&format!(
            "Signed by:  organisation “{}”, key fingerprint {}\n",
            signer.organization, signer.fingerprint
        ));
    }
    if let Some(id) = report.assessment_id {
        out.push_str(&format!("Assessment: {id}\n"));
    }
    if let Some(at) = &report.created_at {
        out.push_str(&format!("Created:    {at}\n"));
    }
    if !report.problems.is_empty() {
        out.push_str("\nProblems:\n");
        for problem in &report.problems {
            out.push_str(&format!("  - {problem}\n"));
        }
    }
    out.push_str(&format!("\n{}\n", report.verdict()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_as_hex_or_pem() {
        let hex = "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1";
        let key = parse_key(hex).expect("hex");
        let pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
        assert_eq!(parse_key(pem).expect("pem"), key);
        assert!(parse_key("abcd").is_err());
        assert!(parse_key("not a key").is_err());
    }

    #[test]
    fn an_archive_that_expands_past_the_bound_is_refused_naming_the_file() {
        use std::io::Write;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("bomb.zip");
        let mut zip = zip::ZipWriter::new(File::create(&path).expect("file"));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("evidence/zeros.bin", options)
            .expect("start");
        let block = vec![0u8; 1024 * 1024];
        for _ in 0..4 {
            zip.write_all(&block).expect("write");
        }
        zip.finish().expect("zip");
        assert!(
            std::fs::metadata(&path).expect("size").len() < 64 * 1024,
            "it compresses"
        );

        let mut archive = PackArchive::open_bounded(&path, 1024 * 1024).expect("opens");
        let error = archive.digest("evidence/zeros.bin").expect_err("bounded");
        assert!(
            matches!(&error, FileError::Unreadable(why) if why.contains("ZIP bomb")),
            "{error:?}"
        );
        let report = pack::verify(&mut archive, None);
        assert!(!report.valid);
        assert!(report.problems.iter().any(|p| p.contains("manifest.json")));
    }
}
