//! `contract diff`: every rule, in its breaking direction and in reverse.

use contract_openapi::{DiffReport, Severity, diff};
use serde_json::{Value, json};

use crate::{in_out, object, spec};

/// Asserts `old -> new` reports `rule` at `severity` (at `location`, when
/// given), and `new -> old` reports no breaking change and not `rule`.
fn flags(old: &Value, new: &Value, rule: &str, severity: Severity, location: Option<&str>) {
    let forward = diff(old, new);
    let hit = forward.findings.iter().find(|f| f.rule == rule);
    let Some(hit) = hit else {
        panic!("{rule} not reported:\n{forward}");
    };
    assert_eq!(hit.severity, severity, "{forward}");
    if let Some(location) = location {
        assert_eq!(hit.location, location, "{forward}");
    }
    if severity == Severity::Error {
        assert!(forward.is_breaking());
    }
    let back = diff(new, old);
    assert!(
        !back.is_breaking(),
        "the reverse of {rule} is not breaking:\n{back}"
    );
    assert!(
        back.findings.iter().all(|f| f.rule != rule),
        "the reverse of {rule} does not report it:\n{back}"
    );
}

fn breaking(old: &Value, new: &Value, rule: &str) {
    flags(old, new, rule, Severity::Error, None);
}

/// The rules of a report, for exact expectations.
fn rules(report: &DiffReport) -> Vec<(Severity, &str)> {
    report
        .findings
        .iter()
        .map(|f| (f.severity, f.rule.as_str()))
        .collect()
}

fn plain_in() -> Value {
    object(&["name"], json!({"name": {"type": "string"}}))
}

fn plain_out() -> Value {
    object(&["id"], json!({"id": {"type": "integer"}}))
}

/// A request schema with the one property `p`.
fn req(property: Value, required: bool) -> Value {
    let required: &[&str] = if required { &["p"] } else { &[] };
    in_out(object(required, json!({"p": property})), plain_out())
}

/// A response schema with the one property `p`.
fn resp(property: Value, required: bool) -> Value {
    let required: &[&str] = if required { &["p"] } else { &[] };
    in_out(plain_in(), object(required, json!({"p": property})))
}

const POST: &str = "/things/";

fn op(doc: &mut Value) -> &mut Value {
    &mut doc["paths"][POST]["post"]
}

#[test]
fn identical_documents_have_no_findings() {
    let doc = in_out(plain_in(), plain_out());
    let report = diff(&doc, &doc);
    assert!(report.findings.is_empty(), "{report}");
    assert_eq!(report.to_string(), "summary: errors=0 warnings=0 info=0\n");
}

// --- operations ---------------------------------------------------------

#[test]
fn api_path_removed_without_deprecation() {
    let old = in_out(plain_in(), plain_out());
    let mut new = old.clone();
    new["paths"] = json!({});
    flags(
        &old,
        &new,
        "api-path-removed-without-deprecation",
        Severity::Error,
        Some("POST /things/"),
    );
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Info, "endpoint-added")]
    );
}

#[test]
fn api_path_removed_with_deprecation_is_info() {
    let mut old = in_out(plain_in(), plain_out());
    op(&mut old)["deprecated"] = json!(true);
    let mut new = old.clone();
    new["paths"] = json!({});
    flags(
        &old,
        &new,
        "api-path-removed-with-deprecation",
        Severity::Info,
        None,
    );
}

#[test]
fn api_removed_without_deprecation() {
    let mut old = in_out(plain_in(), plain_out());
    old["paths"][POST]["get"] = json!({"responses": {"200": {"description": "ok"}}});
    let mut new = old.clone();
    new["paths"][POST].as_object_mut().unwrap().remove("get");
    flags(
        &old,
        &new,
        "api-removed-without-deprecation",
        Severity::Error,
        Some("GET /things/"),
    );

    old["paths"][POST]["get"]["deprecated"] = json!(true);
    flags(
        &old,
        &new,
        "api-removed-with-deprecation",
        Severity::Info,
        None,
    );
}

