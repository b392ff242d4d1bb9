//! [`Schemars<T>`]: a schemars type as a utoipa schema, so one type serves
//! contract's extractors and a utoipa document.
//!
//! utoipa's `#[derive(ToSchema)]` ignores `validator`'s `#[validate]`
//! attributes (utoipa issue #573); schemars reads them. `Schemars<T>`
//! generates `T`'s schema with schemars, with the settings and the
//! generator-safe shapes contract publishes ([`TypeSchemas`]), and hands it
//! to utoipa: `T`'s component under its schemars name, and every type it
//! refers to as a component of its own.
//!
//! utoipa's macros read a generic type as a generic schema (they would ask
//! `T` for a utoipa schema too), so name the bridge with a type alias:
//! `type NewTodoBody = Schemars<NewTodo>;` then
//! `request_body = NewTodoBody`, `body = NewTodoBody` or
//! `components(schemas(NewTodoBody))`. Or give the type itself utoipa's
//! traits, through the bridge, with [`schemars_schema!`]`(NewTodo)`, and
//! keep `request_body = NewTodo`.
//!
//! # What utoipa's model keeps
//!
//! The schemas go through utoipa's document model (`RefOr<Schema>`, by
//! serde). It keeps `type` (one or a list: `["string", "null"]`),
//! `format`, `enum`, `pattern`, `minLength`, `maxLength`, `minimum`,
//! `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`,
//! `minItems`, `maxItems`, `uniqueItems`, `minProperties`, `required`,
//! `properties`, `additionalProperties`, `propertyNames`, `items`,
//! `prefixItems`, `oneOf`/`anyOf`/`allOf` (with no `type` beside them),
//! `discriminator`, `default`, `examples`, `description`, `title`,
//! `deprecated`, `readOnly`, `writeOnly` and `x-` extensions. A lone
//! `const` is written `enum: [value]`, and a schema that accepts anything
//! (`true`, `{}`) `{}`.
//!
//! It drops what it has no field for: `if`/`then`/`else`,
//! `dependentSchemas`, `dependentRequired`, `not`, `contains`,
//! `patternProperties`, `unevaluatedProperties`, a `oneOf`/`anyOf`/`allOf`
//! beside a `type` (a struct with a flattened enum), and the siblings of a
//! `$ref` other than `description`, `summary`, `title`, `default`,
//! `readOnly` and `writeOnly`. Where `T` is the body of contract's `Json`,
//! those rules are still enforced (it checks a request against schemars'
//! schema, not against the document); only the published document lacks
//! them. [`Schemars::dropped`] names what a type loses, for a test.

use std::borrow::Cow;
use std::marker::PhantomData;

use contract_openapi::TypeSchemas;
use schemars::JsonSchema;
use serde_json::Value;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};

/// Which of a type's two contracts a [`Schemars`] publishes.
pub trait Direction: sealed::Sealed {
    /// The type's schemas in this direction.
    #[doc(hidden)]
    fn schemas<T: JsonSchema>() -> TypeSchemas;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::ForRequest {}
    impl Sealed for super::ForResponse {}
}

/// The request (deserialize) contract: `Option` and defaulted fields are
/// optional. The default.
#[derive(Debug, Clone, Copy)]
pub enum ForRequest {}

/// The response (serialize) contract: every property present, `Option`
/// ones nullable.
#[derive(Debug, Clone, Copy)]
pub enum ForResponse {}

impl Direction for ForRequest {
    fn schemas<T: JsonSchema>() -> TypeSchemas {
        TypeSchemas::request::<T>()
    }
}

impl Direction for ForResponse {
    fn schemas<T: JsonSchema>() -> TypeSchemas {
        TypeSchemas::response::<T>()
    }
}

