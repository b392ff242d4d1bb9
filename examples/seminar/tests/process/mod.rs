//! A `seminar` process for the tests that need a real one (signals,
//! slow and hostile clients, faults), and raw HTTP/1.1 over a socket.

#![allow(dead_code, unreachable_pub)] // each test file uses a part

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A `seminar` process, killed if the test ends before it exits.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
}

impl Server {
    /// Starts `seminar` with `env` on top of a test profile, a fresh
    /// database and a free port; returns once it answers `/healthz`.
    pub fn start(env: &[(&str, &str)]) -> Self {
        Self::start_in(tempfile::tempdir().unwrap(), env)
    }

    pub fn start_in(dir: tempfile::TempDir, env: &[(&str, &str)]) -> Self {
        let addr = free_addr();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.path().join("server.log"))
            .unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_seminar"));
        cmd.env("SEMINAR_ADDR", addr.to_string())
            .env("SEMINAR_PROFILE", "test")
            .env("RUST_LOG", "info")
            .env(
                "DATABASE_URL",
                format!("sqlite:{}", dir.path().join("seminar.db").display()),
            )
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start seminar");
        let server = Self { child, addr, dir };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(mut s) = TcpStream::connect(addr) {
                let (status, _) = request(
                    &mut s,
                    "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                );
                if status == 200 {
                    closed_within(&mut s, Duration::from_secs(5));
                    return server;
                }
            }
            assert!(
                Instant::now() < deadline,
                "the server did not start:\n{}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    pub fn signal(&self, name: &str) {
        let ok = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{name}");
    }

    /// Waits up to `limit` for the process to exit.
    pub fn wait(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not exit:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if std::thread::panicking() {
            eprintln!("server log:\n{}", self.log());
        }
    }
}

/// A `seminar worker` process on a server's database, killed (SIGKILL)
/// when dropped.
pub struct Worker {
    pub child: Child,
    log: std::path::PathBuf,
}

impl Worker {
    /// Starts `seminar worker` on `database_url`, logging to `log`.
    pub fn start(database_url: &str, log: std::path::PathBuf, env: &[(&str, &str)]) -> Self {
        let file = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_seminar"));
        cmd.arg("worker")
            .env("SEMINAR_PROFILE", "test")
            .env("RUST_LOG", "info")
            .env("DATABASE_URL", database_url)
            .stdout(file.try_clone().unwrap())
            .stderr(file);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start seminar worker");
        Self { child, log }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("worker log:\n{}", self.log());
        }
    }
}

/// A fresh database on the PostgreSQL server of `DATABASE_URL`, if it
/// names one: its URL.
pub fn fresh_postgres(prefix: &str) -> Option<String> {
    use sqlx::{Connection, Executor};
    let url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))?;
    let name = format!(
        "{prefix}_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_micros()
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut admin = sqlx::PgConnection::connect(&url)
            .await
            .expect("DATABASE_URL connects");
        admin
            .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .expect("a fresh database");
    });
    let (base, query) = url
        .split_once('?')
        .map_or((url.as_str(), None), |(b, q)| (b, Some(q)));
    let base = &base[..base.rfind('/').expect("a database in the URL")];
    Some(match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    })
}

/// A port nobody listens on (a moment ago).
pub fn free_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// Reads one response: its status and its body as JSON (`Null` if none).
pub fn read_response(s: &mut TcpStream) -> (u16, Value) {
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => return (0, Value::Null),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let status = head[9..12].parse().unwrap();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap());
    while buf.len() < head_end + len {
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let body = serde_json::from_slice(&buf[head_end..]).unwrap_or(Value::Null);
    (status, body)
}

/// Sends `raw` and reads the response.
pub fn request(s: &mut TcpStream, raw: &str) -> (u16, Value) {
    s.write_all(raw.as_bytes()).unwrap();
    read_response(s)
}

/// The server closed `s` (end of stream or reset) within `limit`, sending
/// no more than a plain error response before.
pub fn closed_within(s: &mut TcpStream, limit: Duration) -> bool {
    s.set_read_timeout(Some(limit)).unwrap();
    let mut sink = [0u8; 1024];
    loop {
        match s.read(&mut sink) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return false;
            }
            Err(_) => return true,
        }
    }
}
