//! `wasm-chunks DIR`: joins the chunks wasm-split-cli wrote into DIR into a few parts.
//!
//! Run by `scripts/build-wasm` on release builds, after wasm-split-cli and binaryen: reads
//! `DIR/__wasm_split.js` and the `chunk_N.wasm` files it loads, plans the parts
//! ([`plan`]), writes each as `part_N.wasm` ([`merge`]), removes the chunks and rewrites the
//! loader so each page fetches its parts ([`loader`]). Pages' own modules are left alone.

mod loader;
mod merge;
mod plan;

use anyhow::{Context, Result, bail};
use std::fs;
use std::path::Path;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir] = args.as_slice() else {
        bail!("usage: wasm-chunks DIR (the directory wasm-split-cli wrote)");
    };
    run(Path::new(dir))
}

fn run(dir: &Path) -> Result<()> {
    let js_path = dir.join("__wasm_split.js");
    let js = fs::read_to_string(&js_path)
        .with_context(|| format!("cannot read {}", js_path.display()))?;
    if !js.contains("const __chunk_") {
        println!("wasm-chunks: no chunks to join");
        return Ok(());
    }
    let loader = loader::Loader::parse(&js)?;
    let mut chunks = Vec::new();
    let mut bytes = Vec::new();
    for chunk in &loader.chunks {
        let path = dir.join(format!("{}.wasm", chunk.name));
        let data = fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        chunks.push(plan::Chunk {
            pages: chunk.pages,
            size: data.len() as u64,
        });
        bytes.push(data);
    }
    let parts = plan::plan(&chunks, plan::Cost::default());
    let mut named = Vec::new();
    for (number, part) in parts.iter().enumerate() {
        let name = format!("part_{number}");
        let inputs: Vec<&[u8]> = part.chunks.iter().map(|&c| bytes[c].as_slice()).collect();
        let merged = merge::merge(&inputs).with_context(|| format!("cannot build {name}"))?;
        fs::write(dir.join(format!("{name}.wasm")), merged)?;
        named.push((name, part.pages));
    }
    fs::write(&js_path, loader.render(&named))?;
    for chunk in &loader.chunks {
        fs::remove_file(dir.join(format!("{}.wasm", chunk.name)))?;
    }
    // The most files a page loads: chunks before, parts now.
    let most = |sets: &[u64]| {
        (0..loader.pages.len())
            .map(|p| sets.iter().filter(|&&s| s & 1 << p != 0).count())
            .max()
            .unwrap_or(0)
    };
    let before = most(&chunks.iter().map(|c| c.pages).collect::<Vec<_>>());
    let after = most(&parts.iter().map(|p| p.pages).collect::<Vec<_>>());
    println!(
        "wasm-chunks: {} chunks joined into {} parts; a page loads at most {after} of them (was {before})",
        loader.chunks.len(),
        parts.len(),
    );
    Ok(())
}