#[test]
fn endpoint_deprecated_is_info() {
    let old = in_out(plain_in(), plain_out());
    let mut new = old.clone();
    op(&mut new)["deprecated"] = json!(true);
    assert_eq!(
        rules(&diff(&old, &new)),
        [(Severity::Info, "endpoint-deprecated")]
    );
}

#[test]
fn renamed_path_parameters_are_the_same_path() {
    let mut old = in_out(plain_in(), plain_out());
    old["paths"]["/things/{id}"] = json!({"get": {
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "ok"}},
    }});
    let mut new = old.clone();
    let item = new["paths"]
        .as_object_mut()
        .unwrap()
        .remove("/things/{id}")
        .unwrap();
    new["paths"]["/things/{thing_id}"] = item;
    new["paths"]["/things/{thing_id}"]["get"]["parameters"][0]["name"] = json!("thing_id");
    let report = diff(&old, &new);
    assert!(report.findings.is_empty(), "{report}");
}

// --- parameters ---------------------------------------------------------

fn with_params(params: Value) -> Value {
    let mut doc = in_out(plain_in(), plain_out());
    op(&mut doc)["parameters"] = params;
    doc
}

#[test]
fn request_parameter_became_required() {
    let old = with_params(json!([{"name": "q", "in": "query", "schema": {"type": "string"}}]));
    let new = with_params(
        json!([{"name": "q", "in": "query", "required": true, "schema": {"type": "string"}}]),
    );
    flags(
        &old,
        &new,
        "request-parameter-became-required",
        Severity::Error,
        Some("POST /things/ query parameter q"),
    );
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Info, "request-parameter-became-optional")]
    );
}

#[test]
fn new_required_request_parameter() {
    let old = with_params(json!([]));
    let new = with_params(
        json!([{"name": "X-Tenant", "in": "header", "required": true, "schema": {"type": "string"}}]),
    );
    flags(
        &old,
        &new,
        "new-required-request-parameter",
        Severity::Error,
        Some("POST /things/ header parameter X-Tenant"),
    );
}

#[test]
fn new_optional_request_parameter_is_info() {
    let old = with_params(json!([]));
    let new = with_params(json!([{"name": "q", "in": "query", "schema": {"type": "string"}}]));
    assert_eq!(
        rules(&diff(&old, &new)),
        [(Severity::Info, "new-optional-request-parameter")]
    );
}

#[test]
fn request_parameter_removed_is_a_warning() {
    let old = with_params(json!([{"name": "q", "in": "query", "schema": {"type": "string"}}]));
    let new = with_params(json!([]));
    flags(
        &old,
        &new,
        "request-parameter-removed",
        Severity::Warning,
        None,
    );
}

#[test]
fn path_level_parameters_count_and_references_are_followed() {
    let mut old = in_out(plain_in(), plain_out());
    old["paths"][POST]["parameters"] = json!([{"$ref": "#/components/parameters/Page"}]);
    old["components"]["parameters"] =
        json!({"Page": {"name": "page", "in": "query", "schema": {"type": "integer"}}});
    let mut new = old.clone();
    new["components"]["parameters"]["Page"]["required"] = json!(true);
    breaking(&old, &new, "request-parameter-became-required");
}

#[test]
fn request_parameter_schema_changes() {
    let param =
        |schema: Value| with_params(json!([{"name": "q", "in": "query", "schema": schema}]));
    breaking(
        &param(json!({"type": "number"})),
        &param(json!({"type": "integer"})),
        "request-parameter-type-changed",
    );
    breaking(
        &param(json!({"type": "string", "maxLength": 10})),
        &param(json!({"type": "string", "maxLength": 5})),
        "request-parameter-max-length-decreased",
    );
    breaking(
        &param(json!({"type": "string", "enum": ["a", "b"]})),
        &param(json!({"type": "string", "enum": ["a"]})),
        "request-parameter-enum-value-removed",
    );
}

// --- request body -------------------------------------------------------

#[test]
fn request_body_became_required() {
    let mut old = in_out(plain_in(), plain_out());
    op(&mut old)["requestBody"]["required"] = json!(false);
    let new = in_out(plain_in(), plain_out());
    flags(
        &old,
        &new,
        "request-body-became-required",
        Severity::Error,
        Some("POST /things/ request"),
    );
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Info, "request-body-became-optional")]
    );
}

