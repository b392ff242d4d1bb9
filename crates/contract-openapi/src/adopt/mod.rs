//! [`Adopt`]: contract's error documentation and nullability policy, applied
//! to an OpenAPI 3.1 document another tool wrote (utoipa, aide, by hand), so
//! a service that adopts contract's `ErrorLayer` keeps a truthful spec
//! without rewriting its routes.

use std::collections::{BTreeMap, BTreeSet};

use contract_core::{Catalog, Declared, DeclaredErrors, ErrorCode, code_for_status};
use serde_json::{Map, Value, json};

use crate::build::envelope_components;
use crate::document::METHODS;
use crate::{SpecBuilder, shape};

mod required;

/// Why a document could not be adopted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AdoptError {
    /// The document is not OpenAPI 3.1.
    #[error("not an OpenAPI 3.1 document (openapi: {found})")]
    NotOpenApi31 {
        /// The `openapi` member found, or `none`.
        found: String,
    },
    /// An operation the policy cannot classify: named, never skipped.
    #[error("{operation}: {reason}")]
    Unclassified {
        /// `METHOD /path`.
        operation: String,
        /// What could not be classified.
        reason: String,
    },
}

/// Contract's policy for a document written elsewhere.
///
/// For every operation it documents the envelope responses the service's
/// `ErrorLayer` and extractors can send for a JSON body
/// (unparsable, of the wrong shape, too large, of another media type) and
/// for parameters; a secured operation (one whose every security
/// requirement names a scheme) gets `unauthenticated`; every operation
/// gets `internal`. The error responses
/// the document already has keep their status and description, and get the
/// envelope as body, with the codes of the app's error types
/// ([`Adopt::errors`]) answered with that status, or the built-in code of
/// the status. Response schemas get every property in `required` (serde
/// sends `None` as `null`), and every schema the generator-safe shapes of
/// [`SpecBuilder`].
///
/// ```
/// use contract_openapi::Adopt;
/// use serde_json::json;
///
/// let mut doc = json!({
///     "openapi": "3.1.0",
///     "info": { "title": "Todo", "version": "1" },
///     "paths": { "/todo": { "post": {
///         "requestBody": { "content": { "application/json": { "schema": { "type": "object" } } } },
///         "responses": {
///             "201": { "description": "Created" },
///             "409": { "description": "Todo already exists",
///                      "content": { "application/json": { "schema": { "type": "string" } } } },
///         },
///     } } },
/// });
/// Adopt::new().validation_status(422).apply(&mut doc).unwrap();
/// let responses = &doc["paths"]["/todo"]["post"]["responses"];
/// assert_eq!(responses["409"][contract_openapi::keyword::ERROR_CODES], json!(["conflict"]));
/// assert_eq!(responses["400"][contract_openapi::keyword::ERROR_CODES], json!(["malformed_body"]));
/// assert_eq!(responses["422"][contract_openapi::keyword::ERROR_CODES], json!(["validation_failed"]));
/// assert_eq!(responses["409"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ApiError");
/// ```
#[derive(Debug)]
pub struct Adopt {
    spec: SpecBuilder,
    app_errors: Vec<Declared>,
    allow_absent: BTreeMap<String, String>,
    body_timeout: bool,
    request_timeout: bool,
}

impl Default for Adopt {
    fn default() -> Self {
        Self::new()
    }
}

impl Adopt {
    /// The policy with `validation_failed` at 422 and no app error types.
    pub fn new() -> Self {
        Self {
            spec: SpecBuilder::new("", ""),
            app_errors: Vec::new(),
            allow_absent: BTreeMap::new(),
            body_timeout: false,
            request_timeout: false,
        }
    }

    /// The status of `validation_failed`, as the service's layer answers it.
    pub fn validation_status(mut self, status: u16) -> Self {
        self.spec.validation_status(status);
        self
    }

    /// The catalog whose messages fill the example envelopes.
    pub fn catalog(mut self, catalog: Catalog) -> Self {
        self.spec.catalog(catalog);
        self
    }

    /// An error type of the app: its codes document the error responses of
    /// the statuses it answers with.
    pub fn errors<E: DeclaredErrors>(mut self) -> Self {
        self.app_errors.extend(E::declared());
        self
    }

    /// Codes of the app given as values (a spec written in another
    /// language has no Rust error type): each documents the error
    /// responses of its status, as [`Adopt::errors`] does.
    pub fn declared(mut self, declared: impl IntoIterator<Item = Declared>) -> Self {
        self.app_errors.extend(declared);
        self
    }

