//! `contract lint`: classes, usage, and each policy failure.

use contract_openapi::{LintReport, PropertyClass, Usage, lint};
use serde_json::{Value, json};

use crate::{in_out, object, spec};

/// The errors of a report as `location: reason` lines.
fn errors(report: &LintReport) -> Vec<String> {
    report
        .errors
        .iter()
        .map(|e| format!("{}: {}", e.location, e.reason))
        .collect()
}

/// Asserts exactly one error, at `location`, whose reason mentions `needle`.
fn fails(doc: &Value, location: &str, needle: &str) {
    let report = lint(doc);
    let found = errors(&report);
    assert_eq!(
        found.len(),
        1,
        "expected one error at {location}:\n{report}"
    );
    assert_eq!(report.errors[0].location, location, "{report}");
    assert!(
        report.errors[0].reason.contains(needle),
        "reason of {location} should mention {needle:?}:\n{report}"
    );
}

fn passes(doc: &Value) {
    let report = lint(doc);
    assert!(report.is_clean(), "expected no errors:\n{report}");
}

/// A clean request schema, for specs that only exercise `Out`.
fn plain_in() -> Value {
    object(&["name"], json!({"name": {"type": "string"}}))
}

/// A clean response schema, for specs that only exercise `In`.
fn plain_out() -> Value {
    object(&["id"], json!({"id": {"type": "integer"}}))
}

fn out_with(property: Value, required: bool) -> Value {
    let required: &[&str] = if required { &["p"] } else { &[] };
    in_out(plain_in(), object(required, json!({"p": property})))
}

fn in_with(property: Value, required: bool) -> Value {
    let required: &[&str] = if required { &["p"] } else { &[] };
    in_out(object(required, json!({"p": property})), plain_out())
}

#[test]
fn classes() {
    let doc = in_out(
        object(
            &["name"],
            json!({
                "name": {"type": "string"},
                "city": {"type": "string"},
                "note": {"type": ["string", "null"]},
                "venue": {"x-patch": true, "oneOf": [{"$ref": "#/components/schemas/Venue"}, {"type": "null"}]},
                "bio": {"x-contract-class": "tri-state", "type": ["string", "null"]},
            }),
        ),
        object(
            &["id", "venue", "note"],
            json!({
                "id": {"type": "integer"},
                "venue": {"anyOf": [{"$ref": "#/components/schemas/Venue"}, {"type": "null"}]},
                "note": {"oneOf": [{"type": "string"}, {"type": "null"}]},
            }),
        ),
    );
    let mut doc = doc;
    doc["components"]["schemas"]["Venue"] = object(&["name"], json!({"name": {"type": "string"}}));
    let report = lint(&doc);
    assert!(report.is_clean(), "{report}");
    let class = |s, p| report.class_of(s, p).unwrap();
    assert_eq!(class("In", "name"), PropertyClass::Required);
    assert_eq!(class("In", "city"), PropertyClass::Optional);
    assert_eq!(class("In", "note"), PropertyClass::OptionalNullable);
    assert_eq!(class("In", "venue"), PropertyClass::TriState);
    assert_eq!(class("In", "bio"), PropertyClass::TriState);
    assert_eq!(class("Out", "id"), PropertyClass::Required);
    assert_eq!(class("Out", "venue"), PropertyClass::RequiredNullable);
    assert_eq!(class("Out", "note"), PropertyClass::RequiredNullable);
    assert_eq!(report.count(PropertyClass::TriState), 2);
}

#[test]
fn a_nullable_component_makes_its_references_nullable() {
    let mut doc = out_with(json!({"$ref": "#/components/schemas/Maybe"}), true);
    doc["components"]["schemas"]["Maybe"] = json!({"type": ["string", "null"]});
    let report = lint(&doc);
    assert_eq!(
        report.class_of("Out", "p"),
        Some(PropertyClass::RequiredNullable)
    );
}