#[test]
fn request_body_added_required() {
    let mut old = in_out(plain_in(), plain_out());
    op(&mut old).as_object_mut().unwrap().remove("requestBody");
    let new = in_out(plain_in(), plain_out());
    breaking(&old, &new, "request-body-added-required");
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Warning, "request-body-removed")]
    );
    let mut optional = new.clone();
    op(&mut optional)["requestBody"]["required"] = json!(false);
    assert_eq!(
        rules(&diff(&old, &optional)),
        [(Severity::Info, "request-body-added-optional")]
    );
}

#[test]
fn request_body_type_changed() {
    let old = in_out(plain_in(), plain_out());
    let mut new = old.clone();
    op(&mut new)["requestBody"]["content"]["application/json"]["schema"] =
        json!({"type": "array", "items": {"$ref": "#/components/schemas/In"}});
    // Object and array exclude each other: breaking both ways.
    for (from, to, location) in [
        (&old, &new, "POST /things/ request: In[]"),
        (&new, &old, "POST /things/ request: In"),
    ] {
        let report = diff(from, to);
        let found: Vec<(Severity, &str, &str)> = report
            .findings
            .iter()
            .map(|f| (f.severity, f.rule.as_str(), f.location.as_str()))
            .collect();
        assert_eq!(
            found,
            [(Severity::Error, "request-body-type-changed", location)]
        );
    }
}

#[test]
fn media_types_removed() {
    let new = in_out(plain_in(), plain_out());
    let mut old = new.clone();
    let form = json!({"schema": {"$ref": "#/components/schemas/In"}});
    op(&mut old)["requestBody"]["content"]["application/x-www-form-urlencoded"] = form;
    flags(
        &old,
        &new,
        "request-body-media-type-removed",
        Severity::Error,
        Some("POST /things/ request (application/x-www-form-urlencoded)"),
    );
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Info, "request-body-media-type-added")]
    );

    let mut old = new.clone();
    op(&mut old)["responses"]["201"]["content"]["text/csv"] = json!({"schema": {"type": "string"}});
    flags(
        &old,
        &new,
        "response-media-type-removed",
        Severity::Error,
        None,
    );
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Info, "response-media-type-added")]
    );
}

// --- request properties ---------------------------------------------------

#[test]
fn request_property_became_required() {
    let old = req(json!({"type": "string"}), false);
    let new = req(json!({"type": "string"}), true);
    flags(
        &old,
        &new,
        "request-property-became-required",
        Severity::Error,
        Some("POST /things/ request: In.p"),
    );
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Info, "request-property-became-optional")]
    );
}

#[test]
fn request_property_became_not_nullable() {
    let old = req(json!({"type": ["string", "null"]}), false);
    let new = req(json!({"type": "string"}), false);
    flags(
        &old,
        &new,
        "request-property-became-not-nullable",
        Severity::Error,
        Some("POST /things/ request: In.p"),
    );
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Info, "request-property-became-nullable")]
    );
    // The oneOf form counts too.
    breaking(
        &req(
            json!({"oneOf": [{"$ref": "#/components/schemas/Out"}, {"type": "null"}]}),
            false,
        ),
        &req(json!({"$ref": "#/components/schemas/Out"}), false),
        "request-property-became-not-nullable",
    );
}

#[test]
fn new_required_request_property() {
    let old = in_out(plain_in(), plain_out());
    let mut new = old.clone();
    new["components"]["schemas"]["In"]["properties"]["age"] = json!({"type": "integer"});
    new["components"]["schemas"]["In"]["required"] = json!(["name", "age"]);
    flags(
        &old,
        &new,
        "new-required-request-property",
        Severity::Error,
        Some("POST /things/ request: In.age"),
    );
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Warning, "request-property-removed")]
    );
}