    /// Whether the service times out slow request bodies (tower-http's
    /// `RequestBodyTimeoutLayer`): operations with a body then document
    /// `408 timeout`.
    pub fn body_timeout(mut self, yes: bool) -> Self {
        self.body_timeout = yes;
        self
    }

    /// Whether the service times its handlers out (`Contract::request_timeout`,
    /// or a layer that answers `504`): every operation then documents
    /// `504 timeout`.
    pub fn request_timeout(mut self, yes: bool) -> Self {
        self.request_timeout = yes;
        self
    }

    /// Lets a response property (`Schema.property`) stay out of `required`,
    /// for a field serialized with `skip_serializing_if`. `when` says when
    /// it is absent: it becomes the property's `description` unless it has
    /// one, and the property is marked `x-contract-allow-absent`, as
    /// `contract lint` asks of a property that may be absent.
    pub fn allow_absent(mut self, location: impl Into<String>, when: impl Into<String>) -> Self {
        self.allow_absent.insert(location.into(), when.into());
        self
    }

    /// The error responses of `declared`, by status, as this policy writes
    /// them (the envelope as body, `x-error-codes`, an example per code):
    /// for tools that document responses per handler.
    pub fn error_responses(&self, declared: &[Declared]) -> Map<String, Value> {
        let mut by_status: BTreeMap<u16, Vec<&Declared>> = BTreeMap::new();
        for d in declared {
            by_status.entry(self.spec.status_of(d)).or_default().push(d);
        }
        by_status
            .into_iter()
            .map(|(status, list)| (status.to_string(), self.spec.error_response(status, &list)))
            .collect()
    }

