//! `assay pack verify`: opening the pack file, reading `--key` and printing the report. The
//! bounded archive reader is `assay_core::pack_archive` (the browser's verifier page uses
//! it too); the checking itself is `assay_core::pack::verify`.

use std::path::Path;

use assay_core::pack::{self, PackReport};
use assay_core::pack_archive::key_from_text;

/// Opens the pack at `path` (see [`assay_core::pack_archive`] for the bounds).
pub fn open(
    path: &Path,
) -> anyhow::Result<assay_core::pack_archive::PackArchive<std::io::BufReader<std::fs::File>>> {
    let file = std::fs::File::open(path)
        .map_err(|e| anyhow::anyhow!("could not open {}: {e}", path.display()))?;
    assay_core::pack_archive::PackArchive::open(std::io::BufReader::new(file))
        .map_err(|why| anyhow::anyhow!("{}: {why}", path.display()))
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
    fn keys_are_read_as_hex_pem_or_a_file_holding_one() {
        let hex = "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1";
        let key = parse_key(hex).expect("hex");
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("key.pem");
        std::fs::write(
            &file,
            "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n",
        )
        .expect("written");
        assert_eq!(
            parse_key(file.to_str().expect("utf-8")).expect("pem file"),
            key
        );
        assert!(parse_key("abcd").is_err());
    }
}
