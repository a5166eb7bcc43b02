//! A generated OSCAL catalog, shared by the golden tests and the benchmarks.

/// A catalog shaped like SP 800-53: `families` groups of controls with parameters,
/// statements with items, and enhancements.
pub fn generated_catalog(families: usize, per_family: usize) -> String {
    let mut groups = Vec::new();
    for f in 0..families {
        let mut controls = Vec::new();
        for c in 0..per_family {
            let id = format!("f{f}-{c}");
            controls.push(serde_json::json!({
                "id": id,
                "title": format!("Control {f}.{c}"),
                "props": [{ "name": "label", "value": format!("F{f}-{c}") }],
                "params": [
                    { "id": format!("{id}_prm_1"), "label": "organization-defined frequency" },
                    { "id": format!("{id}_prm_2"), "select": { "how-many": "one-or-more", "choice": ["daily", format!("every {{{{ insert: param, {id}_prm_1 }}}}")] } }
                ],
                "parts": [
                    { "id": format!("{id}_smt"), "name": "statement", "prose": format!("Review logs {{{{ insert: param, {id}_prm_2 }}}}."),
                      "parts": [{ "id": format!("{id}_smt.a"), "name": "item", "props": [{ "name": "label", "value": "a." }], "prose": "Document the review." }] },
                    { "id": format!("{id}_gdn"), "name": "guidance", "prose": "Guidance text." }
                ],
                "controls": [{ "id": format!("{id}.1"), "title": "Enhancement", "parts": [{ "name": "statement", "prose": "Automate it." }] }]
            }));
        }
        groups.push(serde_json::json!({ "id": format!("f{f}"), "title": format!("Family {f}"), "controls": controls }));
    }
    serde_json::json!({ "catalog": { "uuid": "x", "metadata": { "title": "Generated" }, "groups": groups } }).to_string()
}
