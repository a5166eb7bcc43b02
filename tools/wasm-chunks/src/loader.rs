//! Reads and rewrites `__wasm_split.js`, the loader wasm-split-cli 0.2.4 writes.
//!
//! Its shape: a header (the shared imports, `wrapAsyncCb`, `makeLoad`), then one block per
//! chunk, each after a comment naming the pages that need it,
//!
//! ```js
//! /* account_page, vendor_page */
//! const __chunk_27 = makeLoad(() => { …fetch("./chunk_27.wasm")… }
//! , []);
//! ```
//!
//! then one exported loader per page, whose list names the chunks it needs:
//!
//! ```js
//! export const __wasm_split_load_vendor_page = wrapAsyncCb(makeLoad(() => { …fetch("./split_vendor_page.wasm")… }
//! , [__chunk_27, __chunk_28]));
//! ```
//!
//! Anything else is refused, so a new wasm-split-cli with another shape fails the build
//! instead of producing a loader that misses code.

use anyhow::{Context, Result, bail, ensure};

#[derive(Debug, PartialEq, Eq)]
pub struct Chunk {
    /// `chunk_27`: the file's stem and, with `__` before it, the loader's name.
    pub name: String,
    /// The pages that need it: bit `i` for [`Loader::pages`]`[i]`.
    pub pages: u64,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Page {
    /// `vendor_page`, as in `__wasm_split_load_vendor_page`.
    pub name: String,
    /// The loader up to `, [` and its list of chunks (it fetches the page's own module).
    body: String,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Loader {
    header: String,
    pub chunks: Vec<Chunk>,
    pub pages: Vec<Page>,
}

const CHUNK_START: &str = "const __chunk_";
const PAGE_START: &str = "export const __wasm_split_load_";
const PAGE_END: &str = "]));\n";
/// The loader of a page whose own module is empty (its code was folded into a chunk).
const EMPTY_MODULE: &str = "() => async (_imp) => ({})";

/// What wasm-split-cli 0.2.4 writes (web target, no debug wrapper) to fetch and instantiate
/// `{name}.wasm`; the rewritten loader fetches parts the same way.
fn fetcher(name: &str) -> String {
    format!(
        "() => {{\n    const src = fetch(new URL(\"./{name}.wasm\", import.meta.url));\n    \
         src.catch(() => {{}});\n    \
         return async (imports) => (WebAssembly.instantiateStreaming(src, imports));\n}}\n"
    )
}

/// The loader of a chunk or part named `name`, with no dependencies.
fn module_loader(name: &str) -> String {
    format!("const __{name} = makeLoad({}, []);\n", fetcher(name))
}

/// `text` after `prefix`, or an error naming what was expected at `at`.
fn after<'a>(text: &'a str, prefix: &str, at: usize) -> Result<&'a str> {
    text.strip_prefix(prefix)
        .with_context(|| format!("__wasm_split.js: expected `{}` at byte {at}", prefix.trim()))
}

/// The text up to `end` and what follows `end`.
fn until<'a>(text: &'a str, end: &str, at: usize) -> Result<(&'a str, &'a str)> {
    text.split_once(end).with_context(|| {
        format!(
            "__wasm_split.js: `{}` never ends after byte {at}",
            end.trim()
        )
    })
}

