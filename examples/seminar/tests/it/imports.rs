//! The CSV import, a long-running operation: `202` with `Location`, the
//! status resource polled to a final state by a real apalis worker on the
//! test's database, a failure rendered in the reader's language, and an
//! import that writes every seminar or none.

use std::time::{Duration, Instant};

use seminar::jobs::JobSettings;
use serde_json::Value;

use seminar::store::Role;

use crate::support::{
    Backend, TestApp, default_backend, every_backend, quick_seminar, quick_user, signup_instructor,
    signup_participant,
};

/// `rows` seminars, as CSV; the rows in `bad` are broken, each its own way.
fn csv(rows: usize, bad: &[usize]) -> String {
    let mut out = String::from("name,capacity,count,time,online\n");
    for i in 0..rows {
        let row = match bad.iter().position(|b| *b == i) {
            Some(0) => format!("Seminar {i},10,3,25:00,true\n"),
            Some(1) => format!("Seminar {i},0,3,09:30,true\n"),
            Some(_) => "   ,10,three,09:30,maybe\n".to_owned(),
            None => format!(
                "Seminar {i},{},3,{:02}:30,{}\n",
                10 + i % 20,
                i % 24,
                i % 2 == 0
            ),
        };
        out.push_str(&row);
    }
    out
}

async fn start(app: &TestApp, token: &str, body: &str) -> crate::support::Reply {
    app.request(http::Method::POST, "/api/v1/seminar/import/")
        .with_token(token)
        .header("content-type", "text/csv")
        .raw_body(body.to_owned())
        .send()
        .await
}

