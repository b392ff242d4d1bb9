//! Conditional requests (RFC 9110, section 13): a strong entity tag on an
//! answer ([`Tagged`]), `304 Not Modified` for a `GET` whose
//! `If-None-Match` still matches (answered by `ErrorLayer`), and
//! [`IfMatch`] for a write, checked against the representation as it is
//! inside the write's transaction, so that a second phone editing a stale
//! copy gets `412 precondition_failed` instead of overwriting the first.
//!
//! ```
//! use contract_axum::{ETag, IfMatch, Tagged};
//!
//! #[derive(serde::Serialize, schemars::JsonSchema)]
//! struct Seminar { id: i64, name: String }
//!
//! // A GET answers `Tagged(seminar)`: the body, and its `ETag`.
//! let seminar = Seminar { id: 1, name: "Rust".into() };
//! let tag = ETag::of(&seminar);
//! assert_eq!(tag.as_str().len(), 34); // 128 bits in hex, quoted
//!
//! // A PUT takes `IfMatch` and checks it in its transaction.
//! let stale = IfMatch::<false>::parse(Some("\"0123\"")).unwrap();
//! assert!(stale.check(&seminar).is_err()); // 412 precondition_failed
//! let fresh = IfMatch::<false>::parse(Some(tag.as_str())).unwrap();
//! assert!(fresh.check(&seminar).is_ok());
//! assert!(IfMatch::<false>::parse(None).unwrap().check(&seminar).is_ok());
//! ```

use axum::extract::FromRequestParts;
use axum::response::{IntoResponse, Response};
use contract_core::{Declared, Error, ErrorCode};
use contract_openapi::{In, Operation, Parameter, SpecBuilder};
use http::StatusCode;
use http::header::{self, HeaderMap, HeaderValue};
use http::request::Parts;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::layer::conditional::{malformed, parse_tags};
use crate::{Created, OperationInput, OperationOutput};

/// A strong entity tag: the first 128 bits of the SHA-256 of the
/// representation's JSON, in hex, quoted (`"5f0c…"`). The same bytes give
/// the same tag in every process, so N servers agree on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ETag(HeaderValue);

impl ETag {
    /// The tag of `value`'s JSON, as [`Tagged`] sends it.
    ///
    /// # Panics
    /// When `value` does not serialize to JSON (a map with non-string keys).
    pub fn of<T: Serialize + ?Sized>(value: &T) -> Self {
        Self::of_bytes(&serde_json::to_vec(value).expect("the representation serializes"))
    }

    /// The tag of a representation's bytes.
    pub fn of_bytes(bytes: &[u8]) -> Self {
        let digest = Sha256::digest(bytes);
        let text = format!("\"{}\"", crate::hex(&digest[..16]));
        Self(HeaderValue::from_str(&text).expect("hex is a valid header value"))
    }

    /// The tag as the `ETag` header writes it, quotes included.
    pub fn as_str(&self) -> &str {
        self.0.to_str().expect("ASCII by construction")
    }
}

/// A JSON answer with its strong `ETag`, computed from the bytes sent.
/// Documented with the `ETag` header; on a `GET`, also with
/// `If-None-Match` and its `304 Not Modified`, which `ErrorLayer` answers
/// when the tag still matches. `Created(Tagged(v))` is a `201` with it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tagged<T>(pub T);

impl<T: Serialize> IntoResponse for Tagged<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(body) => {
                let tag = ETag::of_bytes(&body);
                let json = HeaderValue::from_static("application/json");
                ([(header::CONTENT_TYPE, json), (header::ETAG, tag.0)], body).into_response()
            }
            Err(e) => Error::internal().with_detail(e).into_response(),
        }
    }
}

/// What `If-Match` and `If-None-Match` hold (RFC 9110, section 8.8.3): `*`,
/// or entity tags, quoted, weak ones marked `W/`, separated by commas.
/// Characters up to U+00FF are written `\xHH`, as every pattern contract
/// publishes.
pub(crate) const ENTITY_TAGS_PATTERN: &str =
    r#"^(\*|(W/)?"[\x21\x23-\x7E]*"( *, *(W/)?"[\x21\x23-\x7E]*")*)$"#;

const ETAG_DOC: &str = "The entity tag of this representation: send it as `If-None-Match` to \
    read it only if it changed, or as `If-Match` to change only this version.";

fn document_tag(op: &mut Operation) {
    op.success_header("ETag", ETAG_DOC);
    if op.method() == "get" {
        op.not_modified();
        op.parameter(
            Parameter::new(
                "If-None-Match",
                In::Header,
                json!({ "type": "string", "pattern": ENTITY_TAGS_PATTERN }),
            )
            .description(
                "The `ETag` of the copy the client holds: `304` without a body while it is current.",
            ),
        );
        op.error(Declared::builtin(ErrorCode::VALIDATION_FAILED));
    }
}

impl<T: Serialize + JsonSchema> OperationOutput for Tagged<T> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        op.success(200, Some(spec.response_schema::<T>()));
        document_tag(op);
    }
}

impl<T: Serialize + JsonSchema> OperationOutput for Created<Tagged<T>> {
    fn document(op: &mut Operation, spec: &mut SpecBuilder) {
        op.success(201, Some(spec.response_schema::<T>()));
        document_tag(op);
    }
}

/// `If-Match` on a write: the version of the resource the client changes.
/// The handler checks it with [`IfMatch::check`] against the resource as it
/// is inside the write's transaction; an absent header passes, unless the
/// operation requires one (`IfMatch<true>`: `428 precondition_required`).
/// A malformed header is a validation error on the field `If-Match`.
/// Documented as the header parameter and its `412` (and `428`).
#[derive(Debug, Clone, Default)]
pub struct IfMatch<const REQUIRED: bool = false>(Option<Condition>);

