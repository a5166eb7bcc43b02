//! Google VSAQ templates ("VSAQON"): JSON with whole-line `//` comments and JavaScript
//! string concatenation (`"a" +` newline `"b"`), a root block holding nested blocks and
//! items, conditions in `cond`, warnings as `tip` items with `warn: "yes"`, and template
//! extensions (`namespace` + `extensions` inserted before or after an existing id).

use serde_json::{Map, Value};

use super::ImportError;
use crate::condition::Condition;
use crate::template::{
    Choice, Info, Item, Question, QuestionKind, Section, Severity, Template, Warning,
};

// Scoring and the UI strip HTML the same way; the helper lives in `text`, and callers keep
// finding it here.
pub use crate::text::plain_text;

/// Turns VSAQON into strict JSON, keeping line numbers: comment lines become empty lines
/// and the newlines inside a concatenation move to just after the joined string.
pub fn to_strict_json(text: &str) -> String {
    let mut cleaned = String::with_capacity(text.len());
    for line in text.lines() {
        if !line.trim_start().starts_with("//") {
            cleaned.push_str(line);
        }
        cleaned.push('\n');
    }
    let chars: Vec<char> = cleaned.chars().collect();
    let mut out = String::with_capacity(cleaned.len());
    let mut in_string = false;
    let mut pending_newlines = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(next) = chars.get(i + 1) {
                    out.push(*next);
                    i += 1;
                }
            } else if c == '"' {
                // A closing quote followed by `+ "…"` continues the same string.
                let mut j = i + 1;
                let mut newlines = 0;
                while chars.get(j).is_some_and(|c| c.is_whitespace()) {
                    newlines += usize::from(chars[j] == '\n');
                    j += 1;
                }
                if chars.get(j) == Some(&'+') {
                    let mut k = j + 1;
                    while chars.get(k).is_some_and(|c| c.is_whitespace()) {
                        newlines += usize::from(chars[k] == '\n');
                        k += 1;
                    }
                    if chars.get(k) == Some(&'"') {
                        out.pop();
                        pending_newlines += newlines;
                        i = k + 1;
                        continue;
                    }
                }
                in_string = false;
                for _ in 0..pending_newlines {
                    out.push('\n');
                }
                pending_newlines = 0;
            }
        } else {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
        i += 1;
    }
    out
}

/// The line (1-based) where `"id": "<id>"` appears, to point errors at an item.
fn line_of_id(text: &str, id: &str) -> Option<usize> {
    let needle = format!("\"{id}\"");
    text.lines()
        .position(|l| l.contains("\"id\"") && l.contains(&needle))
        .map(|n| n + 1)
}

struct Ctx<'a> {
    text: &'a str,
    anonymous: usize,
}

impl Ctx<'_> {
    fn error(&self, path: &str, id: Option<&str>, message: impl Into<String>) -> ImportError {
        ImportError {
            line: id.and_then(|id| line_of_id(self.text, id)),
            column: None,
            item: Some(match id {
                Some(id) => format!("{path} (id “{id}”)"),
                None => path.to_owned(),
            }),
            message: message.into(),
        }
    }
}

fn str_field<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    obj.get(key).and_then(Value::as_str)
}

fn condition(
    ctx: &Ctx<'_>,
    obj: &Map<String, Value>,
    path: &str,
    id: Option<&str>,
) -> Result<Option<Condition>, ImportError> {
    match str_field(obj, "cond")
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => Ok(None),
        Some(src) => Condition::parse(src)
            .map(Some)
            .map_err(|e| ctx.error(path, id, e.to_string())),
    }
}

