//! The OpenAPI extension keywords of contract's wire contract, each named
//! once: the spec builder writes them, the extractors, the linter, the diff
//! and the test kit read them.

/// On an error response: the codes it can carry, a JSON array of strings.
pub const ERROR_CODES: &str = "x-error-codes";

/// On a schema with a `pattern` or other rule: the field code a violation
/// of it answers, instead of `invalid_format`.
pub const INVALID_CODE: &str = "x-invalid-code";

/// On an `anyOf` branch: a form the server also accepts, which generated
/// clients never send (they send the other branch).
pub const ALTERNATE: &str = "x-contract-alternate";

/// On a request schema exported for a generator that cannot read a union:
/// the forms the server also accepts.
pub const ALSO_ACCEPTS: &str = "x-contract-also-accepts";

/// On a response property left out of `required`: it may be absent. Its
/// `description` says when.
pub const ALLOW_ABSENT: &str = "x-contract-allow-absent";

/// On a request property: a tri-state (`Patch<T>`), where absent, null and
/// a value mean three different things.
pub const PATCH: &str = "x-patch";

/// A property's nullability class, as `contract lint` names it.
pub const CLASS: &str = "x-contract-class";

/// On an `enum`: one description per value, in order.
pub const ENUM_DESCRIPTIONS: &str = "x-enum-descriptions";

/// On a deprecated operation: the date (`YYYY-MM-DD`) after which it may
/// be removed (the name oasdiff reads); `contract diff` allows the removal
/// from then on.
pub const SUNSET: &str = "x-sunset";

/// On an export in a profile that cannot state some rules: the keywords
/// the profile dropped.
pub const DROPPED: &str = "x-contract-dropped";

/// Not contract's, and never written: the nullable marker some tools wrote
/// for OpenAPI 2.0 and 3.0 (beside 3.0's own `nullable`). The linter refuses
/// it; reading a document, it counts as admitting `null`.
pub const LEGACY_NULLABLE: &str = "x-nullable";