#[test]
fn request_property_removed_is_a_warning() {
    let old = req(json!({"type": "string"}), false);
    let new = in_out(object(&[], json!({})), plain_out());
    flags(
        &old,
        &new,
        "request-property-removed",
        Severity::Warning,
        None,
    );
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Info, "new-optional-request-property")]
    );
}

#[test]
fn read_only_properties_do_not_travel_in_requests() {
    let old = in_out(plain_in(), plain_out());
    let mut new = old.clone();
    new["components"]["schemas"]["In"]["properties"]["id"] =
        json!({"type": "integer", "readOnly": true});
    new["components"]["schemas"]["In"]["required"] = json!(["name", "id"]);
    let report = diff(&old, &new);
    assert!(report.findings.is_empty(), "{report}");
}

#[test]
fn request_property_type_changed() {
    let number = req(json!({"type": "number"}), true);
    let integer = req(json!({"type": "integer"}), true);
    breaking(&number, &integer, "request-property-type-changed");
    assert_eq!(
        rules(&diff(&integer, &number)),
        [(Severity::Info, "request-property-type-generalized")]
    );
    // A format is part of the type.
    breaking(
        &req(json!({"type": "string"}), true),
        &req(json!({"type": "string", "format": "date"}), true),
        "request-property-type-changed",
    );
    // Unrelated types break both ways.
    let string = req(json!({"type": "string"}), true);
    assert!(diff(&string, &integer).is_breaking());
    assert!(diff(&integer, &string).is_breaking());
}

#[test]
fn request_property_enum_value_removed() {
    let old = req(
        json!({"type": "string", "enum": ["online", "offline"]}),
        true,
    );
    let new = req(json!({"type": "string", "enum": ["online"]}), true);
    breaking(&old, &new, "request-property-enum-value-removed");
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Info, "request-property-enum-value-added")]
    );
}

#[test]
fn request_property_became_enum() {
    breaking(
        &req(json!({"type": "string"}), true),
        &req(json!({"type": "string", "enum": ["a"]}), true),
        "request-property-became-enum",
    );
}

/// (keyword, tighter value, looser value, rule stem, tightening change,
/// loosening change).
const BOUNDS: [(&str, u64, u64, &str, &str, &str); 6] = [
    ("maxLength", 5, 10, "max-length", "decreased", "increased"),
    ("minLength", 5, 1, "min-length", "increased", "decreased"),
    ("maximum", 5, 10, "max", "decreased", "increased"),
    ("minimum", 5, 1, "min", "increased", "decreased"),
    ("maxItems", 5, 10, "max-items", "decreased", "increased"),
    ("minItems", 5, 1, "min-items", "increased", "decreased"),
];

fn bounded(keyword: &str, value: Option<u64>) -> Value {
    let mut schema = if keyword.ends_with("Items") {
        json!({"type": "array", "items": {"type": "string"}})
    } else if keyword.ends_with("Length") {
        json!({"type": "string"})
    } else {
        json!({"type": "integer"})
    };
    if let Some(value) = value {
        schema[keyword] = json!(value);
    }
    schema
}

#[test]
fn request_bounds_tightened() {
    for (keyword, tight, loose, stem, tighten, loosen) in BOUNDS {
        let loose_doc = req(bounded(keyword, Some(loose)), true);
        let tight_doc = req(bounded(keyword, Some(tight)), true);
        let open_doc = req(bounded(keyword, None), true);
        breaking(
            &loose_doc,
            &tight_doc,
            &format!("request-property-{stem}-{tighten}"),
        );
        breaking(
            &open_doc,
            &tight_doc,
            &format!("request-property-{stem}-set"),
        );
        let rule = format!("request-property-{stem}-{loosen}");
        assert_eq!(
            rules(&diff(&tight_doc, &loose_doc)),
            [(Severity::Info, rule.as_str())]
        );
        let rule = format!("request-property-{stem}-unset");
        assert_eq!(
            rules(&diff(&tight_doc, &open_doc)),
            [(Severity::Info, rule.as_str())]
        );
    }
}

