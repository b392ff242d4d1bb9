//! Load on the seminar server: the release binary, a seeded SQLite file,
//! the server pinned to core 0 and the client on core 1.
//!
//! `cargo bench -p contract-tests --bench seminar_load` builds nothing: it
//! expects `target/release/seminar` (`.ci/bench` builds it; `SEMINAR_BIN`
//! overrides the path). It
//!
//! 1. times `seminar::openapi()` in-process (`SPEC_N` calls, default 200);
//! 2. creates a temporary SQLite file and runs `seminar seed USERS SEMINARS`
//!    (default 5000 and 1000);
//! 3. starts the server `STARTS` times (default 5) and takes, for each
//!    start, the time from spawn to the first successful response
//!    (`GET /openapi.json`) and the idle RSS (`VmRSS` after a short settle);
//!    the last start stays up;
//! 4. logs seeded users in, and signs up the fresh instructors the create
//!    scenario needs (each instructor runs at most one seminar);
//! 5. drives the scenarios with `CONNS` keep-alive connections (default 16):
//!    first a read phase (list, detail interleaved for `ROUNDS` rounds of
//!    `SECS` seconds), then a write phase (create, join interleaved). The
//!    phases are separate so that the list, which answers every seminar,
//!    answers the same 1000 in every round: creating seminars would grow it.
//!    Creating is bounded by count (`CREATES` per round, default 1000), not by
//!    time, because each create needs a fresh instructor and every signup
//!    costs an Argon2 hash on the server's one core. Joins go to the
//!    seminars the create scenario opened (capacity 1,000,000), with
//!    pre-planned (participant, seminar) pairs, no pair twice, so no join
//!    can fail for a business rule.
//!
//! Every scenario reports the median over rounds of throughput, p50 and p99
//! latency, and the count of non-2xx responses (expected 0).

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Method, Request};
use http_body_util::{BodyExt, Full};
use serde_json::{Value, json};

/// The signing secret the server runs with (prod wants 32+ characters).
const SECRET: &str = "seminar-load-benchmark-secret-0123456789";
/// The password of the instructors the bench signs up.
const BENCH_PASSWORD: &str = "bench-password-1";
/// Capacity of the seminars the create scenario opens: joins never fill them.
const BIG_CAPACITY: i64 = 1_000_000;

type Req = Request<Full<Bytes>>;
type MakeReq = Arc<dyn Fn(usize) -> Option<Req> + Send + Sync>;

fn env(k: &str, d: f64) -> f64 {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}

fn request(method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Req {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "bench");
    if let Some(t) = token {
        b = b.header("authorization", format!("JWT {t}"));
    }
    let body = match body {
        Some(v) => {
            b = b.header("content-type", "application/json");
            Bytes::from(serde_json::to_vec(&v).unwrap())
        }
        None => Bytes::new(),
    };
    b.body(Full::new(body)).unwrap()
}

