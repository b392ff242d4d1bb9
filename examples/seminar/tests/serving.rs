//! The server as a real process: graceful shutdown on SIGTERM, the drain
//! deadline's 503, slow clients and the connection limit, the
//! `healthcheck` subcommand, the command line's settings. Each serving test
//! starts `seminar` on a free port with a fresh SQLite file.

#![cfg(unix)]

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod process;

use process::{Server, closed_within, free_addr, read_response, request};

fn signup_head(len: usize) -> String {
    format!(
        "POST /api/v1/signup/ HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: {len}\r\n\r\n"
    )
}

/// A signup for `name` whose head and first `sent` bytes of body are on the
/// wire, the rest held back: a request in flight. Returns the connection
/// and the whole body.
fn half_sent_signup(server: &Server, name: &str, sent: usize) -> (TcpStream, String) {
    let body = signup_json(name);
    let mut upload = TcpStream::connect(server.addr).unwrap();
    upload
        .write_all(signup_head(body.len()).as_bytes())
        .unwrap();
    upload.write_all(&body.as_bytes()[..sent]).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    (upload, body)
}

fn signup_json(name: &str) -> String {
    json!({"email": format!("{name}@example.com"), "username": name, "password": "password123", "role": "participant"})
        .to_string()
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_then_exits_0() {
    let mut server = Server::start(&[("SEMINAR_SHUTDOWN_TIMEOUT", "10")]);
    let half = signup_json("inflight").len() / 2;
    let (mut upload, body) = half_sent_signup(&server, "inflight", half);
    let rest = &body[half..];

    server.signal("TERM");
    std::thread::sleep(Duration::from_millis(300));
    // No new connections once shutting down.
    assert!(
        TcpStream::connect(server.addr).is_err(),
        "the listener is closed"
    );
    assert!(server.child.try_wait().unwrap().is_none(), "still draining");

    upload.write_all(rest.as_bytes()).unwrap();
    let (status, created) = read_response(&mut upload);
    assert_eq!(status, 201, "{created}");
    assert!(created["token"].is_string(), "{created}");
    let status = server.wait(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "{}", server.log());

    // What the request wrote survived the shutdown: log in on a new process.
    let dir = std::mem::replace(&mut server.dir, tempfile::tempdir().unwrap());
    let server = Server::start_in(dir, &[]);
    let login = json!({"email": "inflight@example.com", "password": "password123"}).to_string();
    let mut s = TcpStream::connect(server.addr).unwrap();
    let (status, body) = request(
        &mut s,
        &format!(
            "POST /api/v1/login/ HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{login}",
            login.len()
        ),
    );
    assert_eq!(status, 200, "{body}");
}

#[test]
fn a_request_still_running_at_the_drain_deadline_gets_503_and_the_process_exits_0() {
    let mut server = Server::start(&[("SEMINAR_SHUTDOWN_TIMEOUT", "1")]);
    let (mut upload, _) = half_sent_signup(&server, "late", 10);

    let sent = Instant::now();
    server.signal("TERM");
    // The rest of the body never comes.
    let (status, envelope) = read_response(&mut upload);
    let waited = sent.elapsed();
    assert_eq!(status, 503, "{envelope}");
    assert_eq!(envelope["code"], "service_unavailable", "{envelope}");
    assert!(envelope["request_id"].is_string(), "{envelope}");
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(5),
        "answered after {waited:?}"
    );
    let status = server.wait(Duration::from_secs(5));
    assert_eq!(status.code(), Some(0), "{}", server.log());
}

#[test]
fn sigint_stops_an_idle_server_at_once() {
    let mut server = Server::start(&[]);
    let sent = Instant::now();
    server.signal("INT");
    let status = server.wait(Duration::from_secs(5));
    assert_eq!(status.code(), Some(0), "{}", server.log());
    assert!(
        sent.elapsed() < Duration::from_secs(2),
        "{:?}",
        sent.elapsed()
    );
}

