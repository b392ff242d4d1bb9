//! Lists answered in pages, by keyset: [`Paging`] reads `?limit=&cursor=`,
//! the handler reads one page after the cursor's key (`WHERE (sort, id) <
//! (k1, k2) ORDER BY sort, id LIMIT n`, never `OFFSET`, so rows inserted
//! during a walk neither repeat nor hide others), and [`Page`] answers the
//! items as a JSON array, as before, with the next page in a
//! `Link: <…>; rel="next"` header (RFC 8288).
//!
//! A cursor is opaque to clients: the last key of a page, with a digest of
//! the list it belongs to (the path and every other query parameter), in
//! URL-safe base64. One edited by hand, cut short, or taken from another
//! list or filter is refused as `invalid_cursor` on the field `cursor`. It
//! is integrity, not secrecy: it names a position in a list the caller may
//! read anyway.
//!
//! ```
//! use contract_axum::{Page, Paging};
//!
//! async fn list(paging: Paging) -> Result<Page<String>, contract_axum::Error> {
//!     let after: Option<(String, i64)> = paging.after()?;
//!     // SELECT .. WHERE (created_at, id) < after ORDER BY .. DESC LIMIT limit + 1
//!     let rows: Vec<(String, i64)> = Vec::new();
//!     let next = (rows.len() > paging.limit() as usize).then(|| rows[paging.limit() as usize - 1].clone());
//!     let items = rows.into_iter().take(paging.limit() as usize).map(|r| r.0).collect();
//!     Ok(paging.page(items, next))
//! }
//! # let _ = list;
//! ```

use axum::extract::{FromRequestParts, OriginalUri};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use contract_core::{Declared, Error, ErrorCode, Violation};
use contract_openapi::{In, Operation, Parameter, SpecBuilder};
use http::header::{self, HeaderValue};
use http::request::Parts;
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{OperationInput, OperationOutput, hex};

/// How many bytes of SHA-256 end a cursor, and name its list.
const DIGEST: usize = 8;

/// `?limit=N&cursor=C` of a list answered in pages of at most `MAX` items,
/// `DEFAULT` when no `limit` is given. A `limit` below 1 or above `MAX`,
/// or not a whole number, is a validation error on `limit`; a cursor this
/// list did not give is `invalid_cursor` on `cursor`. Documented as the two
/// query parameters, with their bounds.
#[derive(Debug, Clone)]
pub struct Paging<const DEFAULT: u32 = 50, const MAX: u32 = 100> {
    limit: u32,
    after: Option<Value>,
    /// The list's path, and its other query pairs, for the next link.
    path: String,
    others: Vec<(String, String)>,
    list: [u8; DIGEST],
}

fn invalid(field: &str, code: ErrorCode) -> Violation {
    Violation::new(field, code)
}

/// The digest naming a list: its path and its other query pairs, sorted.
fn list_digest(path: &str, others: &[(String, String)]) -> [u8; DIGEST] {
    let mut sorted: Vec<&(String, String)> = others.iter().collect();
    sorted.sort();
    let mut h = Sha256::new();
    h.update(b"contract page cursor\0");
    h.update(path.as_bytes());
    for (k, v) in sorted {
        h.update([0]);
        h.update(k.as_bytes());
        h.update([1]);
        h.update(v.as_bytes());
    }
    h.finalize()[..DIGEST].try_into().expect("DIGEST bytes")
}

/// `[list, key]` as JSON, then the digest of both: the cursor's bytes.
fn encode(list: &[u8; DIGEST], key: &Value) -> String {
    let mut bytes = serde_json::to_vec(&json!([hex(list), key])).expect("a key serializes");
    let check: [u8; DIGEST] = Sha256::digest(&bytes)[..DIGEST]
        .try_into()
        .expect("DIGEST bytes");
    bytes.extend_from_slice(&check);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn decode(list: &[u8; DIGEST], cursor: &str) -> Option<Value> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let (payload, check) = bytes.split_at_checked(bytes.len().checked_sub(DIGEST)?)?;
    if Sha256::digest(payload)[..DIGEST] != *check {
        return None;
    }
    let Value::Array(mut parts) = serde_json::from_slice(payload).ok()? else {
        return None;
    };
    if parts.len() != 2 || parts[0] != Value::String(hex(list)) {
        return None;
    }
    parts.pop()
}

