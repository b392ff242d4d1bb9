//! `GET /metrics`: contract's per-operation response counts (by status and
//! error code) and latencies, in Prometheus' text format.

use std::sync::OnceLock;

use axum::response::IntoResponse;
use http::header;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// How often the latency samples are folded into the histograms' buckets.
const UPKEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// The process's Prometheus recorder, installed on first use.
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        // Latency buckets from 0.5 ms to 10 s: histograms, not summaries, so
        // they aggregate across instances.
        let buckets = [
            0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
        ];
        let recorder = PrometheusBuilder::new()
            .set_buckets(&buckets)
            .expect("buckets are given")
            .build_recorder();
        let handle = recorder.handle();
        // Only the first recorder of a process is installed; a test binary
        // that builds several apps shares it.
        let _ = metrics::set_global_recorder(recorder);
        // The recorder keeps each latency sample until upkeep folds it into
        // the buckets: without it, a server nobody scrapes would grow by
        // every request. The exporter's own listener does this; a recorder
        // without it needs its upkeep run.
        let upkeep = handle.clone();
        std::thread::Builder::new()
            .name("metrics-upkeep".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(UPKEEP_EVERY);
                    upkeep.run_upkeep();
                }
            })
            .expect("a thread for the metrics upkeep");
        handle
    })
}

/// Installs the recorder, so counting starts with the first request.
pub(crate) fn install() {
    handle();
}

/// The metrics, rendered.
pub(crate) async fn render() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle().render(),
    )
}
