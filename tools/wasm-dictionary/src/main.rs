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
//! sent just before the file. A browser's decoder keeps the dictionary apart from the file
//! and refuses a copy that runs from the dictionary's end on into the file; brotli 9's
//! encoder stops its matches there, and as a net each copy is decoded again the way browsers
//! decode (brotli-decompressor 6, a port of Google's decoder) and compared with its file: a
//! copy that fails is not written, and that file is sent as plain brotli. A copy is also
//! written only where it is smaller than the plain brotli copy (`FILE.br`), so the server
//! never sends a copy that costs more.

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
    let results: Vec<Result<Copy>> = std::thread::scope(|scope| {
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
    let mut left_out = Vec::new();
    for result in results {
        match result? {
            Copy::Written { br, dcb } => {
                written += 1;
                plain += br;
                with_dictionary += dcb;
            }
            Copy::NotSmaller => {}
            Copy::Refused { file, why } => left_out.push(format!("{file} ({why})")),
        }
    }
    println!(
        "wasm-dictionary: {written} of {} modules compressed with {} as dictionary: \
         {with_dictionary} B instead of {plain} B as brotli alone",
        others.len(),
        main.file_name().unwrap_or_default().to_string_lossy(),
    );
    if !left_out.is_empty() {
        println!(
            "wasm-dictionary: sent as plain brotli, a browser could not decode the copy: {}",
            left_out.join(", ")
        );
    }
    Ok(())
}

/// What became of one file.
#[derive(Debug, PartialEq, Eq)]
enum Copy {
    /// `FILE.dcb` written: its size, and the plain brotli copy's.
    Written { br: u64, dcb: u64 },
    /// The dictionary did not help.
    NotSmaller,
    /// No copy a browser would decode could be made.
    Refused { file: String, why: String },
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

/// Writes `file.dcb` when browsers decode it to the file and it is smaller than `file.br`
/// (or there is no `.br`).
fn write_copy(dictionary: &[u8], file: &Path) -> Result<Copy> {
    let data = fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let refused = |why: String| {
        Ok(Copy::Refused {
            file: name.to_string(),
            why,
        })
    };
    let copy = match compress(dictionary, &data) {
        Ok(copy) => copy,
        Err(error) => return refused(format!("{error:#}")),
    };
    match decompress_as_browsers(dictionary, &copy) {
        Ok(decoded) if decoded == data => {}
        Ok(_) => return refused("decodes to other bytes".to_owned()),
        Err(error) => return refused(format!("{error:#}")),
    }
    let plain = fs::metadata(with_suffix(file, ".br")).map_or(u64::MAX, |m| m.len());
    let size = copy.len() as u64;
    if size >= plain {
        return Ok(Copy::NotSmaller);
    }
    let target = with_suffix(file, ".dcb");
    fs::write(&target, copy).with_context(|| format!("cannot write {}", target.display()))?;
    Ok(Copy::Written {
        br: plain,
        dcb: size,
    })
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

/// The smallest brotli window (as bits) that holds dictionary and file together. The
/// encoder numbers a reference into the dictionary as a distance back over the file and the
/// dictionary, which is what a browser reads only while that distance is within the window;
/// with a smaller window the two would read the same distance differently.
fn window_bits(reach: usize) -> Result<i32> {
    (10..=MAX_WINDOW_BITS)
        .find(|&bits| (1usize << bits) - 16 >= reach)
        .with_context(|| {
            format!("dictionary and file together are {reach} B, more than brotli's window")
        })
}

/// The brotli stream of a `dcb` body, whose header must name `dictionary`.
fn stream<'a>(dictionary: &[u8], body: &'a [u8]) -> Result<&'a [u8]> {
    ensure!(
        body.len() >= HEADER_LEN && body[..MAGIC.len()] == MAGIC,
        "not a dcb body"
    );
    ensure!(
        body[MAGIC.len()..HEADER_LEN] == Sha256::digest(dictionary)[..],
        "the body names another dictionary"
    );
    Ok(&body[HEADER_LEN..])
}

/// The file a `dcb` body holds, read as browsers read it: the dictionary attached apart from
/// the output (RFC 9842's raw dictionary, as Google's decoder in Chromium keeps it).
fn decompress_as_browsers(dictionary: &[u8], body: &[u8]) -> Result<Vec<u8>> {
    let mut decoder = brotli_decompressor::Decompressor::new(stream(dictionary, body)?, 1 << 16);
    ensure!(
        decoder.attach_dictionary(dictionary.to_vec().into()),
        "the decoder does not take the dictionary"
    );
    let mut data = Vec::new();
    decoder
        .read_to_end(&mut data)
        .context("the brotli stream does not decode with the dictionary apart")?;
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

    /// The file a `dcb` body holds, read with the dictionary as the stream's prefix (brotli 9's
    /// decoder, the encoder's own view), which lets a copy run from the dictionary into the file.
    fn decompress(dictionary: &[u8], body: &[u8]) -> Result<Vec<u8>> {
        let mut decoder = brotli::Decompressor::new_with_custom_dict(
            stream(dictionary, body)?,
            1 << 16,
            dictionary.to_vec().into(),
        );
        let mut data = Vec::new();
        decoder
            .read_to_end(&mut data)
            .context("the brotli stream does not decode")?;
        Ok(data)
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
        assert_eq!(decompress_as_browsers(&dictionary, &body).unwrap(), part);
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
        assert_eq!(decompress_as_browsers(&dictionary, &body).unwrap(), part);
        let without = plain_brotli(&part).len();
        assert!(
            body.len() + 5_000 < without,
            "the dictionary's first bytes were used: {} B with it, {without} B without",
            body.len()
        );
    }

    #[test]
    fn no_copy_runs_from_the_dictionarys_end_into_the_file() {
        // Each file repeats, further on, the dictionary's last bytes followed by its own
        // first bytes: one copy across the seam would be the cheapest, and browsers refuse
        // it. brotli 9 stops a match at the dictionary's end; should an upgrade not, this
        // fails (and `write_copy` leaves such files to plain brotli).
        for seed in 0..12 {
            let dictionary = module(100 + seed, 20_000 + seed as usize * 131);
            for (tail, head_len) in [(3, 8), (64, 64), (400, 300)] {
                let head = module(200 + seed, head_len);
                let seam = [&dictionary[dictionary.len() - tail..], &head[..]].concat();
                let part = [&head[..], &module(300 + seed, 3_000)[..], &seam[..]].concat();
                let body = compress(&dictionary, &part).unwrap();
                assert_eq!(decompress(&dictionary, &body).unwrap(), part);
                assert_eq!(
                    decompress_as_browsers(&dictionary, &body).ok().as_ref(),
                    Some(&part),
                    "seed {seed}, {tail} B of dictionary then {head_len} B of the file"
                );
            }
        }
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
