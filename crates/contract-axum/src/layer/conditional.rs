//! The part of conditional requests every response passes through: a
//! `GET` whose `If-None-Match` still matches the answer's `ETag` is
//! answered `304 Not Modified`, without a body (RFC 9110, section 13.1.2).

use contract_core::{Error, ErrorCode, Violation};
use http::Method;
use http::header::HeaderValue;

/// The opaque tags of an `If-Match`/`If-None-Match` value (`*` as `None`),
/// with whether each is weak; `Err` when a value is not a list of entity
/// tags (RFC 9110, section 8.8.3). A comma inside the quotes is part of the
/// tag (`etagc` admits it), so the list is read tag by tag, not split.
pub(crate) fn parse_tags<'a>(
    values: impl Iterator<Item = &'a HeaderValue>,
) -> Result<Option<Vec<(bool, String)>>, ()> {
    let mut tags = Vec::new();
    for value in values {
        let text = value.as_bytes();
        if text.trim_ascii() == b"*" {
            return Ok(None);
        }
        let mut i = 0;
        let ows = |i: &mut usize| {
            while text.get(*i).is_some_and(|b| *b == b' ' || *b == b'\t') {
                *i += 1;
            }
        };
        loop {
            // Empty list elements (`a, , b`) are allowed (RFC 9110, 5.6.1).
            ows(&mut i);
            while text.get(i) == Some(&b',') {
                i += 1;
                ows(&mut i);
            }
            if i == text.len() {
                break;
            }
            let weak = text[i..].starts_with(b"W/");
            if weak {
                i += 2;
            }
            let start = i;
            if text.get(i) != Some(&b'"') {
                return Err(());
            }
            i += 1;
            while let Some(&b) = text.get(i) {
                match b {
                    b'"' => break,
                    0x21 | 0x23..=0x7e => i += 1,
                    _ => return Err(()),
                }
            }
            if text.get(i) != Some(&b'"') {
                return Err(());
            }
            i += 1;
            let opaque = std::str::from_utf8(&text[start..i]).map_err(|_| ())?;
            tags.push((weak, opaque.to_owned()));
            ows(&mut i);
            match text.get(i) {
                None => break,
                Some(b',') => {}
                Some(_) => return Err(()),
            }
        }
    }
    if tags.is_empty() {
        return Err(());
    }
    Ok(Some(tags))
}

pub(crate) fn malformed(header: &str) -> Error {
    Error::validation(vec![Violation::new(header, ErrorCode::INVALID_FORMAT)]).with_detail(format!(
        "{header} is not `*` or a list of quoted entity tags"
    ))
}

/// Whether a `GET`'s answer with `etag` is `304 Not Modified` for this
/// request's `If-None-Match` (weak comparison, as RFC 9110 asks); `Err`
/// when the header is malformed.
pub(crate) fn not_modified(
    if_none_match: &[HeaderValue],
    etag: &HeaderValue,
) -> Result<bool, Error> {
    match parse_tags(if_none_match.iter()) {
        Ok(None) => Ok(true),
        Ok(Some(tags)) => {
            let current = etag.to_str().unwrap_or_default();
            let current = current.strip_prefix("W/").unwrap_or(current);
            Ok(tags.iter().any(|(_, t)| t == current))
        }
        Err(()) => Err(malformed("If-None-Match")),
    }
}

/// Whether a request's method is one `If-None-Match` applies to.
pub(crate) fn reads(method: &Method) -> bool {
    method == Method::GET || method == Method::HEAD
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_uses_the_weak_comparison() {
        let tag = HeaderValue::from_static("\"5f0c\"");
        let check = |v: &str| not_modified(&[HeaderValue::from_str(v).unwrap()], &tag);
        assert!(check("\"5f0c\"").unwrap());
        assert!(check("W/\"5f0c\"").unwrap());
        assert!(check("\"x\", \"5f0c\"").unwrap());
        // A comma inside the quotes is part of a tag.
        assert!(check("\"a,b\" ,W/\"5f0c\"").unwrap());
        assert!(!check("\"5f0c,x\"").unwrap());
        assert!(check("\"a\",  , \"5f0c\"").unwrap());
        assert!(check("*").unwrap());
        assert!(!check("\"other\"").unwrap());
        for bad in ["abc", "\"unclosed", "W/", "\"a\" \"b\"", ""] {
            let e = check(bad).unwrap_err();
            assert_eq!(e.fields()[0].field(), "If-None-Match", "{bad:?}");
        }
    }
}
