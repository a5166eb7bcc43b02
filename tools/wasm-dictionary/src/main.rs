//! `wasm-dictionary DIR`: compresses every lazily loaded module of a split wasm bundle with
//! the bundle's main module as a shared dictionary, in the `dcb` format of Compression
//! Dictionary Transport (RFC 9842).
//!
//! Run by `scripts/build-wasm` on release builds, after the plain brotli copies are written.
//! Every page loads the main module (`*_bg.wasm`) first; the server marks it
//! `Use-As-Dictionary` for its directory, so a browser that keeps it asks for the parts and
//! page modules with `Available-Dictionary` and takes `dcb`. Those modules repeat much of
//! the main one (type signatures, imports, the framework's code shapes), which a dictionary
//! sends once instead of in every file.
//!
//! `FILE.dcb` is the `dcb` header (four magic bytes, then the SHA-256 of the dictionary) and
//! a brotli stream (quality 11) in which the dictionary is a "raw" prefix: as if it had been
//! sent just before the file. Each copy is decoded again and compared with its file before
//! it is written, and written only where it is smaller than the plain brotli copy
//! (`FILE.br`), so the server never sends a copy that costs more.

use anyhow::{Context, Result, bail, ensure};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The first bytes of a `dcb` body (RFC 9842, section 4).
const MAGIC: [u8; 4] = [0xff, 0x44, 0x43, 0x42];
/// Magic bytes and the dictionary's SHA-256.
const HEADER_LEN: usize = MAGIC.len() + 32;
/// Brotli's largest standard window: 16 MiB less 16 bytes, for dictionary and file together.
const MAX_WINDOW_BITS: i32 = 24;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir] = args.as_slice() else {
        bail!("usage: wasm-dictionary DIR (a split bundle: one *_bg.wasm and its parts)");
    };
    run(Path::new(dir))
}

fn run(dir: &Path) -> Result<()> {
    let (main, others) = bundle(dir)?;
    let dictionary = fs::read(&main).with_context(|| format!("cannot read {}", main.display()))?;
    // Quality 11 takes a second or two per part with a dictionary this size: one file per
    // core at a time.
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let results: Vec<Result<Option<(u64, u64)>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let files: Vec<&PathBuf> = others.iter().skip(t).step_by(threads).collect();
                let dictionary = &dictionary;
                scope.spawn(move || {
                    files
                        .into_iter()
                        .map(|file| write_copy(dictionary, file))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| match worker.join() {
                Ok(results) => results,
                Err(_) => vec![Err(anyhow::anyhow!("a compression thread panicked"))],
            })
            .collect()
    });
    let (mut written, mut plain, mut with_dictionary) = (0, 0, 0);
    for result in results {
        if let Some((br, dcb)) = result? {
            written += 1;
            plain += br;
            with_dictionary += dcb;
        }
    }
    println!(
        "wasm-dictionary: {written} of {} modules compressed with {} as dictionary: \
         {with_dictionary} B instead of {plain} B as brotli alone",
        others.len(),
        main.file_name().unwrap_or_default().to_string_lossy(),
    );
    Ok(())
}

/// The bundle's main module (the only `*_bg.wasm`) and its other wasm files.
fn bundle(dir: &Path) -> Result<(PathBuf, Vec<PathBuf>)> {
    let mut main = Vec::new();
    let mut others = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.ends_with("_bg.wasm") {
            main.push(path);
        } else if name.ends_with(".wasm") {
            others.push(path);
        }
    }
    others.sort();
    match main.as_slice() {
        [one] => Ok((one.clone(), others)),
        found => bail!(
            "{}: expected one main module (*_bg.wasm), found {}",
            dir.display(),
            found.len()
        ),
    }
}

/// Writes `file.dcb` when it is smaller than `file.br` (or there is no `.br`); returns the
/// sizes of both copies when it wrote one.
fn write_copy(dictionary: &[u8], file: &Path) -> Result<Option<(u64, u64)>> {
    let data = fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let copy = compress(dictionary, &data).with_context(|| format!("{}", file.display()))?;
    ensure!(
        decompress(dictionary, &copy)? == data,
        "{}: the dictionary-compressed copy does not decode to the file",
        file.display()
    );
    let plain = fs::metadata(with_suffix(file, ".br")).map_or(u64::MAX, |m| m.len());
    let size = copy.len() as u64;
    if size >= plain {
        return Ok(None);
    }
    let target = with_suffix(file, ".dcb");
    fs::write(&target, copy).with_context(|| format!("cannot write {}", target.display()))?;
    Ok(Some((plain, size)))
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// `data` as a `dcb` body with `dictionary` as its raw prefix dictionary.
fn compress(dictionary: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: window_bits(dictionary.len() + data.len())?,
        size_hint: data.len(),
        ..Default::default()
    };
    let mut body = Vec::with_capacity(HEADER_LEN + data.len() / 2);
    body.extend_from_slice(&MAGIC);
    body.extend_from_slice(&Sha256::digest(dictionary));
    let mut input_buffer = vec![0; 1 << 16];
    let mut output_buffer = vec![0; 1 << 16];
    brotli::BrotliCompressCustomIoCustomDict(
        &mut brotli::IoReaderWrapper(&mut &data[..]),
        &mut brotli::IoWriterWrapper(&mut body),
        &mut input_buffer,
        &mut output_buffer,
        &params,
        brotli::enc::StandardAlloc::default(),
        &mut |_, _, _, _| (),
        dictionary,
        std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "unexpected end of input"),
    )
    .context("brotli could not compress")?;
    Ok(body)
}

