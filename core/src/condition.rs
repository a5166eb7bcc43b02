//! The condition language: when an item is shown, or a warning fires.
//!
//! ```text
//! expr    := operand (("&&" | "||") operand)*      evaluated strictly left to right,
//! operand := "!" operand | "(" expr ")"            without operator precedence
//!          | func "(" arg ("," arg)* ")"           (VSAQ's semantics)
//!          | reference
//! reference := ["^"] id ["/yes" | "/no" | "/value"]
//! func    := "matches" | "contains"
//! arg     := reference | string
//! ```
//!
//! What a reference reads depends on the kind of item it names, exactly as in Google's
//! VSAQ (`Item.evaluateConditions` in `questionnaire/items.js` and the item classes'
//! `isChecked` and `getValue`); see [`Target`]. `^id` is true when the item is visible; any
//! other reference to a hidden item is false (its value is empty). `matches(x, "re")` tests
//! a regular-expression subset (literals, `.`, `*`, `+`, `?`, `^`, `$`, character classes);
//! `contains(x, "s")` a substring; in them a bare `id` means `id/value`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What a reference asks about an item (what it reads depends on the item: [`Target`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// `id`.
    Answered,
    /// `id/yes`.
    Yes,
    /// `id/no`.
    No,
    /// `id/value`.
    Value,
    /// `^id`: the item is visible.
    Visible,
}

/// The kind of item an id names, which decides what a reference to it reads. Each kind is
/// one of VSAQ's item classes; for a visible item:
///
/// | Target | `id` | `id/yes` | `id/no` | `id/value` |
/// | --- | --- | --- | --- | --- |
/// | `Group` | a choice is checked | same | same | same |
/// | `Check` | checked | checked | checked | `"checked"` or `""` |
/// | `YesNo` | the answer equals the id itself (in practice false) | answer is yes | answer is no | `"yes"`, `"no"` or `""` |
/// | `Text` | false | false | false | the answer |
/// | `Other` | false | false | false | the answer, if any |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A question with choices (VSAQ's `radiogroup` and `checkgroup`, `GroupItem.getValue`:
    /// whether any of its choices is checked, whatever the suffix).
    Group,
    /// A single checkbox or one choice of a group (VSAQ's `CheckItem` and `RadioItem`,
    /// whose `isChecked` ignores the suffix; `/value` is `getValue`).
    Check,
    /// A yes/no question (VSAQ's `YesNoItem.isChecked`: the answer compared with the text
    /// after the reference's last `/`, which for a bare id is the id itself).
    YesNo,
    /// A question answered with text, a number, a date, or files, and a warning's
    /// justification (VSAQ's `line`, `box`, `upload` and `tip` items, which keep
    /// `ValueItem.isChecked`, always false; only `/value` reads them).
    Text,
    /// A section, an information text, or an id that is in no template.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Matches,
    Contains,
}

/// The parsed form of a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Ref {
        id: String,
        kind: RefKind,
    },
    Str(String),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Call {
        func: Func,
        args: Vec<Expr>,
    },
    /// The literal `false` (VSAQ templates use it to hide an item for good).
    False,
}

/// The longest condition accepted, in bytes. Real questionnaires' conditions stay under
/// 200; the bound keeps parsing and evaluation cheap whatever a file or a user sends.
pub const MAX_LENGTH: usize = 2_000;
/// How deeply `(` and `!` may nest. Parsing, printing and evaluating recurse once per
/// level, so without a bound a few kilobytes of `!` or `(` overflow the stack.
pub const MAX_DEPTH: usize = 32;
/// How many `&&`/`||` one condition may hold (each adds a level to the evaluated tree).
pub const MAX_OPERATORS: usize = 200;

/// A parse error with the byte offset where it was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("condition “{source_text}”: {message} at position {position}")]
pub struct ConditionError {
    pub source_text: String,
    pub position: usize,
    pub message: String,
}

/// A condition: its source text and its parsed form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    source: String,
    expr: Expr,
}

