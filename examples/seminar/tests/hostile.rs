//! Hostile clients and faults against the real process: bytes that do not
//! decode, invented methods and paths, clients that never read or trickle
//! their bodies, uploads refused before they are read, oversized heads, a
//! full disk, a database file deleted under the server, and identities that
//! differ only in case or normalization.
//! Every answer is checked: none may be a 5xx unless a dependency failed,
//! and then the server must heal when it comes back.

#![cfg(unix)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod process;

use process::{Server, read_response, request};

/// One request on a new connection: status, body, and the raw head.
fn send(server: &Server, raw: &str) -> (u16, Value) {
    let mut s = TcpStream::connect(server.addr).unwrap();
    request(&mut s, raw)
}

fn get(server: &Server, target: &str, headers: &str) -> (u16, Value) {
    send(
        server,
        &format!("GET {target} HTTP/1.1\r\nHost: t\r\n{headers}Connection: close\r\n\r\n"),
    )
}

fn post_json(server: &Server, target: &str, body: &Value) -> (u16, Value) {
    let body = body.to_string();
    send(
        server,
        &format!(
            "POST {target} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

fn signup(server: &Server, email: &str, username: &str) -> (u16, Value) {
    post_json(
        server,
        "/api/v1/signup/",
        &json!({"email": email, "username": username, "password": "password123", "role": "participant"}),
    )
}

/// The server's resident memory, in KiB.
fn rss_kib(server: &Server) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[test]
fn undecodable_path_parameters_are_the_clients_fault() {
    let server = Server::start(&[]);
    let (status, body) = signup(&server, "bytes@example.com", "bytes");
    assert_eq!(status, 201, "{body}");
    let token = body["token"].as_str().unwrap().to_owned();
    let auth = format!("Authorization: Bearer {token}\r\n");
    for (method, target, field) in [
        ("GET", "/api/v1/seminar/%FF/", "seminar_id"),
        ("GET", "/api/v1/seminar/%C0%AF/", "seminar_id"),
        ("DELETE", "/api/v1/seminar/%FF/user/", "seminar_id"),
        ("GET", "/api/v1/user/%FF/", "user_id"),
    ] {
        let (status, body) = send(
            &server,
            &format!("{method} {target} HTTP/1.1\r\nHost: t\r\n{auth}Connection: close\r\n\r\n"),
        );
        assert_eq!(status, 400, "{target}: {body}");
        assert_eq!(body["code"], "validation_failed", "{target}: {body}");
        assert_eq!(body["fields"][0]["field"], field, "{target}: {body}");
    }
    assert!(
        !server.log().contains("\"ERROR\"") && !server.log().contains(" ERROR "),
        "nothing logged at ERROR:\n{}",
        server.log()
    );
}

#[test]
fn invented_methods_and_paths_leave_the_metrics_bounded() {
    let server = Server::start(&[]);
    let mut s = TcpStream::connect(server.addr).unwrap();
    // Warm up what every request allocates once.
    for i in 0..200 {
        let (status, _) = request(
            &mut s,
            &format!("GET /warm/{i} HTTP/1.1\r\nHost: t\r\n\r\n"),
        );
        assert_eq!(status, 404);
    }
    let rss_before = rss_kib(&server);
    let filler = "X".repeat(2000);
    for i in 0..10_000 {
        let raw = format!("M{i}{filler} /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
        let (status, body) = request(&mut s, &raw);
        assert_eq!(status, 405, "{body}");
        let raw = format!(
            "GET /nowhere/{i}/{} HTTP/1.1\r\nHost: t\r\n\r\n",
            &filler[..500]
        );
        let (status, body) = request(&mut s, &raw);
        assert_eq!(status, 404, "{body}");
    }
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.write_all(b"GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut text = Vec::new();
    s.read_to_end(&mut text).unwrap();
    let text = String::from_utf8_lossy(&text);
    assert!(text.len() < 64 * 1024, "/metrics is {} bytes", text.len());
    assert!(text.contains("OTHER"), "{text}");
    assert!(!text.contains("M1X"), "an invented method became a label");
    assert!(!text.contains("/nowhere/"), "a raw path became a label");
    let grown = rss_kib(&server).saturating_sub(rss_before);
    eprintln!(
        "/metrics: {} bytes after 20,000 hostile requests; RSS grew by {grown} KiB",
        text.len()
    );
    assert!(grown < 10 * 1024, "RSS grew by {grown} KiB");
}

#[test]
fn clients_that_never_read_are_cut_at_the_write_timeout() {
    let server = Server::start(&[
        ("SEMINAR_MAX_CONNECTIONS", "20"),
        ("SEMINAR_WRITE_TIMEOUT", "2"),
    ]);
    let pipeline = "GET /openapi.json HTTP/1.1\r\nHost: t\r\n\r\n".repeat(400);
    let hogs: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(server.addr).unwrap();
            s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
            let _ = s.write_all(pipeline.as_bytes());
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let start = Instant::now();
    let (status, _) = get(&server, "/healthz", "");
    assert_eq!(status, 0, "the slots are all held at first");
    let served = loop {
        let (status, body) = get(&server, "/healthz", "");
        if status == 200 {
            break start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "/healthz never answered: {status} {body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(served < Duration::from_secs(8), "answered after {served:?}");
    drop(hogs);
}

/// Sends `head` (without its `Content-Length`) and then `body` one byte a
/// second: the answer is `408 timeout`, at the body deadline (10 s).
fn trickled_times_out(server: &Server, head: &str, body: &str) {
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.write_all(format!("{head}Content-Length: {}\r\n\r\n", body.len()).as_bytes())
        .unwrap();
    let start = Instant::now();
    let writer = {
        let mut s = s.try_clone().unwrap();
        let body = body.as_bytes().to_vec();
        std::thread::spawn(move || {
            for b in body {
                if s.write_all(&[b]).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_secs(1));
            }
        })
    };
    let (status, answer) = read_response(&mut s);
    let took = start.elapsed();
    drop(s);
    let _ = writer.join();
    assert_eq!(status, 408, "{answer}");
    assert_eq!(answer["code"], "timeout");
    assert!(
        took >= Duration::from_secs(9) && took < Duration::from_secs(15),
        "answered after {took:?}"
    );
}

#[test]
fn a_trickled_body_gets_408_at_the_body_deadline() {
    let server = Server::start(&[]);
    trickled_times_out(
        &server,
        "POST /api/v1/login/ HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n",
        r#"{"email":"a@b.co","password":"x"}"#,
    );
}

#[test]
fn a_trickled_csv_upload_gets_408_at_the_body_deadline_as_json_does() {
    let server = Server::start(&[]);
    let (status, body) = signup(&server, "slow@example.com", "slow");
    assert_eq!(status, 201, "{body}");
    let token = body["token"].as_str().unwrap();
    trickled_times_out(
        &server,
        &format!(
            "POST /api/v1/seminar/import/ HTTP/1.1\r\nHost: t\r\nContent-Type: text/csv\r\n\
             Authorization: Bearer {token}\r\n"
        ),
        "name,capacity,count,time\nKit,3,2,08:00\n",
    );
}

#[test]
fn oversized_heads_get_the_envelope_and_a_request_id() {
    let server = Server::start(&[]);
    let headers: String = (0..110).map(|i| format!("X-Filler-{i}: {i}\r\n")).collect();
    let (status, body) = get(&server, "/healthz", &headers);
    assert_eq!(status, 431, "{body}");
    assert_eq!(body["code"], "headers_too_large");
    assert!(body["request_id"].as_str().is_some_and(|id| !id.is_empty()));
    let long = format!("/api/v1/seminar/?name={}", "a".repeat(40_000));
    let (status, body) = get(&server, &long, "");
    assert_eq!(status, 414, "{body}");
    assert_eq!(body["code"], "uri_too_long");
    assert!(body["request_id"].as_str().is_some_and(|id| !id.is_empty()));
}

#[test]
fn problem_details_never_echo_the_raw_path() {
    let server = Server::start(&[]);
    let accept = "Accept: application/problem+json\r\n";
    let path = format!("/{}", "p".repeat(6000));
    let (status, body) = get(&server, &path, accept);
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["instance"], body["request_id"], "{body}");
    assert!(body.to_string().len() < 1024, "{body}");
    let (status, body) = get(&server, "/api/v1/seminar/abc/", accept);
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["instance"], "/api/v1/seminar/{seminar_id}/", "{body}");
}

#[test]
fn one_account_per_email_whatever_its_case_and_one_per_visible_name() {
    let server = Server::start(&[]);
    let variants: Vec<String> = (0..100)
        .map(|i: u32| {
            "case@example.com"
                .chars()
                .enumerate()
                .map(|(k, c)| {
                    if (i >> (k % 16)) & 1 == 1 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect()
        })
        .collect();
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = variants
            .chunks(10)
            .enumerate()
            .map(|(t, chunk)| {
                let server = &server;
                scope.spawn(move || {
                    chunk
                        .iter()
                        .enumerate()
                        .map(|(k, email)| signup(server, email, &format!("case_{t}_{k}")).0)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|&s| s == 201 || s == 409),
        "{statuses:?}"
    );
    let (status, body) = post_json(
        &server,
        "/api/v1/login/",
        &json!({"email": "CASE@EXAMPLE.COM", "password": "password123"}),
    );
    assert_eq!(status, 200, "login by another case: {body}");

    // `café` composed, then decomposed: one name.
    let (status, body) = signup(&server, "nfc@example.com", "caf\u{e9}");
    assert_eq!(status, 201, "{body}");
    let (status, body) = signup(&server, "nfd@example.com", "cafe\u{301}");
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["code"], "username_taken");
    // Invisible names.
    for name in ["\u{200b}\u{200b}", "\u{2060}", "ab\u{202e}cd"] {
        let (status, body) = signup(&server, "ghost@example.com", name);
        assert_eq!(status, 400, "{name:?}: {body}");
        assert_eq!(body["fields"][0]["field"], "username", "{body}");
    }
}

#[test]
fn a_deleted_database_file_is_unavailable_then_refused_at_a_prod_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seminar.db");
    let mut server = Server::start_in(dir, &[]);
    assert_eq!(signup(&server, "kept@example.com", "kept").0, 201);
    std::fs::remove_file(&db).unwrap();
    let (status, body) = signup(&server, "lost@example.com", "lost");
    assert_eq!(status, 503, "a write to a deleted file: {body}");
    assert_eq!(body["code"], "service_unavailable");
    let (status, _) = get(&server, "/readyz", "");
    assert_eq!(status, 503);
    server.signal("KILL");
    server.wait(Duration::from_secs(5));

    let secret = "a-prod-secret-of-at-least-32-characters";
    let dir = std::mem::replace(&mut server.dir, tempfile::tempdir().unwrap());
    let out = Command::new(env!("CARGO_BIN_EXE_seminar"))
        .env("SEMINAR_ADDR", process::free_addr().to_string())
        .env("SEMINAR_PROFILE", "prod")
        .env("SEMINAR_SECRET", secret)
        .env("DATABASE_URL", format!("sqlite:{}", db.display()))
        .output()
        .unwrap();
    assert!(!out.status.success(), "prod must not re-create the file");
    let said = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("restore it from a backup"), "{said}");
    assert!(!db.exists(), "nothing created");
    drop(dir);
}

/// A tmpfs of `size` mounted at a new directory, unmounted on drop; `None`
/// (with the reason printed) where this machine does not allow mounting.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(size: &str) -> Option<Self> {
        let dir = std::env::temp_dir().join(format!("seminar-full-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok()?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .output();
        match out {
            Ok(out) if out.status.success() => Some(Self(dir)),
            Ok(out) => {
                eprintln!(
                    "skipped: cannot mount a tmpfs here ({})",
                    String::from_utf8_lossy(&out.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("skipped: no mount command ({e})");
                None
            }
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

/// Fills the file system of `dir` with one file; returns its path.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let block = vec![0u8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    // The last partial block.
    while f.write_all(&block[..512]).is_ok() {}
    path
}

#[test]
fn a_full_disk_answers_503_on_readyz_and_heals_when_space_returns() {
    let Some(tmpfs) = Tmpfs::mount("4m") else {
        return;
    };
    let work = tempfile::tempdir_in(&tmpfs.0).unwrap();
    let db = work.path().join("seminar.db");
    let server = Server::start(&[("DATABASE_URL", &format!("sqlite:{}", db.display()))]);
    assert_eq!(signup(&server, "before@example.com", "before").0, 201);
    let filler = fill(work.path());
    let mut failed = 0;
    for i in 0..20 {
        let (status, body) = signup(
            &server,
            &format!("full{i}@example.com"),
            &format!("full{i}"),
        );
        assert!(
            status == 201 || status == 500 || status == 503,
            "{status} {body}"
        );
        if status != 201 {
            failed += 1;
        }
    }
    assert!(failed > 0, "no write failed on a full disk");
    let (status, _) = get(&server, "/readyz", "");
    assert_eq!(status, 503, "ready while writes fail");

    std::fs::remove_file(&filler).unwrap();
    let start = Instant::now();
    let (status, body) = signup(&server, "after@example.com", "after");
    assert_eq!(status, 201, "the next write after the fault: {body}");
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(get(&server, "/readyz", "").0, 200);
    let (status, body) = post_json(
        &server,
        "/api/v1/login/",
        &json!({"email": "before@example.com", "password": "password123"}),
    );
    assert_eq!(status, 200, "nothing acknowledged was lost: {body}");
    drop(server);
    drop(work);
    drop(tmpfs);
}

#[test]
fn an_upload_refused_before_it_was_read_closes_the_connection_and_says_so() {
    let server = Server::start(&[]);
    // A 1 MB CSV with no token: refused at the head, its body never read.
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.write_all(
        b"POST /api/v1/seminar/import/ HTTP/1.1\r\nHost: t\r\nContent-Type: text/csv\r\n\
          Content-Length: 1000000\r\n\r\nname,capacity,count,time\r\n",
    )
    .unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer)
        .expect("the server closes the connection after its answer");
    let answer = String::from_utf8_lossy(&answer).to_lowercase();
    assert!(answer.starts_with("http/1.1 401 "), "{answer}");
    assert!(answer.contains("\r\nconnection: close\r\n"), "{answer}");
    assert!(answer.contains("\"code\":\"unauthenticated\""), "{answer}");
}
