//! Idempotent retries across processes: two `seminar` servers on one
//! database (a SQLite file, and a fresh PostgreSQL database too when
//! `DATABASE_URL` names a server), a phone's join retried 40 times at once
//! with one `Idempotency-Key`, half to each: one membership, and every
//! answer is the first 201 body or `409 idempotency_key_in_flight`; a retry
//! afterwards, to either server, is that body again.

mod process;

use std::net::TcpStream;

use process::{Server, fresh_postgres, request};
use serde_json::{Value, json};

fn call(
    server: &Server,
    method: &str,
    path: &str,
    token: Option<&str>,
    key: Option<&str>,
    body: &Value,
) -> (u16, Value) {
    let body = body.to_string();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(t) = token {
        head.push_str(&format!("Authorization: JWT {t}\r\n"));
    }
    if let Some(k) = key {
        head.push_str(&format!("Idempotency-Key: {k}\r\n"));
    }
    let mut s = TcpStream::connect(server.addr).unwrap();
    request(&mut s, &format!("{head}\r\n{body}"))
}

fn signup(server: &Server, name: &str, role: &str) -> String {
    let body = json!({"email": format!("{name}@example.com"), "username": name, "password": "password123", "role": role});
    let (status, user) = call(server, "POST", "/api/v1/signup/", None, None, &body);
    assert_eq!(status, 201, "{user}");
    user["token"].as_str().unwrap().to_owned()
}

#[test]
fn a_join_retried_on_two_processes_joins_once() {
    let sqlite = Server::start(&[]);
    let url = format!("sqlite:{}", sqlite.dir.path().join("seminar.db").display());
    let other = Server::start(&[("DATABASE_URL", &url)]);
    retried_join(&sqlite, &other, "SQLite");
    if let Some(url) = fresh_postgres("retries") {
        let a = Server::start(&[("DATABASE_URL", &url)]);
        let b = Server::start(&[("DATABASE_URL", &url)]);
        retried_join(&a, &b, "PostgreSQL");
    }
}

fn retried_join(a: &Server, b: &Server, backend: &str) {
    let ian = signup(a, "ian", "instructor");
    let pia = signup(b, "pia", "participant");
    let seminar = json!({"name": "Retried", "capacity": 5, "count": 2, "time": "10:00"});
    let (status, created) = call(a, "POST", "/api/v1/seminar/", Some(&ian), None, &seminar);
    assert_eq!(status, 201, "{created}");
    let join = format!("/api/v1/seminar/{}/user/", created["id"]);
    let key = "\"join-from-a-flaky-phone\"";
    let body = json!({"role": "participant"});

    let answers: Vec<(u16, Value)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..40)
            .map(|i| {
                let server = if i % 2 == 0 { a } else { b };
                let (join, pia, body) = (&join, &pia, &body);
                scope.spawn(move || call(server, "POST", join, Some(pia), Some(key), body))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let first = answers
        .iter()
        .find(|(s, _)| *s == 201)
        .map(|(_, b)| b.clone())
        .unwrap_or_else(|| panic!("no 201 among {answers:?}"));
    for (status, answer) in &answers {
        match status {
            201 => assert_eq!(answer, &first),
            409 => assert_eq!(answer["code"], "idempotency_key_in_flight"),
            other => panic!("{other}: {answer}"),
        }
    }
    for server in [a, b] {
        let (status, again) = call(server, "POST", &join, Some(&pia), Some(key), &body);
        assert_eq!((status, &again), (201, &first));
    }
    let members = first["participants"].as_array().unwrap().len();
    assert_eq!(members, 1, "one membership: {first}");
    eprintln!(
        "{backend}: 40 retries on 2 processes: {} answered 201 (the same body), {} 409 in flight",
        answers.iter().filter(|(s, _)| *s == 201).count(),
        answers.iter().filter(|(s, _)| *s == 409).count()
    );
}
