//! A small regular-expression matcher for conditions' `matches()`: literals, `.`, `*`, `+`,
//! `?`, anchors `^` and `$`, classes `[a-z]`/`[^…]`, and escapes (`\d`, `\w`, `\s`, `\.`).
//! No groups or alternation: conditions combine patterns with `||` instead. A full regex
//! engine would cost the browser bundle far more than this subset is worth.

#[derive(Debug, Clone, PartialEq)]
enum Atom {
    Any,
    Char(char),
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Repeat {
    One,
    ZeroOrOne,
    ZeroOrMore,
    OneOrMore,
}

fn escape_class(c: char) -> Option<Vec<(char, char)>> {
    match c {
        'd' => Some(vec![('0', '9')]),
        'w' => Some(vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]),
        's' => Some(vec![(' ', ' '), ('\t', '\t'), ('\n', '\n'), ('\r', '\r')]),
        _ => None,
    }
}

/// A compiled pattern: anchored at the start, the atoms, anchored at the end.
type Compiled = (bool, Vec<(Atom, Repeat)>, bool);

/// Compiles the pattern; `None` when it is not in the supported subset.
fn compile(pattern: &str) -> Option<Compiled> {
    let mut chars: Vec<char> = pattern.chars().collect();
    let anchored_start = chars.first() == Some(&'^');
    if anchored_start {
        chars.remove(0);
    }
    let anchored_end =
        chars.last() == Some(&'$') && !(chars.len() >= 2 && chars[chars.len() - 2] == '\\');
    if anchored_end {
        chars.pop();
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let atom = match chars[i] {
            '.' => Atom::Any,
            '\\' => {
                i += 1;
                let c = *chars.get(i)?;
                match escape_class(c) {
                    Some(ranges) => Atom::Class {
                        negated: false,
                        ranges,
                    },
                    None => Atom::Char(c),
                }
            }
            '[' => {
                i += 1;
                let negated = chars.get(i) == Some(&'^');
                if negated {
                    i += 1;
                }
                let mut ranges = Vec::new();
                while *chars.get(i)? != ']' {
                    let mut start = chars[i];
                    if start == '\\' {
                        i += 1;
                        let c = *chars.get(i)?;
                        if let Some(r) = escape_class(c) {
                            ranges.extend(r);
                            i += 1;
                            continue;
                        }
                        start = c;
                    }
                    if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|c| *c != ']')
                    {
                        ranges.push((start, chars[i + 2]));
                        i += 3;
                    } else {
                        ranges.push((start, start));
                        i += 1;
                    }
                }
                Atom::Class { negated, ranges }
            }
            '(' | ')' | '|' | '{' | '}' | '*' | '+' | '?' => return None,
            c => Atom::Char(c),
        };
        i += 1;
        let repeat = match chars.get(i) {
            Some('*') => Repeat::ZeroOrMore,
            Some('+') => Repeat::OneOrMore,
            Some('?') => Repeat::ZeroOrOne,
            _ => Repeat::One,
        };
        if repeat != Repeat::One {
            i += 1;
        }
        out.push((atom, repeat));
    }
    Some((anchored_start, out, anchored_end))
}

fn atom_matches(atom: &Atom, c: char) -> bool {
    match atom {
        Atom::Any => true,
        Atom::Char(x) => *x == c,
        Atom::Class { negated, ranges } => {
            ranges.iter().any(|(a, b)| (*a..=*b).contains(&c)) != *negated
        }
    }
}

/// The longest pattern compiled, in characters; a longer one never matches. Matching costs
/// at most (pattern length × text length) steps, so this bounds it with the text.
pub const MAX_PATTERN_CHARS: usize = 256;

