//! One module per page.

pub mod account;
#[cfg(feature = "client")]
pub mod assessment_answers;
pub mod assessments;
pub mod audit;
pub mod bulk_sends;
pub mod dashboard;
pub mod fourth_parties;
pub mod home;
pub mod incidents;
pub mod invitation;
pub mod not_found;
pub mod portal;
pub mod regulations;
pub mod schedules;
pub mod scoring_models;
pub mod setup;
pub mod sign_in;
pub mod template_editor;
pub mod templates;
pub mod tokens;
pub mod users;
#[cfg(feature = "client")]
pub mod vendor_answers;
pub mod vendor_register;
pub mod vendors;
#[cfg(feature = "client")]
pub mod verify_pack;

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every `.rs` file under `dir`, with its text.
    fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("the source directory is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file is readable");
                out.push((path.display().to_string(), text));
            }
        }
    }

    /// A page is downloaded when first visited; a page that imports another drags the other
    /// one's code into its download and ties the two together. What several pages show lives
    /// in `components/`; a page's own parts live in its own folder (`pages/vendors/…`).
    #[test]
    fn no_page_imports_another_page() {
        let src = Path::new(
            &std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"),
        )
        .join("src");
        let mut files = Vec::new();
        sources(&src.join("pages"), &mut files);
        sources(&src.join("components"), &mut files);
        let mut offenders = Vec::new();
        // This file lists the pages (and holds this test's own patterns).
        let list = src.join("pages").join("mod.rs").display().to_string();
        for (path, text) in files.iter().filter(|(path, _)| *path != list) {
            let top_level_page = Path::new(path).parent() == Some(&src.join("pages"));
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                let crosses = code.contains("crate::pages::")
                    || (top_level_page && code.contains("super::") && !code.contains("super::*"));
                if crosses {
                    offenders.push(format!("{path}:{}: {}", n + 1, line.trim()));
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "these lines reach into another page; move what they use to components/:\n{}",
            offenders.join("\n")
        );
    }
}
