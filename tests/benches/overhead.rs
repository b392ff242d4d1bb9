//! Happy-path and error-path cost of contract against bare axum, on the
//! same handler, measured side by side in one run.
//!
//! `cargo bench -p contract-tests --bench overhead` starts each server as a
//! child process pinned to core 0 (`taskset`), drives it from core 1 with a
//! keep-alive HTTP/1 client over loopback, interleaves the variants for
//! several rounds (A B C, then C B A), and prints the median ratios of throughput
//! and of p50/p99 latency. Environment: `ROUNDS` (default 5), `SECS` per
//! run (default 3), `CONNS` (default 16).

#[path = "common/mod.rs"]
mod common;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use bytes::Bytes;
use http::{Request, StatusCode};
use http_body_util::{BodyExt, Full};
use serde::{Deserialize, Serialize};

/// The seminar create body, as in the seminar API.
const VALID: &str =
    r#"{"name":"Rust for mobile teams","capacity":40,"count":6,"time":"18:30","online":true}"#;
/// What a Korean phone sends: every request carries it, so the error path
/// negotiates and renders Korean messages.
const ACCEPT_LANGUAGE: &str = "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7";
/// Four bad fields: blank, two type errors, a bad time.
const INVALID: &str = r#"{"name":"  ","capacity":"ten","count":"two","time":"25:00"}"#;
/// Two fields over their bounds, whose messages show a number: a 101-letter
/// name (`too_long`, max 100) and a capacity of 0 (`too_small`, min 1).
const OUT_OF_BOUNDS: &str = concat!(
    r#"{"name":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","#,
    r#""capacity":0,"count":6,"time":"18:30","online":true}"#
);

#[derive(Deserialize, Serialize, validator::Validate, schemars::JsonSchema)]
struct NewSeminar {
    #[validate(length(max = 100))]
    name: contract_axum::Matching<contract_axum::NonBlank>,
    #[validate(range(min = 1))]
    capacity: u32,
    #[validate(range(min = 1))]
    count: u32,
    time: contract_tests::Time,
    #[serde(default)]
    online: Option<bool>,
}

#[derive(Deserialize, Serialize)]
struct BareSeminar {
    name: String,
    capacity: u32,
    count: u32,
    time: String,
    #[serde(default)]
    online: Option<bool>,
}

fn bare() -> Router {
    Router::new().route(
        "/seminar/",
        post(|axum::Json(s): axum::Json<BareSeminar>| async move {
            (StatusCode::CREATED, axum::Json(s))
        }),
    )
}

/// The bench's route through contract's extractor, without layers.
fn seminar_route() -> Router {
    Router::new().route(
        "/seminar/",
        post(
            |contract_axum::Json(s): contract_axum::Json<NewSeminar>| async move {
                contract_axum::Created(contract_axum::Json(s))
            },
        ),
    )
}

async fn create_seminar(
    contract_axum::Json(s): contract_axum::Json<NewSeminar>,
) -> contract_axum::Created<contract_axum::Json<NewSeminar>> {
    contract_axum::Created(contract_axum::Json(s))
}

/// The happy path made idempotent by key, keys in memory: what claiming
/// a key, keeping the answer (and replaying it) costs.
fn idempotent() -> Router {
    use contract_axum::idempotency::{IdempotencyKeys, MemoryStore};
    let (router, _) = contract_axum::ApiRouter::new(contract_axum::SpecBuilder::new("bench", "1"))
        .route(
            "/seminar/",
            contract_axum::post(create_seminar).idempotent(),
        )
        .into_parts();
    router
        .layer(axum::Extension(IdempotencyKeys::new(MemoryStore::new())))
        .layer(contract_axum::ErrorLayer::new().validation_status(StatusCode::BAD_REQUEST))
}

fn contract() -> Router {
    seminar_route()
        .layer(contract_axum::ErrorLayer::new().validation_status(StatusCode::BAD_REQUEST))
}

/// The contract router with `MetricsLayer` outside, counting into a real
/// Prometheus recorder (installed once per process).
fn with_metrics() -> Router {
    let recorder = metrics_exporter_prometheus::PrometheusBuilder::new()
        .set_buckets(&[0.001, 0.01, 0.1, 1.0])
        .expect("buckets")
        .build_recorder();
    // As a served app runs it (see the seminar's `prometheus.rs`): samples
    // folded into the buckets every second rather than kept.
    let handle = recorder.handle();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
            handle.run_upkeep();
        }
    });
    metrics::set_global_recorder(recorder).expect("the first recorder");
    contract().layer(contract_axum::metrics::MetricsLayer::new())
}