/// `T`'s schemars schema as a utoipa [`ToSchema`], with the `#[validate]`
/// rules schemars reads (`length`, `range`, `email`, `url`, `regex`,
/// `contains`). `D` is [`ForRequest`] (the default) or [`ForResponse`].
///
/// Both directions register `T` under the same name: a type whose two
/// contracts differ should be published in one direction only.
///
/// ```
/// use contract_utoipa::Schemars;
/// use utoipa::OpenApi;
///
/// #[derive(serde::Deserialize, schemars::JsonSchema, validator::Validate)]
/// struct NewTodo {
///     #[validate(length(min = 1, max = 100))]
///     value: String,
/// }
///
/// type NewTodoBody = Schemars<NewTodo>;
///
/// #[utoipa::path(post, path = "/todo", request_body = NewTodoBody,
///     responses((status = 204, description = "Created")))]
/// async fn create() {}
///
/// #[derive(OpenApi)]
/// #[openapi(paths(create))]
/// struct ApiDoc;
///
/// let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
/// let value = &doc["components"]["schemas"]["NewTodo"]["properties"]["value"];
/// assert_eq!((&value["minLength"], &value["maxLength"]), (&1.into(), &100.into()));
/// ```
pub struct Schemars<T, D: Direction = ForRequest>(PhantomData<fn() -> (T, D)>);

impl<T: JsonSchema, D: Direction> Schemars<T, D> {
    /// The keywords of `T`'s schemas that utoipa's model drops, as JSON
    /// pointers (`/components/NewTodo/dependentSchemas`), empty when the
    /// document states every rule.
    pub fn dropped() -> Vec<String> {
        let s = D::schemas::<T>();
        let mut out = Vec::new();
        let own = s.name.clone().unwrap_or_else(|| T::schema_name().into());
        for (name, schema) in std::iter::once((&own, &s.schema)).chain(&s.components) {
            let back = serde_json::to_value(to_utoipa(schema.clone())).unwrap_or(Value::Null);
            lost(schema, &back, &format!("/components/{name}"), &mut out);
        }
        out.sort();
        out
    }
}

impl<T, D: Direction> std::fmt::Debug for Schemars<T, D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Schemars")
    }
}

impl<T: JsonSchema, D: Direction> PartialSchema for Schemars<T, D> {
    fn schema() -> RefOr<Schema> {
        to_utoipa(D::schemas::<T>().schema)
    }
}

impl<T: JsonSchema, D: Direction> ToSchema for Schemars<T, D> {
    fn name() -> Cow<'static, str> {
        match D::schemas::<T>().name {
            Some(name) => name.into(),
            None => T::schema_name(),
        }
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        for (name, schema) in D::schemas::<T>().components {
            schemas.push((name, to_utoipa(schema)));
        }
    }
}

/// Implements utoipa's `PartialSchema` and `ToSchema` for types of this
/// crate that implement `schemars::JsonSchema`, as [`Schemars<T>`] does, so
/// a `#[utoipa::path]` names them as they are: `request_body = NewTodo`.
/// `response: Todo` publishes the response contract ([`ForResponse`]).
///
/// ```
/// #[derive(serde::Deserialize, schemars::JsonSchema, validator::Validate)]
/// struct NewTodo {
///     #[validate(length(min = 1))]
///     value: String,
/// }
/// #[derive(serde::Serialize, schemars::JsonSchema)]
/// struct Todo { id: u32, note: Option<String> }
///
/// contract_utoipa::schemars_schema!(NewTodo, response: Todo);
///
/// #[utoipa::path(post, path = "/todo", request_body = NewTodo,
///     responses((status = 201, description = "Created", body = Todo)))]
/// async fn create() {}
///
/// # use utoipa::OpenApi;
/// #[derive(OpenApi)]
/// #[openapi(paths(create))]
/// struct ApiDoc;
///
/// let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
/// let schemas = &doc["components"]["schemas"];
/// assert_eq!(schemas["NewTodo"]["properties"]["value"]["minLength"], 1);
/// assert_eq!(schemas["Todo"]["required"], serde_json::json!(["id", "note"]));
/// ```
#[macro_export]
macro_rules! schemars_schema {
    (@impl $ty:ty, $direction:ty) => {
        impl $crate::__private::utoipa::PartialSchema for $ty {
            fn schema() -> $crate::__private::utoipa::openapi::RefOr<
                $crate::__private::utoipa::openapi::schema::Schema,
            > {
                <$crate::Schemars<$ty, $direction> as $crate::__private::utoipa::PartialSchema>::schema()
            }
        }
        impl $crate::__private::utoipa::ToSchema for $ty {
            fn name() -> ::std::borrow::Cow<'static, str> {
                <$crate::Schemars<$ty, $direction> as $crate::__private::utoipa::ToSchema>::name()
            }
            fn schemas(
                schemas: &mut ::std::vec::Vec<(
                    ::std::string::String,
                    $crate::__private::utoipa::openapi::RefOr<
                        $crate::__private::utoipa::openapi::schema::Schema,
                    >,
                )>,
            ) {
                <$crate::Schemars<$ty, $direction> as $crate::__private::utoipa::ToSchema>::schemas(schemas)
            }
        }
    };
    () => {};
    (response: $ty:ty $(, $($rest:tt)*)?) => {
        $crate::schemars_schema!(@impl $ty, $crate::ForResponse);
        $crate::schemars_schema!($($($rest)*)?);
    };
    ($ty:ty $(, $($rest:tt)*)?) => {
        $crate::schemars_schema!(@impl $ty, $crate::ForRequest);
        $crate::schemars_schema!($($($rest)*)?);
    };
}