/// The identifier at the start of `text` (letters, digits, `_`).
fn identifier(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

impl Loader {
    pub fn parse(text: &str) -> Result<Loader> {
        let start = text
            .find("\n/* ")
            .map(|i| i + 1)
            .context("__wasm_split.js has no chunks")?;
        let header = text[..start].to_owned();
        let mut rest = &text[start..];
        let at = |rest: &str| text.len() - rest.len();
        let mut chunk_pages: Vec<(String, Vec<String>)> = Vec::new();
        let mut pages = Vec::new();
        loop {
            rest = rest.trim_start_matches('\n');
            if rest.is_empty() {
                break;
            }
            if let Some(comment) = rest.strip_prefix("/* ") {
                let (names, tail) = until(comment, " */\n", at(rest))?;
                let number = identifier(after(tail, CHUNK_START, at(tail))?);
                ensure!(
                    !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()),
                    "__wasm_split.js: a chunk without a number at byte {}",
                    at(tail)
                );
                let name = format!("chunk_{number}");
                // Exactly what the rewritten loader writes for a part, or the build fails: a
                // loader of another shape (a debug wrapper, a bundler target) is not replaced
                // by one that behaves differently.
                let block = module_loader(&name);
                let tail = after(tail, &block, at(tail))?;
                let users = names.split(',').map(|n| n.trim().to_owned()).collect();
                chunk_pages.push((name, users));
                rest = tail;
            } else if let Some(tail) = rest.strip_prefix(PAGE_START) {
                let name = identifier(tail).to_owned();
                let (statement, tail) = until(rest, PAGE_END, at(rest))?;
                // `…makeLoad(<fetcher>, [__chunk_1, __chunk_2` with the fetcher either the
                // page's own module or, for a module left empty, one that loads nothing.
                let start = format!("{PAGE_START}{name} = wrapAsyncCb(makeLoad(");
                let (body, list) = statement
                    .rsplit_once(", [")
                    .with_context(|| format!("__wasm_split.js: {name} has no list of chunks"))?;
                let fetch = after(body, &start, at(rest))?;
                ensure!(
                    fetch == fetcher(&format!("split_{name}")) || fetch == EMPTY_MODULE,
                    "__wasm_split.js: {name} fetches its module in an unknown way: {fetch:?}"
                );
                let mut needs: Vec<String> = list
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(|n| {
                        n.strip_prefix("__")
                            .map(str::to_owned)
                            .with_context(|| format!("__wasm_split.js: {name} needs `{n}`"))
                    })
                    .collect::<Result<_>>()?;
                needs.sort();
                pages.push((
                    Page {
                        name,
                        body: body.to_owned(),
                    },
                    needs,
                ));
                rest = tail;
            } else {
                bail!(
                    "__wasm_split.js: unexpected text at byte {}: {:?}",
                    at(rest),
                    rest.chars().take(60).collect::<String>()
                );
            }
        }
        ensure!(
            pages.len() <= 64,
            "__wasm_split.js loads {} pages; at most 64 are handled",
            pages.len()
        );
        // The pages named over each chunk must be exactly the pages whose list names it.
        let mut chunks = Vec::new();
        for (name, users) in chunk_pages {
            let mut mask = 0u64;
            for user in &users {
                let index = pages
                    .iter()
                    .position(|(p, _)| &p.name == user)
                    .with_context(|| {
                        format!("__wasm_split.js: {name} is for `{user}`, which has no loader")
                    })?;
                mask |= 1 << index;
            }
            chunks.push(Chunk { name, pages: mask });
        }
        for (index, (page, needs)) in pages.iter().enumerate() {
            let mut named: Vec<String> = chunks
                .iter()
                .filter(|c| c.pages & 1 << index != 0)
                .map(|c| c.name.clone())
                .collect();
            named.sort();
            ensure!(
                &named == needs,
                "__wasm_split.js: {} loads other chunks than those naming it",
                page.name
            );
        }
        Ok(Loader {
            header,
            chunks,
            pages: pages.into_iter().map(|(p, _)| p).collect(),
        })
    }

    /// The loader for `parts` (`part_N` and the pages that need it, as in [`Chunk::pages`])
    /// instead of the chunks.
    pub fn render(&self, parts: &[(String, u64)]) -> String {
        let mut out = self.header.clone();
        for (name, pages) in parts {
            let names: Vec<&str> = self
                .pages
                .iter()
                .enumerate()
                .filter(|(i, _)| pages & 1 << i != 0)
                .map(|(_, p)| p.name.as_str())
                .collect();
            out.push_str(&format!(
                "/* {} */\n{}",
                names.join(", "),
                module_loader(name)
            ));
        }
        for (index, page) in self.pages.iter().enumerate() {
            let needs: Vec<String> = parts
                .iter()
                .filter(|(_, pages)| pages & 1 << index != 0)
                .map(|(name, _)| format!("__{name}"))
                .collect();
            out.push_str(&format!("{}, [{}{PAGE_END}", page.body, needs.join(", ")));
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const HEADER: &str =
        "import { initSync } from \"./app.js\";\n\nfunction makeLoad(fetcher, deps) {}\n";

    fn chunk(number: u32, pages: &str) -> String {
        format!(
            "/* {pages} */\n{}",
            module_loader(&format!("chunk_{number}"))
        )
    }

    fn page(name: &str, chunks: &str) -> String {
        format!(
            "{PAGE_START}{name} = wrapAsyncCb(makeLoad({}, [{chunks}]));\n",
            fetcher(&format!("split_{name}"))
        )
    }

    /// A page whose module wasm-split left empty: its loader is on one line.
    fn empty_page(name: &str, chunks: &str) -> String {
        format!("{PAGE_START}{name} = wrapAsyncCb(makeLoad({EMPTY_MODULE}, [{chunks}]));\n")
    }

    fn sample() -> String {
        format!(
            "{HEADER}{}{}{}{}",
            chunk(1, "a_page, b_page"),
            chunk(2, "b_page, a_page"),
            page("a_page", "__chunk_1, __chunk_2"),
            page("b_page", "__chunk_2, __chunk_1"),
        )
    }

    #[test]
    fn reads_chunks_and_the_pages_that_need_them() {
        let loader = Loader::parse(&sample()).unwrap();
        assert_eq!(
            loader.chunks,
            vec![
                Chunk {
                    name: "chunk_1".into(),
                    pages: 0b11
                },
                Chunk {
                    name: "chunk_2".into(),
                    pages: 0b11
                },
            ]
        );
        let names: Vec<&str> = loader.pages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a_page", "b_page"]);
    }

    #[test]
    fn rewrites_each_page_to_load_its_parts() {
        let loader = Loader::parse(&sample()).unwrap();
        let text = loader.render(&[("part_0".into(), 0b11)]);
        assert!(text.starts_with(HEADER), "the header is kept");
        assert!(
            !text.contains("chunk_"),
            "no chunk is loaded any more:\n{text}"
        );
        assert!(text.contains("const __part_0 = makeLoad(() => {\n    const src = fetch(new URL(\"./part_0.wasm\", import.meta.url));"));
        for page in ["a_page", "b_page"] {
            let loads = format!("{}, [__part_0]));\n", fetcher(&format!("split_{page}")));
            assert!(
                text.contains(&loads),
                "{page} loads its module and the part:\n{text}"
            );
        }
    }

    #[test]
    fn a_page_whose_module_is_empty_keeps_its_one_line_loader() {
        let text = format!(
            "{HEADER}{}{}{}{}",
            chunk(1, "a_page, b_page"),
            chunk(2, "b_page"),
            empty_page("a_page", "__chunk_1"),
            page("b_page", "__chunk_1, __chunk_2"),
        );
        let loader = Loader::parse(&text).unwrap();
        assert_eq!(
            loader.chunks[1].pages, 0b10,
            "the page after the empty one is read"
        );
        let out = loader.render(&[("part_0".into(), 0b11)]);
        assert!(
            out.contains("wrapAsyncCb(makeLoad(() => async (_imp) => ({}), [__part_0]));\n"),
            "{out}"
        );
        assert!(out.ends_with("split_b_page.wasm\", import.meta.url));\n    src.catch(() => {});\n    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));\n}\n, [__part_0]));\n"), "{out}");
    }

    #[test]
    fn a_fetcher_of_another_shape_is_refused() {
        // wasm-split with debug assertions wraps the instantiation; the parts would lose it.
        let wrapped = chunk(1, "a_page").replace("=> (WebAssembly", "=> debugWrap(WebAssembly");
        let text = format!("{HEADER}{wrapped}{}", page("a_page", "__chunk_1"));
        assert!(
            Loader::parse(&text).is_err(),
            "a debug-wrapped chunk loader is refused"
        );
        let wrapped =
            page("a_page", "__chunk_1").replace("=> (WebAssembly", "=> debugWrap(WebAssembly");
        let text = format!("{HEADER}{}{wrapped}", chunk(1, "a_page"));
        let error = format!("{:#}", Loader::parse(&text).unwrap_err());
        assert!(error.contains("unknown way"), "{error}");
    }

    #[test]
    fn a_loader_that_disagrees_with_the_chunk_comments_is_refused() {
        let text = format!(
            "{HEADER}{}{}{}",
            chunk(1, "a_page, b_page"),
            page("a_page", "__chunk_1"),
            page("b_page", ""),
        );
        let error = Loader::parse(&text).unwrap_err().to_string();
        assert!(error.contains("b_page loads other chunks"), "{error}");
    }

    #[test]
    fn an_unknown_shape_is_refused() {
        let text = format!("{HEADER}{}console.log(1);\n", chunk(1, "a_page"));
        assert!(
            Loader::parse(&text)
                .unwrap_err()
                .to_string()
                .contains("unexpected text")
        );
        let text = format!("{HEADER}{}", chunk(1, "nobody"));
        assert!(
            Loader::parse(&text)
                .unwrap_err()
                .to_string()
                .contains("has no loader")
        );
        assert!(Loader::parse("no chunks at all").is_err());
    }
}