fn serve(which: &str, port: u16) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let app = match which {
            "bare" => bare(),
            "metrics" => with_metrics(),
            _ => contract(),
        };
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap();
        axum::serve(listener, app).await.unwrap();
    });
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(which: &str, port: u16) -> Server {
    let exe = std::env::current_exe().unwrap();
    let child = Command::new("taskset")
        .args(["-c", "0"])
        .arg(exe)
        .args(["--serve", which, &port.to_string()])
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|_| {
            Command::new(std::env::current_exe().unwrap())
                .args(["--serve", which, &port.to_string()])
                .spawn()
                .unwrap()
        });
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "server {which} did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    Server(child)
}

#[derive(Debug, Clone, Copy)]
struct Run {
    rps: f64,
    /// The server's CPU time (user and system) per request, in
    /// microseconds: unlike throughput, it does not depend on whether the
    /// client kept the server busy.
    cpu_us: f64,
    /// The server's CPU time over the run's wall time.
    busy: f64,
    p50_us: f64,
    p99_us: f64,
}

/// (name, port, method, path, body, status)
type Case = (
    &'static str,
    u16,
    &'static str,
    &'static str,
    &'static str,
    u16,
);

/// Loads the server with process id `server` with `case` for `secs`.
async fn drive(server: u32, case: &Case, secs: f64, conns: usize) -> Run {
    let &(_, port, method, path, body, expect) = case;
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let stop = stop.clone();
        let (method, path) = (method.to_owned(), path.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut tx = common::connect(port).await;
            let mut lat = Vec::with_capacity(100_000);
            while !stop.load(Ordering::Relaxed) {
                let req = Request::builder()
                    .method(method.as_str())
                    .uri(path.as_str())
                    .header("host", "bench")
                    .header("content-type", "application/json")
                    .header("accept-language", ACCEPT_LANGUAGE)
                    .body(Full::new(Bytes::from_static(body.as_bytes())))
                    .unwrap();
                let t = Instant::now();
                let res = tx.send_request(req).await.unwrap();
                let status = res.status().as_u16();
                res.into_body().collect().await.unwrap();
                lat.push(t.elapsed().as_nanos() as u64);
                assert_eq!(status, expect, "{method} {path}");
            }
            lat
        }));
    }
    let cpu_before = cpu_secs(server);
    tokio::time::sleep(Duration::from_secs_f64(secs)).await;
    let cpu = cpu_secs(server) - cpu_before;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort_unstable();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)] as f64 / 1000.0;
    Run {
        rps: all.len() as f64 / secs,
        cpu_us: cpu * 1e6 / all.len() as f64,
        busy: cpu / secs,
        p50_us: pct(0.50),
        p99_us: pct(0.99),
    }
}

