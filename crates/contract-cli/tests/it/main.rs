//! Integration tests of the `contract` library and binary.

mod cli;
mod client_kit;

use serde_json::{Value, json};

/// A document with one operation, `POST /things/`, whose request body is the
/// component `In` and whose 201 response is the component `Out`; `schemas`
/// holds those components and any others.
fn spec(schemas: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "things", "version": "1.0.0"},
        "paths": {"/things/": {"post": {
            "operationId": "create_thing",
            "requestBody": {
                "required": true,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}},
            },
            "responses": {
                "201": {
                    "description": "created",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Out"}}},
                },
            },
        }}},
        "components": {"schemas": schemas},
    })
}

/// An object schema.
fn object(required: &[&str], properties: Value) -> Value {
    json!({"type": "object", "required": required, "properties": properties})
}

/// `spec` with `In` and `Out` only.
fn in_out(request: Value, response: Value) -> Value {
    spec(json!({"In": request, "Out": response}))
}