/// Runs the pattern as a set of positions over the text (a Thompson simulation), never
/// backtracking: each character of the text is looked at once for each atom, so
/// `a*a*a*a*a*c` against forty `a`s costs a few hundred steps instead of billions.
struct Machine<'p> {
    atoms: &'p [(Atom, Repeat)],
    /// For each position, the last one that optional atoms let a match skip to from it
    /// (never decreasing along the pattern, which keeps each step linear).
    skip_to: Vec<usize>,
    /// Positions reached, by atom index (`atoms.len()` is the end of the pattern).
    current: Vec<bool>,
    next: Vec<bool>,
}

impl<'p> Machine<'p> {
    fn new(atoms: &'p [(Atom, Repeat)]) -> Self {
        let mut skip_to = vec![atoms.len(); atoms.len() + 1];
        for i in (0..atoms.len()).rev() {
            skip_to[i] = match atoms[i].1 {
                Repeat::ZeroOrOne | Repeat::ZeroOrMore => skip_to[i + 1],
                Repeat::One | Repeat::OneOrMore => i,
            };
        }
        Machine {
            atoms,
            skip_to,
            current: vec![false; atoms.len() + 1],
            next: vec![false; atoms.len() + 1],
        }
    }

    /// Marks `at` and the positions optional atoms let the match skip to, starting past
    /// `marked` (what this step already marked); returns the new `marked`.
    fn reach(set: &mut [bool], skip_to: &[usize], at: usize, marked: usize) -> usize {
        let end = skip_to[at] + 1;
        for slot in &mut set[at.max(marked)..end.max(marked)] {
            *slot = true;
        }
        marked.max(end)
    }

    fn accepted(&self) -> bool {
        self.current[self.atoms.len()]
    }

    /// Consumes one character of the text.
    fn step(&mut self, c: char) {
        self.next.iter_mut().for_each(|s| *s = false);
        let mut marked = 0;
        for (i, (atom, repeat)) in self.atoms.iter().enumerate() {
            if !self.current[i] || !atom_matches(atom, c) {
                continue;
            }
            // `x*` and `x+` may take another `x` after this one.
            if matches!(repeat, Repeat::ZeroOrMore | Repeat::OneOrMore) {
                self.next[i] = true;
            }
            marked = Self::reach(&mut self.next, &self.skip_to, i + 1, marked);
        }
        std::mem::swap(&mut self.current, &mut self.next);
    }

    /// A match may start here.
    fn start(&mut self) {
        Self::reach(&mut self.current, &self.skip_to, 0, 0);
    }
}

/// Whether `pattern` matches somewhere in `text`. An unsupported pattern never matches.
pub fn is_match(pattern: &str, text: &str) -> bool {
    if pattern.chars().count() > MAX_PATTERN_CHARS {
        return false;
    }
    let Some((anchored_start, atoms, anchored_end)) = compile(pattern) else {
        return false;
    };
    let mut machine = Machine::new(&atoms);
    machine.start();
    for c in text.chars() {
        if machine.accepted() && !anchored_end {
            return true;
        }
        machine.step(c);
        // Unanchored, a match may start at every character.
        if !anchored_start {
            machine.start();
        }
        if anchored_start && machine.current.iter().all(|s| !s) {
            return false;
        }
    }
    machine.accepted()
}

#[cfg(test)]
mod tests {
    use super::{MAX_PATTERN_CHARS, is_match};

    #[test]
    fn the_supported_subset_behaves_like_javascript_regexps() {
        assert!(is_match("Cloud", "Acme Cloud Ltd"));
        assert!(is_match("^Ac.e", "Acme"));
        assert!(!is_match("^cme", "Acme"));
        assert!(is_match("TLS ?1\\.[23]$", "TLS 1.3"));
        assert!(!is_match("TLS ?1\\.[23]$", "TLS 1.1"));
        assert!(is_match("^\\d+ hours?$", "72 hours"));
        assert!(is_match("^[^0-9]*$", "no digits"));
        assert!(!is_match("^[^0-9]*$", "1 digit"));
        assert!(is_match("a*b+", "b"));
        assert!(is_match("", "anything"));
    }

