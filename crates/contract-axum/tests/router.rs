//! `ApiRouter` in axum's shape: method routers, documented handlers,
//! outputs, plain extractors and security, through a real router.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request};
use axum::response::IntoResponse;
use contract_axum::{
    ApiRouter, Created, Declared, Documented, ErrorCode, ErrorLayer, Json, NoContent, Operation,
    OperationInput, Path, Query, Security, SecurityScheme, SpecBuilder, delete, get, get_with,
    post, put,
};
use http::request::Parts;
use http::{Method, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;

#[derive(serde::Serialize, serde::Deserialize, validator::Validate, schemars::JsonSchema)]
struct Note {
    id: u32,
    text: String,
}

async fn read() -> Json<Note> {
    Json(Note {
        id: 1,
        text: "hi".into(),
    })
}

async fn write(Json(note): Json<Note>) -> Created<Json<Note>> {
    Created(Json(note))
}

async fn replace(Json(note): Json<Note>) -> Json<Note> {
    Json(note)
}

async fn remove() -> NoContent {
    NoContent
}

fn spec() -> SpecBuilder {
    SpecBuilder::new("Notes", "1.0")
}

async fn call(
    router: &axum::Router,
    method: Method,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    let body = match body {
        Some(b) => {
            req = req.header("content-type", "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    let res = router
        .clone()
        .layer(ErrorLayer::new())
        .oneshot(req.body(body).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn a_method_router_routes_and_documents_each_method() {
    let (router, spec) = ApiRouter::new(spec())
        .route(
            "/note",
            get(read)
                .post(write)
                .put(replace)
                .patch(replace)
                .delete(remove),
        )
        .into_parts();
    let doc = spec.build();
    let ops = &doc["paths"]["/note"];
    let ids: Vec<_> = ["get", "post", "put", "patch", "delete"]
        .iter()
        .map(|m| ops[m]["operationId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["read", "write", "replace", "patch_replace", "remove"]);
    assert!(ops["post"]["requestBody"].is_object());
    assert!(ops["post"]["responses"]["201"].is_object());
    assert!(ops["delete"]["responses"]["204"].is_object());
    assert!(ops["get"].get("requestBody").is_none());

    let note = json!({"id": 2, "text": "b"});
    assert_eq!(
        call(&router, Method::GET, "/note", None).await.0,
        StatusCode::OK
    );
    let (status, body) = call(&router, Method::POST, "/note", Some(note.clone())).await;
    assert_eq!((status, body), (StatusCode::CREATED, note.clone()));
    assert_eq!(
        call(&router, Method::PATCH, "/note", Some(note)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        call(&router, Method::DELETE, "/note", None).await.0,
        StatusCode::NO_CONTENT
    );
    let (status, body) = call(&router, Method::OPTIONS, "/note", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["code"], "method_not_allowed");
}

#[test]
fn a_duplicate_id_across_method_routers_panics_naming_both_operations() {
    let duplicate = std::panic::catch_unwind(|| {
        ApiRouter::<()>::new(spec()).route("/a", get(read)).route(
            "/b",
            post(write).get_with(replace, |op| {
                op.operation_id("read");
            }),
        )
    });
    let message = duplicate.expect_err("a duplicate id panics");
    let message = message.downcast_ref::<String>().expect("a message");
    assert!(
        message.contains("operationId `read` of GET /b is already the id of GET /a"),
        "{message}"
    );
}

#[test]
fn route_method_still_routes_one_method() {
    let (_, spec) = ApiRouter::<()>::new(spec())
        .route_method(Method::GET, "/a", read, |op| {
            op.summary("Read");
        })
        .into_parts();
    assert_eq!(spec.build()["paths"]["/a"]["get"]["summary"], "Read");
}

/// Reads the note.
#[contract_axum::handler]
async fn documented() -> Json<Note> {
    read().await
}

/// Replaces the note
/// with another.
///
/// The whole note: every field is required.
///
/// - `id` stays.
#[contract_axum::handler]
async fn documented_put(Json(note): Json<Note>) -> Result<Json<Note>, contract_axum::Error> {
    Ok(Json(note))
}

#[tokio::test]
async fn a_handler_doc_comment_is_the_summary_and_description_unless_the_route_says_otherwise() {
    let (router, spec) = ApiRouter::new(spec())
        .route("/a", get(documented).put(documented_put))
        .route(
            "/b",
            get_with(documented, |op| {
                op.summary("Read it");
            }),
        )
        .into_parts();
    let doc = spec.build();
    let a = &doc["paths"]["/a"];
    assert_eq!(a["get"]["summary"], "Reads the note.");
    assert!(a["get"].get("description").is_none());
    assert_eq!(a["get"]["operationId"], "documented");
    assert_eq!(a["put"]["summary"], "Replaces the note with another.");
    assert_eq!(
        a["put"]["description"],
        "The whole note: every field is required.\n\n- `id` stays."
    );
    assert!(a["put"]["requestBody"].is_object());
    assert_eq!(doc["paths"]["/b"]["get"]["summary"], "Read it");
    assert_eq!(doc["paths"]["/b"]["get"]["operationId"], "get_documented");

    let note = json!({"id": 3, "text": "c"});
    let (status, body) = call(&router, Method::PUT, "/a", Some(note.clone())).await;
    assert_eq!((status, body), (StatusCode::OK, note));
    // The function stays callable.
    assert_eq!(documented::call().await.0.id, 1);
}

/// Lists the notes.
#[contract_axum::handler(tag = "notes", tag = "reading")]
async fn listed() -> Json<Note> {
    read().await
}

#[contract_axum::handler(tag = "notes")]
async fn tagged_undocumented() -> Json<Note> {
    read().await
}

#[tokio::test]
async fn a_handlers_tags_are_the_operations() {
    let (_, spec) = ApiRouter::<()>::new(spec())
        .route("/a", get(listed))
        .route("/b", get(tagged_undocumented))
        .route(
            "/c",
            get_with(tagged_undocumented, |op| {
                op.tag("more");
            }),
        )
        .into_parts();
    let doc = spec.build();
    let op = |path: &str| doc["paths"][path]["get"].clone();
    assert_eq!(op("/a")["tags"], json!(["notes", "reading"]));
    assert_eq!(op("/a")["summary"], "Lists the notes.");
    assert_eq!(op("/b")["tags"], json!(["notes"]));
    assert!(op("/b").get("summary").is_none(), "{}", op("/b"));
    // A doc closure adds to them.
    assert_eq!(op("/c")["tags"], json!(["notes", "more"]));
}

async fn unit() {}

async fn status() -> StatusCode {
    StatusCode::ACCEPTED
}

async fn hand_made() -> Documented<impl IntoResponse, Created<Json<Note>>> {
    Documented::new((
        StatusCode::CREATED,
        [("location", "/note/1")],
        Json(Note {
            id: 1,
            text: "a".into(),
        }),
    ))
}

async fn accepted() -> Documented<StatusCode, NoContent> {
    Documented::new(StatusCode::NO_CONTENT)
}

/// Makes a note by hand.
#[contract_axum::handler]
async fn hand_made_documented() -> Documented<impl IntoResponse, Created<Json<Note>>> {
    hand_made().await
}

#[tokio::test]
async fn unit_status_code_and_documented_responses() {
    let (router, spec) = ApiRouter::new(spec())
        .route("/unit", get(unit))
        .route("/status", get(status))
        .route("/made", post(hand_made))
        .route("/made2", post(hand_made_documented))
        .route("/accepted", delete(accepted))
        .route(
            "/described",
            get_with(read, |op| {
                op.success_description("The note").success_example(&Note {
                    id: 7,
                    text: "seven".into(),
                });
            }),
        )
        .into_parts();
    let doc = spec.build();
    let response = |path: &str, method: &str, status: &str| {
        doc["paths"][path][method]["responses"][status].clone()
    };
    assert_eq!(
        response("/unit", "get", "200"),
        json!({"description": "OK"})
    );
    assert_eq!(
        response("/status", "get", "200"),
        json!({"description": "OK"})
    );
    assert_eq!(
        response("/made", "post", "201")["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Note"
    );
    assert_eq!(
        response("/made2", "post", "201"),
        response("/made", "post", "201")
    );
    assert_eq!(
        doc["paths"]["/made2"]["post"]["summary"],
        "Makes a note by hand."
    );
    assert_eq!(
        response("/accepted", "delete", "204"),
        json!({"description": "No Content"})
    );
    let described = response("/described", "get", "200");
    assert_eq!(described["description"], "The note");
    assert_eq!(
        described["content"]["application/json"]["example"],
        json!({"id": 7, "text": "seven"})
    );

    assert_eq!(
        call(&router, Method::GET, "/unit", None).await.0,
        StatusCode::OK
    );
    assert_eq!(
        call(&router, Method::GET, "/status", None).await.0,
        StatusCode::ACCEPTED
    );
    let (status, body) = call(&router, Method::POST, "/made", None).await;
    assert_eq!(
        (status, body["id"].clone()),
        (StatusCode::CREATED, json!(1))
    );
    assert_eq!(
        call(&router, Method::DELETE, "/accepted", None).await.0,
        StatusCode::NO_CONTENT
    );
}

const TOKEN: SecurityScheme = SecurityScheme::bearer("token").bearer_format("JWT");
const KEY: SecurityScheme = SecurityScheme::api_key_header("api_key", "X-Api-Key");

/// The caller, from a bearer token: required.
struct User;

/// The caller when a token is sent: optional.
struct MaybeUser(#[allow(dead_code, reason = "a real app reads it")] Option<User>);

/// A service key in `X-Api-Key`.
struct Service;

impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = contract_axum::Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.headers.get("authorization") {
            Some(v) if v == "Bearer good" => Ok(User),
            _ => Err(contract_axum::Error::unauthenticated()),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = contract_axum::Error;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key("authorization") {
            User::from_request_parts(parts, s)
                .await
                .map(|u| MaybeUser(Some(u)))
        } else {
            Ok(MaybeUser(None))
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Service {
    type Rejection = contract_axum::Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.headers.get("x-api-key") {
            Some(v) if v == "k" => Ok(Service),
            _ => Err(contract_axum::Error::unauthenticated()),
        }
    }
}

fn unauthenticated(op: &mut Operation) {
    op.error(Declared::new(401, ErrorCode::UNAUTHENTICATED, None));
}

impl OperationInput for User {
    fn document(op: &mut Operation, _: &mut SpecBuilder) {
        op.security(Security::Required(TOKEN));
        unauthenticated(op);
    }
}

impl OperationInput for MaybeUser {
    fn document(op: &mut Operation, _: &mut SpecBuilder) {
        op.security(Security::Optional(TOKEN));
        unauthenticated(op);
    }
}

impl OperationInput for Service {
    fn document(op: &mut Operation, _: &mut SpecBuilder) {
        op.security(Security::Required(KEY));
        unauthenticated(op);
    }
}

async fn mine(_: User) -> Json<Note> {
    read().await
}

async fn feed(_: MaybeUser) -> Json<Note> {
    read().await
}

async fn both(_: Service, _: User) -> NoContent {
    NoContent
}

#[tokio::test]
async fn extractors_declare_required_and_optional_security() {
    let mut spec = spec();
    spec.security_scheme(TOKEN);
    let (router, spec) = ApiRouter::new(spec)
        .route("/mine", get(mine))
        .route("/feed", get(feed))
        .route("/both", post(both))
        .route("/public", get(read))
        .into_parts();
    let doc = spec.build();
    let security = |path: &str, method: &str| doc["paths"][path][method]["security"].clone();
    assert_eq!(security("/mine", "get"), json!([{"token": []}]));
    assert_eq!(security("/feed", "get"), json!([{}, {"token": []}]));
    assert_eq!(
        security("/both", "post"),
        json!([{"api_key": [], "token": []}])
    );
    assert_eq!(security("/public", "get"), json!([]));
    assert_eq!(
        doc["components"]["securitySchemes"],
        json!({
            "token": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "api_key": {"type": "apiKey", "name": "X-Api-Key", "in": "header"},
        }),
        "registered first, then the schemes operations use"
    );

    assert_eq!(
        call(&router, Method::GET, "/feed", None).await.0,
        StatusCode::OK
    );
    let (status, body) = call(&router, Method::GET, "/mine", None).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::UNAUTHORIZED, json!("unauthenticated"))
    );
}

#[test]
fn two_schemes_of_one_name_panic() {
    let clash = std::panic::catch_unwind(|| {
        let mut spec = spec();
        spec.security_scheme(SecurityScheme::api_key_header("token", "X-Token"));
        ApiRouter::<()>::new(spec).route("/mine", get(mine))
    });
    let message = clash.expect_err("a clash panics");
    let message = message.downcast_ref::<String>().expect("a message");
    assert!(
        message.contains("two security schemes are named `token`"),
        "{message}"
    );
}

async fn by_id(Path(id): Path<i32>) -> Json<i32> {
    Json(id)
}

async fn by_pair(Path((user, name)): Path<(i64, String)>) -> Json<(i64, String)> {
    Json((user, name))
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Page {
    /// At most this many.
    limit: Option<u32>,
}

async fn page(Query(p): Query<Page>) -> Json<Option<u32>> {
    Json(p.limit)
}

#[tokio::test]
async fn path_and_query_take_types_without_validation_rules() {
    let (router, spec) = ApiRouter::new(spec())
        .route("/n/{id}", get(by_id))
        .route("/u/{user}/{name}", put(by_pair))
        .route("/page", get(page))
        .into_parts();
    let doc = spec.build();
    let params = |path: &str, method: &str| doc["paths"][path][method]["parameters"].clone();
    assert_eq!(
        params("/n/{id}", "get"),
        json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int32"}}])
    );
    let pair = params("/u/{user}/{name}", "put");
    assert_eq!(pair[0]["name"], "user");
    assert_eq!(pair[0]["schema"]["type"], "integer");
    assert_eq!(pair[1]["name"], "name");
    assert_eq!(pair[1]["schema"]["type"], "string");
    assert_eq!(params("/page", "get")[0]["name"], "limit");

    assert_eq!(
        call(&router, Method::GET, "/n/7", None).await,
        (StatusCode::OK, json!(7))
    );
    let (status, body) = call(&router, Method::GET, "/n/seven", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["field"], "id", "{body}");
    assert_eq!(
        call(&router, Method::PUT, "/u/3/ann", None).await,
        (StatusCode::OK, json!([3, "ann"]))
    );
    let (status, body) = call(&router, Method::PUT, "/u/x/ann", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["field"], "user", "{body}");
    assert_eq!(
        call(&router, Method::GET, "/page?limit=5", None).await,
        (StatusCode::OK, json!(5))
    );
    let (status, body) = call(&router, Method::GET, "/page?limit=-1", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["field"], "limit", "{body}");
}

#[derive(Clone)]
struct Greeting(&'static str);

#[contract_axum::handler]
async fn greet(
    axum::extract::State(greeting): axum::extract::State<Greeting>,
    Path(name): Path<String>,
) -> Json<String> {
    Json(format!("{} {name}", greeting.0))
}

#[tokio::test]
async fn a_handler_without_a_doc_comment_takes_state_and_parameters() {
    let (router, spec) = ApiRouter::new(spec())
        .route("/greet/{name}", get(greet))
        .into_parts();
    let doc = spec.build();
    let op = &doc["paths"]["/greet/{name}"]["get"];
    assert!(op.get("summary").is_none(), "{op}");
    assert_eq!(op["parameters"][0]["name"], "name");
    let router = router.with_state(Greeting("hello"));
    assert_eq!(
        call(&router, Method::GET, "/greet/ann", None).await,
        (StatusCode::OK, json!("hello ann"))
    );
}

async fn tag(req: Request, next: axum::middleware::Next) -> axum::response::Response {
    let mut res = next.run(req).await;
    res.headers_mut().insert("x-tagged", "yes".parse().unwrap());
    res
}

#[tokio::test]
async fn a_method_router_takes_layers_as_axum_s_does() {
    let (router, _) = ApiRouter::new(spec())
        .route(
            "/a",
            get(read).layer(axum::middleware::from_fn(tag)).post(write),
        )
        .route("/b", get(read).route_layer(axum::middleware::from_fn(tag)))
        .into_parts();
    let send = |method: Method, uri: &'static str| {
        let router = router.clone();
        async move {
            let req = Request::builder().method(method).uri(uri);
            let req = req.header("content-type", "application/json");
            let body = Body::from(r#"{"id": 1, "text": "a"}"#);
            router.oneshot(req.body(body).unwrap()).await.unwrap()
        }
    };
    let tagged = |res: &axum::response::Response| res.headers().contains_key("x-tagged");
    assert!(tagged(&send(Method::GET, "/a").await));
    assert!(
        !tagged(&send(Method::POST, "/a").await),
        "routed after the layer"
    );
    assert!(tagged(&send(Method::GET, "/b").await));
    let res = send(Method::DELETE, "/b").await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(!tagged(&res), "a route layer runs only on a matched method");
}
