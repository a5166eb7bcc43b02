//! The wasm entry point: report panics to the console and mount the app.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(assay_app::App);
}