#[test]
fn usage_follows_references_transitively() {
    let mut doc = in_out(
        object(
            &["shared"],
            json!({"shared": {"$ref": "#/components/schemas/Shared"}}),
        ),
        object(
            &["shared", "list"],
            json!({
                "shared": {"$ref": "#/components/schemas/Shared"},
                "list": {"type": "array", "items": {"$ref": "#/components/schemas/Deep"}},
            }),
        ),
    );
    let schemas = &mut doc["components"]["schemas"];
    schemas["Shared"] = object(&["x"], json!({"x": {"type": "integer"}}));
    schemas["Deep"] = object(
        &["deeper"],
        json!({"deeper": {"$ref": "#/components/schemas/Deeper"}}),
    );
    schemas["Deeper"] = object(&["y"], json!({"y": {"type": "integer"}}));
    schemas["Lonely"] = object(&[], json!({"z": {"type": "integer"}}));
    schemas["Param"] = json!({"type": "string", "enum": ["a", "b"]});
    doc["paths"]["/things/"]["get"] = json!({
        "parameters": [{"name": "kind", "in": "query", "schema": {"$ref": "#/components/schemas/Param"}}],
        "responses": {"404": {"$ref": "#/components/responses/NotFound"}},
    });
    doc["components"]["responses"] = json!({"NotFound": {
        "description": "not found",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Missing"}}},
    }});
    doc["components"]["schemas"]["Missing"] =
        object(&["code"], json!({"code": {"type": "string"}}));

    let report = lint(&doc);
    assert_eq!(report.usage_of("In"), Some(Usage::Request));
    assert_eq!(report.usage_of("Out"), Some(Usage::Response));
    assert_eq!(report.usage_of("Shared"), Some(Usage::Both));
    assert_eq!(report.usage_of("Deep"), Some(Usage::Response));
    assert_eq!(report.usage_of("Deeper"), Some(Usage::Response));
    assert_eq!(report.usage_of("Param"), Some(Usage::Request));
    assert_eq!(report.usage_of("Missing"), Some(Usage::Response));
    // Unused schemas are listed, but no request/response rule applies.
    assert_eq!(report.usage_of("Lonely"), Some(Usage::Unused));
    assert!(report.is_clean(), "{report}");
}

#[test]
fn a_schema_used_in_both_directions_obeys_the_response_rules() {
    let mut doc = in_out(
        object(
            &["s"],
            json!({"s": {"$ref": "#/components/schemas/Shared"}}),
        ),
        object(
            &["s"],
            json!({"s": {"$ref": "#/components/schemas/Shared"}}),
        ),
    );
    doc["components"]["schemas"]["Shared"] = object(&[], json!({"x": {"type": "integer"}}));
    fails(&doc, "Shared.x", "not in `required`");
}

#[test]
fn schemas_are_listed_sorted_by_name_and_properties_in_document_order() {
    let doc = spec(json!({
        "Zeta": object(&[], json!({"z": {"type": "string"}})),
        "Out": object(&["b", "a"], json!({"b": {"type": "string"}, "a": {"type": "string"}})),
        "In": plain_in(),
        "Alpha": object(&[], json!({"a": {"type": "string"}})),
    }));
    let report = lint(&doc);
    let names: Vec<&str> = report.schemas.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Alpha", "In", "Out", "Zeta"]);
    let out: Vec<&str> = report.schemas[2]
        .properties
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(out, ["b", "a"]);
}

#[test]
fn inline_body_schemas_are_named_by_operation_and_nested_objects_by_property() {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/login/": {"post": {
            "requestBody": {"content": {"application/json": {"schema":
                object(&["email"], json!({"email": {"type": "string"}, "remember": {"type": "boolean"}}))
            }}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
                object(&["token", "user"], json!({
                    "token": {"type": "string"},
                    "user": object(&["id"], json!({"id": {"type": "integer"}, "nick": {"type": "string"}})),
                    "roles": {"type": "array", "items": object(&["name"], json!({"name": {"type": "string"}}))},
                }))
            }}}},
        }}},
    });
    let report = lint(&doc);
    let names: Vec<&str> = report.schemas.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "POST /login/ request",
            "POST /login/ 200 response",
            "POST /login/ 200 response.user",
            "POST /login/ 200 response.roles[]",
        ]
    );
    assert_eq!(
        report.class_of("POST /login/ request", "remember"),
        Some(PropertyClass::Optional)
    );
    assert_eq!(
        errors(&report),
        [
            "POST /login/ 200 response.roles: response property is not in `required`; always send it (null for no value) or mark it `x-contract-allow-absent: true` with a description",
            "POST /login/ 200 response.user.nick: response property is not in `required`; always send it (null for no value) or mark it `x-contract-allow-absent: true` with a description",
        ]
    );
}

// --- each policy failure, and its accepted counterpart -------------------

#[test]
fn a_response_property_missing_from_required_fails() {
    fails(
        &out_with(json!({"type": "string"}), false),
        "Out.p",
        "not in `required`",
    );
    // The same property in a request is merely optional.
    passes(&in_with(json!({"type": "string"}), false));
}