/// A process's CPU time so far (user and system), from `/proc/PID/stat`.
fn cpu_secs(pid: u32) -> f64 {
    static TICKS: std::sync::LazyLock<f64> = std::sync::LazyLock::new(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
            .unwrap_or(100.0)
    });
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses: utime and
    // stime are the 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let ticks: f64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse::<f64>().ok())
        .sum();
    ticks / *TICKS
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--serve") {
        serve(&args[2], args[3].parse().unwrap());
        return;
    }
    if args.get(1).map(String::as_str) == Some("--sizes") {
        sizes();
        return;
    }
    if let Some(mode @ ("--inproc" | "--inproc-lazy")) = args.get(1).map(String::as_str) {
        inproc(&args[2], args[3].parse().unwrap(), mode == "--inproc-lazy");
        return;
    }
    let env = |k: &str, d: f64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let rounds = env("ROUNDS", 5.0) as usize;
    let secs = env("SECS", 3.0);
    let conns = env("CONNS", 16.0) as usize;
    // Pin the client to core 1, the servers to core 0.
    let _ = Command::new("taskset")
        .args(["-pc", "1", &std::process::id().to_string()])
        .output();
    let bare = spawn("bare", 38101);
    let contract = spawn("contract", 38102);
    let metrics = spawn("metrics", 38103);
    let pid = |port: u16| match port {
        38101 => bare.0.id(),
        38102 => contract.0.id(),
        _ => metrics.0.id(),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    let cases: [Case; 6] = [
        (
            "bare happy (axum::Json)",
            38101,
            "POST",
            "/seminar/",
            VALID,
            201,
        ),
        ("contract happy", 38102, "POST", "/seminar/", VALID, 201),
        (
            "contract happy + metrics",
            38103,
            "POST",
            "/seminar/",
            VALID,
            201,
        ),
        (
            "contract 4-field error",
            38102,
            "POST",
            "/seminar/",
            INVALID,
            400,
        ),
        ("contract 404", 38102, "GET", "/nowhere", "", 404),
        ("contract 405", 38102, "GET", "/seminar/", "", 405),
    ];
    let mut runs: Vec<Vec<Run>> = vec![Vec::new(); cases.len()];
    rt.block_on(async {
        for case in &cases {
            drive(pid(case.1), case, 0.5, conns).await; // warm up
        }
        for round in 0..rounds {
            // Odd rounds run the cases in reverse, so a machine that speeds
            // up or slows down within a round favours no case.
            let mut order: Vec<usize> = (0..cases.len()).collect();
            if round % 2 == 1 {
                order.reverse();
            }
            for i in order {
                let case = &cases[i];
                let r = drive(pid(case.1), case, secs, conns).await;
                let name = case.0;
                eprintln!(
                    "round {round} {name:<26} {:>9.0} req/s  p50 {:>7.1} us  p99 {:>7.1} us  server {:>5.2} us CPU/req, {:>3.0}% busy",
                    r.rps,
                    r.p50_us,
                    r.p99_us,
                    r.cpu_us,
                    r.busy * 100.0
                );
                runs[i].push(r);
            }
        }
    });
    println!(
        "\nmedian ratio against bare axum's happy path (same round), {rounds} rounds x {secs} s, {conns} connections:"
    );
    println!(
        "{:<26} {:>10} {:>10} {:>10} {:>12}",
        "variant", "throughput", "p50", "p99", "CPU/request"
    );
    for (i, (name, ..)) in cases.iter().enumerate().skip(1) {
        let ratio = |f: fn(&Run) -> f64| {
            common::median(
                (0..rounds)
                    .map(|r| f(&runs[i][r]) / f(&runs[0][r]))
                    .collect(),
            )
        };
        println!(
            "{name:<26} {:>9.3}x {:>9.3}x {:>9.3}x {:>11.3}x",
            ratio(|r| r.rps),
            ratio(|r| r.p50_us),
            ratio(|r| r.p99_us),
            ratio(|r| r.cpu_us)
        );
    }
    let med = |i: usize, f: fn(&Run) -> f64| common::median(runs[i].iter().map(f).collect());
    println!(
        "\nmedians: bare happy {:.0} req/s, contract happy {:.0} req/s, contract error {:.0} req/s",
        med(0, |r| r.rps),
        med(1, |r| r.rps),
        med(3, |r| r.rps)
    );
    println!(
        "server busy (median): bare happy {:.0}%, contract happy {:.0}%, contract error {:.0}%",
        med(0, |r| r.busy) * 100.0,
        med(1, |r| r.busy) * 100.0,
        med(3, |r| r.busy) * 100.0
    );
}

/// `--inproc VARIANT N`: N requests through the router in-process, no
/// network: for instruction counts under callgrind. The router is made
/// ready once with `with_state(())`, as `axum::serve` does; `--inproc-lazy`
/// keeps the earlier method, where every request also turned the handlers
/// into routes (as a `Router` used directly as a service does).
fn inproc(variant: &str, n: usize, lazy: bool) {
    use tower::ServiceExt;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (app, body, status) = match variant {
        "bare" => (bare(), VALID, 201),
        "happy" => (contract(), VALID, 201),
        "error" => (contract(), INVALID, 400),
        "bounds" => (contract(), OUT_OF_BOUNDS, 400),
        // The happy path again, with MetricsLayer counting into a real
        // Prometheus recorder.
        "metrics" => (with_metrics(), VALID, 201),
        // The happy path with tower-http's request-id layers outside
        // `ErrorLayer`, which then keeps the id they set (see BENCHMARKS.md).
        "th-id" => (tower_http_ids(), VALID, 201),
        // The happy path with tower-http's `CatchPanic` inside `ErrorLayer`,
        // turning a panic into an `Error` the layer renders.
        "th-panic" => (contract_with_catch_panic(), VALID, 201),
        // The happy path with a new `Idempotency-Key` each time (claimed,
        // run, kept), and with one key (replayed after the first).
        "idem-new" | "idem-replay" => (idempotent(), VALID, 201),
        other => panic!("unknown variant {other}"),
    };
    let app = if lazy { app } else { app.with_state(()) };
    rt.block_on(async {
        let t = Instant::now();
        for i in 0..n {
            let mut req = Request::builder()
                .method("POST")
                .uri("/seminar/")
                .header("content-type", "application/json")
                .header("accept-language", ACCEPT_LANGUAGE);
            match variant {
                "idem-new" => req = req.header("idempotency-key", format!("\"k{i}\"")),
                "idem-replay" => req = req.header("idempotency-key", "\"k\""),
                _ => {}
            }
            let req = req.body(axum::body::Body::from(body)).unwrap();
            let res = app.clone().oneshot(req).await.unwrap();
            assert_eq!(res.status().as_u16(), status);
            res.into_body().collect().await.unwrap();
        }
        eprintln!(
            "{variant}: {:.2} us/request",
            t.elapsed().as_secs_f64() * 1e6 / n as f64
        );
    });
}