#[test]
fn response_bounds_loosened_are_warnings() {
    for (keyword, tight, loose, stem, tighten, loosen) in BOUNDS {
        let loose_doc = resp(bounded(keyword, Some(loose)), true);
        let tight_doc = resp(bounded(keyword, Some(tight)), true);
        let open_doc = resp(bounded(keyword, None), true);
        flags(
            &tight_doc,
            &loose_doc,
            &format!("response-property-{stem}-{loosen}"),
            Severity::Warning,
            None,
        );
        flags(
            &tight_doc,
            &open_doc,
            &format!("response-property-{stem}-unset"),
            Severity::Warning,
            None,
        );
        let rule = format!("response-property-{stem}-{tighten}");
        assert_eq!(
            rules(&diff(&loose_doc, &tight_doc)),
            [(Severity::Info, rule.as_str())]
        );
    }
}

// --- responses ------------------------------------------------------------

#[test]
fn response_success_status_removed() {
    let mut old = in_out(plain_in(), plain_out());
    op(&mut old)["responses"]["200"] = json!({"description": "already there"});
    let mut new = old.clone();
    op(&mut new)["responses"]
        .as_object_mut()
        .unwrap()
        .remove("200");
    flags(
        &old,
        &new,
        "response-success-status-removed",
        Severity::Error,
        Some("POST /things/ 200 response"),
    );
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Info, "response-success-status-added")]
    );
}

#[test]
fn response_non_success_status_removed_is_a_warning() {
    let mut old = in_out(plain_in(), plain_out());
    op(&mut old)["responses"]["409"] = json!({"description": "conflict"});
    let new = in_out(plain_in(), plain_out());
    flags(
        &old,
        &new,
        "response-non-success-status-removed",
        Severity::Warning,
        None,
    );
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Info, "response-non-success-status-added")]
    );
}

#[test]
fn error_code_removed() {
    let with_codes = |codes: Value| {
        let mut doc = in_out(plain_in(), plain_out());
        op(&mut doc)["responses"]["409"] = json!({"$ref": "#/components/responses/Conflict"});
        doc["components"]["responses"] =
            json!({"Conflict": {"description": "conflict", "x-error-codes": codes}});
        doc
    };
    let old = with_codes(json!(["seminar_full", "already_joined"]));
    let new = with_codes(json!(["already_joined"]));
    flags(
        &old,
        &new,
        "error-code-removed",
        Severity::Error,
        Some("POST /things/ 409 response"),
    );
    let back = diff(&new, &old);
    assert_eq!(rules(&back), [(Severity::Info, "error-code-added")]);
    assert!(back.findings[0].message.contains("`seminar_full`"));
}

#[test]
fn an_error_code_moving_between_statuses_is_not_removed() {
    let mut old = in_out(plain_in(), plain_out());
    op(&mut old)["responses"]["400"] =
        json!({"description": "bad", "x-error-codes": ["validation_failed"]});
    op(&mut old)["responses"]["422"] = json!({"description": "bad", "x-error-codes": []});
    let mut new = old.clone();
    op(&mut new)["responses"]["400"]["x-error-codes"] = json!([]);
    op(&mut new)["responses"]["422"]["x-error-codes"] = json!(["validation_failed"]);
    assert!(diff(&old, &new).findings.is_empty());
}

#[test]
fn response_property_became_optional() {
    let old = resp(json!({"type": "string"}), true);
    let new = resp(json!({"type": "string"}), false);
    flags(
        &old,
        &new,
        "response-property-became-optional",
        Severity::Error,
        Some("POST /things/ 201 response: Out.p"),
    );
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Info, "response-property-became-required")]
    );
}

#[test]
fn response_property_became_nullable() {
    let old = resp(json!({"type": "string"}), true);
    let new = resp(json!({"type": ["string", "null"]}), true);
    breaking(&old, &new, "response-property-became-nullable");
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Info, "response-property-became-not-nullable")]
    );
    breaking(
        &resp(json!({"$ref": "#/components/schemas/In"}), true),
        &resp(
            json!({"anyOf": [{"$ref": "#/components/schemas/In"}, {"type": "null"}]}),
            true,
        ),
        "response-property-became-nullable",
    );
}