#[test]
fn slow_clients_are_cut_off_and_the_connection_limit_holds() {
    let server = Server::start(&[
        ("SEMINAR_HEADER_TIMEOUT", "2"),
        ("SEMINAR_MAX_CONNECTIONS", "4"),
    ]);
    let opened = Instant::now();
    // Three clients that never finish their request head.
    let mut slow: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut s = TcpStream::connect(server.addr).unwrap();
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n")
                .unwrap();
            s
        })
        .collect();
    // Served all the same, on a connection kept alive (the fourth; the
    // start-up probe's connection may hold its slot a moment longer).
    let mut kept = None;
    for _ in 0..50 {
        let mut s = TcpStream::connect(server.addr).unwrap();
        let (status, body) = request(&mut s, "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
        if status != 0 {
            assert_eq!((status, body), (200, json!({"status": "ok"})));
            kept = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut kept = kept.expect("a fourth connection is served");
    // A fifth connection is over the limit: closed without an answer.
    let mut over = TcpStream::connect(server.addr).unwrap();
    let _ = over.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
    let (status, _) = read_response(&mut over);
    assert_eq!(status, 0, "no response over the limit");
    assert!(
        opened.elapsed() < Duration::from_millis(1500),
        "too slow to test the limit"
    );

    // The slow ones, and the idle keep-alive one, are closed after the
    // header timeout, not before.
    for s in slow.iter_mut().chain([&mut kept]) {
        assert!(
            closed_within(s, Duration::from_secs(6)),
            "closed by the server"
        );
    }
    let took = opened.elapsed();
    assert!(
        took >= Duration::from_millis(1900) && took < Duration::from_secs(6),
        "closed after {took:?}"
    );

    // Their slots are free again.
    let mut s = TcpStream::connect(server.addr).unwrap();
    let (status, _) = request(
        &mut s,
        "GET /readyz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 200);
}

#[test]
fn the_healthcheck_subcommand_reports_readiness() {
    let server = Server::start(&[]);
    let check = |addr: SocketAddr| {
        Command::new(env!("CARGO_BIN_EXE_seminar"))
            .arg("healthcheck")
            .env("SEMINAR_ADDR", addr.to_string())
            .stderr(Stdio::null())
            .status()
            .unwrap()
    };
    assert_eq!(check(server.addr).code(), Some(0));
    // `0.0.0.0` means this machine.
    let any = SocketAddr::from(([0, 0, 0, 0], server.addr.port()));
    assert_eq!(check(any).code(), Some(0));
    assert_eq!(check(free_addr()).code(), Some(1));
}

#[test]
fn prod_logs_one_json_line_per_request() {
    let mut server = Server::start(&[
        ("SEMINAR_PROFILE", "prod"),
        (
            "SEMINAR_SECRET",
            "serving-test-secret-0123456789-0123456789",
        ),
    ]);
    let mut s = TcpStream::connect(server.addr).unwrap();
    let (status, _) = request(
        &mut s,
        "GET /api/v1/seminar/7/ HTTP/1.1\r\nHost: t\r\nx-request-id: log-test-1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 401);
    server.signal("TERM");
    assert_eq!(server.wait(Duration::from_secs(10)).code(), Some(0));

    let log = server.log();
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let line = lines
        .iter()
        .find(|l| l["request_id"] == "log-test-1")
        .unwrap_or_else(|| panic!("no line for the request:\n{log}"));
    assert_eq!(line["operation"], "GET /api/v1/seminar/{seminar_id}/");
    assert_eq!(line["status"], 401);
    assert_eq!(line["code"], "unauthenticated");
    assert_eq!(line["level"], "INFO");
}

#[test]
fn a_second_signal_cuts_the_drain_short() {
    let mut server = Server::start(&[("SEMINAR_SHUTDOWN_TIMEOUT", "60")]);
    let (mut upload, _) = half_sent_signup(&server, "impatient", 10);

    server.signal("TERM");
    std::thread::sleep(Duration::from_millis(300));
    assert!(server.child.try_wait().unwrap().is_none(), "draining");
    let sent = Instant::now();
    server.signal("INT");
    let (status, envelope) = read_response(&mut upload);
    assert_eq!(status, 503, "{envelope}");
    assert_eq!(envelope["code"], "service_unavailable", "{envelope}");
    assert_eq!(server.wait(Duration::from_secs(5)).code(), Some(0));
    assert!(
        sent.elapsed() < Duration::from_secs(3),
        "{:?}",
        sent.elapsed()
    );
}

#[test]
fn settings_are_flags_or_variables_and_a_bad_one_is_named() {
    let seminar = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_seminar"));
        cmd.args(args);
        for (name, _) in std::env::vars() {
            if name.starts_with("SEMINAR_") || name == "DATABASE_URL" {
                cmd.env_remove(name);
            }
        }
        cmd.envs(env.iter().copied()).output().unwrap()
    };
    let stderr = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();

    // `--help` lists each setting with its variable.
    let help = seminar(&["--help"], &[]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for var in [
        "SEMINAR_ADDR",
        "DATABASE_URL",
        "SEMINAR_WORKERS",
        "SEMINAR_SECRET",
    ] {
        assert!(text.contains(var), "{var} not in the help:\n{text}");
    }

    // A malformed value is refused, naming the flag and the bound, from a
    // variable or from a flag after the command.
    let bad = seminar(&["export-openapi"], &[("SEMINAR_WORKERS", "many")]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("--workers"), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("at least 0"), "{}", stderr(&bad));
    let bad = seminar(&["export-openapi", "--max-connections", "0"], &[]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));

    // A blank variable counts as unset.
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.json");
    let blank = [("SEMINAR_WORKERS", " "), ("SEMINAR_ADDR", "")];
    let out = seminar(&["export-openapi", spec.to_str().unwrap()], &blank);
    assert!(out.status.success(), "{}", stderr(&out));
    let written = std::fs::read_to_string(&spec).unwrap();
    assert!(written.contains(r#""openapi": "3.1.0""#));

    // `prod` needs a real secret, from the variable only.
    let db = format!("sqlite:{}", dir.path().join("seminar.db").display());
    let prod = [("SEMINAR_PROFILE", "prod"), ("DATABASE_URL", db.as_str())];
    let out = seminar(&["seed", "1", "1"], &prod);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("SEMINAR_SECRET is required in prod"),
        "{}",
        stderr(&out)
    );
    let out = seminar(
        &["--secret", "a-secret-of-forty-characters-0123456789"],
        &prod,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
