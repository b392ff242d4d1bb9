//! OpenAPI generation.
