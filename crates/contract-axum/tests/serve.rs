//! `Server` in process: a request in flight finishes after the shutdown
//! signal; one still running at the drain deadline gets the 503 envelope
//! from `ErrorLayer`; `serve` returns either way.

use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use contract_axum::ErrorLayer;
use contract_axum::server::Server;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// A router whose `/sleep/{ms}` answers `slept` after `ms` milliseconds,
/// `/peer` the client's IP address, `POST /echo` a body of at most 16
/// bytes, `POST /count` the length of the body, and `POST /discard`
/// `ignored`, never reading the body.
fn app() -> Router {
    Router::new()
        .route(
            "/peer",
            get(
                |axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<
                    std::net::SocketAddr,
                >| async move { peer.ip().to_string() },
            ),
        )
        .route("/discard", axum::routing::post(|| async { "ignored" }))
        .route(
            "/count",
            axum::routing::post(|body: axum::body::Bytes| async move { body.len().to_string() }),
        )
        .route(
            "/echo",
            axum::routing::post(|body: String| async move { body })
                .layer(axum::extract::DefaultBodyLimit::max(16)),
        )
        .route(
            "/sleep/{ms}",
            get(
                |axum::extract::Path(ms): axum::extract::Path<u64>| async move {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                    "slept"
                },
            ),
        )
        .layer(ErrorLayer::new())
}

/// Starts `server` on a free port; the sender starts the shutdown.
async fn start(server: Server) -> (u16, oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = oneshot::channel::<()>();
    let server = server.shutdown_signal(async {
        let _ = rx.await;
    });
    let task = tokio::spawn(async move { server.serve(listener, app()).await.unwrap() });
    (port, tx, task)
}

/// Sends `GET path` and returns the whole response as text.
async fn send(port: u16, path: &str) -> TcpStream {
    let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes())
        .await
        .unwrap();
    s
}

/// `POST path` announcing a 1 MB body of which only the first KiB is sent:
/// the whole answer, lower-cased, read until the server closes the
/// connection (within 5 s).
async fn unread_upload(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let head = format!("POST {path} HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n");
    s.write_all(format!("{head}{}", "x".repeat(1024)).as_bytes())
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(5), read_all(s))
        .await
        .expect("the server closes the connection")
        .to_lowercase()
}

/// Reads until the server closes the connection.
async fn read_all(mut s: TcpStream) -> String {
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn a_request_in_flight_finishes_after_the_signal() {
    let (port, stop, task) = start(Server::new().drain_timeout(Duration::from_secs(5))).await;
    let s = send(port, "/sleep/300").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();
    let response = read_all(s).await;
    assert!(response.starts_with("HTTP/1.1 200 "), "{response}");
    assert!(response.ends_with("slept"), "{response}");
    tokio::time::timeout(Duration::from_secs(2), task)
        .await
        .expect("serve returns once drained")
        .unwrap();
}

#[tokio::test]
async fn a_request_running_at_the_deadline_gets_the_503_envelope() {
    let (port, stop, task) = start(Server::new().drain_timeout(Duration::from_millis(200))).await;
    let s = send(port, "/sleep/60000").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let signalled = Instant::now();
    stop.send(()).unwrap();
    let response = read_all(s).await;
    assert!(response.starts_with("HTTP/1.1 503 "), "{response}");
    let body: Value = serde_json::from_str(response.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body["code"], "service_unavailable");
    assert_eq!(body["fields"], serde_json::json!([]));
    assert!(body["request_id"].is_string());
    assert!(signalled.elapsed() < Duration::from_secs(2));
    tokio::time::timeout(Duration::from_secs(3), task)
        .await
        .expect("serve returns after the deadline")
        .unwrap();
}

#[tokio::test]
async fn idle_keep_alive_connections_do_not_hold_the_shutdown() {
    let (port, stop, task) = start(Server::new()).await;
    let mut s = send(port, "/sleep/0").await;
    let mut buf = [0u8; 1024];
    let n = s.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200 "));
    // The connection stays open, idle, kept alive.
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(2), task)
        .await
        .expect("nothing to drain")
        .unwrap();
    assert_eq!(s.read(&mut buf).await.unwrap(), 0, "closed by the server");
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err());
}

#[tokio::test]
async fn handlers_see_the_peer_address() {
    let (port, stop, task) = start(Server::new()).await;
    let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    s.write_all(b"GET /peer HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let response = read_all(s).await;
    assert!(response.ends_with("\r\n\r\n127.0.0.1"), "{response}");
    stop.send(()).unwrap();
    task.await.unwrap();
}

#[tokio::test]
async fn an_answer_that_leaves_the_body_unread_says_the_connection_closes() {
    let (port, stop, task) = start(Server::new()).await;
    // A body within the limit: the connection stays open for the next request.
    let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    s.write_all(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi")
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = s.read(&mut buf).await.unwrap();
    let head = String::from_utf8_lossy(&buf[..n]).to_lowercase();
    assert!(head.starts_with("http/1.1 200 "), "{head}");
    assert!(!head.contains("connection: close"), "{head}");
    // A body announced over the limit, of which only the start is sent: the
    // 413 comes before the rest, and says the connection closes, which it does.
    let response = unread_upload(port, "/echo").await;
    assert!(response.starts_with("http/1.1 413 "), "{response}");
    assert!(response.contains("\r\nconnection: close\r\n"), "{response}");
    assert!(
        response.contains("\"code\":\"payload_too_large\""),
        "{response}"
    );
    stop.send(()).unwrap();
    task.await.unwrap();
}

#[tokio::test]
async fn a_large_body_left_unread_closes_the_connection_and_one_read_keeps_it() {
    let (port, stop, task) = start(Server::new()).await;
    let large = "x".repeat(100_000);
    // Read to its end: the connection is kept, and takes the next request.
    let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    for _ in 0..2 {
        s.write_all(
            format!(
                "POST /count HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n{large}",
                large.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
        // Read until the answer's six-byte body is in.
        let mut got = Vec::new();
        let mut buf = vec![0u8; 4096];
        while !got.ends_with(b"\r\n\r\n100000") {
            let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
                .await
                .expect("an answer")
                .unwrap();
            assert!(n > 0, "closed: {}", String::from_utf8_lossy(&got));
            got.extend_from_slice(&buf[..n]);
        }
        let head = String::from_utf8_lossy(&got).to_lowercase();
        assert!(head.starts_with("http/1.1 200 "), "{head}");
        assert!(!head.contains("connection: close"), "{head}");
    }
    // Answered without reading it: the answer says the connection closes.
    let response = unread_upload(port, "/discard").await;
    assert!(response.starts_with("http/1.1 200 "), "{response}");
    assert!(response.contains("\r\nconnection: close\r\n"), "{response}");
    stop.send(()).unwrap();
    task.await.unwrap();
}
