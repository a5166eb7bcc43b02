//! The vendor portal's own wasm entry point: vendors download only the portal, not the
//! client organisation's pages.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(assay_app::PortalApp);
}