// ---------------------------------------------------------------------------
// The server process

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGINT (graceful shutdown), then SIGKILL after 5 s.
    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.pid().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn seminar_bin() -> PathBuf {
    if let Ok(p) = std::env::var("SEMINAR_BIN") {
        return p.into();
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("release/seminar")
}

/// `seminar ARGS` with the bench's environment, pinned to `core` when
/// `taskset` exists.
fn seminar_cmd(bin: &PathBuf, core: &str, db_url: &str, port: u16) -> Command {
    let mut cmd = if Command::new("taskset").arg("-V").output().is_ok() {
        let mut c = Command::new("taskset");
        c.args(["-c", core]).arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.env("DATABASE_URL", db_url)
        .env("SEMINAR_PROFILE", "prod")
        .env("SEMINAR_SECRET", SECRET)
        .env("SEMINAR_ADDR", format!("127.0.0.1:{port}"))
        .env_remove("RUST_LOG");
    cmd
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One blocking `GET path` with `Connection: close`: the status, if any.
fn probe(port: u16, path: &str) -> Option<u16> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    let head = std::str::from_utf8(buf.get(..12)?).ok()?;
    head.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

/// Starts the server on core 0; returns it and the time from spawn to its
/// first 200.
fn start(bin: &PathBuf, db_url: &str, log: &std::fs::File) -> (Server, Duration) {
    let port = free_port();
    let t = Instant::now();
    let child = seminar_cmd(bin, "0", db_url, port)
        .stdout(log.try_clone().unwrap())
        .stderr(log.try_clone().unwrap())
        .spawn()
        .expect("spawn the seminar server");
    let mut server = Server { child, port };
    loop {
        if probe(port, "/openapi.json") == Some(200) {
            break;
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("the server exited during startup: {status} (see its log)");
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the server did not answer within 30 s"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let startup = t.elapsed();
    (server, startup)
}

/// `VmRSS` (or another `/proc/PID/status` field) in KiB.
fn proc_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------
// The load driver

enum Limit {
    /// Run for this long.
    Secs(f64),
    /// Send this many requests.
    Jobs(usize),
}

#[derive(Default)]
struct Outcome {
    /// (status, latency in ns, body bytes), one per request sent.
    samples: Vec<(u16, u64, usize)>,
    /// Bodies by request index, when asked for.
    bodies: Vec<(usize, Bytes)>,
    /// Wall time from the first request to the last response.
    elapsed: f64,
    /// The request maker ran out of planned requests before the time was up.
    exhausted: bool,
    /// The first non-2xx answer, for the report.
    first_failure: Option<String>,
}

#[derive(Debug, Clone, Copy)]
struct Run {
    rps: f64,
    p50_us: f64,
    p99_us: f64,
    non2xx: usize,
    n: usize,
    mean_bytes: f64,
}

impl Outcome {
    fn run(&self) -> Run {
        let mut lat: Vec<u64> = self.samples.iter().map(|s| s.1).collect();
        lat.sort_unstable();
        let pct = |p: f64| {
            if lat.is_empty() {
                return f64::NAN;
            }
            lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)] as f64 / 1000.0
        };
        let n = self.samples.len();
        Run {
            rps: n as f64 / self.elapsed,
            p50_us: pct(0.50),
            p99_us: pct(0.99),
            non2xx: self
                .samples
                .iter()
                .filter(|s| !(200..300).contains(&s.0))
                .count(),
            n,
            mean_bytes: self.samples.iter().map(|s| s.2 as f64).sum::<f64>() / n.max(1) as f64,
        }
    }
}

/// `conns` keep-alive connections, each sending `make(i)` for the next
/// free index `i` until the limit, or until `make` answers `None`. The
/// indices sent are exactly `0..samples.len()`.
async fn drive(port: u16, conns: usize, limit: Limit, make: MakeReq, keep: bool) -> Outcome {
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicUsize::new(0));
    let exhausted = Arc::new(AtomicBool::new(false));
    let failure = Arc::new(Mutex::new(None::<String>));
    let jobs = match limit {
        Limit::Jobs(n) => n,
        Limit::Secs(_) => usize::MAX,
    };
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (stop, next, exhausted, failure, make) = (
            stop.clone(),
            next.clone(),
            exhausted.clone(),
            failure.clone(),
            make.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut tx = common::connect(port).await;
            let mut samples = Vec::with_capacity(16_384);
            let mut bodies = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= jobs {
                    break;
                }
                let Some(req) = make(i) else {
                    exhausted.store(true, Ordering::Relaxed);
                    break;
                };
                let what = format!("{} {}", req.method(), req.uri());
                let t = Instant::now();
                tx.ready().await.unwrap();
                let res = tx
                    .send_request(req)
                    .await
                    .unwrap_or_else(|e| panic!("{what}: {e}"));
                let status = res.status().as_u16();
                let body = res.into_body().collect().await.unwrap().to_bytes();
                samples.push((status, t.elapsed().as_nanos() as u64, body.len()));
                if !(200..300).contains(&status) {
                    failure.lock().unwrap().get_or_insert_with(|| {
                        format!("{what} -> {status} {}", String::from_utf8_lossy(&body))
                    });
                }
                if keep {
                    bodies.push((i, body));
                }
            }
            (samples, bodies)
        }));
    }
    if let Limit::Secs(secs) = limit {
        let stop = stop.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs_f64(secs)).await;
            stop.store(true, Ordering::Relaxed);
        });
    }
    let mut out = Outcome::default();
    for task in tasks {
        let (s, b) = task.await.unwrap();
        out.samples.extend(s);
        out.bodies.extend(b);
    }
    out.elapsed = t.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    out.exhausted = exhausted.load(Ordering::Relaxed);
    out.first_failure = failure.lock().unwrap().take();
    out.bodies.sort_by_key(|b| b.0);
    out
}