#[test]
fn an_absent_response_property_may_be_allowed_with_a_description() {
    passes(&out_with(
        json!({"type": "string", "x-contract-allow-absent": true, "description": "Absent for guests."}),
        false,
    ));
    fails(
        &out_with(
            json!({"type": "string", "x-contract-allow-absent": true}),
            false,
        ),
        "Out.p",
        "needs a `description`",
    );
    fails(
        &out_with(
            json!({"type": "string", "x-contract-allow-absent": true, "description": "  "}),
            false,
        ),
        "Out.p",
        "needs a `description`",
    );
}

#[test]
fn a_nullable_reference_must_be_one_of_with_null() {
    let mut ok = out_with(
        json!({"oneOf": [{"$ref": "#/components/schemas/Venue"}, {"type": "null"}]}),
        true,
    );
    ok["components"]["schemas"]["Venue"] = plain_out();
    passes(&ok);

    for bad in [
        json!({"$ref": "#/components/schemas/Venue", "type": ["object", "null"]}),
        json!({"$ref": "#/components/schemas/Venue", "nullable": true}),
    ] {
        let mut doc = out_with(bad, true);
        doc["components"]["schemas"]["Venue"] = plain_out();
        fails(&doc, "Out.p", "`$ref` with a sibling null type");
    }
    for bad in [
        json!({"allOf": [{"$ref": "#/components/schemas/Venue"}], "nullable": true}),
        json!({"allOf": [{"$ref": "#/components/schemas/Venue"}], "type": ["object", "null"]}),
    ] {
        let mut doc = in_with(bad, true);
        doc["components"]["schemas"]["Venue"] = plain_out();
        fails(&doc, "In.p", "`allOf: [$ref]`");
    }
}

#[test]
fn the_nullable_keywords_fail_anywhere() {
    fails(
        &out_with(json!({"type": "string", "nullable": true}), true),
        "Out.p",
        "`nullable` is not",
    );
    fails(
        &in_with(json!({"type": "string", "x-nullable": true}), false),
        "In.p",
        "`x-nullable`",
    );
    // Deep inside a property, in an unused schema, on a schema itself, on a parameter.
    let mut doc = in_out(plain_in(), plain_out());
    doc["components"]["schemas"]["Lonely"] = object(
        &[],
        json!({"tags": {"type": "array", "items": {"type": "string", "nullable": false}}}),
    );
    fails(&doc, "Lonely.tags", "`nullable` is not");
    let mut doc = in_out(plain_in(), plain_out());
    doc["components"]["schemas"]["In"]["x-nullable"] = json!(true);
    fails(&doc, "In", "`x-nullable`");
    let mut doc = in_out(plain_in(), plain_out());
    doc["paths"]["/things/"]["post"]["parameters"] =
        json!([{"name": "q", "in": "query", "schema": {"type": "string", "nullable": true}}]);
    fails(&doc, "POST /things/ parameter q", "`nullable` is not");
}

#[test]
fn shared_parameters_are_checked_once() {
    let mut doc = in_out(plain_in(), plain_out());
    doc["components"]["parameters"] = json!({"Page": {"name": "page", "in": "query", "schema": {"type": "integer", "x-nullable": true}}});
    doc["paths"]["/things/"]["post"]["parameters"] =
        json!([{"$ref": "#/components/parameters/Page"}]);
    doc["paths"]["/things/"]["get"] = json!({
        "parameters": [{"$ref": "#/components/parameters/Page"}],
        "responses": {"200": {"description": "ok"}},
    });
    fails(&doc, "GET /things/ parameter page", "`x-nullable`");
}

#[test]
fn nullable_arrays_and_booleans_fail_in_responses_only() {
    for (property, needle) in [
        (
            json!({"type": ["array", "null"], "items": {"type": "string"}}),
            "nullable array",
        ),
        (
            json!({"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]}),
            "nullable array",
        ),
        (json!({"type": ["boolean", "null"]}), "nullable boolean"),
    ] {
        fails(&out_with(property.clone(), true), "Out.p", needle);
        passes(&in_with(property, false));
    }
    passes(&out_with(
        json!({"type": "array", "items": {"type": ["string", "null"]}}),
        true,
    ));
}

#[test]
fn error_codes_are_open_strings() {
    let envelope = |code: Value| {
        let mut doc = in_out(plain_in(), plain_out());
        doc["components"]["schemas"]["ApiError"] = object(
            &["code", "message"],
            json!({"code": code, "message": {"type": "string"}}),
        );
        doc["paths"]["/things/"]["post"]["responses"]["400"] = json!({
            "description": "bad",
            "x-error-codes": ["validation_failed"],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}},
        });
        doc
    };
    passes(&envelope(
        json!({"type": "string", "pattern": "^[a-z][a-z0-9_]{0,62}$"}),
    ));
    fails(
        &envelope(json!({"type": "string", "enum": ["validation_failed", "not_found"]})),
        "ApiError.code",
        "open strings",
    );
    // `code` elsewhere may be an enum.
    passes(&out_with(json!({"type": "string", "enum": ["a"]}), true));
}