    #[test]
    fn repeats_and_optional_atoms_combine_like_javascript() {
        assert!(is_match("^a+$", "aaa"));
        assert!(!is_match("^a+$", ""));
        assert!(is_match("^ab?c$", "ac") && is_match("^ab?c$", "abc"));
        assert!(!is_match("^ab?c$", "abbc"));
        assert!(is_match("^a*b*c*$", ""));
        assert!(is_match("x.*y", "a x then y"));
        assert!(!is_match("x.*y$", "a x then y z"));
        assert!(is_match("^$", ""));
        assert!(!is_match("^$", "a"));
        assert!(is_match("b$", "ab"));
    }

    #[test]
    fn catastrophic_patterns_answer_at_once() {
        // Exponential for a backtracking matcher: it took seconds and stalled the server.
        let text = format!("{}b", "a".repeat(40));
        assert!(!is_match("a*a*a*a*a*a*a*c", &text));
        assert!(!is_match("^(a*)*$", &text), "groups are not in the subset");
        let long = "a".repeat(100_000);
        assert!(
            is_match(&"a*".repeat(120), &format!("{long}!")),
            "matches where it starts"
        );
        assert!(!is_match(&format!("{}c", "a*".repeat(120)), &long));
        assert!(is_match("a*a*a*a*a*a*a*a*a*a*$", &long));
    }

    /// The backtracking matcher this one replaced: slow, but obviously right, so the
    /// property below holds the new one to it on small inputs.
    fn reference(pattern: &str, text: &str) -> bool {
        fn here(atoms: &[(super::Atom, super::Repeat)], text: &[char], end: bool) -> bool {
            use super::Repeat;
            let Some(((atom, repeat), rest)) = atoms.split_first() else {
                return !end || text.is_empty();
            };
            let (min, max) = match repeat {
                Repeat::One => (1, 1),
                Repeat::ZeroOrOne => (0, 1),
                Repeat::ZeroOrMore => (0, usize::MAX),
                Repeat::OneOrMore => (1, usize::MAX),
            };
            let mut count = 0;
            while count < max && count < text.len() && super::atom_matches(atom, text[count]) {
                count += 1;
            }
            (min..=count).rev().any(|n| here(rest, &text[n..], end))
        }
        let Some((start, atoms, end)) = super::compile(pattern) else {
            return false;
        };
        let text: Vec<char> = text.chars().collect();
        if start {
            return here(&atoms, &text, end);
        }
        (0..=text.len()).any(|s| here(&atoms, &text[s..], end))
    }

    fn arb_pattern() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let atom = prop_oneof![Just("a"), Just("b"), Just("."), Just("[a-b]"), Just("[^a]")];
        let repeat = prop_oneof![Just(""), Just("*"), Just("+"), Just("?")];
        (
            any::<bool>(),
            proptest::collection::vec((atom, repeat), 0..5),
            any::<bool>(),
        )
            .prop_map(|(start, atoms, end)| {
                let body: String = atoms.iter().map(|(a, r)| format!("{a}{r}")).collect();
                format!(
                    "{}{body}{}",
                    if start { "^" } else { "" },
                    if end { "$" } else { "" }
                )
            })
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_backtracking_matcher(
            pattern in arb_pattern(),
            text in "[abc]{0,10}",
        ) {
            proptest::prop_assert_eq!(is_match(&pattern, &text), reference(&pattern, &text));
        }
    }

    #[test]
    fn patterns_longer_than_the_limit_never_match() {
        let pattern = "a".repeat(MAX_PATTERN_CHARS + 1);
        assert!(!is_match(&pattern, &pattern));
        let pattern = "a".repeat(MAX_PATTERN_CHARS);
        assert!(is_match(&pattern, &pattern));
    }

    #[test]
    fn unsupported_patterns_never_match() {
        assert!(!is_match("(a|b)", "a"));
        assert!(!is_match("a{2}", "aa"));
        assert!(!is_match("[abc", "a"));
    }
}