    /// Applies the policy to `doc`, in place.
    ///
    /// # Errors
    /// When `doc` is not OpenAPI 3.1, or an operation has a request body in
    /// a media type other than JSON, or an error response whose status no
    /// code is known for (register the app's error type with
    /// [`Adopt::errors`]).
    pub fn apply(&self, doc: &mut Value) -> Result<(), AdoptError> {
        let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("none");
        if !version.starts_with("3.1") {
            return Err(AdoptError::NotOpenApi31 {
                found: version.to_owned(),
            });
        }
        let mut operations = Vec::new();
        // Schemas the replaced error bodies referred to: dropped at the end
        // when nothing else refers to them.
        let mut replaced_bodies = Vec::new();
        if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                for method in METHODS {
                    if let Some(op) = item.get(method) {
                        operations.push((path.clone(), method, self.responses(path, method, op)?));
                        let responses = op.get("responses").and_then(Value::as_object);
                        for (status, r) in responses.into_iter().flatten() {
                            if status.parse::<u16>().is_ok_and(|s| s >= 400) {
                                replaced_bodies.push(r.clone());
                            }
                        }
                    }
                }
            }
        }
        let orphan_candidates = reachable(doc, &replaced_bodies);
        for (path, method, responses) in operations {
            let op = &mut doc["paths"][&path][method];
            op["responses"] = Value::Object(responses);
            shape::operation(op);
        }

        let components = doc
            .as_object_mut()
            .expect("an object: it has `openapi`")
            .entry("components")
            .or_insert_with(|| json!({}));
        let schemas = components
            .as_object_mut()
            .map(|c| c.entry("schemas").or_insert_with(|| json!({})))
            .and_then(Value::as_object_mut);
        if let Some(schemas) = schemas {
            for (name, schema) in envelope_components() {
                schemas.insert(name.into(), schema);
            }
            schemas.values_mut().for_each(shape::schema);
        }
        let mut added = BTreeSet::new();
        if let Some(Value::Object(shared)) = self
            .spec
            .shared_responses()
            .as_object()
            .cloned()
            .map(Value::Object)
            && let Some(c) = components.as_object_mut()
        {
            let responses = c.entry("responses").or_insert_with(|| json!({}));
            if let Some(r) = responses.as_object_mut() {
                // Only those contract adds may be dropped when unused.
                added = shared
                    .keys()
                    .filter(|k| !r.contains_key(*k))
                    .cloned()
                    .collect();
                r.extend(shared);
            }
        }
        required::require_response_properties(doc, &self.allow_absent);
        crate::reference::drop_unreferenced_responses(doc, Some(&added));
        let mut roots: Vec<Value> = doc.get("paths").into_iter().cloned().collect();
        roots.extend(doc.pointer("/components/responses").cloned());
        let used = reachable(doc, &roots);
        if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
            for orphan in orphan_candidates.difference(&used) {
                schemas.remove(orphan);
            }
        }
        if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
            crate::union::tagged_unions(schemas);
        }
        Ok(())
    }

    /// The operation's responses: its success ones as they are, its error
    /// ones as envelopes with their codes.
    fn responses(
        &self,
        path: &str,
        method: &str,
        op: &Value,
    ) -> Result<Map<String, Value>, AdoptError> {
        let name = format!("{} {path}", method.to_uppercase());
        let unclassified = |reason: String| AdoptError::Unclassified {
            operation: name.clone(),
            reason,
        };
        let mut declared: Vec<Declared> = Vec::new();
        if let Some(body) = op.get("requestBody") {
            let content = body.get("content").and_then(Value::as_object);
            if let Some(other) = content
                .into_iter()
                .flat_map(|c| c.keys())
                .find(|media| !crate::document::is_json_media(media))
            {
                return Err(unclassified(format!(
                    "request body in `{other}`: contract's extractors read JSON only"
                )));
            }
            // axum's extractors under the layer answer as contract's do.
            for code in [
                ErrorCode::MALFORMED_BODY,
                ErrorCode::VALIDATION_FAILED,
                ErrorCode::PAYLOAD_TOO_LARGE,
                ErrorCode::UNSUPPORTED_MEDIA_TYPE,
            ] {
                declared.push(Declared::builtin(code));
            }
            if self.body_timeout {
                declared.push(Declared::new(408, ErrorCode::TIMEOUT, None));
            }
        }
        let has_parameters = op
            .get("parameters")
            .and_then(Value::as_array)
            .is_some_and(|ps| {
                ps.iter()
                    .any(|p| p.get("in").and_then(Value::as_str) != Some("header"))
            });
        if has_parameters {
            declared.push(Declared::builtin(ErrorCode::VALIDATION_FAILED));
        }
        // Optional auth (`{}` among the requirements) answers without a
        // credential; the operation lists its 401 itself when a bad one fails.
        let secured = op
            .get("security")
            .and_then(Value::as_array)
            .is_some_and(|reqs| {
                !reqs.is_empty()
                    && reqs
                        .iter()
                        .all(|r| r.as_object().is_some_and(|o| !o.is_empty()))
            });
        if secured {
            declared.push(Declared::builtin(ErrorCode::UNAUTHENTICATED));
        }

        let mut success = Map::new();
        let mut descriptions: BTreeMap<u16, String> = BTreeMap::new();
        for (status, response) in op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let code: Option<u16> = status.parse().ok();
            match code {
                Some(s) if s < 400 => {
                    success.insert(status.clone(), response.clone());
                }
                Some(s) => {
                    let app: Vec<&Declared> = self
                        .app_errors
                        .iter()
                        .filter(|d| self.spec.status_of(d) == s)
                        .collect();
                    if app.is_empty() {
                        // What the layer answers for this bare status.
                        let status = http::StatusCode::from_u16(s)
                            .ok()
                            .filter(|st| st.is_client_error() || st.is_server_error())
                            .ok_or_else(|| {
                                unclassified(format!(
                                    "response {s} is not an error status: register the error type that answers it with `Adopt::errors`"
                                ))
                            })?;
                        declared.push(Declared::new(s, code_for_status(status), None));
                    } else {
                        declared.extend(app.into_iter().cloned());
                    }
                    if let Some(d) = response.get("description").and_then(Value::as_str) {
                        descriptions.insert(s, d.to_owned());
                    }
                }
                None => {
                    return Err(unclassified(format!(
                        "response `{status}`: give each error its status, so its codes can be listed"
                    )));
                }
            }
        }
        declared.push(Declared::builtin(ErrorCode::INTERNAL));
        if self.request_timeout {
            declared.push(Declared::builtin(ErrorCode::TIMEOUT));
        }

        let mut by_status: BTreeMap<u16, Vec<&Declared>> = BTreeMap::new();
        for d in &declared {
            let list = by_status.entry(self.spec.status_of(d)).or_default();
            if !list.iter().any(|x| x.code == d.code) {
                list.push(d);
            }
        }
        let shared = self.spec.shared_responses();
        let mut out = success;
        for (status, list) in by_status {
            let mut response = self.spec.error_response(status, &list);
            let shared_ref = shared
                .as_object()
                .and_then(|m| m.iter().find(|(_, v)| **v == response))
                .map(|(name, _)| json!({ "$ref": format!("#/components/responses/{name}") }));
            let response = match (shared_ref, descriptions.get(&status)) {
                (Some(r), None) => r,
                (_, Some(own)) => {
                    let generic = response["description"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned();
                    let codes = generic.split_once(". ").map_or("", |(_, rest)| rest);
                    response["description"] = json!(format!("{own}. {codes}"));
                    response
                }
                (None, None) => response,
            };
            out.insert(status.to_string(), response);
        }
        Ok(out)
    }
}

