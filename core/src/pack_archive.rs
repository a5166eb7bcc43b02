//! Reading an evidence pack (a ZIP archive), with bounds: a pack comes from outside and a
//! few kilobytes of ZIP can expand to gigabytes. Every file is hashed as it streams out of
//! the archive, counting the bytes it really yields (not the sizes it declares), and the
//! whole archive may yield at most [`MAX_UNCOMPRESSED`] bytes; only `manifest.json` and
//! `manifest.sig` are held in memory, up to [`MAX_MANIFEST_BYTES`]. The checking itself is
//! [`crate::pack::verify`].
//!
//! One reader for `assay pack verify` (a file on disk) and the verifier page in the browser
//! (the bytes of the chosen file, which never leave it): anything `Read + Seek`.

use std::io::{Read, Seek};

use sha2::{Digest, Sha256};

use crate::pack::{FileDigest, FileError, PackFiles};

/// At most this many entries (a pack holds its documents and the evidence files).
const MAX_ENTRIES: usize = 10_000;
/// At most this many bytes once decompressed, all files together: far more than evidence
/// uploads (25 MiB each by default) add up to.
pub const MAX_UNCOMPRESSED: u64 = 16 * 1024 * 1024 * 1024;
/// `manifest.json` and `manifest.sig` are read whole: at most this many bytes each.
const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

/// A pack archive opened for verification.
pub struct PackArchive<R> {
    archive: zip::ZipArchive<R>,
    /// Every entry's name in archive order (directories left out), duplicates kept.
    names: Vec<String>,
    /// What the archive may still yield.
    left: u64,
}

impl<R: Read + Seek> PackArchive<R> {
    /// Opens the archive `reader` holds; refuses what is not a ZIP archive or has too many
    /// entries, with a sentence that says so.
    pub fn open(reader: R) -> Result<PackArchive<R>, String> {
        Self::open_bounded(reader, MAX_UNCOMPRESSED)
    }

    /// As [`PackArchive::open`], yielding at most `max_uncompressed` bytes in all.
    pub fn open_bounded(reader: R, max_uncompressed: u64) -> Result<PackArchive<R>, String> {
        let mut archive =
            zip::ZipArchive::new(reader).map_err(|e| format!("it is not a ZIP archive ({e})"))?;
        if archive.len() > MAX_ENTRIES {
            return Err(format!(
                "it has {} entries; an evidence pack has at most {MAX_ENTRIES}",
                archive.len()
            ));
        }
        let mut names = Vec::with_capacity(archive.len());
        for index in 0..archive.len() {
            let entry = archive
                .by_index_raw(index)
                .map_err(|e| format!("entry {index}: {e}"))?;
            if !entry.is_dir() {
                let name = entry.name().map_err(|e| format!("entry {index}: {e}"))?;
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

impl<R: Read + Seek> PackFiles for PackArchive<R> {
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

/// The organisation's public key from the 64 hex digits the signing-key endpoint and the
/// pack's README print, or from a PEM `PUBLIC KEY`; `None` when it is neither.
pub fn key_from_text(text: &str) -> Option<[u8; 32]> {
    use base64::Engine;
    let text = text.trim();
    if let Some(bytes) = crate::pack::unhex(text) {
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

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use super::*;
    use crate::pack;

    #[test]
    fn keys_are_read_as_hex_or_pem() {
        let hex = "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1";
        let key = key_from_text(hex).expect("hex");
        let pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
        assert_eq!(key_from_text(pem).expect("pem"), key);
        assert!(key_from_text("abcd").is_none());
        assert!(key_from_text("not a key").is_none());
    }

    #[test]
    fn an_archive_that_expands_past_the_bound_is_refused_naming_the_file() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("evidence/zeros.bin", options)
            .expect("start");
        let block = vec![0u8; 1024 * 1024];
        for _ in 0..4 {
            zip.write_all(&block).expect("write");
        }
        let bytes = zip.finish().expect("zip").into_inner();
        assert!(bytes.len() < 64 * 1024, "it compresses");

        let mut archive =
            PackArchive::open_bounded(Cursor::new(bytes), 1024 * 1024).expect("opens");
        let error = archive.digest("evidence/zeros.bin").expect_err("bounded");
        assert!(
            matches!(&error, FileError::Unreadable(why) if why.contains("ZIP bomb")),
            "{error:?}"
        );
        let report = pack::verify(&mut archive, None);
        assert!(!report.valid);
        assert!(report.problems.iter().any(|p| p.contains("manifest.json")));
    }

    #[test]
    fn what_is_not_a_zip_archive_is_said_in_a_sentence() {
        let error = PackArchive::open(Cursor::new(b"%PDF-1.7 not a pack".to_vec()))
            .err()
            .expect("refused");
        assert!(error.starts_with("it is not a ZIP archive"), "{error}");
    }
}