impl<const DEFAULT: u32, const MAX: u32> Paging<DEFAULT, MAX> {
    /// Reads `limit` and `cursor` of `query` (the rest names the list) for
    /// the list at `path`.
    ///
    /// # Errors
    /// A `limit` out of `1..=MAX` or not an integer; a cursor this list did
    /// not give: `validation_failed`, every problem at once.
    pub fn parse(path: &str, query: Option<&str>) -> Result<Self, Error> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
            .map_err(|e| Error::from_status(http::StatusCode::BAD_REQUEST).with_detail(e))?;
        let (mut limit, mut cursor, mut others) = (None, None, Vec::new());
        for (k, v) in pairs {
            match k.as_str() {
                "limit" => limit = Some(v),
                "cursor" => cursor = Some(v),
                _ => others.push((k, v)),
            }
        }
        let list = list_digest(path, &others);
        let mut fields = Vec::new();
        let limit = match limit.as_deref().map(str::parse::<i64>) {
            None => DEFAULT,
            Some(Ok(n)) if n < 1 => {
                fields.push(invalid("limit", ErrorCode::TOO_SMALL).with_param("min", 1));
                DEFAULT
            }
            Some(Ok(n)) if n > i64::from(MAX) => {
                fields.push(invalid("limit", ErrorCode::TOO_LARGE).with_param("max", MAX));
                DEFAULT
            }
            Some(Ok(n)) => u32::try_from(n).expect("within 1..=MAX"),
            Some(Err(_)) => {
                fields.push(invalid("limit", ErrorCode::NOT_INTEGER));
                DEFAULT
            }
        };
        let after = match cursor.as_deref() {
            None => None,
            Some(c) => match decode(&list, c) {
                Some(key) => Some(key),
                None => {
                    fields.push(invalid("cursor", ErrorCode::INVALID_CURSOR));
                    None
                }
            },
        };
        if !fields.is_empty() {
            return Err(Error::validation(fields).with_detail("bad paging parameters"));
        }
        Ok(Self {
            limit,
            after,
            path: path.to_owned(),
            others,
            list,
        })
    }

    /// How many items the page holds at most.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The key of the last item of the page before, `None` on the first.
    ///
    /// # Errors
    /// The cursor's key is not a `K` (a cursor of this list from another
    /// version of the app): `invalid_cursor`.
    pub fn after<K: DeserializeOwned>(&self) -> Result<Option<K>, Error> {
        self.after
            .clone()
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| {
                Error::validation(vec![invalid("cursor", ErrorCode::INVALID_CURSOR)])
                    .with_detail(format!("the cursor's key does not read: {e}"))
            })
    }

    /// The page of `items`, with the link to the next one after `next`,
    /// the key of its last item, when there may be more.
    pub fn page<T, K: Serialize>(&self, items: Vec<T>, next: Option<K>) -> Page<T> {
        let next = next.map(|key| {
            let key = serde_json::to_value(key).expect("a key serializes");
            let mut pairs = self.others.clone();
            pairs.push(("limit".into(), self.limit.to_string()));
            pairs.push(("cursor".into(), encode(&self.list, &key)));
            let query = serde_urlencoded::to_string(&pairs).expect("pairs encode");
            format!("<{}?{query}>; rel=\"next\"", self.path)
        });
        Page { items, next }
    }
}

impl<S: Send + Sync, const DEFAULT: u32, const MAX: u32> FromRequestParts<S>
    for Paging<DEFAULT, MAX>
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        // The path the client called, before any `nest` took its prefix.
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .map_or(&parts.uri, |o| &o.0);
        Self::parse(uri.path(), uri.query())
    }
}