impl Condition {
    pub fn parse(source: &str) -> Result<Self, ConditionError> {
        let mut parser = Parser {
            src: source,
            pos: 0,
            depth: 0,
            operators: 0,
        };
        if source.len() > MAX_LENGTH {
            parser.pos = source.floor_char_boundary(MAX_LENGTH);
            return Err(parser.error(&format!(
                "a condition can be at most {MAX_LENGTH} characters long"
            )));
        }
        let expr = parser.expr()?;
        parser.skip_ws();
        if parser.pos < source.len() {
            return Err(parser.error("unexpected input"));
        }
        Ok(Condition {
            source: source.to_owned(),
            expr,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// Every item id the condition refers to.
    pub fn references(&self) -> Vec<&str> {
        let mut out = Vec::new();
        collect_refs(&self.expr, &mut out);
        out
    }

    /// The references outside `matches()` and `contains()`, with what each asks (inside
    /// them a bare id means its value).
    pub fn tests(&self) -> Vec<(&str, RefKind)> {
        let mut out = Vec::new();
        collect_tests(&self.expr, &mut out);
        out
    }

    pub fn evaluate(&self, resolver: &impl Resolver) -> bool {
        truthy(&eval(&self.expr, resolver))
    }
}

fn collect_refs<'a>(expr: &'a Expr, out: &mut Vec<&'a str>) {
    match expr {
        Expr::Ref { id, .. } => out.push(id),
        Expr::Not(e) => collect_refs(e, out),
        Expr::And(a, b) | Expr::Or(a, b) => {
            collect_refs(a, out);
            collect_refs(b, out);
        }
        Expr::Call { args, .. } => args.iter().for_each(|a| collect_refs(a, out)),
        Expr::Str(_) | Expr::False => {}
    }
}

fn collect_tests<'a>(expr: &'a Expr, out: &mut Vec<(&'a str, RefKind)>) {
    match expr {
        Expr::Ref { id, kind } => out.push((id, *kind)),
        Expr::Not(e) => collect_tests(e, out),
        Expr::And(a, b) | Expr::Or(a, b) => {
            collect_tests(a, out);
            collect_tests(b, out);
        }
        Expr::Call { .. } | Expr::Str(_) | Expr::False => {}
    }
}

impl fmt::Display for Expr {
    /// Canonical text; parsing it again gives the same tree (groups are kept explicit).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Ref { id, kind } => match kind {
                RefKind::Answered => write!(f, "{id}"),
                RefKind::Yes => write!(f, "{id}/yes"),
                RefKind::No => write!(f, "{id}/no"),
                RefKind::Value => write!(f, "{id}/value"),
                RefKind::Visible => write!(f, "^{id}"),
            },
            Expr::Str(s) => {
                f.write_str("\"")?;
                for c in s.chars() {
                    if c == '"' || c == '\\' {
                        f.write_str("\\")?;
                    }
                    write!(f, "{c}")?;
                }
                f.write_str("\"")
            }
            Expr::Not(e) => match **e {
                Expr::And(..) | Expr::Or(..) => write!(f, "!({e})"),
                _ => write!(f, "!{e}"),
            },
            Expr::And(a, b) => write!(f, "{a} && {}", Grouped(b)),
            Expr::Or(a, b) => write!(f, "{a} || {}", Grouped(b)),
            Expr::Call { func, args } => {
                let name = match func {
                    Func::Matches => "matches",
                    Func::Contains => "contains",
                };
                write!(f, "{name}(")?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
            Expr::False => f.write_str("false"),
        }
    }
}

/// A right operand that is itself a binary expression needs parentheses, because
/// evaluation is strictly left to right.
struct Grouped<'a>(&'a Expr);

