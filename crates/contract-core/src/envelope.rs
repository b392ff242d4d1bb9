//! The wire format: the envelope every error is sent as, and its RFC 9457
//! rendering.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// The error envelope (`ApiError` in the spec): one shape for every error.
///
/// All four members are always present and never null; `fields` is `[]`
/// when no field is at fault. With the `schema` feature, its JSON Schema
/// (the spec's `ApiError` component) is derived from this type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(
        rename = "ApiError",
        title = "",
        description = "The error envelope: one shape for every error. All members are always present and never null."
    )
)]
#[non_exhaustive]
pub struct Envelope {
    /// The stable machine code clients switch on.
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = format!(
                "Stable machine code to switch on; an open set (new codes may appear), each operation lists its codes in `{}`.",
                crate::keyword::ERROR_CODES
            ),
            pattern(crate::ErrorCode::PATTERN)
        )
    )]
    pub code: Cow<'static, str>,
    /// A short message for a person, in the negotiated language (`Content-Language`).
    pub message: Cow<'static, str>,
    /// The fields at fault, in request order, at most one per path; empty when no field is at fault.
    pub fields: Vec<FieldViolation>,
    /// The request id, also sent as the `x-request-id` header.
    pub request_id: String,
    /// Developer detail, only in a dev profile; never in the published schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub debug: Option<String>,
}

impl Envelope {
    /// Appends the envelope as compact JSON: the same bytes `serde_json`
    /// writes, without its per-character machinery (this is the hot part of
    /// every error response).
    pub fn write_json(&self, out: &mut Vec<u8>) {
        write_envelope(
            out,
            &self.code,
            &self.message,
            self.fields
                .iter()
                .map(|f| (f.field.as_str(), f.code.as_ref(), f.message.as_ref())),
            &self.request_id,
            self.debug.as_deref(),
            // The members are public: a code may have been set to anything.
            false,
        );
    }
}

/// Writes an envelope from its parts, as [`Envelope::write_json`] does:
/// so an error can be written without first building an `Envelope`.
/// `codes_checked`: every code is an [`ErrorCode`](crate::ErrorCode)'s, so
/// none needs escaping.
pub(crate) fn write_envelope<'a, M: AsRef<str>>(
    out: &mut Vec<u8>,
    code: &str,
    message: &str,
    fields: impl Iterator<Item = (&'a str, &'a str, M)>,
    request_id: &str,
    debug: Option<&str>,
    codes_checked: bool,
) {
    let write_code = if codes_checked { write_code } else { write_str };
    out.extend_from_slice(b"{\"code\":");
    write_code(out, code);
    out.extend_from_slice(b",\"message\":");
    write_str(out, message);
    out.extend_from_slice(b",\"fields\":[");
    for (i, (field, code, message)) in fields.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"field\":");
        write_str(out, field);
        out.extend_from_slice(b",\"code\":");
        write_code(out, code);
        out.extend_from_slice(b",\"message\":");
        write_str(out, message.as_ref());
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"request_id\":");
    write_str(out, request_id);
    if let Some(debug) = debug {
        out.extend_from_slice(b",\"debug\":");
        write_str(out, debug);
    }
    out.push(b'}');
}

/// Whether `bytes` holds a byte JSON must escape (`"`, `\\`, or below
/// 0x20), eight bytes at a time.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS != 0;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let x = u64::from_le_bytes(c.try_into().expect("eight bytes"));
        // Below 0x20: the top three bits are zero.
        let control = has_zero(x & (0xe0 * ONES));
        if control
            || has_zero(x ^ (u64::from(b'"') * ONES))
            || has_zero(x ^ (u64::from(b'\\') * ONES))
        {
            return true;
        }
    }
    chunks
        .remainder()
        .iter()
        .any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// A code as a JSON string literal: codes match [`ErrorCode::PATTERN`]
/// (checked when each is made), so nothing in one needs escaping.
///
/// [`ErrorCode::PATTERN`]: crate::ErrorCode::PATTERN
fn write_code(out: &mut Vec<u8>, code: &str) {
    out.push(b'"');
    out.extend_from_slice(code.as_bytes());
    out.push(b'"');
}

/// A JSON string literal, escaped as `serde_json` escapes it.
fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    if !needs_escape(bytes) {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]);
        } else {
            out.extend_from_slice(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// One field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct FieldViolation {
    /// Path of the field (`name`, `host.email`, `items[2].id`) or the parameter's name.
    pub field: String,
    /// Stable field code (`required`, `too_long`, ...); an open set.
    #[cfg_attr(feature = "schema", schemars(pattern(crate::ErrorCode::PATTERN)))]
    pub code: Cow<'static, str>,
    /// A one-line message for a person.
    pub message: Cow<'static, str>,
}

impl FieldViolation {
    /// A field violation from its three members.
    pub fn new(
        field: impl Into<String>,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// The same error as RFC 9457 problem details (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Problem {
    /// `/problems/{code}`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The localized message.
    pub title: Cow<'static, str>,
    /// The HTTP status.
    pub status: u16,
    /// The request path that failed.
    pub instance: String,
    /// The stable machine code (extension member).
    pub code: Cow<'static, str>,
    /// The request id (extension member).
    pub request_id: String,
    /// The field violations (extension member).
    pub errors: Vec<FieldViolation>,
}

impl Problem {
    /// Renders an envelope as problem details.
    pub fn from_envelope(envelope: Envelope, status: u16, instance: impl Into<String>) -> Self {
        Self {
            type_: format!("/problems/{}", envelope.code),
            title: envelope.message,
            status,
            instance: instance.into(),
            code: envelope.code,
            request_id: envelope.request_id,
            errors: envelope.fields,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_scan_finds_every_byte_that_needs_it() {
        for b in 0u8..=255 {
            let want = b < 0x20 || b == b'"' || b == b'\\';
            for at in 0..20 {
                let mut v = vec![b'a'; 20];
                v[at] = b;
                assert_eq!(needs_escape(&v), want, "byte {b:#x} at {at}");
            }
        }
    }

    #[test]
    fn write_json_matches_serde_json() {
        let tricky = "quote \" backslash \\ nl \n tab \t cr \r bs \u{8} ff \u{c} nul \u{0} us \u{1f} del \u{7f} 한국어 🦀";
        for debug in [None, Some(tricky.to_owned())] {
            let e = Envelope {
                code: "validation_failed".into(),
                message: tricky.into(),
                fields: vec![
                    FieldViolation::new("a.b[2]", "blank", "Can't be blank"),
                    FieldViolation::new(tricky, "too_long", tricky),
                ],
                request_id: "01JDX3T6K9Q4S2M8V7W5Y0Z1AB".into(),
                debug,
            };
            let mut ours = Vec::new();
            e.write_json(&mut ours);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(&e).unwrap()
            );
        }
        let empty = Envelope {
            code: "not_found".into(),
            message: "".into(),
            fields: vec![],
            request_id: String::new(),
            debug: None,
        };
        let mut ours = Vec::new();
        empty.write_json(&mut ours);
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            serde_json::to_string(&empty).unwrap()
        );
    }
}