#[test]
fn tri_state_belongs_in_requests_optional_and_nullable() {
    let patch = json!({"x-patch": true, "type": ["string", "null"]});
    passes(&in_with(patch.clone(), false));
    fails(
        &in_with(patch.clone(), true),
        "In.p",
        "must not be in `required`",
    );
    fails(
        &in_with(
            json!({"x-contract-class": "tri-state", "type": "string"}),
            false,
        ),
        "In.p",
        "must admit null",
    );
    fails(&out_with(patch, true), "Out.p", "request bodies only");
}

#[test]
fn inherited_properties_are_listed_but_checked_once() {
    let mut doc = in_out(
        plain_in(),
        json!({"allOf": [
            {"$ref": "#/components/schemas/Base"},
            object(&["extra"], json!({"extra": {"type": "string"}})),
        ]}),
    );
    doc["components"]["schemas"]["Base"] = object(&[], json!({"id": {"type": "integer"}}));
    let report = lint(&doc);
    assert_eq!(report.class_of("Out", "id"), Some(PropertyClass::Optional));
    assert_eq!(
        report.class_of("Out", "extra"),
        Some(PropertyClass::Required)
    );
    assert_eq!(errors(&report).len(), 1, "{report}");
    assert_eq!(report.errors[0].location, "Base.id");
}

#[test]
fn shapes_that_break_generators_fail_naming_the_generator() {
    let string = |c: &str| json!({"type": "string", "const": c});
    for (property, needle) in [
        (
            json!({"oneOf": [string("a"), string("b")]}),
            "kotlin generates an empty class",
        ),
        (
            json!({"anyOf": [
                {"anyOf": [{"type": "boolean"}, {"type": "string", "x-contract-alternate": true}]},
                {"type": "null"},
            ]}),
            "nested `anyOf`/`oneOf`",
        ),
        (
            json!({"anyOf": [{"type": "boolean"}, {"type": "string"}]}),
            "scalar types (boolean, string)",
        ),
        (json!({"type": ["boolean", "string"]}), "swift `AnyCodable`"),
        (
            json!({"oneOf": [
                object(&["a"], json!({"a": {"type": "string"}})),
                object(&["b"], json!({"b": {"type": "string"}})),
            ]}),
            "add a `discriminator`",
        ),
        (
            json!({"$ref": "#/components/schemas/Name", "default": "x"}),
            "sibling default",
        ),
        (
            json!({"type": ["string", "null"], "enum": ["a", null]}),
            "python generates `str`",
        ),
        (
            json!({"type": "integer", "format": "uint64"}),
            "exact only to 2^53",
        ),
        (
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"],
                   "allOf": [{"if": {"required": ["a"]}, "then": {"required": ["b"]}}]}),
            "dependentSchemas",
        ),
        (json!({"description": "anything"}), "an untyped value"),
        (
            json!({"type": "string", "pattern": "^[^\\u0000-\\u001F]*$"}),
            "write `\\x00` instead",
        ),
    ] {
        let mut doc = out_with(property, true);
        doc["components"]["schemas"]["Name"] = json!({"type": "string"});
        fails(&doc, "Out.p", needle);
        let mut doc = in_with(
            doc["components"]["schemas"]["Out"]["properties"]["p"].clone(),
            true,
        );
        doc["components"]["schemas"]["Name"] = json!({"type": "string"});
        fails(&doc, "In.p", needle);
    }
}

#[test]
fn integer_bounds_beyond_2_53_need_a_64_bit_format_and_get_a_note() {
    // No format states it: the bound itself is the trap.
    let doc = out_with(
        json!({"type": "integer", "maximum": 18446744073709551615u64}),
        true,
    );
    fails(
        &doc,
        "Out.p",
        "beyond 2^53 - 1, which a JavaScript number cannot hold",
    );
    // `format: int64` states it: a note for client teams, not an error.
    let doc = in_with(
        json!({"type": "integer", "format": "int64", "minimum": -9223372036854775808i64}),
        false,
    );
    passes(&doc);
    let report = lint(&doc);
    assert_eq!(report.notes.len(), 1, "{report}");
    assert_eq!(report.notes[0].location, "In.p");
    assert!(
        report
            .to_string()
            .contains("note: In.p: minimum: -9223372036854775808")
    );
    // Within 2^53: nothing to say.
    let doc = in_with(
        json!({"type": "integer", "format": "int64", "maximum": 9007199254740991u64}),
        false,
    );
    assert!(lint(&doc).notes.is_empty());
}

