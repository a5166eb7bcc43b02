//! Keyset pages for lists that grow without bound (assessments, remediation items,
//! incidents, the outbox): a page starts after the last row of the one before, named by an
//! opaque cursor, so it costs the same at the millionth row as at the first and a row
//! added meanwhile never shifts what follows.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;

use crate::error::{Error, Result};

/// Rows per page when the client does not say.
pub const DEFAULT_PAGE: u64 = 50;
/// The most rows a page holds.
pub const MAX_PAGE: u64 = 200;

/// Where a page starts and how many rows it holds, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// The key of the row the page starts after, as the cursor carried it.
    after: Option<Vec<String>>,
    pub limit: u64,
}

impl PageRequest {
    /// The first page of `limit` rows.
    pub fn first(limit: u64) -> PageRequest {
        PageRequest { after: None, limit }
    }

    /// From the query's `after` (a `next` this server gave out) and `limit` (1 to
    /// [`MAX_PAGE`], [`DEFAULT_PAGE`] when absent); a cursor of `parts` key columns.
    pub fn parse(after: Option<&str>, limit: Option<u64>, parts: usize) -> Result<PageRequest> {
        let limit = limit.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(Error::validation(
                "limit",
                format!("A page holds 1 to {MAX_PAGE} rows."),
            ));
        }
        let after = match after.map(str::trim).filter(|a| !a.is_empty()) {
            None => None,
            Some(cursor) => Some(decode(cursor, parts).ok_or_else(foreign)?),
        };
        Ok(PageRequest { after, limit })
    }

    /// The key columns of the row the page starts after.
    pub fn after(&self) -> Option<&[String]> {
        self.after.as_deref()
    }

    /// For lists keyed by id alone: the id the page starts after.
    pub fn after_id(&self) -> Result<Option<uuid::Uuid>> {
        match self.after() {
            Some([id]) => uuid::Uuid::parse_str(id).map(Some).map_err(|_| foreign()),
            Some(_) => Err(foreign()),
            None => Ok(None),
        }
    }

    /// Rows to fetch: one more than the page, to tell whether another follows.
    pub fn fetch(&self) -> u64 {
        self.limit + 1
    }

    /// Cuts the fetched rows to the page and names the cursor of the next page from the
    /// key of its last row.
    pub fn finish<T>(
        &self,
        mut rows: Vec<T>,
        key: impl Fn(&T) -> Vec<String>,
    ) -> (Vec<T>, Option<String>) {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        if rows.len() > limit {
            rows.truncate(limit);
            let next = rows.last().map(|row| encode(&key(row)));
            (rows, next)
        } else {
            (rows, None)
        }
    }
}

/// The error for a cursor this server did not give out (or that was damaged).
pub fn foreign() -> Error {
    Error::validation(
        "after",
        "This is not a cursor Assay gave out: start again from the first page.",
    )
}

/// A cursor for these key columns: opaque to clients and safe in a URL.
pub fn encode(parts: &[String]) -> String {
    B64.encode(parts.join("\n"))
}

fn decode(cursor: &str, parts: usize) -> Option<Vec<String>> {
    if cursor.len() > 512 {
        return None;
    }
    let text = String::from_utf8(B64.decode(cursor).ok()?).ok()?;
    let out: Vec<String> = text.split('\n').map(str::to_owned).collect();
    (out.len() == parts && out.iter().all(|p| !p.is_empty())).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_comes_back_as_the_key_it_was_made_of() {
        let key = vec![
            "2027-03-31".to_owned(),
            "0193a5f0-0000-7000-8000-000000000000".to_owned(),
        ];
        let page = PageRequest::parse(Some(&encode(&key)), Some(10), 2).expect("a cursor we made");
        assert_eq!(page.after(), Some(&key[..]));
        assert_eq!(page.fetch(), 11, "one row more than the page");
    }

    #[test]
    fn foreign_or_damaged_cursors_and_bad_limits_name_their_field() {
        for (after, limit, field) in [
            (Some("%%%"), None, "after"),
            (Some("bm90IHR3byBwYXJ0cw"), None, "after"),
            (None, Some(0), "limit"),
            (None, Some(MAX_PAGE + 1), "limit"),
        ] {
            let error = PageRequest::parse(after, limit, 2).expect_err("refused");
            assert!(
                format!("{error:?}").contains(field),
                "{after:?}/{limit:?} names {field}: {error:?}"
            );
        }
    }

    #[test]
    fn the_last_page_has_no_next() {
        let page = PageRequest::first(2);
        let (rows, next) = page.finish(vec![1, 2, 3], |n| vec![n.to_string()]);
        assert_eq!(
            (rows, next.as_deref()),
            (vec![1, 2], Some(encode(&["2".to_owned()]).as_str()))
        );
        let (rows, next) = page.finish(vec![1, 2], |n| vec![n.to_string()]);
        assert_eq!((rows, next), (vec![1, 2], None));
    }
}
