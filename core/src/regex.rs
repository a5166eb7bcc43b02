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

fn match_here(atoms: &[(Atom, Repeat)], text: &[char], anchored_end: bool) -> bool {
    let Some(((atom, repeat), rest)) = atoms.split_first() else {
        return !anchored_end || text.is_empty();
    };
    let (min, max) = match repeat {
        Repeat::One => (1, 1),
        Repeat::ZeroOrOne => (0, 1),
        Repeat::ZeroOrMore => (0, usize::MAX),
        Repeat::OneOrMore => (1, usize::MAX),
    };
    let mut count = 0;
    while count < max && count < text.len() && atom_matches(atom, text[count]) {
        count += 1;
    }
    // Greedy, backing off one character at a time.
    (min..=count)
        .rev()
        .any(|n| match_here(rest, &text[n..], anchored_end))
}

/// Whether `pattern` matches somewhere in `text`. An unsupported pattern never matches.
pub fn is_match(pattern: &str, text: &str) -> bool {
    let Some((anchored_start, atoms, anchored_end)) = compile(pattern) else {
        return false;
    };
    let text: Vec<char> = text.chars().collect();
    if anchored_start {
        return match_here(&atoms, &text, anchored_end);
    }
    (0..=text.len()).any(|start| match_here(&atoms, &text[start..], anchored_end))
}

#[cfg(test)]
mod tests {
    use super::is_match;

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
    fn unsupported_patterns_never_match() {
        assert!(!is_match("(a|b)", "a"));
        assert!(!is_match("a{2}", "aa"));
        assert!(!is_match("[abc", "a"));
    }
}