fn choices(
    ctx: &Ctx<'_>,
    obj: &Map<String, Value>,
    path: &str,
    id: Option<&str>,
) -> Result<Vec<Choice>, ImportError> {
    let list = obj
        .get("choices")
        .and_then(Value::as_array)
        .ok_or_else(|| ctx.error(path, id, "a choice question needs “choices”"))?;
    let conds = obj.get("choicesConds").and_then(Value::as_array);
    let mut out = Vec::new();
    for (n, entry) in list.iter().enumerate() {
        let map = entry.as_object().filter(|m| m.len() == 1).ok_or_else(|| {
            ctx.error(
                path,
                id,
                format!("choice {n} must be {{\"<id>\": \"<label>\"}}"),
            )
        })?;
        let Some((choice_id, label)) = map.iter().next() else {
            continue;
        };
        let condition = match conds
            .and_then(|c| c.get(n))
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
        {
            Some(src) => {
                Some(Condition::parse(src).map_err(|e| ctx.error(path, id, e.to_string()))?)
            }
            None => None,
        };
        out.push(Choice {
            id: choice_id.clone(),
            label: label.as_str().unwrap_or_default().to_owned(),
            condition,
        });
    }
    Ok(out)
}

fn item(ctx: &mut Ctx<'_>, value: &Value, path: &str) -> Result<Option<Item>, ImportError> {
    let obj = value
        .as_object()
        .ok_or_else(|| ctx.error(path, None, "an item must be an object"))?;
    let id = str_field(obj, "id").map(str::to_owned);
    let kind = str_field(obj, "type")
        .ok_or_else(|| ctx.error(path, id.as_deref(), "an item needs a “type”"))?;
    let text = str_field(obj, "text").unwrap_or_default().to_owned();
    let cond = condition(ctx, obj, path, id.as_deref())?;
    // VSAQ tolerates questions without ids; they get a stable one from their position.
    let question = |ctx: &mut Ctx<'_>, kind: QuestionKind| -> Result<Option<Item>, ImportError> {
        let id = id.clone().unwrap_or_else(|| {
            ctx.anonymous += 1;
            format!("question_{}", ctx.anonymous)
        });
        Ok(Some(Item::Question(Question {
            id,
            text: text.clone(),
            help: None,
            kind,
            required: str_field(obj, "required").is_some_and(|r| r == "true"),
            na_allowed: false,
            condition: cond.clone(),
        })))
    };
    match kind {
        "block" => {
            let children = obj
                .get("items")
                .and_then(Value::as_array)
                .ok_or_else(|| ctx.error(path, id.as_deref(), "a block needs “items”"))?;
            let items = items(ctx, children, path)?;
            Ok(Some(Item::Section(Section {
                id,
                title: plain_text(&text),
                condition: cond,
                items,
            })))
        }
        "info" => Ok(Some(Item::Info(Info {
            id,
            text,
            condition: cond,
        }))),
        "spacer" => Ok(None),
        "tip" if str_field(obj, "warn") == Some("yes") => {
            let id = id.unwrap_or_else(|| {
                ctx.anonymous += 1;
                format!("warning_{}", ctx.anonymous)
            });
            let severity = match str_field(obj, "severity") {
                Some("critical") => Severity::Critical,
                Some("high") => Severity::High,
                Some("medium") | None => Severity::Medium,
                Some(other) => {
                    return Err(ctx.error(path, Some(&id), format!("unknown severity “{other}”")));
                }
            };
            let title = str_field(obj, "name")
                .map(plain_text)
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| plain_text(&text).chars().take(120).collect());
            Ok(Some(Item::Warning(Warning {
                id,
                title,
                text,
                severity,
                justification_prompt: str_field(obj, "why").map(str::to_owned),
                condition: cond,
            })))
        }
        "tip" => Ok(Some(Item::Info(Info {
            id,
            text,
            condition: cond,
        }))),
        "line" => question(ctx, QuestionKind::ShortText),
        "box" => question(ctx, QuestionKind::LongText),
        "check" => question(ctx, QuestionKind::Check),
        "yesno" => question(ctx, QuestionKind::YesNo),
        "upload" => question(ctx, QuestionKind::Evidence),
        "radiogroup" => {
            let choices = choices(ctx, obj, path, id.as_deref())?;
            question(ctx, QuestionKind::SingleChoice { choices })
        }
        "checkgroup" => {
            let choices = choices(ctx, obj, path, id.as_deref())?;
            question(ctx, QuestionKind::MultipleChoice { choices })
        }
        other => Err(ctx.error(path, id.as_deref(), format!("unknown item type “{other}”"))),
    }
}

