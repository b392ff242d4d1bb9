//! Background work on apalis, queued in the app's own database (apalis's
//! SQLite or PostgreSQL storage): the CSV imports, and the schedules (the
//! purge of expired keys and operations, and the seminar gauges).
//!
//! Delivery is at least once. A worker that dies mid-job stops sending its
//! heartbeat, and apalis hands the job to another worker (or the same one,
//! restarted) once the heartbeats are missed. The job's effect is keyed by
//! its operation: it commits in one transaction with the operation's move
//! to `succeeded`, only while the operation is not final, so a second
//! delivery writes nothing. Workers run in the server process (the
//! default) or as `seminar worker` processes sharing the database.

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use apalis::prelude::{Attempt, BackendExt, BoxDynError, Data, TaskSink, WorkerBuilder};
use apalis_cron::{CronScheduler, Tick};
use futures_util::FutureExt;
use serde::{Deserialize, Serialize};
use sqlx::Executor;

use crate::db::{Backend, Db};

/// A queued import: the operation it carries out.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportJob {
    /// The operation's id.
    pub operation_id: String,
}

/// How workers watch each other, and when the schedules run.
#[derive(Debug, Clone)]
pub struct JobSettings {
    /// Between two heartbeats of a worker.
    pub heartbeat: Duration,
    /// When expired idempotency keys and operations finished more than a
    /// week ago are purged (cron, with seconds).
    pub purge: String,
    /// When the seminar gauges are counted again (cron, with seconds).
    pub stats: String,
    /// The first wait before an import interrupted by a database failure
    /// is tried again; it doubles on each further try.
    pub retry: Duration,
}

impl Default for JobSettings {
    fn default() -> Self {
        Self {
            heartbeat: Duration::from_secs(5),
            purge: "0 17 * * * *".to_owned(),
            stats: "30 * * * * *".to_owned(),
            retry: Duration::from_secs(1),
        }
    }
}

/// The schedules, each run by the workers that run schedules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Schedule {
    /// Expired idempotency keys and week-old operations.
    Purge,
    /// The seminar gauges of `/metrics`.
    Stats,
}

impl Schedule {
    fn name(self) -> &'static str {
        match self {
            Self::Purge => "purge",
            Self::Stats => "stats",
        }
    }
}

/// What a schedule's run is handed: the jobs, and which schedule it is.
#[derive(Debug, Clone)]
struct Scheduled {
    jobs: Jobs,
    schedule: Schedule,
}

#[derive(Clone)]
enum Queue {
    Sqlite(apalis_sqlite::SqliteStorage<ImportJob>),
    Postgres(apalis_postgres::PostgresStorage<ImportJob>),
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Sqlite(_) => "Queue::Sqlite",
            Self::Postgres(_) => "Queue::Postgres",
        })
    }
}

/// The job queue, and what a worker needs. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Jobs {
    queue: Queue,
    db: Db,
    settings: JobSettings,
}

/// Jobs a worker fetches at a time: one, so that a long import does not hold
/// others back while idle workers could take them.
const BATCH: usize = 1;

/// How often an idle worker asks the queue for a job: the most a new
/// import waits before it starts (one indexed query per poll).
const POLL: Duration = Duration::from_millis(250);

/// How many heartbeats a worker may miss before its job is redelivered.
const MISSED_HEARTBEATS: usize = 3;

/// apalis's own migration history, apart from the app's.
const HISTORY: &str = "_apalis_migrations";

impl Jobs {
    /// The queue in the database at `url` (the app's, as [`Db`] opened it),
    /// with apalis's tables created or migrated.
    ///
    /// # Errors
    /// The database cannot be reached or migrated.
    pub async fn open(db: &Db, url: &str, settings: JobSettings) -> Result<Self, sqlx::Error> {
        let queue = match db.backend() {
            Backend::Sqlite => {
                let pool = sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(4)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute("PRAGMA busy_timeout = 10000").await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?;
                let mut migrator = apalis_sqlite::SqliteStorage::<()>::migrations();
                migrator.dangerous_set_table_name(HISTORY);
                migrator.run(&pool).await?;
                let config = apalis_sqlite::Config::default()
                    .queue("seminar.import")
                    .batch_size(BATCH)
                    .heartbeat_interval(settings.heartbeat)
                    .missed_heartbeats(MISSED_HEARTBEATS);
                Queue::Sqlite(apalis_sqlite::SqliteStorage::new(&pool).with_config(config))
            }
            Backend::Postgres => {
                // apalis keeps its tables in the schema `apalis`, and its
                // extensions in `public`, whatever the app's schema is; the
                // queue's name carries the app's schema, so that apps in
                // two schemas of one database keep their jobs apart.
                let schema: String = sqlx::query_scalar("SELECT current_schema()::text")
                    .fetch_one(db.pool())
                    .await?;
                let pool = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(4)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute("SET search_path TO public").await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?;
                pool.execute("CREATE SCHEMA IF NOT EXISTS apalis").await?;
                let mut migrator = apalis_postgres::PostgresStorage::<()>::migrations();
                migrator.dangerous_set_table_name(format!("apalis.{HISTORY}"));
                migrator.run(&pool).await?;
                let config = apalis_postgres::Config::default()
                    .queue(format!("seminar.import.{schema}"))
                    .batch_size(BATCH)
                    .heartbeat_interval(settings.heartbeat)
                    .missed_heartbeats(MISSED_HEARTBEATS);
                Queue::Postgres(apalis_postgres::PostgresStorage::new(&pool).with_config(config))
            }
        };
        Ok(Self {
            queue,
            db: db.clone(),
            settings,
        })
    }

