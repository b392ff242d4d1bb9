//! Test support: a fresh database per test (SQLite in a temporary directory,
//! or a fresh PostgreSQL database when `DATABASE_URL` names a server), the
//! app wrapped in contract's conformance layer, and one-line request and
//! assertion helpers.
//!
//! Every error reply is checked on arrival: a JSON envelope
//! (`code`, `message`, `fields`, `request_id`) with
//! `content-type: application/json` and an `x-request-id` header equal to
//! its `request_id`. When a [`TestApp`] is dropped (and the test has not
//! already failed), the conformance check runs: every error code sent must
//! be declared for its operation in the OpenAPI document.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex, mpsc};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use contract_axum::conformance::Conformance;
use http::{HeaderMap, Method, Request, header};
use http_body_util::BodyExt;
use seminar::db::Db;
use seminar::jobs::{JobSettings, Jobs};
use seminar::store::{NewSeminar, NewUser, Role};
use seminar::{AppState, app};
use serde_json::{Value, json};
use tower::ServiceExt;

/// The signing secret of every test app.
pub(crate) const SECRET: &str = "test-secret-for-the-seminar-suite-0123456789";

/// The password of every user the helpers sign up.
pub(crate) const PASSWORD: &str = "password123";

/// Which database a [`TestApp`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A fresh database on the PostgreSQL server of `DATABASE_URL`.
    Postgres,
}

/// `DATABASE_URL`, when it names a PostgreSQL server.
fn postgres_url() -> Option<String> {
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
}