impl fmt::Display for Grouped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Expr::And(..) | Expr::Or(..) => write!(f, "({})", self.0),
            other => write!(f, "{other}"),
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Condition::parse(&text).map_err(serde::de::Error::custom)
    }
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    /// `(` and `!` open around the current position.
    depth: usize,
    /// `&&` and `||` read so far.
    operators: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, message: &str) -> ConditionError {
        ConditionError {
            source_text: self.src.to_owned(),
            position: self.pos,
            message: message.to_owned(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.pos += c.len_utf8();
        }
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_ws();
        if self.src[self.pos..].starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Result<Expr, ConditionError> {
        let mut left = self.operand()?;
        loop {
            self.skip_ws();
            if self.src[self.pos..].starts_with("&&") || self.src[self.pos..].starts_with("||") {
                self.operators += 1;
                if self.operators > MAX_OPERATORS {
                    return Err(self.error(&format!(
                        "a condition can combine at most {MAX_OPERATORS} terms with “&&” and “||”"
                    )));
                }
            }
            if self.eat("&&") {
                let right = self.operand()?;
                left = Expr::And(Box::new(left), Box::new(right));
            } else if self.eat("||") {
                let right = self.operand()?;
                left = Expr::Or(Box::new(left), Box::new(right));
            } else {
                self.skip_ws();
                match self.peek() {
                    Some('&') | Some('|') => return Err(self.error("operators are “&&” and “||”")),
                    _ => return Ok(left),
                }
            }
        }
    }

    /// Enters one level of `(` or `!`, refusing to go deeper than [`MAX_DEPTH`].
    fn descend(&mut self) -> Result<(), ConditionError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(&format!(
                "“(” and “!” can be nested at most {MAX_DEPTH} levels deep"
            )));
        }
        Ok(())
    }

    fn operand(&mut self) -> Result<Expr, ConditionError> {
        self.skip_ws();
        if self.eat("!") {
            self.descend()?;
            let inner = self.operand()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        if self.eat("(") {
            self.descend()?;
            let inner = self.expr()?;
            if !self.eat(")") {
                return Err(self.error("expected “)”"));
            }
            self.depth -= 1;
            return Ok(inner);
        }
        self.skip_ws();
        match self.peek() {
            None => Err(self.error("expected an item id")),
            Some('"') => Err(self.error("a string can only be a function argument")),
            Some(_) => {
                let start = self.pos;
                let word = self.word();
                if word.is_empty() {
                    return Err(self.error("expected an item id"));
                }
                self.skip_ws();
                let func = match word {
                    "matches" => Some(Func::Matches),
                    "contains" => Some(Func::Contains),
                    _ => None,
                };
                if let Some(func) = func
                    && self.peek() == Some('(')
                {
                    return self.call(func);
                }
                if word == "false" {
                    return Ok(Expr::False);
                }
                reference(word).ok_or(ConditionError {
                    source_text: self.src.to_owned(),
                    position: start,
                    message: format!("“{word}” is not a valid reference"),
                })
            }
        }
    }

    fn word(&mut self) -> &'a str {
        let src: &'a str = self.src;
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_whitespace() || "()!&|,\"".contains(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
        &src[start..self.pos]
    }

    fn call(&mut self, func: Func) -> Result<Expr, ConditionError> {
        self.eat("(");
        let mut args = Vec::new();
        loop {
            self.skip_ws();
            if self.peek() == Some('"') {
                args.push(Expr::Str(self.string()?));
            } else {
                let start = self.pos;
                let word = self.word().to_owned();
                let reference = reference(&word).ok_or(ConditionError {
                    source_text: self.src.to_owned(),
                    position: start,
                    message: "expected an item id or a string".to_owned(),
                })?;
                args.push(reference);
            }
            if self.eat(",") {
                continue;
            }
            if self.eat(")") {
                break;
            }
            return Err(self.error("expected “,” or “)”"));
        }
        if args.len() != 2 {
            return Err(self.error("matches() and contains() take two arguments"));
        }
        if let (Func::Matches, Expr::Str(pattern)) = (func, &args[1])
            && pattern.chars().count() > crate::regex::MAX_PATTERN_CHARS
        {
            return Err(self.error(&format!(
                "a pattern can be at most {} characters long",
                crate::regex::MAX_PATTERN_CHARS
            )));
        }
        Ok(Expr::Call { func, args })
    }

    fn string(&mut self) -> Result<String, ConditionError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        while let Some(c) = self.peek() {
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let Some(next) = self.peek() else { break };
                    self.pos += next.len_utf8();
                    out.push(next);
                }
                c => out.push(c),
            }
        }
        Err(ConditionError {
            source_text: self.src.to_owned(),
            position: start,
            message: "unterminated string".to_owned(),
        })
    }
}

