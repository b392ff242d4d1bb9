//! Jobs across real processes: a `seminar` server that runs no worker
//! (`SEMINAR_WORKERS=0`) and `seminar worker` processes on its database.
//! A worker killed with SIGKILL mid-import leaves the job to the next
//! worker, and the import completes once; two workers on PostgreSQL share
//! twenty queued imports, each done once.

mod process;

use std::net::TcpStream;
use std::time::{Duration, Instant};

use process::{Server, Worker, fresh_postgres, request};
use serde_json::{Value, json};

fn call(
    server: &Server,
    method: &str,
    path: &str,
    token: Option<&str>,
    ct: &str,
    body: &str,
) -> (u16, Value) {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(t) = token {
        head.push_str(&format!("Authorization: JWT {t}\r\n"));
    }
    let mut s = TcpStream::connect(server.addr).unwrap();
    request(&mut s, &format!("{head}\r\n{body}"))
}

fn instructor(server: &Server, name: &str) -> String {
    let body = json!({"email": format!("{name}@example.com"), "username": name, "password": "password123", "role": "instructor"});
    let (status, user) = call(
        server,
        "POST",
        "/api/v1/signup/",
        None,
        "application/json",
        &body.to_string(),
    );
    assert_eq!(status, 201, "{user}");
    user["token"].as_str().unwrap().to_owned()
}

/// `rows` distinct seminars, as CSV.
fn csv(tag: &str, rows: usize) -> String {
    let mut out = String::from("name,capacity,count,time\n");
    for i in 0..rows {
        out.push_str(&format!("{tag} {i},{},2,{:02}:15\n", 5 + i % 30, i % 24));
    }
    out
}

fn start_import(server: &Server, token: &str, csv: &str) -> String {
    let (status, op) = call(
        server,
        "POST",
        "/api/v1/seminar/import/",
        Some(token),
        "text/csv",
        csv,
    );
    assert_eq!(status, 202, "{op}");
    op["id"].as_str().unwrap().to_owned()
}

fn status(server: &Server, token: &str, id: &str) -> Value {
    let (code, op) = call(
        server,
        "GET",
        &format!("/api/v1/operations/{id}/"),
        Some(token),
        "application/json",
        "",
    );
    assert_eq!(code, 200, "{op}");
    op
}

/// Polls until `id` is final.
fn settle(server: &Server, token: &str, id: &str, limit: Duration) -> Value {
    let deadline = Instant::now() + limit;
    loop {
        let op = status(server, token, id);
        if ["succeeded", "failed", "cancelled"].contains(&op["status"].as_str().unwrap()) {
            return op;
        }
        assert!(Instant::now() < deadline, "still {op}:\n{}", server.log());
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// How many seminars whose name starts with `tag ` the API lists.
fn count(server: &Server, token: &str, tag: &str) -> usize {
    let mut total = 0;
    let mut path = format!("/api/v1/seminar/?name={tag}%20&limit=100");
    loop {
        let mut s = TcpStream::connect(server.addr).unwrap();
        let raw = format!(
            "GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nAuthorization: JWT {token}\r\n\r\n"
        );
        std::io::Write::write_all(&mut s, raw.as_bytes()).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut s, &mut text).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let page: Vec<Value> = serde_json::from_str(body).unwrap();
        total += page.len();
        let next = head.lines().find_map(|l| {
            let l = l
                .strip_prefix("link: ")
                .or_else(|| l.strip_prefix("Link: "))?;
            Some(l.split('>').next()?.trim_start_matches('<').to_owned())
        });
        match next {
            Some(n) => path = n,
            None => return total,
        }
    }
}

const WORKER_ENV: [(&str, &str); 1] = [("SEMINAR_JOB_HEARTBEAT", "1")];

#[test]
fn a_worker_killed_mid_import_leaves_the_job_to_the_next_which_completes_it_once() {
    let server = Server::start(&[("SEMINAR_WORKERS", "0")]);
    let url = format!("sqlite:{}", server.dir.path().join("seminar.db").display());
    let token = instructor(&server, "importer");
    let rows = 100_000;
    let id = start_import(&server, &token, &csv("Killed", rows));
    let mut first = Worker::start(&url, server.dir.path().join("worker-1.log"), &WORKER_ENV);
    // Killed the moment it has the job.
    let deadline = Instant::now() + Duration::from_secs(60);
    while status(&server, &token, &id)["status"] == "pending" {
        assert!(Instant::now() < deadline, "never started:\n{}", first.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    let after_kill = status(&server, &token, &id);
    assert_eq!(
        after_kill["status"], "running",
        "the kill came too late: {after_kill}"
    );
    assert_eq!(
        count(&server, &token, "Killed"),
        0,
        "half an import was written"
    );

    let second = Worker::start(&url, server.dir.path().join("worker-2.log"), &WORKER_ENV);
    let done = settle(&server, &token, &id, Duration::from_secs(300));
    assert_eq!(done["status"], "succeeded", "{done}\n{}", second.log());
    assert_eq!(done["result"]["created"], rows);
    assert_eq!(count(&server, &token, "Killed"), rows, "each row once");
}

#[test]
fn two_workers_on_postgres_share_twenty_imports_each_done_once() {
    let Some(url) = fresh_postgres("jobs") else {
        eprintln!("DATABASE_URL names no PostgreSQL server: skipped");
        return;
    };
    let server = Server::start(&[("SEMINAR_WORKERS", "0"), ("DATABASE_URL", &url)]);
    let token = instructor(&server, "importer");
    let ids: Vec<String> = (0..20)
        .map(|i| start_import(&server, &token, &csv(&format!("Batch{i:02}"), 500)))
        .collect();
    let workers = [
        Worker::start(&url, server.dir.path().join("worker-1.log"), &WORKER_ENV),
        Worker::start(&url, server.dir.path().join("worker-2.log"), &WORKER_ENV),
    ];
    for id in &ids {
        let done = settle(&server, &token, id, Duration::from_secs(120));
        assert_eq!(done["status"], "succeeded", "{done}");
        assert_eq!(done["result"]["created"], 500);
    }
    for i in 0..20 {
        assert_eq!(
            count(&server, &token, &format!("Batch{i:02}")),
            500,
            "import {i}"
        );
    }
    // Both took part (each logs the imports it carried out).
    let took: Vec<usize> = workers
        .iter()
        .map(|w| w.log().matches("import done").count())
        .collect();
    assert_eq!(took.iter().sum::<usize>(), 20, "{took:?}");
    assert!(
        took.iter().all(|n| *n > 0),
        "one worker did it all: {took:?}"
    );
}