#[test]
fn response_body_became_nullable() {
    let old = in_out(plain_in(), plain_out());
    let mut new = old.clone();
    op(&mut new)["responses"]["201"]["content"]["application/json"]["schema"] =
        json!({"oneOf": [{"$ref": "#/components/schemas/Out"}, {"type": "null"}]});
    flags(
        &old,
        &new,
        "response-body-became-nullable",
        Severity::Error,
        Some("POST /things/ 201 response: Out"),
    );
}

#[test]
fn response_required_property_removed() {
    let old = resp(json!({"type": "string"}), true);
    let new = in_out(plain_in(), object(&[], json!({})));
    breaking(&old, &new, "response-required-property-removed");
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Info, "response-required-property-added")]
    );
    let optional = resp(json!({"type": "string"}), false);
    assert_eq!(
        rules(&diff(&optional, &new)),
        [(Severity::Info, "response-optional-property-removed")]
    );
    assert_eq!(
        rules(&diff(&new, &optional)),
        [(Severity::Info, "response-optional-property-added")]
    );
}

#[test]
fn response_property_type_changed() {
    let integer = resp(json!({"type": "integer"}), true);
    let number = resp(json!({"type": "number"}), true);
    breaking(&integer, &number, "response-property-type-changed");
    assert_eq!(
        rules(&diff(&number, &integer)),
        [(Severity::Info, "response-property-type-specialized")]
    );
}

#[test]
fn response_property_enum_value_added() {
    let old = resp(json!({"type": "string", "enum": ["online"]}), true);
    let new = resp(
        json!({"type": "string", "enum": ["online", "hybrid"]}),
        true,
    );
    breaking(&old, &new, "response-property-enum-value-added");
    assert_eq!(
        rules(&diff(&new, &old)),
        [(Severity::Info, "response-property-enum-value-removed")]
    );
}

#[test]
fn response_property_enum_removed() {
    let old = resp(json!({"type": "string", "enum": ["online"]}), true);
    let new = resp(json!({"type": "string"}), true);
    breaking(&old, &new, "response-property-enum-removed");
}

#[test]
fn write_only_properties_do_not_travel_in_responses() {
    let old = resp(json!({"type": "string", "writeOnly": true}), true);
    let new = in_out(plain_in(), object(&[], json!({})));
    assert!(diff(&old, &new).findings.is_empty());
}

// --- walking ------------------------------------------------------------

#[test]
fn nested_objects_and_array_items_are_followed() {
    let mut old = spec(json!({
        "In": plain_in(),
        "Out": object(&["host", "tags"], json!({
            "host": {"$ref": "#/components/schemas/User"},
            "tags": {"type": "array", "items": object(&["label"], json!({"label": {"type": "string"}}))},
        })),
        "User": object(&["name"], json!({"name": {"type": "string"}})),
    }));
    let mut new = old.clone();
    new["components"]["schemas"]["User"]["required"] = json!([]);
    new["components"]["schemas"]["Out"]["properties"]["tags"]["items"]["properties"]["label"]["type"] =
        json!(["string", "null"]);
    let report = diff(&old, &new);
    let found: Vec<(&str, &str)> = report
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.location.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "response-property-became-optional",
                "POST /things/ 201 response: Out.host.name"
            ),
            (
                "response-property-became-nullable",
                "POST /things/ 201 response: Out.tags[].label"
            ),
        ]
    );

    // A body that is an array of a component is named after it.
    op(&mut old)["responses"]["201"]["content"]["application/json"]["schema"] =
        json!({"type": "array", "items": {"$ref": "#/components/schemas/User"}});
    let mut new = old.clone();
    new["components"]["schemas"]["User"]["required"] = json!([]);
    let report = diff(&old, &new);
    assert_eq!(
        report.findings[0].location, "POST /things/ 201 response: User[].name",
        "{report}"
    );
}

#[test]
fn recursive_schemas_end() {
    let tree = |leaf: Value| {
        spec(json!({
            "In": plain_in(),
            "Out": {"$ref": "#/components/schemas/Node"},
            "Node": object(&["label", "children", "parent"], json!({
                "label": leaf,
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "parent": {"oneOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]},
            })),
        }))
    };
    let old = tree(json!({"type": "string"}));
    let new = tree(json!({"type": "integer"}));
    let report = diff(&old, &new);
    let found: Vec<(&str, &str)> = report
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.location.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            "response-property-type-changed",
            "POST /things/ 201 response: Node.label"
        )]
    );
}