/// The envelope's two schemas, `ApiError` and `FieldViolation`, by name.
pub fn envelope_schemas() -> [(&'static str, Value); 2] {
    envelope_components()
}

/// Component names reachable from `roots` through `$ref`s.
fn reachable(doc: &Value, roots: &[Value]) -> BTreeSet<String> {
    let roots: Vec<&Value> = roots.iter().collect();
    crate::reference::reachable_schemas(doc, &roots)
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract_core::keyword;

    fn doc(op: Value) -> Value {
        json!({
            "openapi": "3.1.0",
            "info": { "title": "t", "version": "1" },
            "paths": { "/items/{id}": { "put": op } },
            "components": { "schemas": {
                "Item": { "type": "object", "properties": {
                    "id": { "type": "integer", "format": "int64" },
                    "note": { "type": ["string", "null"] },
                }, "required": ["id"] },
                "NewItem": { "type": "object", "properties": { "note": { "type": "string" } } },
            } },
        })
    }

    fn put() -> Value {
        json!({
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewItem" } } } },
            "responses": {
                "200": { "description": "The item", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Item" } } } },
                "404": { "description": "No such item", "content": { "application/json": { "schema": { "type": "string" } } } },
            },
            "security": [{}, { "api_key": [] }],
        })
    }

    #[test]
    fn every_error_an_operation_can_answer_is_an_envelope_with_its_codes() {
        let mut d = doc(put());
        Adopt::new()
            .validation_status(400)
            .body_timeout(true)
            .apply(&mut d)
            .unwrap();
        let r = &d["paths"]["/items/{id}"]["put"]["responses"];
        let statuses: Vec<&String> = r.as_object().unwrap().keys().collect();
        // Optional auth (`{}` among the requirements): no 401 of its own.
        assert_eq!(statuses, ["200", "400", "404", "408", "413", "415", "500"]);
        assert_eq!(
            r["400"][keyword::ERROR_CODES],
            json!(["malformed_body", "validation_failed"])
        );
        assert_eq!(r["404"][keyword::ERROR_CODES], json!(["not_found"]));
        assert!(
            r["404"]["description"]
                .as_str()
                .unwrap()
                .starts_with("No such item. `code` is one of:")
        );
        assert_eq!(
            r["404"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ApiError"
        );
        assert_eq!(r["200"], put()["responses"]["200"]);
        assert!(d["components"]["schemas"]["ApiError"].is_object());
        assert!(d["components"]["responses"]["Internal"].is_object());
    }

    #[test]
    fn required_auth_is_unauthenticated_and_old_error_schemas_go() {
        let mut op = put();
        op["security"] = json!([{ "api_key": [] }]);
        op["responses"]["404"]["content"]["application/json"]["schema"] =
            json!({ "$ref": "#/components/schemas/OldError" });
        let mut d = doc(op);
        d["components"]["schemas"]["OldError"] = json!({ "type": "string" });
        Adopt::new().apply(&mut d).unwrap();
        let r = &d["paths"]["/items/{id}"]["put"]["responses"];
        assert_eq!(r["400"][keyword::ERROR_CODES], json!(["malformed_body"]));
        assert_eq!(r["422"][keyword::ERROR_CODES], json!(["validation_failed"]));
        assert_eq!(r["401"]["$ref"], "#/components/responses/Unauthenticated");
        // The old error body's schema is no longer used: gone.
        assert!(d["components"]["schemas"].get("OldError").is_none());
        assert!(d["components"]["schemas"].get("Item").is_some());
    }

    #[test]
    fn response_properties_are_required_and_request_ones_untouched() {
        let mut d = doc(put());
        Adopt::new().apply(&mut d).unwrap();
        assert_eq!(
            d["components"]["schemas"]["Item"]["required"],
            json!(["id", "note"])
        );
        assert!(
            d["components"]["schemas"]["NewItem"]
                .get("required")
                .is_none()
        );

        let mut d = doc(put());
        Adopt::new()
            .allow_absent("Item.note", "Absent when the item has no note.")
            .apply(&mut d)
            .unwrap();
        let item = &d["components"]["schemas"]["Item"];
        assert_eq!(item["required"], json!(["id"]));
        // The marker and the description `contract lint` asks for.
        assert_eq!(item["properties"]["note"][keyword::ALLOW_ABSENT], true);
        assert_eq!(
            item["properties"]["note"]["description"],
            "Absent when the item has no note."
        );
        let errors: Vec<String> = crate::lint(&d)
            .errors
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn only_referenced_shared_responses_are_added_and_the_apps_own_stay() {
        let mut d = doc(put());
        d["components"]["responses"] = json!({ "Unused": { "description": "the app's own" } });
        Adopt::new().apply(&mut d).unwrap();
        let shared = d["components"]["responses"].as_object().unwrap();
        let mut names: Vec<&str> = shared.keys().map(String::as_str).collect();
        names.sort_unstable();
        // `put` has no body limit or media type of its own to refuse, and is
        // not forbidden to anyone: only what it references is listed.
        for name in &names {
            let pointer = format!("#/components/responses/{name}");
            assert!(
                *name == "Unused" || d["paths"].to_string().contains(&pointer),
                "{name} is listed but not referenced"
            );
        }
        assert!(names.contains(&"Unused"), "{names:?}");
        assert!(!names.contains(&"Forbidden"), "{names:?}");
    }

    #[test]
    fn a_bare_status_documents_the_code_the_layer_answers_for_it() {
        let mut op = put();
        for s in ["400", "408", "410", "418", "502", "504"] {
            op["responses"][s] = json!({ "description": "bare" });
        }
        let mut d = doc(op);
        Adopt::new().apply(&mut d).unwrap();
        let r = &d["paths"]["/items/{id}"]["put"]["responses"];
        for (s, code) in [
            ("400", "bad_request"),
            ("408", "timeout"),
            ("410", "not_found"),
            ("418", "bad_request"),
            ("502", "service_unavailable"),
            ("504", "timeout"),
        ] {
            let status = http::StatusCode::from_u16(s.parse().unwrap()).unwrap();
            assert_eq!(
                contract_core::Error::from_status(status).code().as_str(),
                code
            );
            assert!(
                r[s][keyword::ERROR_CODES]
                    .as_array()
                    .unwrap()
                    .contains(&json!(code)),
                "{s}: {}",
                r[s]
            );
        }
    }

    #[test]
    fn app_codes_document_their_status() {
        #[derive(Debug)]
        struct Gone;
        impl DeclaredErrors for Gone {
            fn declare(out: &mut Vec<Declared>) {
                out.push(Declared::new(
                    404,
                    ErrorCode::new("item_gone").unwrap(),
                    Some("It is gone."),
                ));
                out.push(Declared::new(
                    409,
                    ErrorCode::new("item_locked").unwrap(),
                    Some("It is locked."),
                ));
            }
        }
        let mut d = doc(put());
        Adopt::new().errors::<Gone>().apply(&mut d).unwrap();
        let r = &d["paths"]["/items/{id}"]["put"]["responses"];
        assert_eq!(r["404"][keyword::ERROR_CODES], json!(["item_gone"]));
        // 409 is not among the operation's own responses: not added.
        assert!(r.get("409").is_none());
    }

    #[test]
    fn what_cannot_be_classified_is_named() {
        let mut op = put();
        op["requestBody"]["content"] = json!({ "multipart/form-data": {} });
        let err = Adopt::new().apply(&mut doc(op)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "PUT /items/{id}: request body in `multipart/form-data`: contract's extractors read JSON only"
        );
        let mut op = put();
        op["responses"]["799"] = json!({ "description": "not HTTP" });
        let err = Adopt::new().apply(&mut doc(op)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "PUT /items/{id}: response 799 is not an error status: register the error type that answers it with `Adopt::errors`"
        );
        let mut d = doc(put());
        d["openapi"] = json!("3.0.3");
        assert_eq!(
            Adopt::new().apply(&mut d).unwrap_err(),
            AdoptError::NotOpenApi31 {
                found: "3.0.3".into()
            }
        );
    }
}