    /// Queues the import that carries out `operation_id`.
    ///
    /// # Errors
    /// The queue's database failed.
    pub async fn enqueue(&self, operation_id: &str) -> Result<(), BoxDynError> {
        let job = ImportJob {
            operation_id: operation_id.to_owned(),
        };
        match self.queue.clone() {
            Queue::Sqlite(mut q) => q.push(job).await?,
            Queue::Postgres(mut q) => q.push(job).await?,
        }
        Ok(())
    }

    /// Runs one worker named after `name`, and the schedules when
    /// `schedules`, until `shutdown` completes. Each run has a name of its
    /// own (apalis tracks workers by name across the database).
    ///
    /// # Errors
    /// A worker stopped on an error of its queue.
    pub async fn work(
        &self,
        name: &str,
        schedules: bool,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), BoxDynError> {
        let name = format!("{name}-{}", contract_axum::RequestId::generate().as_str());
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let signal = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|s| *s).await;
            Ok::<(), std::io::Error>(())
        };
        let imports = {
            let builder = WorkerBuilder::new(format!("{name}-import"));
            let rx = stopped.clone();
            match self.queue.clone() {
                Queue::Sqlite(q) => {
                    let q = q.poll_with_interval(POLL);
                    let w = builder.backend(q).data(self.clone()).build(run_import);
                    w.run_until(signal(rx)).boxed()
                }
                Queue::Postgres(q) => {
                    let q = q.poll_with_interval(POLL);
                    let w = builder.backend(q).data(self.clone()).build(run_import);
                    w.run_until(signal(rx)).boxed()
                }
            }
        };
        let schedule = |which: Schedule, cron: &str| {
            let parsed = cron.parse::<cron::Schedule>();
            let stopped = stopped.clone();
            let data = Scheduled {
                jobs: self.clone(),
                schedule: which,
            };
            let name = format!("{name}-{}", which.name());
            async move {
                if !schedules {
                    return Ok(());
                }
                WorkerBuilder::new(name)
                    .backend(CronScheduler::new(parsed?))
                    .data(data)
                    .build(run_schedule)
                    .run_until(signal(stopped))
                    .await?;
                Ok::<(), BoxDynError>(())
            }
        };
        let purge = schedule(Schedule::Purge, &self.settings.purge);
        let stats = schedule(Schedule::Stats, &self.settings.stats);
        let stopper = async move {
            shutdown.await;
            let _ = stop.send(true);
            Ok::<(), BoxDynError>(())
        };
        let imports = async { imports.await.map_err(BoxDynError::from) };
        tokio::try_join!(imports, purge, stats, stopper)?;
        Ok(())
    }
}

/// How many deliveries of an import may end on a database failure: the
/// last one ends the operation `failed` with `internal`.
const TRIES: usize = 6;

/// One delivery of an import. A panic, like any failure that is not the
/// input's, ends the operation `failed` with `internal` (the request id in
/// the log), and the worker goes on. A database failure is tried again,
/// by default after 1, 2, 4, 8 and 16 s (about half a minute of outage),
/// then ends the operation the same way: it never stays `running` for good.
async fn run_import(job: ImportJob, jobs: Data<Jobs>, attempt: Attempt) -> Result<(), BoxDynError> {
    let db = &jobs.db;
    let outcome = AssertUnwindSafe(crate::imports::carry_out(db, &job.operation_id))
        .catch_unwind()
        .await;
    let why = match outcome {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(e)) if e.is_transient() && attempt.current() < TRIES => {
            let wait = jobs.settings.retry * (1 << attempt.current().saturating_sub(1).min(4));
            tracing::warn!(operation = job.operation_id, error = %e, ?wait, "import interrupted: tried again");
            tokio::time::sleep(wait).await;
            return Err(e.into());
        }
        Ok(Err(e)) => e.to_string(),
        Err(panic) => panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned()),
    };
    crate::imports::fail_internal(db, &job.operation_id, &why).await?;
    Ok(())
}

/// One run of a schedule, counted in
/// `seminar_schedule_runs_total{schedule, outcome}`; a failed run is
/// logged, and the next runs on time.
async fn run_schedule(_: Tick, run: Data<Scheduled>) -> Result<(), BoxDynError> {
    let db = &run.jobs.db;
    let out = match run.schedule {
        Schedule::Purge => purge(db).await,
        Schedule::Stats => stats(db).await,
    };
    let outcome = if out.is_ok() { "ok" } else { "failed" };
    let schedule = run.schedule.name();
    metrics::counter!("seminar_schedule_runs_total", "schedule" => schedule, "outcome" => outcome)
        .increment(1);
    if let Err(e) = &out {
        tracing::warn!(schedule, error = %e, "scheduled run failed");
    }
    out
}

/// The seminar gauges: `seminar_seminars` (every seminar),
/// `seminar_seminars_full` (as many active participants as seats) and
/// `seminar_seminars_unstaffed` (no instructor yet).
async fn stats(db: &Db) -> Result<(), BoxDynError> {
    let counts = db.seminar_counts().await?;
    // A gauge holds an f64: exact for counts below 2^53.
    #[allow(clippy::cast_precision_loss)]
    let gauge = |n: i64| n as f64;
    metrics::gauge!("seminar_seminars").set(gauge(counts.seminars));
    metrics::gauge!("seminar_seminars_full").set(gauge(counts.full));
    metrics::gauge!("seminar_seminars_unstaffed").set(gauge(counts.unstaffed));
    Ok(())
}

async fn purge(db: &Db) -> Result<(), BoxDynError> {
    let now = time::OffsetDateTime::now_utc();
    let keys = db.purge_idempotency_keys().await?;
    let week_ago = crate::store::timestamp(now - time::Duration::days(7));
    let operations = db.purge_operations(&week_ago).await?;
    tracing::info!(keys, operations, "purged");
    Ok(())
}
