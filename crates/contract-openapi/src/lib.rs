//! OpenAPI 3.1 documents with explicit nullability and documented errors,
//! from Rust types.
//!
//! Schemas come from schemars 1.x: the **serialize** contract for
//! responses (every property required; `Option<T>` present and nullable)
//! and the **deserialize** contract for requests (`Option<T>` and defaulted
//! fields optional). Where one type's two contracts differ, the request one
//! is published as `{Name}Input`. Nullable references are written
//! `oneOf: [{$ref}, {type: "null"}]`, never with the `nullable` keyword.
//! Every schema is published in a shape mainstream client generators read
//! as the intended type: unit enums as string enums, no nested unions,
//! integer formats they know (see [`ALTERNATE_KEYWORD`] for lenient inputs).
//!
//! Each operation lists only the statuses it can return, each with the
//! codes (`x-error-codes`) and one example envelope per code. The envelope
//! is `ApiError` and its violations `FieldViolation`: the only two error
//! schemas.
//!
//! ```
//! use contract_openapi::{Operation, SpecBuilder};
//! use contract_core::{Declared, ErrorCode};
//!
//! #[derive(serde::Serialize, schemars::JsonSchema)]
//! struct Seminar { id: u32, name: String, online: Option<bool> }
//!
//! let mut spec = SpecBuilder::new("Seminar API", "1.0.0");
//! let mut op = Operation::new("get", "/seminar/{id}/");
//! op.success(200, Some(spec.response_schema::<Seminar>()));
//! op.error(Declared::new(404, ErrorCode::NOT_FOUND, None));
//! spec.add(op);
//! let doc = spec.build();
//! assert_eq!(doc["openapi"], "3.1.0");
//! assert_eq!(doc["components"]["schemas"]["Seminar"]["required"][2], "online");
//! ```

mod adopt;
mod build;
mod check;
mod deprecation;
mod diff;
pub mod document;
mod lint;
mod operation;
mod parameter;
mod patch;
mod profile;
mod reference;
mod security;
mod shape;
mod union;

pub use adopt::{Adopt, AdoptError, envelope_schemas};
pub use build::{SpecBuilder, TypeSchemas};
pub use check::{canonical, check};
pub use contract_core::keyword;
pub use deprecation::Deprecation;
pub use diff::{DiffReport, Finding, Severity, diff};
pub use lint::{LintError, LintReport, PropertyClass, PropertyReport, SchemaReport, Usage, lint};
pub use operation::Operation;
pub use parameter::{In, Parameter};
pub use patch::Patch;
pub use profile::{Exported, Profile, export, violations};
pub use reference::{MAX_REF_HOPS, is_null_schema, reachable_schemas, resolve};
pub use security::{Security, SecurityScheme};
pub use shape::{ALSO_ACCEPTS_KEYWORD, ALTERNATE_KEYWORD, for_each_subschema};