/// The backend `DATABASE_URL` selects: PostgreSQL when it names a server,
/// SQLite otherwise.
pub(crate) fn default_backend() -> Backend {
    if postgres_url().is_some() {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// SQLite always, and PostgreSQL too when `DATABASE_URL` names a server.
pub(crate) fn every_backend() -> Vec<Backend> {
    let mut out = vec![Backend::Sqlite];
    if postgres_url().is_some() {
        out.push(Backend::Postgres);
    }
    out
}

/// A name no other test (or test run) uses.
pub(crate) fn unique(prefix: &str) -> String {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    format!(
        "{prefix}_{}_{nanos}_{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    )
}

/// `url` with `search_path` set to `schema` on every connection.
fn with_schema(url: &str, schema: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options[search_path]={schema}")
}

/// A statement for the PostgreSQL server, and where to answer.
type AdminJob = (String, mpsc::Sender<Result<(), String>>);

/// Runs `sql` on one administrative connection to `DATABASE_URL`, kept by a
/// thread of its own for the whole test process (each test has its own
/// runtime; a connection cannot outlive the runtime that opened it, and
/// opening one per test costs a password exchange).
fn admin(sql: String) -> Result<(), String> {
    static JOBS: LazyLock<Mutex<mpsc::Sender<AdminJob>>> = LazyLock::new(|| {
        let (tx, rx) = mpsc::channel::<AdminJob>();
        std::thread::spawn(move || {
            use sqlx::{Connection, Executor};
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            let url = postgres_url().expect("DATABASE_URL names PostgreSQL");
            let mut conn: Option<sqlx::PgConnection> = None;
            for (sql, reply) in rx {
                let out = rt.block_on(async {
                    if conn.is_none() {
                        let mut c = sqlx::PgConnection::connect(&url)
                            .await
                            .map_err(|e| format!("connect to DATABASE_URL: {e}"))?;
                        // Never wait forever behind a test's leftover locks.
                        c.execute("SET lock_timeout = '10s'")
                            .await
                            .map_err(|e| e.to_string())?;
                        conn = Some(c);
                    }
                    let c = conn.as_mut().expect("connected");
                    let out = c.execute(sqlx::AssertSqlSafe(sql)).await;
                    if out.is_err() {
                        // Reconnect next time, in case the connection broke.
                        conn = None;
                    }
                    out.map(drop).map_err(|e| e.to_string())
                });
                let _ = reply.send(out);
            }
        });
        Mutex::new(tx)
    });
    let (tx, rx) = mpsc::channel();
    JOBS.lock()
        .map_err(|_| "the admin thread is gone".to_owned())?
        .send((sql, tx))
        .map_err(|_| "the admin thread is gone".to_owned())?;
    rx.recv()
        .map_err(|_| "the admin thread is gone".to_owned())?
}

/// What keeps a test's database alive, and removes it at the end.
enum Guard {
    /// The temporary directory of the SQLite file.
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    /// A schema of the `DATABASE_URL` database, the test's own.
    Postgres(String),
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Guard::Postgres(schema) = self {
            let _ = admin(format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"));
        }
    }
}

/// The seminar app on a fresh database, with the conformance check.
pub(crate) struct TestApp {
    router: Router,
    conformance: Conformance,
    /// The store under the app, for setting up data quickly.
    pub(crate) db: Db,
    /// Stops the app's job worker, when it has one.
    _worker: Option<tokio::sync::watch::Sender<bool>>,
    // Last: the database goes after the pool's users.
    _guard: Guard,
}

impl TestApp {
    /// A fresh app on the backend `DATABASE_URL` selects.
    pub(crate) async fn new() -> Self {
        Self::on(default_backend()).await
    }

    /// A fresh app on `backend`.
    pub(crate) async fn on(backend: Backend) -> Self {
        let (db, guard, _) = Self::database(backend).await;
        Self::serve(AppState::new(db.clone(), SECRET), db, guard, None)
    }

    /// A fresh app on `backend` with its job queue, and one job worker
    /// (with the schedules) running in this test's runtime.
    pub(crate) async fn with_jobs(backend: Backend, settings: JobSettings) -> Self {
        let (db, guard, url) = Self::database(backend).await;
        let jobs = Jobs::open(&db, &url, settings)
            .await
            .expect("open the job queue");
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let worker = jobs.clone();
        tokio::spawn(async move {
            let stop = async move {
                let _ = stopped.wait_for(|s| *s).await;
            };
            worker
                .work("test", true, stop)
                .await
                .expect("the worker runs");
        });
        let state = AppState::new(db.clone(), SECRET).with_jobs(jobs);
        Self::serve(state, db, guard, Some(stop))
    }

    fn serve(
        state: AppState,
        db: Db,
        guard: Guard,
        worker: Option<tokio::sync::watch::Sender<bool>>,
    ) -> Self {
        let conformance = Conformance::new(&seminar::openapi());
        let router = app(state).layer(conformance.layer());
        Self {
            router,
            conformance,
            db,
            _worker: worker,
            _guard: guard,
        }
    }

    /// A fresh database on `backend`, and its URL.
    async fn database(backend: Backend) -> (Db, Guard, String) {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite:{}", dir.path().join("seminar.db").display());
                let db = Db::connect(&url).await.expect("connect to SQLite");
                (db, Guard::Sqlite(dir), url)
            }
            Backend::Postgres => {
                // A schema of our own: as isolated as a database for the
                // app's unqualified names, and far quicker to make.
                let schema = unique("test");
                admin(format!("CREATE SCHEMA \"{schema}\""))
                    .unwrap_or_else(|e| panic!("create a test schema: {e}"));
                let guard = Guard::Postgres(schema.clone());
                let url = with_schema(
                    &postgres_url().expect("DATABASE_URL names PostgreSQL"),
                    &schema,
                );
                let db = Db::connect(&url).await.expect("connect to the test schema");
                (db, guard, url)
            }
        }
    }

    /// A request; send it with `.await`.
    pub(crate) fn request(&self, method: Method, path: &str) -> Req {
        Req {
            router: self.router.clone(),
            method,
            path: path.to_owned(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// `GET path`.
    pub(crate) fn get(&self, path: &str) -> Req {
        self.request(Method::GET, path)
    }

    /// `POST path` with a JSON body.
    pub(crate) fn post(&self, path: &str, body: Value) -> Req {
        self.request(Method::POST, path).json(body)
    }

    /// `PUT path` with a JSON body.
    pub(crate) fn put(&self, path: &str, body: Value) -> Req {
        self.request(Method::PUT, path).json(body)
    }

    /// `DELETE path`.
    pub(crate) fn delete(&self, path: &str) -> Req {
        self.request(Method::DELETE, path)
    }
}

impl TestApp {
    /// How many error replies the conformance layer recorded so far.
    pub(crate) fn recorded_errors(&self) -> usize {
        self.conformance.recorded()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.conformance.assert_clean();
        }
    }
}

/// A request being built; `.await` sends it.
#[must_use = "a request does nothing until awaited"]
pub(crate) struct Req {
    router: Router,
    method: Method,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

impl Req {
    /// A JSON body (and its content type).
    pub(crate) fn json(self, body: Value) -> Self {
        self.header("content-type", "application/json")
            .raw_body(serde_json::to_vec(&body).expect("JSON"))
    }

    /// A body as given (set the content type with [`Req::header`]).
    pub(crate) fn raw_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// No body at all (nor content type).
    pub(crate) fn no_body(mut self) -> Self {
        self.body = None;
        self.headers.retain(|(n, _)| n != "content-type");
        self
    }

    /// A header (replacing one of the same name).
    pub(crate) fn header(mut self, name: &str, value: &str) -> Self {
        let name = name.to_ascii_lowercase();
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.to_owned()));
        self
    }

    /// `Authorization: JWT <token>`.
    pub(crate) fn with_token(self, token: &str) -> Self {
        self.header("authorization", &format!("JWT {token}"))
    }

    /// Sends the request.
    pub(crate) async fn send(self) -> Reply {
        let mut builder = Request::builder()
            .method(self.method.clone())
            .uri(&self.path);
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        let request = builder
            .body(Body::from(self.body.unwrap_or_default()))
            .expect("a valid request");
        let response = self
            .router
            .oneshot(request)
            .await
            .expect("the router is infallible");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("the body")
            .to_bytes();
        // A body that is not JSON (the docs page) is kept as a string; error
        // replies are checked to be JSON envelopes below.
        let json = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        let reply = Reply {
            status,
            json,
            headers,
        };
        if status >= 400 {
            check_envelope(&self.method, &self.path, &reply);
        }
        reply
    }
}

impl IntoFuture for Req {
    type Output = Reply;
    type IntoFuture = Pin<Box<dyn Future<Output = Reply> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A response: its status, its body as JSON (`null` when empty), its
/// headers.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    /// The status code.
    pub(crate) status: u16,
    /// The body (`Value::Null` when empty).
    pub(crate) json: Value,
    /// The headers.
    pub(crate) headers: HeaderMap,
}

impl Reply {
    /// The body's `id` (of a user or a seminar).
    pub(crate) fn id(&self) -> i64 {
        self.json["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no id in {}", self.json))
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub(crate) fn expect(&self, status: u16) -> &Self {
        assert_eq!(
            self.status, status,
            "expected {status}, got {}: {:#}",
            self.status, self.json
        );
        self
    }
}

/// Every error reply: the envelope, its content type, and its request id
/// in the `x-request-id` header.
fn check_envelope(method: &Method, path: &str, reply: &Reply) {
    let at = format!("{method} {path} -> {}", reply.status);
    let ct = reply
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        ct.starts_with("application/json"),
        "{at}: content-type {ct:?}"
    );
    let body = reply.json.as_object().unwrap_or_else(|| {
        panic!("{at}: the body is not an object: {}", reply.json);
    });
    let mut keys: Vec<&str> = body.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["code", "fields", "message", "request_id"],
        "{at}: {}",
        reply.json
    );
    assert!(body["code"].is_string(), "{at}: {}", reply.json);
    assert!(body["message"].is_string(), "{at}: {}", reply.json);
    let fields = body["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("{at}: fields is not an array"));
    for f in fields {
        for key in ["field", "code", "message"] {
            assert!(f[key].is_string(), "{at}: field without {key}: {f}");
        }
    }
    let request_id = body["request_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{at}: request_id is not a string"));
    assert!(!request_id.is_empty(), "{at}: empty request_id");
    let header = reply
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok());
    assert_eq!(header, Some(request_id), "{at}: x-request-id");
}