#[test]
fn findings_are_sorted_by_severity_then_operation() {
    let mut old = in_out(plain_in(), plain_out());
    old["paths"]["/a/"] = json!({"get": {"responses": {"200": {"description": "ok"}}}});
    old["paths"]["/b/"] = json!({"delete": {"responses": {"204": {"description": "ok"}}}});
    let mut new = in_out(plain_in(), plain_out());
    new["paths"]["/c/"] = json!({"get": {"responses": {"200": {"description": "ok"}}}});
    new["paths"]["/a/"] = json!({"get": {"deprecated": true, "responses": {"200": {"description": "ok"}, "404": {"description": "no"}}}});
    let report = diff(&old, &new);
    let found: Vec<(&str, &str)> = report
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.location.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("api-path-removed-without-deprecation", "DELETE /b/"),
            ("endpoint-deprecated", "GET /a/"),
            ("response-non-success-status-added", "GET /a/ 404 response"),
            ("endpoint-added", "GET /c/"),
        ]
    );
}

#[test]
fn report() {
    let v1 = json!({
        "openapi": "3.1.0",
        "info": {"title": "seminar", "version": "1.0.0"},
        "paths": {
            "/api/v1/seminar/": {
                "get": {
                    "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}}],
                    "responses": {"200": {"description": "list", "content": {"application/json": {"schema":
                        {"type": "array", "items": {"$ref": "#/components/schemas/SeminarSummary"}}}}}},
                },
                "post": {
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateSeminar"}}}},
                    "responses": {
                        "201": {"description": "created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SeminarDetail"}}}},
                        "400": {"description": "bad", "x-error-codes": ["validation_failed", "malformed_body"]},
                    },
                },
            },
            "/api/v1/seminar/{seminar_id}/join/": {"post": {
                "responses": {
                    "201": {"description": "joined"},
                    "409": {"description": "conflict", "x-error-codes": ["seminar_full", "already_joined"]},
                },
            }},
        },
        "components": {"schemas": {
            "SeminarSummary": object(&["id", "name", "status"], json!({
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "status": {"type": "string", "enum": ["open", "closed"]},
            })),
            "SeminarDetail": object(&["id", "name", "capacity", "instructor"], json!({
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "capacity": {"type": "integer"},
                "instructor": {"$ref": "#/components/schemas/User"},
            })),
            "User": object(&["id", "name"], json!({"id": {"type": "integer"}, "name": {"type": "string"}})),
            "CreateSeminar": object(&["name", "capacity"], json!({
                "name": {"type": "string", "maxLength": 100},
                "capacity": {"type": "integer"},
                "online": {"type": "boolean"},
            })),
        }},
    });
    let mut v2 = v1.clone();
    let schemas = &mut v2["components"]["schemas"];
    schemas["SeminarSummary"]["properties"]["status"]["enum"] =
        json!(["open", "closed", "cancelled"]);
    schemas["SeminarDetail"]["required"] = json!(["id", "name", "instructor"]);
    schemas["SeminarDetail"]["properties"]["instructor"] =
        json!({"oneOf": [{"$ref": "#/components/schemas/User"}, {"type": "null"}]});
    schemas["User"]["properties"]["email"] = json!({"type": "string"});
    schemas["User"]["required"] = json!(["id", "name", "email"]);
    schemas["CreateSeminar"]["properties"]["name"]["maxLength"] = json!(50);
    schemas["CreateSeminar"]["properties"]["time"] = json!({"type": "string", "format": "time"});
    schemas["CreateSeminar"]["required"] = json!(["name", "capacity", "time"]);
    let join = &mut v2["paths"]["/api/v1/seminar/{seminar_id}/join/"]["post"]["responses"];
    join["409"]["x-error-codes"] = json!(["already_joined"]);
    let list = &mut v2["paths"]["/api/v1/seminar/"]["get"];
    list["parameters"][0]["schema"]["minimum"] = json!(0);
    list["parameters"][0]["required"] = json!(true);

    let report = diff(&v1, &v2);
    assert!(report.is_breaking());
    insta::assert_snapshot!(report.to_string());
}

