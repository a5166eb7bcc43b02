//! Which chunks go into which part.
//!
//! wasm-split puts every function into a chunk named by the exact set of lazily loaded
//! modules (pages) that need it, so a bundle with two dozen pages ends up with hundreds of
//! chunks and a deep page fetches hundreds of files, most of a few hundred bytes. Each file
//! costs a request and compresses worse alone than with its neighbours. This joins chunks into
//! parts greedily: two parts are joined when what their shared pages save (one file fewer
//! each) outweighs what the other pages pay (the code they now download without needing it).
//! A part is needed by every page that needs any chunk in it, so no page ever lacks code.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A chunk: the pages that need it (one bit each) and its size in bytes before compression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    pub pages: u64,
    pub size: u64,
}

/// What the plan weighs, in hundredths of a compressed byte.
#[derive(Debug, Clone, Copy)]
pub struct Cost {
    /// What one byte of wasm costs once compressed (brotli makes about 27 of 100).
    pub per_byte: i64,
    /// What one more file costs a page: compressing alone loses about 400 bytes, and the
    /// request itself a few hundred more.
    pub per_file: i64,
}

impl Default for Cost {
    fn default() -> Self {
        Cost {
            per_byte: 27,
            per_file: 600 * 100,
        }
    }
}

/// A part: the chunks it holds (indices into the input, ascending) and the pages that need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub chunks: Vec<usize>,
    pub pages: u64,
}

struct Group {
    pages: u64,
    size: u64,
    chunks: Vec<usize>,
}

/// What joining `a` and `b` changes, summed over pages: pages that need only one of them pay
/// for the other's bytes; pages that need both save a file.
fn change(a: &Group, b: &Group, cost: Cost) -> i64 {
    let only_a = i64::from((a.pages & !b.pages).count_ones());
    let only_b = i64::from((b.pages & !a.pages).count_ones());
    let both = i64::from((a.pages & b.pages).count_ones());
    let size = |g: &Group| i64::try_from(g.size).unwrap_or(i64::MAX / 1024);
    cost.per_byte * (size(b) * only_a + size(a) * only_b) - cost.per_file * both
}

/// Joins `chunks` into parts. Deterministic: the same input gives the same parts, in the
/// order of their first chunk.
pub fn plan(chunks: &[Chunk], cost: Cost) -> Vec<Part> {
    let mut groups: Vec<Option<Group>> = chunks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            Some(Group {
                pages: c.pages,
                size: c.size,
                chunks: vec![i],
            })
        })
        .collect();
    // The cheapest join first; ties go to the lowest indices, so the result is stable.
    let mut heap = BinaryHeap::new();
    let push = |heap: &mut BinaryHeap<_>, groups: &[Option<Group>], a: usize, b: usize| {
        if let (Some(ga), Some(gb)) = (&groups[a], &groups[b]) {
            let delta = change(ga, gb, cost);
            if delta < 0 {
                heap.push(Reverse((delta, a, b)));
            }
        }
    };
    for a in 0..groups.len() {
        for b in a + 1..groups.len() {
            push(&mut heap, &groups, a, b);
        }
    }
    while let Some(Reverse((_, a, b))) = heap.pop() {
        if groups[a].is_none() || groups[b].is_none() {
            continue; // one of them was joined into another part since this pair was weighed
        }
        let (Some(ga), Some(gb)) = (groups[a].take(), groups[b].take()) else {
            continue;
        };
        let mut chunks = ga.chunks;
        chunks.extend(gb.chunks);
        chunks.sort_unstable();
        groups.push(Some(Group {
            pages: ga.pages | gb.pages,
            size: ga.size + gb.size,
            chunks,
        }));
        let joined = groups.len() - 1;
        for other in 0..joined {
            push(&mut heap, &groups, other, joined);
        }
    }
    let mut parts: Vec<Part> = groups
        .into_iter()
        .flatten()
        .map(|g| Part {
            chunks: g.chunks,
            pages: g.pages,
        })
        .collect();
    parts.sort_unstable_by_key(|p| p.chunks[0]);
    parts
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn chunk(pages: &[u32], size: u64) -> Chunk {
        Chunk {
            pages: pages.iter().map(|p| 1u64 << p).sum(),
            size,
        }
    }

    /// Every page gets, through the parts that name it, every chunk it needs.
    fn assert_covers(chunks: &[Chunk], parts: &[Part]) {
        let mut seen = vec![0; chunks.len()];
        for part in parts {
            for &c in &part.chunks {
                seen[c] += 1;
                assert_eq!(
                    chunks[c].pages & !part.pages,
                    0,
                    "chunk {c} is needed by pages its part {part:?} is not loaded for"
                );
            }
        }
        assert!(
            seen.iter().all(|&n| n == 1),
            "each chunk is in exactly one part: {seen:?}"
        );
    }

    #[test]
    fn small_chunks_needed_by_the_same_pages_become_one_part() {
        let chunks = vec![
            chunk(&[0, 1], 300),
            chunk(&[0, 1], 200),
            chunk(&[0, 1], 400),
        ];
        let parts = plan(&chunks, Cost::default());
        assert_covers(&chunks, &parts);
        assert_eq!(
            parts,
            vec![Part {
                chunks: vec![0, 1, 2],
                pages: 0b11
            }]
        );
    }

    #[test]
    fn a_big_chunk_is_not_pushed_onto_pages_that_do_not_need_it() {
        // Page 2 needs only the small chunk; the big one (200 KB) is for pages 0 and 1.
        let chunks = vec![chunk(&[0, 1], 200_000), chunk(&[0, 1, 2], 300)];
        let parts = plan(&chunks, Cost::default());
        assert_covers(&chunks, &parts);
        assert_eq!(
            parts.len(),
            2,
            "page 2 would download 200 KB it never runs: {parts:?}"
        );
    }

    #[test]
    fn a_tiny_chunk_joins_a_nearly_identical_set() {
        // A few bytes needed by pages 0..=3 join the part of pages 0..=4: page 4 pays 40 bytes,
        // four pages save a request each.
        let chunks = vec![chunk(&[0, 1, 2, 3, 4], 5_000), chunk(&[0, 1, 2, 3], 40)];
        let parts = plan(&chunks, Cost::default());
        assert_covers(&chunks, &parts);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].pages, 0b11111);
    }

    #[test]
    fn many_chunks_become_few_parts_and_every_page_keeps_its_code() {
        // 24 pages, 600 chunks with pseudo-random page sets and sizes, as a split bundle has.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let chunks: Vec<Chunk> = (0..600)
            .map(|_| {
                let pages = (next() & 0xff_ffff) | 1 << (next() % 24);
                Chunk {
                    pages,
                    size: 50 + next() % 4_000,
                }
            })
            .collect();
        let parts = plan(&chunks, Cost::default());
        assert_covers(&chunks, &parts);
        assert!(
            parts.len() < chunks.len() / 2,
            "600 chunks became {} parts",
            parts.len()
        );
        assert_eq!(
            parts,
            plan(&chunks, Cost::default()),
            "the plan is deterministic"
        );
    }

    #[test]
    fn no_chunks_no_parts() {
        assert!(plan(&[], Cost::default()).is_empty());
    }
}