/// A JSON schema in utoipa's model. utoipa reads a schema without `type`
/// only as a reference or a composition, so the schemas that accept any
/// value (`true`, `{}`, a lone `const`) are written the ways it reads:
/// `type: null` (its "any value") and `enum: [value]`.
fn to_utoipa(mut schema: Value) -> RefOr<Schema> {
    readable(&mut schema);
    serde_json::from_value(schema)
        .expect("utoipa's model reads every schema in the shapes contract publishes")
}

fn readable(v: &mut Value) {
    match v {
        Value::Bool(true) => *v = serde_json::json!({}),
        Value::Bool(false) => *v = serde_json::json!({ "not": {} }),
        _ => {}
    }
    let Value::Object(m) = v else {
        return;
    };
    // utoipa takes a boolean `items` or `additionalProperties` as it is.
    contract_openapi::for_each_subschema(m, |key, child| {
        if !(child.is_boolean() && matches!(key, "items" | "additionalProperties")) {
            readable(child);
        }
    });
    if let Some(c) = m.get("const").cloned()
        && !m.contains_key("enum")
    {
        m.insert("enum".into(), Value::Array(vec![c]));
    }
    let composed = ["$ref", "oneOf", "anyOf", "allOf"]
        .iter()
        .any(|k| m.contains_key(*k));
    if !composed && !m.contains_key("type") {
        m.insert("type".into(), Value::Null);
    }
}