/// The JSON bodies of a preparation step that must answer only `expect`.
fn bodies(out: Outcome, what: &str, expect: u16) -> Vec<Value> {
    if let Some(f) = &out.first_failure {
        panic!("{what}: {f}");
    }
    assert!(
        out.samples.iter().all(|s| s.0 == expect),
        "{what}: expected {expect}"
    );
    out.bodies
        .into_iter()
        .map(|(_, b)| serde_json::from_slice(&b).unwrap())
        .collect()
}

// ---------------------------------------------------------------------------

fn spec_build(n: usize) {
    let t = Instant::now();
    let spec = seminar::openapi();
    let cold = t.elapsed();
    let size = serde_json::to_vec(&spec).unwrap().len();
    let mut each = Vec::with_capacity(n);
    let t = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        std::hint::black_box(seminar::openapi());
        each.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let mean = t.elapsed().as_secs_f64() * 1e3 / n as f64;
    println!(
        "spec build (seminar::openapi(), in-process, {n} calls): mean {mean:.3} ms, median {:.3} ms, first call {:.3} ms; {size} bytes compact",
        common::median(each),
        cold.as_secs_f64() * 1e3,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo bench` passes `--bench`; a harness-less bench ignores it.
    if args.iter().any(|a| a == "--spec-only") {
        spec_build(env("SPEC_N", 200.0) as usize);
        return;
    }
    let rounds = env("ROUNDS", 5.0) as usize;
    let secs = env("SECS", 3.0);
    let conns = env("CONNS", 16.0) as usize;
    let users = env("USERS", 5000.0) as usize;
    let seminars = env("SEMINARS", 1000.0) as usize;
    let starts = env("STARTS", 5.0).max(1.0) as usize;
    let creates = env("CREATES", 1000.0) as usize;
    let joiners = env("JOINERS", 32.0) as usize;
    let warm_creates = (creates / 5).max(1);

    // The client (and the in-process spec build) on core 1.
    let _ = Command::new("taskset")
        .args(["-pc", "1", &std::process::id().to_string()])
        .output();

    spec_build(env("SPEC_N", 200.0) as usize);

    let bin = seminar_bin();
    if !bin.exists() {
        eprintln!(
            "{} not found: build it first (cargo build --release -p seminar), or set SEMINAR_BIN",
            bin.display()
        );
        std::process::exit(2);
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seminar.db");
    let db_url = format!("sqlite:{}", db.display());
    let log = std::fs::File::create(dir.path().join("server.log")).unwrap();

    let t = Instant::now();
    let seeded = seminar_cmd(&bin, "0", &db_url, 0)
        .args(["seed", &users.to_string(), &seminars.to_string()])
        .output()
        .unwrap();
    assert!(
        seeded.status.success(),
        "seeding failed: {}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    println!(
        "seed {users} users, {seminars} seminars: {:.2} s ({} bytes of SQLite)",
        t.elapsed().as_secs_f64(),
        std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0)
            + std::fs::metadata(dir.path().join("seminar.db-wal"))
                .map(|m| m.len())
                .unwrap_or(0)
    );

    // Startups: time to first response, idle RSS.
    let mut startup_ms = Vec::new();
    let mut rss_kib = Vec::new();
    let mut server = None;
    for i in 0..starts {
        let (s, took) = start(&bin, &db_url, &log);
        std::thread::sleep(Duration::from_millis(500));
        let rss = proc_kib(s.pid(), "VmRSS");
        println!(
            "start {i}: first response after {:.1} ms, idle VmRSS {:.1} MiB",
            took.as_secs_f64() * 1e3,
            rss as f64 / 1024.0
        );
        startup_ms.push(took.as_secs_f64() * 1e3);
        rss_kib.push(rss as f64);
        if i + 1 < starts {
            s.stop();
        } else {
            server = Some(s);
        }
    }
    let server = server.unwrap();
    let port = server.port;

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let results = rt.block_on(load(
        port,
        server.pid(),
        rounds,
        secs,
        conns,
        users,
        seminars,
        creates,
        warm_creates,
        joiners,
    ));

    let after_rss = proc_kib(server.pid(), "VmRSS");
    let hwm = proc_kib(server.pid(), "VmHWM");
    server.stop();
    let log_lines = std::fs::read_to_string(dir.path().join("server.log"))
        .map(|s| s.lines().count())
        .unwrap_or(0);

    println!(
        "\nseminar server (release, SEMINAR_PROFILE=prod, SQLite WAL), pinned to core 0; client on core 1"
    );
    println!(
        "startup to first response: median {:.1} ms over {starts} starts (min {:.1}, max {:.1})",
        common::median(startup_ms.clone()),
        startup_ms.iter().cloned().fold(f64::INFINITY, f64::min),
        startup_ms.iter().cloned().fold(0.0, f64::max),
    );
    println!(
        "idle VmRSS: median {:.1} MiB over {starts} starts; after the load {:.1} MiB (peak VmHWM {:.1} MiB)",
        common::median(rss_kib) / 1024.0,
        after_rss as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
    println!("server log: {log_lines} lines over the whole run");
    println!(
        "\n{:<34} {:>6} {:>10} {:>9} {:>9} {:>7} {:>8} {:>11}  req/s min..max",
        "scenario (median of rounds)",
        "rounds",
        "req/s",
        "p50 ms",
        "p99 ms",
        "non-2xx",
        "requests",
        "body bytes",
    );
    for (name, runs) in &results {
        let m = |f: fn(&Run) -> f64| common::median(runs.iter().map(f).collect());
        let lo = runs.iter().map(|r| r.rps).fold(f64::INFINITY, f64::min);
        let hi = runs.iter().map(|r| r.rps).fold(0.0, f64::max);
        println!(
            "{name:<34} {:>6} {:>10.0} {:>9.2} {:>9.2} {:>7} {:>8} {:>11.0}  {lo:.0}..{hi:.0}",
            runs.len(),
            m(|r| r.rps),
            m(|r| r.p50_us) / 1000.0,
            m(|r| r.p99_us) / 1000.0,
            runs.iter().map(|r| r.non2xx).sum::<usize>(),
            runs.iter().map(|r| r.n).sum::<usize>(),
            m(|r| r.mean_bytes),
        );
    }
    let failed: usize = results.iter().flat_map(|(_, r)| r).map(|r| r.non2xx).sum();
    if failed > 0 {
        eprintln!("\n{failed} non-2xx responses: the figures above are not valid");
        std::process::exit(1);
    }
}

fn report(round: &str, name: &str, out: &Outcome, pid: u32) -> Run {
    let r = out.run();
    eprintln!(
        "{round:<8} {name:<34} {:>8.0} req/s  p50 {:>8.2} ms  p99 {:>8.2} ms  n {:>6}  non-2xx {}  {:.0} B/resp  server VmRSS {:.0} MiB{}",
        r.rps,
        r.p50_us / 1000.0,
        r.p99_us / 1000.0,
        r.n,
        r.non2xx,
        r.mean_bytes,
        proc_kib(pid, "VmRSS") as f64 / 1024.0,
        if out.exhausted {
            "  (join plan exhausted)"
        } else {
            ""
        }
    );
    if let Some(f) = &out.first_failure {
        eprintln!("         first failure: {}", truncate(f, 400));
    }
    r
}

fn truncate(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[allow(clippy::too_many_arguments)]
async fn load(
    port: u16,
    pid: u32,
    rounds: usize,
    secs: f64,
    conns: usize,
    users: usize,
    seminars: usize,
    creates: usize,
    warm_creates: usize,
    joiners: usize,
) -> Vec<(String, Vec<Run>)> {
    const V1: &str = "/api/v1";
    let pw = seminar::store::SEED_PASSWORD;

    // Seeded users: `seed_user_N` for N in 1..=users (a fresh database);
    // the first `seminars` are instructors, the others participants, about
    // one in ten of them not accepted (those cannot join).
    let t = Instant::now();
    let candidates: Vec<usize> = (seminars + 1..=users).take(joiners * 2 + 8).collect();
    let make: MakeReq = {
        let candidates = candidates.clone();
        Arc::new(move |i| {
            let n = candidates.get(i)?;
            Some(request(
                Method::POST,
                &format!("{V1}/login/"),
                None,
                Some(json!({"email": format!("seed_user_{n}@example.com"), "password": pw})),
            ))
        })
    };
    let logged = bodies(
        drive(port, conns, Limit::Jobs(candidates.len()), make, true).await,
        "login",
        200,
    );
    let token = |u: &Value| u["token"].as_str().unwrap().to_owned();
    let reader = token(&logged[0]);
    let participants: Vec<String> = logged
        .iter()
        .filter(|u| u["participant"]["accepted"] == json!(true))
        .take(joiners)
        .map(token)
        .collect();
    assert!(
        participants.len() == joiners,
        "only {} accepted participants among the seeded users logged in",
        participants.len()
    );
    eprintln!(
        "logged in {} seeded users in {:.2} s ({} accepted participants kept for joins); server VmRSS {:.0} MiB",
        logged.len(),
        t.elapsed().as_secs_f64(),
        participants.len(),
        proc_kib(pid, "VmRSS") as f64 / 1024.0
    );

    // Fresh instructors for the create scenario.
    let t = Instant::now();
    let needed = creates * rounds + warm_creates;
    let stamp = std::process::id();
    let make: MakeReq = Arc::new(move |i| {
        Some(request(
            Method::POST,
            &format!("{V1}/signup/"),
            None,
            Some(json!({
                "email": format!("bench_{stamp}_{i}@example.com"),
                "username": format!("bench_{stamp}_{i}"),
                "password": BENCH_PASSWORD,
                "role": "instructor",
            })),
        ))
    });
    let instructors: Vec<String> = bodies(
        drive(port, conns, Limit::Jobs(needed), make, true).await,
        "signup",
        201,
    )
    .iter()
    .map(token)
    .collect();
    eprintln!(
        "signed up {} instructors in {:.2} s; server VmRSS {:.0} MiB",
        instructors.len(),
        t.elapsed().as_secs_f64(),
        proc_kib(pid, "VmRSS") as f64 / 1024.0
    );

    // The seeded seminars' ids, for the detail scenario.
    let list = bodies(
        drive(
            port,
            1,
            Limit::Jobs(1),
            {
                let reader = reader.clone();
                Arc::new(move |_| {
                    Some(request(
                        Method::GET,
                        &format!("{V1}/seminar/"),
                        Some(&reader),
                        None,
                    ))
                })
            },
            true,
        )
        .await,
        "list",
        200,
    );
    let seeded: Arc<Vec<i64>> = Arc::new(
        list[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_i64().unwrap())
            .collect(),
    );
    assert_eq!(seeded.len(), seminars, "the list answers every seminar");

    let reader: Arc<str> = reader.into();
    let list_req: MakeReq = {
        let reader = reader.clone();
        Arc::new(move |_| {
            Some(request(
                Method::GET,
                &format!("{V1}/seminar/"),
                Some(&reader),
                None,
            ))
        })
    };
    let detail_req: MakeReq = {
        let reader = reader.clone();
        let seeded = seeded.clone();
        Arc::new(move |i| {
            let id = seeded[i % seeded.len()];
            Some(request(
                Method::GET,
                &format!("{V1}/seminar/{id}/"),
                Some(&reader),
                None,
            ))
        })
    };

    // Authenticated, and answered without a write: the caller, and a
    // create with four bad fields (blank name, "ten", "two", "25:00").
    let me_req: MakeReq = {
        let reader = reader.clone();
        Arc::new(move |_| {
            Some(request(
                Method::GET,
                &format!("{V1}/user/me/"),
                Some(&reader),
                None,
            ))
        })
    };
    let invalid_req: MakeReq = {
        let reader = reader.clone();
        Arc::new(move |_| {
            Some(request(
                Method::POST,
                &format!("{V1}/seminar/"),
                Some(&reader),
                Some(json!({"name": " ", "capacity": "ten", "count": "two", "time": "25:00"})),
            ))
        })
    };

    let names = [
        format!("GET /seminar/ (list, {seminars})"),
        "GET /seminar/{id}/".to_owned(),
        format!("POST /seminar/ (create, {creates}/round)"),
        "POST /seminar/{id}/user/ (join)".to_owned(),
        "GET /user/me/".to_owned(),
        "POST /seminar/ (4 bad fields, authenticated)".to_owned(),
    ];
    let mut results: Vec<(String, Vec<Run>)> =
        names.iter().map(|n| (n.clone(), Vec::new())).collect();

    // Read phase.
    drive(port, conns, Limit::Secs(0.5), list_req.clone(), false).await;
    drive(port, conns, Limit::Secs(0.5), detail_req.clone(), false).await;
    for round in 0..rounds {
        let tag = format!("round {round}");
        let out = drive(port, conns, Limit::Secs(secs), list_req.clone(), false).await;
        results[0].1.push(report(&tag, &names[0], &out, pid));
        let out = drive(port, conns, Limit::Secs(secs), detail_req.clone(), false).await;
        results[1].1.push(report(&tag, &names[1], &out, pid));
        let out = drive(port, conns, Limit::Secs(secs), me_req.clone(), false).await;
        results[4].1.push(report(&tag, &names[4], &out, pid));
        let out = drive(port, conns, Limit::Secs(secs), invalid_req.clone(), false).await;
        results[5].1.push(report(&tag, &names[5], &out, pid));
    }

    // Write phase.
    let instructors = Arc::new(instructors);
    let participants = Arc::new(participants);
    let mut used_instructors = 0;
    let mut created: Vec<i64> = Vec::new();
    // How many of `participants` (the first ones) joined each created seminar.
    let mut filled: HashMap<i64, usize> = HashMap::new();
    for round in 0..=rounds {
        let warm = round == 0;
        let tag = if warm {
            "warm-up".to_owned()
        } else {
            format!("round {}", round - 1)
        };
        let n = if warm { warm_creates } else { creates };
        let make: MakeReq = {
            let instructors = instructors.clone();
            let offset = used_instructors;
            Arc::new(move |i| {
                let k = offset + i;
                Some(request(
                    Method::POST,
                    &format!("{V1}/seminar/"),
                    Some(&instructors[k]),
                    Some(json!({
                        "name": format!("Bench seminar {k}"),
                        "capacity": BIG_CAPACITY,
                        "count": 4,
                        "time": "19:30",
                        "online": true,
                    })),
                ))
            })
        };
        let out = drive(port, conns, Limit::Jobs(n), make, true).await;
        used_instructors += n;
        let run = report(&tag, &names[2], &out, pid);
        for (_, body) in &out.bodies {
            if let Ok(v) = serde_json::from_slice::<Value>(body)
                && let Some(id) = v["id"].as_i64()
            {
                created.push(id);
                filled.insert(id, 0);
            }
        }
        if !warm {
            results[2].1.push(run);
        }

        // Joins: participant L joins every created seminar that has
        // exactly participants 0..L already, layer by layer, so that the
        // seminars fill evenly and no (participant, seminar) pair repeats.
        let mut plan: Vec<(usize, i64)> = Vec::new();
        for layer in 0..participants.len() {
            for &s in &created {
                if filled[&s] <= layer {
                    plan.push((layer, s));
                }
            }
        }
        let plan = Arc::new(plan);
        let make: MakeReq = {
            let participants = participants.clone();
            let plan = plan.clone();
            Arc::new(move |i| {
                let &(p, s) = plan.get(i)?;
                Some(request(
                    Method::POST,
                    &format!("{V1}/seminar/{s}/user/"),
                    Some(&participants[p]),
                    Some(json!({"role": "participant"})),
                ))
            })
        };
        let limit = Limit::Secs(if warm { 0.5 } else { secs });
        let out = drive(port, conns, limit, make, false).await;
        for &(_, s) in &plan[..out.samples.len()] {
            *filled.get_mut(&s).unwrap() += 1;
        }
        let run = report(&tag, &names[3], &out, pid);
        if !warm {
            results[3].1.push(run);
        }
    }
    results
}