fn reference(word: &str) -> Option<Expr> {
    let (visible, rest) = match word.strip_prefix('^') {
        Some(rest) => (true, rest),
        None => (false, word),
    };
    let (id, kind) = if visible {
        (rest, RefKind::Visible)
    } else if let Some(id) = rest.strip_suffix("/yes") {
        (id, RefKind::Yes)
    } else if let Some(id) = rest.strip_suffix("/no") {
        (id, RefKind::No)
    } else if let Some(id) = rest.strip_suffix("/value") {
        (id, RefKind::Value)
    } else {
        (rest, RefKind::Answered)
    };
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'));
    valid.then(|| Expr::Ref {
        id: id.to_owned(),
        kind,
    })
}

/// Answers what a condition asks about items.
pub trait Resolver {
    /// Whether the item is shown (its own condition and its sections' hold).
    fn visible(&self, id: &str) -> bool;
    /// The answer's text (`"checked"` for a checked choice), if answered.
    fn value(&self, id: &str) -> Option<&str>;
    /// What kind of item `id` names.
    fn target(&self, id: &str) -> Target;
    /// Whether a checkbox or choice is checked, or (a group) any of its choices is.
    fn checked(&self, id: &str) -> bool;
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Bool(bool),
    Text(String),
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Text(s) => !s.is_empty(),
    }
}

fn text(v: Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Text(s) => s,
    }
}

fn eval(expr: &Expr, r: &impl Resolver) -> Value {
    match expr {
        Expr::False => Value::Bool(false),
        Expr::Str(s) => Value::Text(s.clone()),
        Expr::Ref { id, kind } => reference_value(id, *kind, r),
        Expr::Not(e) => Value::Bool(!truthy(&eval(e, r))),
        Expr::And(a, b) => Value::Bool(truthy(&eval(a, r)) && truthy(&eval(b, r))),
        Expr::Or(a, b) => Value::Bool(truthy(&eval(a, r)) || truthy(&eval(b, r))),
        Expr::Call { func, args } => {
            // In a function, a bare reference means the answer's text (as `id/value`).
            let mut values = args.iter().map(|a| match a {
                Expr::Ref {
                    id,
                    kind: RefKind::Answered,
                } => text(eval(
                    &Expr::Ref {
                        id: id.clone(),
                        kind: RefKind::Value,
                    },
                    r,
                )),
                other => text(eval(other, r)),
            });
            let subject = values.next().unwrap_or_default();
            let pattern = values.next().unwrap_or_default();
            Value::Bool(match func {
                Func::Contains => subject.contains(&pattern),
                Func::Matches => crate::regex::is_match(&pattern, &subject),
            })
        }
    }
}

