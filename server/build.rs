//! Rebuilds the server when the Trunk output changes, so the release binary always embeds
//! the frontend that was built last.
fn main() {
    println!("cargo:rerun-if-changed=../dist");
}
