//! The VSAQ importer never panics, and what it imports can be summarised, evaluated and
//! written back to Assay's JSON.
#![no_main]

use assay_core::evaluate::Answers;
use assay_core::import::{self, TemplateFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(template) = import::import(text, TemplateFormat::Vsaq) {
        let _ = template.summary(TemplateFormat::Vsaq);
        let _ = template.evaluate(&Answers::default());
        let json = serde_json::to_string(&template).expect("serialises");
        let back = import::import(&json, TemplateFormat::Json).expect("round-trips");
        assert_eq!(back, template);
    }
});