/// Pushes the pointers of `before`'s keywords that `after`, its round trip
/// through utoipa, lacks.
fn lost(before: &Value, after: &Value, at: &str, out: &mut Vec<String>) {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            for (k, v) in b {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                let same_enum = || a.get("enum") == Some(&Value::Array(vec![v.clone()]));
                match a.get(k) {
                    Some(w) => lost(v, w, &here, out),
                    None if k == "const" && same_enum() => {}
                    None => out.push(here),
                }
            }
        }
        (Value::Bool(false), a) if a != &Value::Bool(false) => out.push(at.to_owned()),
        (Value::Array(b), Value::Array(a)) => {
            for (i, v) in b.iter().enumerate() {
                match a.get(i) {
                    Some(w) => lost(v, w, &format!("{at}/{i}"), out),
                    None => out.push(format!("{at}/{i}")),
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Adopt, apply};
    use serde_json::json;
    use utoipa::OpenApi;
    use validator::Validate;

    /// A place.
    #[derive(serde::Deserialize, Validate, schemars::JsonSchema)]
    #[allow(dead_code)]
    struct Address {
        #[validate(length(min = 2))]
        city: String,
    }

    /// A plan.
    #[derive(serde::Deserialize, schemars::JsonSchema)]
    #[serde(rename_all = "snake_case")]
    #[allow(dead_code)]
    enum Plan {
        Free,
        Pro,
    }

    /// Someone signing up.
    #[derive(serde::Deserialize, Validate, schemars::JsonSchema)]
    #[allow(dead_code)]
    struct Signup {
        /// The display name.
        #[validate(length(min = 1, max = 100))]
        name: String,
        #[validate(email)]
        email: String,
        #[validate(range(min = 1))]
        seats: u16,
        #[validate(regex(path = *HANDLE))]
        handle: String,
        nickname: Option<String>,
        #[validate(nested)]
        address: Option<Address>,
        plan: Plan,
    }

    static HANDLE: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new("^[a-z]+$").expect("a regex"));

    /// An account.
    #[derive(serde::Serialize, schemars::JsonSchema)]
    struct Account {
        id: u32,
        nickname: Option<String>,
    }

    type SignupBody = Schemars<Signup>;
    type AccountBody = Schemars<Account, ForResponse>;

    /// Signs up.
    #[utoipa::path(post, path = "/signup", request_body = SignupBody,
        responses((status = 201, description = "Signed up", body = AccountBody)))]
    #[allow(dead_code)]
    async fn signup() {}

    #[derive(OpenApi)]
    #[openapi(paths(signup), components(schemas(SignupBody)))]
    struct ApiDoc;

    fn schemas(doc: &Value) -> &Value {
        &doc["components"]["schemas"]
    }

    #[test]
    fn validate_rules_reach_the_utoipa_document() {
        let doc = serde_json::to_value(ApiDoc::openapi()).expect("serializes");
        let signup = &schemas(&doc)["Signup"];
        let p = &signup["properties"];
        assert_eq!(p["name"]["minLength"], 1);
        assert_eq!(p["name"]["maxLength"], 100);
        assert_eq!(p["name"]["description"], "The display name.");
        assert_eq!(p["email"]["format"], "email");
        assert_eq!(p["seats"]["minimum"], 1);
        assert_eq!(p["seats"]["maximum"], 65535);
        assert_eq!(p["seats"]["format"], "int32");
        assert_eq!(p["handle"]["pattern"], "^[a-z]+$");
        assert_eq!(p["nickname"]["type"], json!(["string", "null"]));
        assert_eq!(
            p["address"]["oneOf"],
            json!([{"$ref": "#/components/schemas/Address"}, {"type": "null"}])
        );
        assert_eq!(p["plan"]["$ref"], "#/components/schemas/Plan");
        assert_eq!(
            signup["required"],
            json!(["name", "email", "seats", "handle", "plan"])
        );
        assert_eq!(
            schemas(&doc)["Address"]["properties"]["city"]["minLength"],
            2
        );
        assert_eq!(schemas(&doc)["Plan"]["type"], "string");
        assert_eq!(schemas(&doc)["Plan"]["enum"], json!(["free", "pro"]));
        let body = &doc["paths"]["/signup"]["post"]["requestBody"]["content"]["application/json"];
        assert_eq!(body["schema"]["$ref"], "#/components/schemas/Signup");
        let ok = &doc["paths"]["/signup"]["post"]["responses"]["201"]["content"];
        assert_eq!(
            ok["application/json"]["schema"]["$ref"],
            "#/components/schemas/Account"
        );
        assert_eq!(
            schemas(&doc)["Account"]["required"],
            json!(["id", "nickname"])
        );
        assert!(Schemars::<Signup>::dropped().is_empty());
        assert!(Schemars::<Account, ForResponse>::dropped().is_empty());
    }

    #[test]
    fn the_schemas_are_the_ones_contract_publishes() {
        let doc = serde_json::to_value(ApiDoc::openapi()).expect("serializes");
        let published = TypeSchemas::request::<Signup>();
        assert_eq!(schemas(&doc)["Signup"], published.schema);
        for (name, schema) in &published.components {
            assert_eq!(&schemas(&doc)[name], schema, "{name}");
        }
    }

    #[test]
    fn contract_adopts_a_document_with_bridged_schemas() {
        let mut api = ApiDoc::openapi();
        apply(&mut api, &Adopt::new()).expect("adopted");
        let doc = serde_json::to_value(&api).expect("serializes");
        let p = &schemas(&doc)["Signup"]["properties"];
        assert_eq!(p["name"]["minLength"], 1);
        assert_eq!(p["email"]["format"], "email");
        assert_eq!(p["nickname"]["type"], json!(["string", "null"]));
        let post = &doc["paths"]["/signup"]["post"]["responses"];
        assert_eq!(
            post["400"][contract_openapi::keyword::ERROR_CODES],
            json!(["malformed_body"])
        );
        assert_eq!(
            post["422"][contract_openapi::keyword::ERROR_CODES],
            json!(["validation_failed"])
        );
        assert!(schemas(&doc).get("Address").is_some());
    }

    /// A schema with what utoipa's model keeps and what it drops.
    struct Rules;

    impl JsonSchema for Rules {
        fn schema_name() -> Cow<'static, str> {
            "Rules".into()
        }

        fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
            schemars::json_schema!({
                "type": "object",
                "properties": {
                    "code": { "type": "string", "pattern": "^[A-Z]{3}$", "writeOnly": true, "x-invalid-code": "bad_code" },
                    "note": { "type": ["string", "null"], "maxLength": 10 },
                    "count": { "type": "integer", "exclusiveMinimum": 0, "multipleOf": 2 },
                    "tags": { "type": "array", "items": { "type": "string" }, "uniqueItems": true, "minItems": 1, "maxItems": 3, "contains": { "const": "a" } },
                    "kind": { "oneOf": [{ "type": "string", "enum": ["a"] }, { "type": "integer" }] },
                    "version": { "const": 2 },
                    "any": true,
                    "extra": { "type": "object", "minProperties": 1, "propertyNames": { "pattern": "^x-" }, "patternProperties": { "^x-": { "type": "string" } } },
                    "mixed": { "type": "object", "properties": { "a": { "type": "string" } }, "oneOf": [{ "required": ["a"] }, { "required": ["b"] }] },
                    "linked": { "$ref": "#/components/schemas/Rules", "description": "kept", "deprecated": true },
                    "not_a_string": { "not": { "type": "string" } },
                },
                "required": ["code"],
                "dependentRequired": { "note": ["count"] },
                "dependentSchemas": { "count": { "required": ["tags"] } },
                "if": { "required": ["kind"] },
                "then": { "required": ["tags"] },
                "unevaluatedProperties": false,
                "x-contract": "kept",
            })
        }
    }

    #[test]
    fn what_utoipa_keeps_and_what_it_drops() {
        let kept = serde_json::to_value(Schemars::<Rules>::schema()).expect("serializes");
        let p = &kept["properties"];
        assert_eq!(p["code"]["pattern"], "^[A-Z]{3}$");
        assert_eq!(p["code"]["x-invalid-code"], "bad_code");
        assert_eq!(p["code"]["writeOnly"], true);
        assert_eq!(p["note"]["type"], json!(["string", "null"]));
        assert_eq!(p["note"]["maxLength"], 10);
        assert_eq!(p["count"]["exclusiveMinimum"], 0);
        assert_eq!(p["count"]["multipleOf"], 2);
        assert_eq!(p["tags"]["uniqueItems"], true);
        assert_eq!(p["tags"]["minItems"], 1);
        assert_eq!(p["extra"]["minProperties"], 1);
        assert_eq!(p["extra"]["propertyNames"]["pattern"], "^x-");
        assert_eq!(p["linked"]["description"], "kept");
        assert_eq!(p["kind"]["oneOf"][1]["type"], "integer");
        assert_eq!(p["version"]["enum"], json!([2]));
        assert_eq!(p["any"], json!({}));
        assert_eq!(kept["x-contract"], "kept");
        assert_eq!(
            Schemars::<Rules>::dropped(),
            [
                "/components/Rules/dependentRequired",
                "/components/Rules/dependentSchemas",
                "/components/Rules/if",
                "/components/Rules/properties/extra/patternProperties",
                "/components/Rules/properties/linked/deprecated",
                "/components/Rules/properties/mixed/oneOf",
                "/components/Rules/properties/not_a_string/not",
                "/components/Rules/properties/tags/contains",
                "/components/Rules/then",
                "/components/Rules/unevaluatedProperties",
            ]
        );
    }
}