/// What `id` with `kind` reads: VSAQ's resolver in `Item.evaluateConditions`, by item kind.
fn reference_value(id: &str, kind: RefKind, r: &impl Resolver) -> Value {
    if kind == RefKind::Visible {
        return Value::Bool(r.visible(id));
    }
    if !r.visible(id) {
        return match kind {
            RefKind::Value => Value::Text(String::new()),
            _ => Value::Bool(false),
        };
    }
    let value = || r.value(id).unwrap_or_default();
    match (r.target(id), kind) {
        (Target::Group, _) => Value::Bool(r.checked(id)),
        (Target::Check, RefKind::Value) => Value::Text(if r.checked(id) {
            "checked".to_owned()
        } else {
            String::new()
        }),
        (Target::Check, _) => Value::Bool(r.checked(id)),
        (Target::YesNo, RefKind::Yes) => Value::Bool(value() == "yes"),
        (Target::YesNo, RefKind::No) => Value::Bool(value() == "no"),
        (_, RefKind::Value) => Value::Text(value().to_owned()),
        // VSAQ compares the answer with the reference's text after its last `/`: for a
        // bare id that is the id itself, so `q` holds only for a question named `yes`
        // answered yes (or `no` answered no).
        (Target::YesNo, _) => Value::Bool(value() == id),
        (Target::Text | Target::Other, _) => Value::Bool(false),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    struct Answers(HashMap<&'static str, &'static str>, Vec<&'static str>);

    impl Resolver for Answers {
        fn visible(&self, id: &str) -> bool {
            !self.1.contains(&id)
        }
        fn value(&self, id: &str) -> Option<&str> {
            self.0.get(id).copied()
        }
        /// By the id's first letter: `q`, `r` yes/no, `t` text, anything else a checkbox.
        fn target(&self, id: &str) -> Target {
            match id.chars().next() {
                Some('q' | 'r') => Target::YesNo,
                Some('t') => Target::Text,
                _ => Target::Check,
            }
        }
        fn checked(&self, id: &str) -> bool {
            self.value(id) == Some("checked")
        }
    }

    fn answers(pairs: &[(&'static str, &'static str)]) -> Answers {
        Answers(pairs.iter().copied().collect(), vec![])
    }

    fn eval_str(src: &str, a: &Answers) -> bool {
        Condition::parse(src).expect("parses").evaluate(a)
    }

    #[test]
    fn evaluation_is_strictly_left_to_right() {
        let a = answers(&[("a", "checked")]);
        // With precedence this would be a || (b && c) = true; VSAQ computes (a || b) && c.
        assert!(!eval_str("a || b && c", &a));
        assert!(eval_str("a || (b && c)", &a));
    }

    #[test]
    fn references_cover_answers_yes_no_visibility_and_values() {
        let mut a = answers(&[
            ("q", "yes"),
            ("r", "no"),
            ("t", "Acme Cloud"),
            ("c", "checked"),
        ]);
        assert!(eval_str("q/yes && r/no && c && t/value", &a));
        assert!(!eval_str("q/no || r/yes || missing", &a));
        assert!(
            !eval_str("q || t", &a),
            "bare yes/no and text ids read false"
        );
        assert!(eval_str(
            "contains(t/value, \"Cloud\") && matches(t, \"^Ac.e\")",
            &a
        ));
        a.1.push("c");
        assert!(!eval_str("c", &a), "a hidden item counts as unanswered");
        assert!(eval_str("!^c && ^q", &a));
        assert!(!eval_str("false", &a));
    }

    #[test]
    fn errors_point_at_the_position() {
        let err = Condition::parse("a && (b || c").expect_err("unbalanced");
        assert_eq!(err.position, 12);
        let err = Condition::parse("a & b").expect_err("single ampersand");
        assert_eq!(err.position, 2);
        let err = Condition::parse("a && bad id").expect_err("two ids");
        assert_eq!(err.position, 9);
        assert!(Condition::parse("matches(a)").is_err());
        assert!(Condition::parse("").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_at_the_level_that_goes_too_deep() {
        let ok = format!("{}a", "!".repeat(MAX_DEPTH));
        assert!(
            Condition::parse(&ok).is_ok(),
            "{MAX_DEPTH} levels are allowed"
        );
        // Ten thousand `!` used to overflow the stack and abort the server; that many is
        // now over the length limit, and 1,500 (under it) are over the depth limit.
        assert!(Condition::parse(&format!("{}a", "!".repeat(10_000))).is_err());
        let err = Condition::parse(&format!("{}a", "!".repeat(1_500)))
            .expect_err("too deep for the limit");
        assert!(err.message.contains("nested"), "{}", err.message);
        assert_eq!(
            err.position,
            MAX_DEPTH + 1,
            "points at the first `!` too many"
        );
        let parens = format!("{}a{}", "(".repeat(900), ")".repeat(900));
        let err = Condition::parse(&parens).expect_err("parentheses nest too");
        assert_eq!(err.position, MAX_DEPTH + 1);
    }

    #[test]
    fn long_conditions_and_long_chains_are_refused_with_a_position() {
        let chain = |n: usize| {
            (0..n)
                .map(|i| format!("q{i}"))
                .collect::<Vec<_>>()
                .join(" && ")
        };
        assert!(Condition::parse(&chain(MAX_OPERATORS + 1)).is_ok());
        let err = Condition::parse(&chain(MAX_OPERATORS + 2)).expect_err("one `&&` too many");
        assert!(err.message.contains("at most"), "{}", err.message);
        let err = Condition::parse(&"a".repeat(300_000)).expect_err("too long");
        assert_eq!(err.position, MAX_LENGTH);
        // A multi-byte character at the limit is not split.
        let err = Condition::parse(&"é".repeat(MAX_LENGTH)).expect_err("too long");
        assert!(err.position <= MAX_LENGTH);
    }

    #[test]
    fn multi_byte_whitespace_is_skipped_whole() {
        // Found by the fuzzer: a no-break space used to split a character in two.
        let c = Condition::parse("\u{a0}a &&\u{2003}b").expect("parses");
        assert_eq!(c.references(), vec!["a", "b"]);
        assert!(Condition::parse("\u{a0}").is_err());
    }

    #[test]
    fn references_are_listed() {
        let c = Condition::parse("^a && !(b/yes || contains(c/value, \"x\"))").expect("ok");
        assert_eq!(c.references(), vec!["a", "b", "c"]);
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        fn arb_expr() -> impl Strategy<Value = Expr> {
            let leaf = prop_oneof![
                ("[a-z][a-z0-9_]{0,6}", 0..5u8).prop_map(|(id, k)| Expr::Ref {
                    id,
                    kind: [
                        RefKind::Answered,
                        RefKind::Yes,
                        RefKind::No,
                        RefKind::Value,
                        RefKind::Visible
                    ][k as usize],
                }),
                Just(Expr::False),
            ];
            leaf.prop_recursive(4, 24, 2, |inner| {
                prop_oneof![
                    inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
                    (inner.clone(), inner.clone())
                        .prop_map(|(a, b)| Expr::And(Box::new(a), Box::new(b))),
                    (inner.clone(), inner).prop_map(|(a, b)| Expr::Or(Box::new(a), Box::new(b))),
                    ("[a-z]{1,5}", "[ -~]{0,6}").prop_map(|(id, s)| Expr::Call {
                        func: Func::Contains,
                        args: vec![
                            Expr::Ref {
                                id,
                                kind: RefKind::Value
                            },
                            Expr::Str(s)
                        ],
                    }),
                ]
            })
        }

        proptest! {
            #[test]
            fn print_then_parse_gives_the_same_tree(expr in arb_expr()) {
                let printed = expr.to_string();
                let parsed = Condition::parse(&printed).expect("printed conditions parse");
                prop_assert_eq!(parsed.expr(), &expr);
                let again = parsed.expr().to_string();
                prop_assert_eq!(again, printed);
            }

            #[test]
            fn the_parser_never_panics(src in "\\PC{0,40}") {
                let _ = Condition::parse(&src);
            }

            #[test]
            fn any_nesting_parses_or_fails_inside_the_text(
                opens in proptest::collection::vec(prop_oneof![Just("!"), Just("("), Just(" ")], 0..400),
                closes in 0..400usize,
            ) {
                let src = format!("{}a{}", opens.concat(), ")".repeat(closes));
                match Condition::parse(&src) {
                    Ok(c) => {
                        let printed = c.expr().to_string();
                        prop_assert!(Condition::parse(&printed).is_ok());
                    }
                    Err(e) => prop_assert!(e.position <= src.len()),
                }
            }
        }
    }
}