/// Polls `location` until its status is final, in `lang`.
async fn settle(app: &TestApp, token: &str, location: &str, lang: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let reply = app
            .get(location)
            .with_token(token)
            .header("accept-language", lang)
            .send()
            .await;
        reply.expect(200);
        let status = reply.json["status"].as_str().unwrap().to_owned();
        if ["succeeded", "failed", "cancelled"].contains(&status.as_str()) {
            assert!(reply.headers.get("retry-after").is_none());
            return reply.json;
        }
        assert!(reply.headers.get("retry-after").is_some(), "{}", reply.json);
        assert!(Instant::now() < deadline, "still {status}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn seminars(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM seminars")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_rows_with_three_bad_ones_fail_with_exactly_those_rows_and_write_nothing() {
    for backend in every_backend() {
        let app = TestApp::with_jobs(backend, JobSettings::default()).await;
        let (_, token) = signup_instructor(&app, "importer").await;
        let reply = start(&app, &token, &csv(1000, &[12, 480, 999])).await;
        reply.expect(202);
        let location = reply.headers["location"].to_str().unwrap().to_owned();
        assert!(location.starts_with("/api/v1/operations/"), "{location}");
        assert_eq!(reply.json["status"], "pending");
        assert_eq!(reply.json["progress"]["total"], 1000);

        let en = settle(&app, &token, &location, "en").await;
        assert_eq!(en["status"], "failed", "{en}");
        assert_eq!(en["result"], Value::Null);
        let fields: Vec<(String, String)> = en["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["field"].as_str().unwrap().into(),
                    f["code"].as_str().unwrap().into(),
                )
            })
            .collect();
        let expected = [
            ("rows[12].time", "invalid_time"),
            ("rows[480].capacity", "too_small"),
            ("rows[999].name", "blank"),
            ("rows[999].count", "not_integer"),
            ("rows[999].online", "not_boolean"),
        ];
        assert_eq!(
            fields,
            expected.map(|(f, c)| (f.to_owned(), c.to_owned())),
            "{backend:?}"
        );
        assert_eq!(en["error"]["code"], "validation_failed");
        assert_eq!(en["error"]["message"], "Check the highlighted fields.");
        // The same failure, read in Korean: rendered when read.
        let ko = settle(&app, &token, &location, "ko").await;
        let (en_fields, ko_fields) = (
            en["error"]["fields"].as_array().unwrap(),
            ko["error"]["fields"].as_array().unwrap(),
        );
        assert_eq!(en_fields.len(), ko_fields.len());
        for (e, k) in en_fields.iter().zip(ko_fields) {
            assert_eq!((&e["field"], &e["code"]), (&k["field"], &k["code"]));
            assert_ne!(e["message"], k["message"], "{k}");
        }
        assert_eq!(ko["error"]["message"], "표시된 항목을 확인해 주세요.");
        assert_eq!(ko["error"]["request_id"], en["error"]["request_id"]);
        assert_eq!(seminars(&app).await, 0, "{backend:?}: nothing written");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_import_opens_every_seminar_once() {
    for backend in every_backend() {
        let app = TestApp::with_jobs(backend, JobSettings::default()).await;
        let (_, token) = signup_instructor(&app, "importer").await;
        let reply = start(&app, &token, &csv(1000, &[])).await;
        reply.expect(202);
        let location = reply.headers["location"].to_str().unwrap().to_owned();
        let done = settle(&app, &token, &location, "en").await;
        assert_eq!(done["status"], "succeeded", "{done}");
        assert_eq!(done["result"]["created"], 1000);
        assert_eq!(done["error"], Value::Null);
        assert_eq!(
            done["progress"],
            serde_json::json!({"done": 1000, "total": 1000})
        );
        assert_eq!(seminars(&app).await, 1000, "{backend:?}");
        // The imported seminars are listed like any other; no instructor yet.
        let list = app
            .get("/api/v1/seminar/?limit=1")
            .with_token(&token)
            .send()
            .await;
        list.expect(200);
        assert_eq!(list.json[0]["instructors"], serde_json::json!([]));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_import_writes_nothing_and_a_final_one_stays_final() {
    for backend in every_backend() {
        let app = TestApp::with_jobs(backend, JobSettings::default()).await;
        let (_, token) = signup_instructor(&app, "importer").await;
        // Long enough that the cancel comes before it could finish.
        let reply = start(&app, &token, &csv(100_000, &[])).await;
        reply.expect(202);
        let long = reply.headers["location"].to_str().unwrap().to_owned();
        let cancel = app.delete(&long).with_token(&token).send().await;
        cancel.expect(200);
        assert_eq!(cancel.json["status"], "cancelled", "{}", cancel.json);
        assert!(cancel.headers.get("retry-after").is_none());

        // One worker takes one import at a time: once the next is done,
        // the cancelled one has been delivered and has written nothing.
        let reply = start(&app, &token, &csv(10, &[])).await;
        let short = reply.headers["location"].to_str().unwrap().to_owned();
        let done = settle(&app, &token, &short, "en").await;
        assert_eq!(done["status"], "succeeded", "{done}");
        assert_eq!(
            settle(&app, &token, &long, "en").await["status"],
            "cancelled"
        );
        assert_eq!(seminars(&app).await, 10, "{backend:?}");

        // Cancelling a final operation changes nothing.
        let again = app.delete(&short).with_token(&token).send().await;
        again.expect(200);
        assert_eq!(again.json["status"], "succeeded");
        assert_eq!(again.json["result"]["created"], 10);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_submissions_are_refused_before_any_job_exists() {
    let app = TestApp::with_jobs(Backend::Sqlite, JobSettings::default()).await;
    let (_, token) = signup_instructor(&app, "importer").await;
    let post = |ct: &'static str, body: Vec<u8>| {
        app.request(http::Method::POST, "/api/v1/seminar/import/")
            .with_token(&token)
            .header("content-type", ct)
            .raw_body(body)
    };
    for (ct, body, status, code) in [
        (
            "application/json",
            b"{}".to_vec(),
            415,
            "unsupported_media_type",
        ),
        (
            "text/csv",
            b"name,capacity\nA,1\n".to_vec(),
            400,
            "malformed_body",
        ),
        (
            "text/csv",
            b"name,capacity,count,time,colour\n".to_vec(),
            400,
            "malformed_body",
        ),
        (
            "text/csv",
            b"name,capacity,count,time\nA,1,1\n".to_vec(),
            400,
            "malformed_body",
        ),
        (
            "text/csv",
            b"name,capacity,count,time\n\xff,1,1,09:30\n".to_vec(),
            400,
            "malformed_body",
        ),
        (
            "text/csv",
            vec![b'a'; 9 * 1024 * 1024],
            413,
            "payload_too_large",
        ),
        (
            "text/csv",
            format!(
                "name,capacity,count,time\n{}",
                "a,1,1,09:30\n".repeat(100_001)
            )
            .into_bytes(),
            413,
            "payload_too_large",
        ),
    ] {
        let reply = post(ct, body).send().await;
        assert_eq!(reply.status, status, "{}", reply.json);
        assert_eq!(reply.json["code"], code);
    }
    // CSV sent as plain text is CSV too.
    let reply = post("text/plain; charset=utf-8", csv(2, &[]).into_bytes())
        .send()
        .await;
    reply.expect(202);
    // A participant may not import.
    let (_, participant) = signup_participant(&app, "reader").await;
    let reply = start(&app, &participant, &csv(1, &[])).await;
    reply.expect(403);
    let operations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM operations")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(operations, 1, "only the plain-text one");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_users_operation_is_not_found() {
    let app = TestApp::with_jobs(Backend::Sqlite, JobSettings::default()).await;
    let (_, owner) = signup_instructor(&app, "owner").await;
    let (_, other) = signup_instructor(&app, "other").await;
    let reply = start(&app, &owner, &csv(3, &[])).await;
    let location = reply.headers["location"].to_str().unwrap().to_owned();
    for path in [
        location.as_str(),
        "/api/v1/operations/01ZZZZZZZZZZZZZZZZZZZZZZZZ/",
        "/api/v1/operations/x/",
    ] {
        let reply = app.get(path).with_token(&other).send().await;
        reply.expect(404);
        assert_eq!(reply.json["code"], "not_found");
        let reply = app.delete(path).with_token(&other).send().await;
        reply.expect(404);
    }
    settle(&app, &owner, &location, "en").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_failure_is_tried_again_then_ends_the_import_failed() {
    let settings = JobSettings {
        retry: Duration::from_millis(10),
        ..JobSettings::default()
    };
    let app = TestApp::with_jobs(Backend::Sqlite, settings).await;
    let (_, token) = signup_instructor(&app, "importer").await;
    // Every insert into `seminars` fails, as on a disk that refuses writes.
    sqlx::query(
        "CREATE TRIGGER refuse BEFORE INSERT ON seminars \
         BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END",
    )
    .execute(app.db.pool())
    .await
    .unwrap();
    let reply = start(&app, &token, &csv(10, &[])).await;
    reply.expect(202);
    let location = reply.headers["location"].to_str().unwrap().to_owned();
    let failed = settle(&app, &token, &location, "en").await;
    assert_eq!(failed["status"], "failed", "{failed}");
    assert_eq!(failed["error"]["code"], "internal");
    assert_eq!(failed["error"]["fields"], serde_json::json!([]));
    assert_eq!(seminars(&app).await, 0);

    // The database heals: the next import goes through.
    sqlx::query("DROP TRIGGER refuse")
        .execute(app.db.pool())
        .await
        .unwrap();
    let reply = start(&app, &token, &csv(10, &[])).await;
    let location = reply.headers["location"].to_str().unwrap().to_owned();
    let done = settle(&app, &token, &location, "en").await;
    assert_eq!(done["status"], "succeeded", "{done}");
    assert_eq!(seminars(&app).await, 10);
}

/// The value of the sample `name` (with its labels, as exported) in a
/// Prometheus text exposition.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schedules_run_on_time_and_are_counted() {
    let settings = JobSettings {
        purge: "*/1 * * * * *".to_owned(),
        stats: "*/1 * * * * *".to_owned(),
        ..JobSettings::default()
    };
    let app = TestApp::with_jobs(default_backend(), settings).await;
    // Three imported seminars (no instructor yet), and one whose single
    // seat is taken.
    let (_, token) = signup_instructor(&app, "importer").await;
    let reply = start(&app, &token, &csv(3, &[])).await;
    reply.expect(202);
    let location = reply.headers["location"].to_str().unwrap().to_owned();
    assert_eq!(
        settle(&app, &token, &location, "en").await["status"],
        "succeeded"
    );
    let (teacher, _) = quick_user(&app, "teacher", Role::Instructor).await;
    let (student, _) = quick_user(&app, "student", Role::Participant).await;
    let seminar = quick_seminar(&app, teacher, "Small", 1).await;
    app.db
        .join(student, seminar, Role::Participant)
        .await
        .unwrap();

    let deadline = Instant::now() + Duration::from_secs(20);
    let want = [
        (
            "seminar_schedule_runs_total{schedule=\"purge\",outcome=\"ok\"}",
            2.0,
        ),
        (
            "seminar_schedule_runs_total{schedule=\"stats\",outcome=\"ok\"}",
            2.0,
        ),
        ("seminar_seminars", 4.0),
        ("seminar_seminars_full", 1.0),
        ("seminar_seminars_unstaffed", 3.0),
    ];
    loop {
        let metrics = app.get("/metrics").send().await;
        let text = metrics.json.as_str().unwrap_or_default().to_owned();
        // Runs at least as many as wanted; the gauges exactly (another
        // test's database may have set them a moment ago: wait for ours).
        let met = want.iter().all(|(name, n)| {
            sample(&text, name).is_some_and(|v| {
                if name.starts_with("seminar_schedule") {
                    v >= *n
                } else {
                    v == *n
                }
            })
        });
        if met {
            break;
        }
        assert!(Instant::now() < deadline, "schedules not counted:\n{text}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test]
async fn an_id_no_operation_can_have_is_not_found_on_either_database() {
    let app = TestApp::new().await;
    let (_, token) = signup_instructor(&app, "nul").await;
    // PostgreSQL cannot take a NUL in a text: the lookup must not ask it.
    let path = "/api/v1/operations/%00/";
    let reply = app.get(path).with_token(&token).send().await;
    reply.expect(404);
    assert_eq!(reply.json["code"], "not_found");
    app.delete(path).with_token(&token).send().await.expect(404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_with_a_nul_byte_is_malformed_on_either_database() {
    for backend in every_backend() {
        let app = TestApp::with_jobs(backend, JobSettings::default()).await;
        let (_, token) = signup_instructor(&app, "nul").await;
        let reply = app
            .request(http::Method::POST, "/api/v1/seminar/import/")
            .with_token(&token)
            .header("content-type", "text/csv")
            .raw_body(
                b"name,capacity,count,time
A\0,1,1,09:30\n"
                    .to_vec(),
            )
            .send()
            .await;
        assert_eq!(reply.status, 400, "{backend:?}: {}", reply.json);
        assert_eq!(reply.json["code"], "malformed_body");
    }
}
