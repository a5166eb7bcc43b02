//! An embedded list of commonly used passwords (ASVS 6.2.4), checked on every new password.

use std::collections::HashSet;
use std::sync::OnceLock;

const LIST: &str = include_str!("common_passwords.txt");

fn set() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        LIST.lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
            .collect()
    })
}

/// Whether the lower-cased password is on the list.
pub fn is_common(lowercase_password: &str) -> bool {
    set().contains(lowercase_password)
}

#[cfg(test)]
mod tests {
    #[test]
    fn list_is_loaded_and_matches_whole_passwords_only() {
        assert!(super::set().len() > 9_000);
        assert!(super::is_common("qwertyuiop123"));
        assert!(!super::is_common("a quite uncommon passphrase"));
    }
}