impl<const DEFAULT: u32, const MAX: u32> OperationInput for Paging<DEFAULT, MAX> {
    fn document(op: &mut Operation, _: &mut SpecBuilder) {
        op.parameter(
            Parameter::new(
                "limit",
                In::Query,
                json!({ "type": "integer", "format": "int32", "minimum": 1, "maximum": MAX }),
            )
            .description(format!(
                "How many items a page holds: 1 to {MAX}, {DEFAULT} when not given."
            )),
        );
        op.parameter(
            Parameter::new(
                "cursor",
                In::Query,
                json!({ "type": "string", "pattern": "^[A-Za-z0-9_-]+$" }),
            )
            .description(
                "Where the page starts: the `cursor` of the previous page's `Link: <…>; \
                 rel=\"next\"` header, as given. Not given: the first page.",
            ),
        );
        op.error(Declared::builtin(ErrorCode::VALIDATION_FAILED));
    }
}

/// One page of a list: a JSON array of the items, and, when there may be
/// more, `Link: <path?…&cursor=…>; rel="next"`. Made by [`Paging::page`].
#[derive(Debug, Clone)]
pub struct Page<T> {
    items: Vec<T>,
    next: Option<String>,
}

impl<T> Page<T> {
    /// The items.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The `Link` header's value, when there is a next page.
    pub fn next_link(&self) -> Option<&str> {
        self.next.as_deref()
    }
}

impl<T: Serialize> IntoResponse for Page<T> {
    fn into_response(self) -> Response {
        let mut res = axum::Json(self.items).into_response();
        if let Some(link) = self.next.and_then(|l| HeaderValue::from_str(&l).ok()) {
            res.headers_mut().insert(header::LINK, link);
        }
        res
    }
}

impl<T: Serialize + JsonSchema> OperationOutput for Page<T> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        op.success(200, Some(spec.response_schema::<Vec<T>>()));
        op.success_header(
            "Link",
            "`<…>; rel=\"next\"`: the next page, when there may be one (RFC 8288); absent on the last.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type P = Paging<2, 5>;

    fn fields(e: &Error) -> Vec<(String, String)> {
        e.fields()
            .iter()
            .map(|v| (v.field().to_owned(), v.code().as_str().to_owned()))
            .collect()
    }

    #[test]
    fn a_cursor_reads_only_in_its_own_list() {
        let first = P::parse("/items/", Some("name=a")).unwrap();
        assert_eq!(first.limit(), 2);
        assert_eq!(first.after::<(String, i64)>().unwrap(), None);
        let page = first.page(vec![1, 2], Some(("2026-12-07", 2)));
        let link = page.next_link().unwrap();
        let query = link
            .trim_start_matches("</items/?")
            .split('>')
            .next()
            .unwrap();
        let next = P::parse("/items/", Some(query)).unwrap();
        assert_eq!(
            next.after::<(String, i64)>().unwrap(),
            Some(("2026-12-07".into(), 2))
        );
        let cursor = query.split("cursor=").nth(1).unwrap();
        // Another filter, another path, an edited or cut cursor: refused.
        for (path, q) in [
            ("/items/", format!("name=b&cursor={cursor}")),
            ("/other/", format!("name=a&cursor={cursor}")),
            (
                "/items/",
                format!("name=a&cursor={}", &cursor[..cursor.len() - 2]),
            ),
            ("/items/", format!("name=a&cursor=A{cursor}")),
            ("/items/", "name=a&cursor=".to_owned()),
        ] {
            let e = P::parse(path, Some(&q)).unwrap_err();
            assert_eq!(
                fields(&e),
                [("cursor".to_owned(), "invalid_cursor".to_owned())],
                "{q}"
            );
        }
        // The last page has no link.
        assert!(
            next.page(vec![3], None::<(String, i64)>)
                .next_link()
                .is_none()
        );
    }

    #[test]
    fn the_limit_is_bounded() {
        for (q, code) in [
            ("limit=0", "too_small"),
            ("limit=-1", "too_small"),
            ("limit=6", "too_large"),
            ("limit=x", "not_integer"),
        ] {
            let e = P::parse("/items/", Some(q)).unwrap_err();
            assert_eq!(fields(&e), [("limit".to_owned(), code.to_owned())], "{q}");
        }
        assert_eq!(P::parse("/items/", Some("limit=5")).unwrap().limit(), 5);
        // Both at once.
        let e = P::parse("/items/", Some("limit=0&cursor=zz")).unwrap_err();
        assert_eq!(fields(&e).len(), 2);
    }
}