/// Asserts an error reply with this status and top-level code.
#[track_caller]
pub(crate) fn assert_error(reply: &Reply, status: u16, code: &str) {
    assert_eq!(
        (reply.status, reply.json["code"].as_str()),
        (status, Some(code)),
        "expected {status} {code}, got: {:#}",
        reply.json
    );
}

/// The `(field, code)` pairs of a reply's `fields`.
pub(crate) fn fields(reply: &Reply) -> Vec<(String, String)> {
    reply.json["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["field"].as_str().unwrap_or_default().to_owned(),
                f["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Asserts a `400 validation_failed` whose `fields` include `field` with
/// `code`.
#[track_caller]
pub(crate) fn assert_field(reply: &Reply, field: &str, code: &str) {
    assert_error(reply, 400, "validation_failed");
    let found = fields(reply);
    assert!(
        found.iter().any(|(f, c)| f == field && c == code),
        "expected field {field} with {code}, got {found:?}"
    );
}

/// Asserts a `400 validation_failed` with exactly these `(field, code)`
/// pairs, in this order.
#[track_caller]
pub(crate) fn assert_fields(reply: &Reply, expected: &[(&str, &str)]) {
    assert_error(reply, 400, "validation_failed");
    let found = fields(reply);
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
        .collect();
    assert_eq!(found, expected, "{:#}", reply.json);
}

/// Whether `text` is an RFC 3339 timestamp in UTC (`...T...Z`).
pub(crate) fn is_timestamp(value: &Value) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .is_ok_and(|t| t.offset().is_utc())
        && text.ends_with('Z')
}

// ---------------------------------------------------------------------------
// Users and seminars

/// The signup body of a user named `name` (email `name@example.com`).
pub(crate) fn signup_body(name: &str, role: &str) -> Value {
    json!({
        "email": format!("{name}@example.com"),
        "username": name,
        "password": PASSWORD,
        "role": role,
    })
}

/// Signs up through the API; returns `(id, token)`.
pub(crate) async fn signup(app: &TestApp, body: Value) -> (i64, String) {
    let r = app.post("/api/v1/signup/", body).await;
    r.expect(201);
    let token = r.json["token"].as_str().expect("a token").to_owned();
    (r.id(), token)
}

/// Signs up a participant (accepted) named `name`; returns `(id, token)`.
pub(crate) async fn signup_participant(app: &TestApp, name: &str) -> (i64, String) {
    signup(app, signup_body(name, "participant")).await
}

/// Signs up an instructor named `name`; returns `(id, token)`.
pub(crate) async fn signup_instructor(app: &TestApp, name: &str) -> (i64, String) {
    signup(app, signup_body(name, "instructor")).await
}

/// One password hash for every user made through the store.
static HASH: LazyLock<String> = LazyLock::new(|| seminar::password::hash(PASSWORD));

/// A user made through the store (no password hashing per user), with a
/// token minted like the server's; returns `(id, token)`.
pub(crate) async fn quick_user(app: &TestApp, name: &str, role: Role) -> (i64, String) {
    let hash = HASH.clone();
    let id = app
        .db
        .create_user(NewUser {
            email: format!("{name}@example.com"),
            username: name.to_owned(),
            password_hash: hash,
            first_name: String::new(),
            last_name: String::new(),
            role,
            university: None,
            accepted: None,
            company: None,
            year: None,
        })
        .await
        .expect("create a user");
    (id, token_for(id))
}

/// A seminar opened through the store by instructor `by`; returns its id.
pub(crate) async fn quick_seminar(app: &TestApp, by: i64, name: &str, capacity: i64) -> i64 {
    app.db
        .create_seminar(
            by,
            NewSeminar {
                name: name.to_owned(),
                capacity,
                count: 3,
                time: "18:30".to_owned(),
                online: true,
            },
        )
        .await
        .expect("open a seminar")
}

/// Seconds since the epoch.
pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

/// A token with these claims, signed (HS256) with `secret`.
pub(crate) fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign a token")
}

/// A valid token for user `id`, as the server mints them.
pub(crate) fn token_for(id: i64) -> String {
    let now = now_secs();
    sign(
        &json!({"sub": id.to_string(), "iat": now, "exp": now + 3600}),
        SECRET,
    )
}

/// Opens a seminar through the API (`capacity`, 3 sessions, 18:30);
/// returns its id.
pub(crate) async fn create_seminar(app: &TestApp, token: &str, name: &str, capacity: i64) -> i64 {
    let r = app
        .post(
            "/api/v1/seminar/",
            json!({"name": name, "capacity": capacity, "count": 3, "time": "18:30"}),
        )
        .with_token(token)
        .await;
    r.expect(201);
    r.id()
}

/// Joins seminar `id` in `role`.
pub(crate) async fn join(app: &TestApp, token: &str, id: i64, role: &str) -> Reply {
    app.post(
        &format!("/api/v1/seminar/{id}/user/"),
        json!({"role": role}),
    )
    .with_token(token)
    .await
}

/// Drops seminar `id`.
pub(crate) async fn drop_seminar(app: &TestApp, token: &str, id: i64) -> Reply {
    app.delete(&format!("/api/v1/seminar/{id}/user/"))
        .with_token(token)
        .await
}

/// `GET /seminar/{id}/`, expecting 200.
pub(crate) async fn get_seminar(app: &TestApp, token: &str, id: i64) -> Value {
    let r = app
        .get(&format!("/api/v1/seminar/{id}/"))
        .with_token(token)
        .await;
    r.expect(200);
    r.json
}

/// `GET /user/me/`, expecting 200.
pub(crate) async fn me(app: &TestApp, token: &str) -> Value {
    let r = app.get("/api/v1/user/me/").with_token(token).await;
    r.expect(200);
    r.json
}

#[test]
fn search_path_in_the_url() {
    assert_eq!(
        with_schema("postgres://u:p@127.0.0.1:5432/seminar_test", "x"),
        "postgres://u:p@127.0.0.1:5432/seminar_test?options[search_path]=x"
    );
    assert_eq!(
        with_schema("postgres://u:p@h/db?sslmode=disable", "x"),
        "postgres://u:p@h/db?sslmode=disable&options[search_path]=x"
    );
}