/// ULIDs for tower-http's `SetRequestId`, from the same generator as
/// `ErrorLayer`'s.
#[derive(Clone, Copy)]
struct MakeUlid;

impl tower_http::request_id::MakeRequestId for MakeUlid {
    fn make_request_id<B>(
        &mut self,
        _: &http::Request<B>,
    ) -> Option<tower_http::request_id::RequestId> {
        let id = contract_axum::RequestId::generate();
        Some(tower_http::request_id::RequestId::new(
            id.header_value().clone(),
        ))
    }
}

/// The bench's route with one layer: `layer` in front of the handler, as
/// `ErrorLayer` would compose tower-http's layers inside its own.
fn contract_with<L>(layer: L) -> Router
where
    L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
    L::Service: tower::Service<axum::extract::Request> + Clone + Send + Sync + 'static,
    <L::Service as tower::Service<axum::extract::Request>>::Response:
        axum::response::IntoResponse + 'static,
    <L::Service as tower::Service<axum::extract::Request>>::Error:
        Into<std::convert::Infallible> + 'static,
    <L::Service as tower::Service<axum::extract::Request>>::Future: Send + 'static,
{
    seminar_route().layer(layer)
}

/// tower-http's `SetRequestId` and `PropagateRequestId` outside
/// `ErrorLayer`, which keeps the (sane) id they set.
fn tower_http_ids() -> Router {
    contract_with(
        tower::ServiceBuilder::new()
            .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(
                MakeUlid,
            ))
            .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
            .layer(contract_axum::ErrorLayer::new().validation_status(StatusCode::BAD_REQUEST)),
    )
}

/// tower-http's `CatchPanic` inside `ErrorLayer`: a panic becomes an
/// `Error` the layer renders; its boxed body is boxed again as axum's.
fn contract_with_catch_panic() -> Router {
    contract_with(
        tower::ServiceBuilder::new()
            .layer(contract_axum::ErrorLayer::new().validation_status(StatusCode::BAD_REQUEST))
            .map_response(axum::response::IntoResponse::into_response)
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(
                |_: Box<dyn std::any::Any + Send>| {
                    axum::response::IntoResponse::into_response(contract_axum::Error::internal())
                },
            )),
    )
}

/// `--sizes`: the size of each extractor's `from_request` future. The
/// handler future axum boxes holds it; above about 1 KiB that box comes
/// from glibc's large bins (see BENCHMARKS.md).
fn sizes() {
    use axum::extract::FromRequest;
    let req = || Request::builder().body(axum::body::Body::empty()).unwrap();
    let bare = <axum::Json<BareSeminar> as FromRequest<()>>::from_request(req(), &());
    let contract = <contract_axum::Json<NewSeminar> as FromRequest<()>>::from_request(req(), &());
    let bytes = <bytes::Bytes as FromRequest<()>>::from_request(req(), &());
    println!(
        "from_request futures: axum::Json {} B, contract_axum::Json {} B, Bytes {} B; \
         Request {} B, contract_axum::Error {} B",
        std::mem::size_of_val(&bare),
        std::mem::size_of_val(&contract),
        std::mem::size_of_val(&bytes),
        std::mem::size_of::<axum::extract::Request>(),
        std::mem::size_of::<contract_axum::Error>(),
    );
}