#[test]
fn generator_safe_shapes_pass() {
    for property in [
        json!({"type": "string", "enum": ["a", "b"], "x-enum-descriptions": ["A", "B"]}),
        json!({"oneOf": [{"$ref": "#/components/schemas/Name"}, {"type": "null"}]}),
        json!({"$ref": "#/components/schemas/Name", "description": "kept"}),
        json!({"type": ["boolean", "null"], "x-contract-also-accepts": [{"type": "string"}]}),
        json!({"type": "object", "additionalProperties": {"type": "integer", "format": "int64"}}),
        json!({"type": "integer", "format": "int64"}),
        json!({"type": "string", "pattern": "^[^\\x00-\\x1F\\u202A]*$"}),
        // An escaped backslash before `u0000` is not an escape.
        json!({"type": "string", "pattern": "^[\\\\u0000]*$"}),
    ] {
        let mut doc = in_with(property, false);
        doc["components"]["schemas"]["Name"] = json!({"type": "string", "enum": ["x"]});
        passes(&doc);
    }
}

#[test]
fn full_report() {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "seminar", "version": "1.0.0"},
        "paths": {
            "/api/v1/seminar/": {"post": {
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateSeminar"}}}},
                "responses": {
                    "201": {"description": "created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SeminarDetail"}}}},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                },
            }},
            "/api/v1/seminar/{seminar_id}/": {"patch": {
                "parameters": [{"name": "seminar_id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UpdateSeminar"}}}},
                "responses": {
                    "200": {"description": "updated", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SeminarDetail"}}}},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                },
            }},
        },
        "components": {
            "responses": {"BadRequest": {
                "description": "validation_failed",
                "x-error-codes": ["validation_failed", "malformed_body"],
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}},
            }},
            "schemas": {
                "SeminarDetail": object(
                    &["id", "name", "capacity", "time", "instructor", "participants", "is_full"],
                    json!({
                        "id": {"type": "integer", "format": "int64"},
                        "name": {"type": "string"},
                        "capacity": {"type": "integer"},
                        "time": {"type": ["string", "null"], "format": "time"},
                        "instructor": {"oneOf": [{"$ref": "#/components/schemas/User"}, {"type": "null"}]},
                        "participants": {"type": ["array", "null"], "items": {"$ref": "#/components/schemas/User"}},
                        "is_full": {"type": "boolean"},
                        "online": {"type": "boolean"},
                    }),
                ),
                "User": object(
                    &["id", "name", "university"],
                    json!({
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "university": {"$ref": "#/components/schemas/University", "type": ["object", "null"]},
                        "email": {"type": "string", "x-contract-allow-absent": true, "description": "Only shown to the user themself."},
                    }),
                ),
                "University": object(&["name"], json!({"name": {"type": "string"}})),
                "CreateSeminar": object(
                    &["name", "capacity"],
                    json!({
                        "name": {"type": "string", "minLength": 1},
                        "capacity": {"type": "integer", "minimum": 1},
                        "time": {"type": ["string", "null"], "format": "time"},
                        "online": {"type": "boolean", "default": false},
                    }),
                ),
                "UpdateSeminar": object(
                    &[],
                    json!({
                        "name": {"type": "string"},
                        "time": {"x-patch": true, "type": ["string", "null"], "format": "time"},
                        "venue": {"x-patch": true, "oneOf": [{"$ref": "#/components/schemas/University"}, {"type": "null"}]},
                        "memo": {"type": "string", "nullable": true},
                    }),
                ),
                "ApiError": object(
                    &["code", "message", "fields", "request_id"],
                    json!({
                        "code": {"type": "string", "enum": ["validation_failed", "malformed_body"]},
                        "message": {"type": "string"},
                        "fields": {"type": "array", "items": {"$ref": "#/components/schemas/FieldViolation"}},
                        "request_id": {"type": "string"},
                    }),
                ),
                "FieldViolation": object(
                    &["field", "code", "message"],
                    json!({
                        "field": {"type": "string"},
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                    }),
                ),
            },
        },
    });
    let report = lint(&doc);
    assert_eq!(report.errors.len(), 5, "{report}");
    insta::assert_snapshot!(report.to_string());
}
