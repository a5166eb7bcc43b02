//! Keyset pages for lists that grow without bound (assessments, remediation items,
//! incidents, the outbox): a page starts after the last row of the one before, named by an
//! opaque cursor, so it costs the same at the millionth row as at the first and a row
//! added meanwhile never shifts what follows. Lists whose key means something only under
//! one order and set of filters (the vendor register's sorts, say) scope their cursors to
//! them: a cursor carries a fingerprint of what it was made under, and is refused anywhere
//! else.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use sha2::{Digest, Sha256};

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
    /// The fingerprint of the order, filters and organisation the page is read under, for
    /// scoped lists (see [`PageRequest::parse_scoped`]); carried by the cursors it makes.
    scope: Option<String>,
}

impl PageRequest {
    /// The first page of `limit` rows.
    pub fn first(limit: u64) -> PageRequest {
        PageRequest {
            after: None,
            limit,
            scope: None,
        }
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
        Ok(PageRequest {
            after,
            limit,
            scope: None,
        })
    }

    /// As [`PageRequest::parse`], for a list whose key means something only under `scope`
    /// (its order, its filters and the organisation, written out): the cursor must have
    /// been made under the same scope, or it is refused naming `after`.
    pub fn parse_scoped(
        after: Option<&str>,
        limit: Option<u64>,
        parts: usize,
        scope: &str,
    ) -> Result<PageRequest> {
        let fingerprint = fingerprint(scope);
        let mut page = PageRequest::parse(after, limit, parts + 1)?;
        if let Some(key) = &mut page.after
            && key.remove(0) != fingerprint
        {
            return Err(Error::validation(
                "after",
                "This cursor belongs to another order or other filters: start again from the first page.",
            ));
        }
        page.scope = Some(fingerprint);
        Ok(page)
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
            let next = rows.last().map(|row| {
                let mut parts: Vec<String> = self.scope.iter().cloned().collect();
                parts.extend(key(row));
                encode(&parts)
            });
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

/// A short digest of a scope: enough to tell scopes apart, without showing their text.
fn fingerprint(scope: &str) -> String {
    hex::encode(&Sha256::digest(scope.as_bytes())[..8])
}

fn decode(cursor: &str, parts: usize) -> Option<Vec<String>> {
    // Keys hold at most a name (200 characters, up to 800 bytes) and a few short values.
    if cursor.len() > 2048 {
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
    fn a_scoped_cursor_is_refused_under_another_scope() {
        let page = PageRequest::parse_scoped(None, Some(1), 1, "name|acme").expect("first page");
        let (_, next) = page.finish(vec![1, 2], |n| vec![n.to_string()]);
        let next = next.expect("a second page");
        let again = PageRequest::parse_scoped(Some(&next), Some(1), 1, "name|acme")
            .expect("the same scope takes it");
        assert_eq!(
            again.after(),
            Some(&["1".to_owned()][..]),
            "the key, unscoped"
        );
        let error = PageRequest::parse_scoped(Some(&next), Some(1), 1, "tier|acme")
            .expect_err("another scope refuses it");
        assert!(format!("{error:?}").contains("after"), "{error:?}");
        assert!(
            PageRequest::parse(Some(&next), Some(1), 1).is_err(),
            "an unscoped list does not take a scoped cursor"
        );
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