#[test]
fn bounds_implied_by_an_integer_format_are_not_added_constraints() {
    let old = req(json!({"type": "integer", "format": "int32"}), true);
    let stated = req(
        json!({"type": "integer", "format": "int32", "minimum": -2147483648_i64, "maximum": 2147483647}),
        true,
    );
    assert_eq!(rules(&diff(&old, &stated)), []);
    assert_eq!(rules(&diff(&stated, &old)), []);
    // A bound inside the type's range still tightens.
    let tighter = req(
        json!({"type": "integer", "format": "int32", "maximum": 100}),
        true,
    );
    breaking(&old, &tighter, "request-property-max-decreased");
}

#[test]
fn a_response_body_of_another_shape_is_breaking() {
    let mut old = in_out(plain_in(), plain_out());
    old["paths"]["/things/"]["post"]["responses"]["409"] = json!({
        "description": "conflict",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingError"}}},
    });
    old["components"]["schemas"]["ThingError"] = json!({"oneOf": [
        object(&["Conflict"], json!({"Conflict": {"type": "string"}})),
        object(&["NotFound"], json!({"NotFound": {"type": "string"}})),
    ]});
    let mut new = old.clone();
    new["paths"]["/things/"]["post"]["responses"]["409"]["content"]["application/json"]["schema"] =
        json!({"$ref": "#/components/schemas/ApiError"});
    new["components"]["schemas"]["ApiError"] =
        object(&["code"], json!({"code": {"type": "string"}}));
    let report = diff(&old, &new);
    let hit = report
        .findings
        .iter()
        .find(|f| f.rule == "response-body-type-changed")
        .unwrap_or_else(|| panic!("not reported:\n{report}"));
    assert_eq!(hit.severity, Severity::Error);
    assert!(
        hit.message.contains("changed shape from one of "),
        "{report}"
    );
    assert!(hit.message.contains(" to object;"), "{report}");
    // A union with other branches has another shape too.
    let mut other = old.clone();
    other["paths"]["/things/"]["post"]["responses"]["409"]["content"]["application/json"]["schema"] = json!({"oneOf": [{"$ref": "#/components/schemas/ApiError"}, {"$ref": "#/components/schemas/ThingError"}]});
    other["components"]["schemas"]["ApiError"] = new["components"]["schemas"]["ApiError"].clone();
    let report = diff(&old, &other);
    assert_eq!(
        rules(&report),
        [(Severity::Error, "response-body-type-changed")],
        "{report}"
    );
}

#[test]
fn the_same_values_in_a_generator_safe_shape_are_no_change() {
    // A union of constants is the enum of the same values.
    let consts = req(
        json!({"oneOf": [{"type": "string", "const": "a"}, {"type": "string", "const": "b"}]}),
        true,
    );
    let string_enum = req(json!({"type": "string", "enum": ["a", "b"]}), true);
    assert_eq!(rules(&diff(&consts, &string_enum)), []);
    // An alternate the server still accepts is not a narrowing.
    let lenient = req(
        json!({"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": "^(true|false)$"}]}),
        true,
    );
    let published = req(
        json!({"type": "boolean", "x-contract-also-accepts": [{"type": "string", "pattern": "^(true|false)$"}]}),
        true,
    );
    assert_eq!(rules(&diff(&lenient, &published)), []);
    // A format change within the same stated range is not one either.
    let narrow = req(json!({"type": "integer", "format": "uint32"}), true);
    let wide = req(
        json!({"type": "integer", "format": "int64", "minimum": 0, "maximum": 4294967295_u64}),
        true,
    );
    assert_eq!(rules(&diff(&narrow, &wide)), []);
    // Dropping the alternate is a narrowing.
    let strict = req(json!({"type": "boolean"}), true);
    breaking(&published, &strict, "request-property-type-changed");
}