#[derive(Debug, Clone)]
enum Condition {
    /// `*`: any current representation.
    Any,
    /// The strong tags given (a weak one never matches a write).
    Tags(Vec<String>),
}

impl<const REQUIRED: bool> IfMatch<REQUIRED> {
    /// Parses an `If-Match` value (`None`: the header is absent).
    ///
    /// # Errors
    /// The header is malformed (`validation_failed`), or absent where
    /// required (`precondition_required`).
    pub fn parse(value: Option<&str>) -> Result<Self, Error> {
        let mut headers = HeaderMap::new();
        if let Some(v) = value {
            let v = HeaderValue::from_str(v).map_err(|_| malformed("If-Match"))?;
            headers.insert(header::IF_MATCH, v);
        }
        Self::from_headers(&headers)
    }

    fn from_headers(headers: &HeaderMap) -> Result<Self, Error> {
        let values = headers.get_all(header::IF_MATCH);
        if values.iter().next().is_none() {
            if REQUIRED {
                return Err(Error::new(
                    StatusCode::PRECONDITION_REQUIRED,
                    ErrorCode::PRECONDITION_REQUIRED,
                )
                .with_detail("this operation needs If-Match"));
            }
            return Ok(Self(None));
        }
        match parse_tags(values.iter()) {
            Ok(None) => Ok(Self(Some(Condition::Any))),
            Ok(Some(tags)) => Ok(Self(Some(Condition::Tags(
                tags.into_iter()
                    .filter(|(weak, _)| !weak)
                    .map(|(_, t)| t)
                    .collect(),
            )))),
            Err(()) => Err(malformed("If-Match")),
        }
    }

    /// Whether the request sent `If-Match`.
    pub fn is_present(&self) -> bool {
        self.0.is_some()
    }

    /// Whether `current`, the representation as it is now, is the version
    /// the client named (strong comparison); true without the header.
    pub fn matches<T: Serialize + ?Sized>(&self, current: &T) -> bool {
        match &self.0 {
            None | Some(Condition::Any) => true,
            Some(Condition::Tags(tags)) => {
                let tag = ETag::of(current);
                tags.iter().any(|t| t == tag.as_str())
            }
        }
    }

    /// [`IfMatch::matches`], as the error a stale version answers.
    ///
    /// # Errors
    /// `412 precondition_failed` when `current` is another version.
    pub fn check<T: Serialize + ?Sized>(&self, current: &T) -> Result<(), Error> {
        if self.matches(current) {
            return Ok(());
        }
        Err(Error::new(
            StatusCode::PRECONDITION_FAILED,
            ErrorCode::PRECONDITION_FAILED,
        )
        .with_detail("If-Match names a version that is no longer current"))
    }
}

impl<S: Send + Sync, const REQUIRED: bool> FromRequestParts<S> for IfMatch<REQUIRED> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        Self::from_headers(&parts.headers)
    }
}

impl<const REQUIRED: bool> OperationInput for IfMatch<REQUIRED> {
    fn document(op: &mut Operation, _: &mut SpecBuilder) {
        op.parameter(
            Parameter::new(
                "If-Match",
                In::Header,
                json!({ "type": "string", "pattern": ENTITY_TAGS_PATTERN }),
            )
            .required(REQUIRED)
            .description(
                "The `ETag` of the version this change applies to: if the resource changed \
                     since, the answer is `412 precondition_failed` and nothing is written.",
            ),
        );
        op.error(Declared::builtin(ErrorCode::PRECONDITION_FAILED));
        if REQUIRED {
            op.error(Declared::builtin(ErrorCode::PRECONDITION_REQUIRED));
        }
        op.error(Declared::builtin(ErrorCode::VALIDATION_FAILED));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_uses_the_strong_comparison_and_can_be_required() {
        let v = json!({"a": 1});
        let tag = ETag::of(&v);
        assert!(
            IfMatch::<false>::parse(Some(tag.as_str()))
                .unwrap()
                .matches(&v)
        );
        assert!(IfMatch::<false>::parse(Some("*")).unwrap().matches(&v));
        let weak = format!("W/{}", tag.as_str());
        assert!(!IfMatch::<false>::parse(Some(&weak)).unwrap().matches(&v));
        let e = IfMatch::<false>::parse(Some("nope")).unwrap_err();
        assert_eq!(e.code(), &ErrorCode::VALIDATION_FAILED);
        assert_eq!(e.fields()[0].field(), "If-Match");
        let e = IfMatch::<true>::parse(None).unwrap_err();
        assert_eq!(e.status(), StatusCode::PRECONDITION_REQUIRED);
        // What the spec's pattern admits, the parser takes.
        let re = regex::Regex::new(ENTITY_TAGS_PATTERN).unwrap();
        for ok in ["*", "\"a\"", "W/\"a\", \"b\"", "\"\""] {
            assert!(re.is_match(ok), "{ok}");
            IfMatch::<false>::parse(Some(ok)).unwrap();
        }
        for bad in ["", "a", "\"a", "\"a\" \"b\""] {
            assert!(!re.is_match(bad), "{bad}");
        }
        let e = IfMatch::<false>::parse(Some("\"stale\""))
            .unwrap()
            .check(&v)
            .unwrap_err();
        assert_eq!(
            (e.status().as_u16(), e.code().as_str()),
            (412, "precondition_failed")
        );
    }
}
