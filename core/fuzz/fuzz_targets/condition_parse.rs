//! Any text either parses or fails with a position inside it; a parsed condition prints to
//! text that parses to the same tree.
#![no_main]

use assay_core::condition::Condition;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Condition::parse(text) {
        Ok(condition) => {
            let printed = condition.expr().to_string();
            let again = Condition::parse(&printed).expect("a printed condition parses");
            assert_eq!(again.expr(), condition.expr());
        }
        Err(error) => assert!(error.position <= text.len()),
    }
});