fn items(ctx: &mut Ctx<'_>, values: &[Value], parent: &str) -> Result<Vec<Item>, ImportError> {
    let mut out = Vec::new();
    for (n, value) in values.iter().enumerate() {
        if let Some(item) = item(ctx, value, &format!("{parent}.items[{n}]"))? {
            out.push(item);
        }
    }
    Ok(out)
}

fn parse_json(text: &str) -> Result<(String, Value), ImportError> {
    let strict = to_strict_json(text);
    let value: Value = serde_json::from_str(&strict).map_err(|e| ImportError {
        line: Some(e.line()),
        column: None,
        item: None,
        message: format!("not valid VSAQ JSON: {e}"),
    })?;
    Ok((strict, value))
}

/// Imports a VSAQ template, or an extension file on its own (its blocks become the items).
pub fn import(text: &str) -> Result<Template, ImportError> {
    let (strict, value) = parse_json(text)?;
    let mut ctx = Ctx {
        text: &strict,
        anonymous: 0,
    };
    if let Some(extensions) = value.get("extensions").and_then(Value::as_array) {
        let namespace = value
            .get("namespace")
            .and_then(Value::as_str)
            .unwrap_or("extension");
        return Ok(Template::new(
            format!("Extension “{namespace}”"),
            items(&mut ctx, extensions, "extensions")?,
        ));
    }
    let root = value
        .get("questionnaire")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError::general("a VSAQ template needs a “questionnaire” array"))?;
    let [root] = root.as_slice() else {
        return Err(ImportError::general(
            "“questionnaire” must hold exactly one root block",
        ));
    };
    match item(&mut ctx, root, "questionnaire[0]")? {
        Some(Item::Section(section)) => Ok(Template::new(section.title, section.items)),
        _ => Err(ImportError::general(
            "the root of a VSAQ questionnaire must be a block",
        )),
    }
}

/// Inserts an extension's blocks into `base` before or after the items they name.
pub fn apply_extension(base: &mut Template, extension_text: &str) -> Result<(), ImportError> {
    let (strict, value) = parse_json(extension_text)?;
    let mut ctx = Ctx {
        text: &strict,
        anonymous: 0,
    };
    let extensions = value
        .get("extensions")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError::general("an extension file needs “extensions”"))?;
    for (n, ext) in extensions.iter().enumerate() {
        let path = format!("extensions[{n}]");
        let obj = ext
            .as_object()
            .ok_or_else(|| ctx.error(&path, None, "an extension must be an object"))?;
        let (anchor, after) = match (
            str_field(obj, "insertAfter"),
            str_field(obj, "insertBefore"),
        ) {
            (Some(a), _) => (a.to_owned(), true),
            (None, Some(b)) => (b.to_owned(), false),
            (None, None) => {
                return Err(ctx.error(&path, None, "needs “insertAfter” or “insertBefore”"));
            }
        };
        let Some(new_item) = item(&mut ctx, ext, &path)? else {
            continue;
        };
        if !insert(&mut base.items, &anchor, after, new_item) {
            return Err(ctx.error(
                &path,
                None,
                format!("no item with id “{anchor}” to insert at"),
            ));
        }
    }
    Ok(())
}

fn insert(items: &mut Vec<Item>, anchor: &str, after: bool, new_item: Item) -> bool {
    if let Some(pos) = items.iter().position(|i| i.id() == Some(anchor)) {
        items.insert(if after { pos + 1 } else { pos }, new_item);
        return true;
    }
    for item in items.iter_mut() {
        if let Item::Section(s) = item
            && insert(&mut s.items, anchor, after, new_item.clone())
        {
            return true;
        }
    }
    false
}