/// The smallest brotli window (as bits) in which every byte of the dictionary stays
/// reachable from the end of the file: a decoder may only look back that far.
fn window_bits(reach: usize) -> Result<i32> {
    (10..=MAX_WINDOW_BITS)
        .find(|&bits| (1usize << bits) - 16 >= reach)
        .with_context(|| {
            format!("dictionary and file together are {reach} B, more than brotli's window")
        })
}

/// The file a `dcb` body holds, read as a browser does: the header must name `dictionary`.
fn decompress(dictionary: &[u8], body: &[u8]) -> Result<Vec<u8>> {
    ensure!(
        body.len() >= HEADER_LEN && body[..MAGIC.len()] == MAGIC,
        "not a dcb body"
    );
    ensure!(
        body[MAGIC.len()..HEADER_LEN] == Sha256::digest(dictionary)[..],
        "the body names another dictionary"
    );
    let mut decoder = brotli::Decompressor::new_with_custom_dict(
        &body[HEADER_LEN..],
        1 << 16,
        dictionary.to_vec().into(),
    );
    let mut data = Vec::new();
    decoder
        .read_to_end(&mut data)
        .context("the brotli stream does not decode")?;
    Ok(data)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Bytes that look like a module: a shared vocabulary, repeated with variations.
    fn module(seed: u32, len: usize) -> Vec<u8> {
        let words: [&[u8]; 6] = [
            b"reactive_graph::signal",
            b"tachys::view::Render",
            b"\x00asm\x01\x00\x00\x00",
            b"__wasm_split_load",
            b"serde::de::Deserialize",
            b"web_sys::HtmlElement",
        ];
        let mut out = Vec::with_capacity(len);
        let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
        while out.len() < len {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            out.extend_from_slice(words[state as usize % words.len()]);
            out.push((state >> 8) as u8);
        }
        out.truncate(len);
        out
    }

    fn plain_brotli(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut &data[..], &mut out, &params).unwrap();
        out
    }

    #[test]
    fn a_copy_decodes_to_its_file_with_the_dictionary_and_only_with_it() {
        let dictionary = module(1, 200_000);
        let part = [&dictionary[50_000..60_000], &module(2, 3_000)[..]].concat();
        let body = compress(&dictionary, &part).unwrap();
        assert_eq!(body[..4], MAGIC, "the dcb magic comes first");
        assert_eq!(
            body[4..36],
            Sha256::digest(&dictionary)[..],
            "the header names the dictionary by its SHA-256"
        );
        assert_eq!(decompress(&dictionary, &body).unwrap(), part);
        let other = module(3, 200_000);
        assert!(
            decompress(&other, &body).is_err(),
            "a body is refused with another dictionary"
        );
        assert!(
            body.len() < plain_brotli(&part).len() / 2,
            "what the dictionary holds is not sent again: {} B with it, {} B without",
            body.len(),
            plain_brotli(&part).len()
        );
    }

    #[test]
    fn the_window_reaches_back_over_the_whole_dictionary() {
        assert_eq!(window_bits(1000).unwrap(), 10);
        assert_eq!(window_bits(1024 - 16).unwrap(), 10);
        assert_eq!(window_bits(1024 - 15).unwrap(), 11);
        assert_eq!(window_bits(700_000).unwrap(), 20);
        assert!(
            window_bits(16 << 20).is_err(),
            "beyond brotli's largest window"
        );
        // The start of a large dictionary is still used at the end of a large file.
        let dictionary = module(4, 900_000);
        let part = [&module(5, 300_000)[..], &dictionary[..20_000]].concat();
        let body = compress(&dictionary, &part).unwrap();
        assert_eq!(decompress(&dictionary, &body).unwrap(), part);
    }

    #[test]
    fn copies_are_written_beside_the_parts_only_where_they_are_smaller() {
        let dir = tempfile::tempdir().unwrap();
        let main = module(6, 100_000);
        fs::write(dir.path().join("app_bg.wasm"), &main).unwrap();
        let shared = [&main[10_000..30_000], &module(7, 500)[..]].concat();
        fs::write(dir.path().join("part_0.wasm"), &shared).unwrap();
        fs::write(dir.path().join("part_0.wasm.br"), plain_brotli(&shared)).unwrap();
        // Nothing in common with the dictionary, and an existing brotli copy that no
        // dictionary can beat.
        let alien = module(8, 2_000);
        fs::write(dir.path().join("split_page.wasm"), &alien).unwrap();
        fs::write(dir.path().join("split_page.wasm.br"), [0u8; 5]).unwrap();
        fs::write(dir.path().join("app.js"), b"not wasm").unwrap();
        run(dir.path()).unwrap();
        let copy = fs::read(dir.path().join("part_0.wasm.dcb")).unwrap();
        assert_eq!(decompress(&main, &copy).unwrap(), shared);
        assert!(
            !dir.path().join("split_page.wasm.dcb").exists(),
            "no copy larger than the plain brotli one"
        );
        assert!(!dir.path().join("app.js.dcb").exists(), "wasm only");
        assert!(
            !dir.path().join("app_bg.wasm.dcb").exists(),
            "the dictionary itself is sent as it is"
        );
    }

    #[test]
    fn a_directory_without_exactly_one_main_module_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("part_0.wasm"), b"x").unwrap();
        let error = run(dir.path()).unwrap_err().to_string();
        assert!(error.contains("one main module"), "{error}");
        fs::write(dir.path().join("a_bg.wasm"), b"x").unwrap();
        fs::write(dir.path().join("b_bg.wasm"), b"y").unwrap();
        assert!(run(dir.path()).is_err(), "two main modules");
    }
}
