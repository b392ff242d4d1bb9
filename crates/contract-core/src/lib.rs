//! The core of contract: one error envelope for every failure, with stable
//! codes and short localized messages. No web framework here.
//!
//! ```
//! use contract_core::{Catalog, Error, ErrorCode, Locale, Violation};
//!
//! let err = Error::validation(vec![
//!     Violation::new("name", ErrorCode::BLANK),
//!     Violation::new("title", ErrorCode::TOO_LONG).with_param("max", 100),
//! ]);
//! let ko = Locale::from_static("ko");
//! let body = err.to_envelope(&Catalog::new(), &ko, "01JDX3T6K9Q4S2M8V7W5Y0Z1AB", false);
//! assert_eq!(body.code, "validation_failed");
//! assert_eq!(body.fields[1].message, "100자 이하로 입력하세요");
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod catalog;
mod check;
mod code;
mod declared;
mod envelope;
mod error;
mod failure;
pub mod keyword;
mod locale;
mod numbers;
mod table;

pub use catalog::{
    Catalog, CatalogError, FALLBACK_FIELD_ID, FALLBACK_TOP_ID, FIELD_BUDGET, Params, TOP_BUDGET,
    budget, display_width,
};
pub use check::MessageProblem;
pub use code::{ErrorCode, InvalidCode};
pub use declared::{Declared, DeclaredErrors};
pub use envelope::{Envelope, FieldViolation, Problem};
pub use error::{Error, Violation};
pub use failure::Failure;
pub use locale::{InvalidLocale, Locale, MAX_ACCEPT_LANGUAGE_BYTES, MAX_ACCEPT_LANGUAGE_ENTRIES};
pub use numbers::{BOUND, MAX_SHOWN};
pub use table::{
    CodeInfo, CodeKind, builtin_codes, check_declared, code_for_status, declared_status_agrees,
    default_status,
};
