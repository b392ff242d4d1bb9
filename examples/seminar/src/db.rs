//! The database: a pool of sqlx's `Any` connections to SQLite or PostgreSQL,
//! the schema migrations, and write transactions.
//!
//! Queries are written once for both databases: `$1`-style placeholders
//! (SQLite reads `$N` as the N-th argument too), timestamps as TEXT,
//! booleans bound as `bool` (SQLite stores them as 0/1, see
//! [`crate::store`] for decoding).
//!
//! Concurrency: every transaction that writes starts with [`Db::begin_write`].
//! On SQLite that is `BEGIN IMMEDIATE`, which takes the database's write lock
//! up front (a deferred transaction that reads and then writes can fail with
//! `SQLITE_BUSY` instead of waiting), behind a process-wide async mutex so
//! that writers queue in order instead of polling the busy handler; so writers
//! are serialized and each sees the latest data. On PostgreSQL it is a plain
//! `BEGIN` (READ COMMITTED); the store locks the rows it checks invariants on
//! (`SELECT ... FOR UPDATE`, see [`Db::for_update`]).
//!
//! Faults: a connection whose transaction state is unknown (its `BEGIN`,
//! `COMMIT` or `ROLLBACK` failed, or its transaction was dropped unfinished)
//! is closed, never handed back to the pool, so one failed write (a full
//! disk, an I/O error) cannot poison the pool. sqlx 0.9's `Transaction`
//! leaves its depth counter at 1 when a `COMMIT` fails after SQLite has
//! already rolled back, returns the connection to the pool, and every later
//! `begin` on it is refused ("attempted to call begin_with at non-zero
//! transaction depth") until the process restarts; so [`WriteTx`] issues
//! the statements itself. A SQLite database file removed or replaced under
//! the server makes writes and `/readyz` answer 503 (see [`Db::writable`]).

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Executor};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Which database a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, through a file (`sqlite:./seminar.db`).
    Sqlite,
    /// PostgreSQL (`postgres://user:password@host/database`).
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    ///
    /// # Errors
    /// `sqlx::Error::Configuration` for any scheme other than `sqlite:`,
    /// `postgres:` and `postgresql:`.
    pub fn of_url(url: &str) -> Result<Self, sqlx::Error> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Self::Postgres)
        } else {
            Err(sqlx::Error::Configuration(
                format!(
                    "unsupported database URL {:?}: expected sqlite:... or postgres://...",
                    url.split(':').next().unwrap_or_default()
                )
                .into(),
            ))
        }
    }
}

/// How long a SQLite connection waits for another process's write lock.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection pool to the seminar database, migrated. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// SQLite only: serializes this process's write transactions.
    write_lock: Option<Arc<Mutex<()>>>,
    /// SQLite on a file only: the file as opened.
    file: Option<Arc<DbFile>>,
}

/// Whether a missing SQLite file may be created at startup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    /// Always (development, tests).
    Always,
    /// Only on the first start: not when the marker left beside a database
    /// this server created says that one existed (a database file deleted
    /// while serving must not come back empty after a restart).
    FirstStartOnly,
}

/// A SQLite database file and its identity when opened.
#[derive(Debug)]
struct DbFile {
    path: PathBuf,
    identity: Option<(u64, u64)>,
}

impl DbFile {
    /// Still the file that was opened, at the same path.
    fn check(&self) -> Result<(), String> {
        match std::fs::metadata(&self.path) {
            Ok(meta) if identity(&meta) == self.identity => Ok(()),
            Ok(_) => Err(format!(
                "the database file {} was replaced while serving",
                self.path.display()
            )),
            Err(e) => Err(format!(
                "the database file {} is gone: {e}",
                self.path.display()
            )),
        }
    }
}

/// The (device, inode) of a file, where the platform has them.
#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// The file a `sqlite:` URL names, or `None` for an in-memory database.
fn sqlite_file(url: &str) -> Option<PathBuf> {
    if url.contains(":memory:") || url.contains("mode=memory") {
        return None;
    }
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty()).then(|| PathBuf::from(path))
}

/// The marker beside `db` that says a database was created there.
fn marker(db: &Path) -> PathBuf {
    let name = db.file_name().map(|n| n.to_string_lossy().into_owned());
    db.with_file_name(format!(".{}.created", name.unwrap_or_default()))
}

/// Refuses to re-create a database file that existed before (see
/// [`Create::FirstStartOnly`]); leaves the marker when the file is new.
fn guard_creation(path: &Path, create: Create) -> Result<(), sqlx::Error> {
    let marker = marker(path);
    if path.exists() {
        return Ok(());
    }
    if marker.exists() && create == Create::FirstStartOnly {
        return Err(sqlx::Error::Configuration(
            format!(
                "the database file {} is missing, but {} says one was created there: \
                 restore it from a backup, or delete the marker to start with an empty database",
                path.display(),
                marker.display()
            )
            .into(),
        ));
    }
    if marker.exists() {
        tracing::warn!(path = %path.display(), "the database file was missing: starting with an empty one");
    }
    Ok(())
}

impl Db {
    /// Connects to `url` and brings the schema up to date, creating a
    /// missing SQLite file (see [`Db::open`]).
    ///
    /// # Errors
    /// An unsupported URL, a failed connection, or a failed migration.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        Self::open(url, Create::Always).await
    }

    /// Connects to `url` and brings the schema up to date.
    ///
    /// `url` is `sqlite:PATH` (or `sqlite://PATH`; the file is created when
    /// missing, as `create` allows, unless the URL sets its own `mode`),
    /// `sqlite::memory:` (one connection, the data dies with the pool), or
    /// `postgres://...`. For SQLite, the database is switched to WAL, and
    /// every connection enforces foreign keys and waits up to 10 s for
    /// another process's write lock.
    ///
    /// # Errors
    /// An unsupported URL, a database file that `create` forbids to
    /// re-create, a failed connection, or a failed migration.
    pub async fn open(url: &str, create: Create) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let db = match backend {
            Backend::Sqlite => {
                let file = sqlite_file(url);
                if let Some(path) = &file {
                    guard_creation(path, create)?;
                }
                let in_memory = file.is_none();
                let url = if in_memory || url.contains("mode=") {
                    url.to_owned()
                } else if url.contains('?') {
                    format!("{url}&mode=rwc")
                } else {
                    format!("{url}?mode=rwc")
                };
                let mut options = AnyPoolOptions::new().after_connect(|conn, _meta| {
                    Box::pin(async move {
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute(sqlx::AssertSqlSafe(format!(
                            "PRAGMA busy_timeout = {}",
                            SQLITE_BUSY_TIMEOUT.as_millis()
                        )))
                        .await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        Ok(())
                    })
                });
                options = if in_memory {
                    // Every new connection would open a new, empty database.
                    options
                        .max_connections(1)
                        .min_connections(1)
                        .idle_timeout(None)
                        .max_lifetime(None)
                } else {
                    options.max_connections(8)
                };
                let pool = options.connect(&url).await?;
                // Persistent in the file; set once, while nobody else writes.
                pool.execute("PRAGMA journal_mode = WAL").await?;
                sqlx::migrate!("migrations/sqlite").run(&pool).await?;
                let file = file.map(|path| {
                    let identity = std::fs::metadata(&path).ok().and_then(|m| identity(&m));
                    if let Err(e) = std::fs::write(marker(&path), b"") {
                        tracing::warn!(error = %e, "cannot leave the database's marker");
                    }
                    Arc::new(DbFile { path, identity })
                });
                Self {
                    pool,
                    backend,
                    write_lock: Some(Arc::new(Mutex::new(()))),
                    file,
                }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(10)
                    .connect(url)
                    .await?;
                sqlx::migrate!("migrations/postgres").run(&pool).await?;
                Self {
                    pool,
                    backend,
                    write_lock: None,
                    file: None,
                }
            }
        };
        // The idempotency keys of `POST /seminar/` and joins, shared by
        // every process on this database.
        contract_axum::idempotency::SqlStore::new(db.pool.clone())
            .migrate()
            .await?;
        // Keys past their 24 hours, left by earlier runs (an expired key is
        // already ignored when claimed; this only keeps the table small).
        match db.purge_idempotency_keys().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(keys = n, "expired idempotency keys purged"),
            Err(e) => tracing::warn!(error = %e, "cannot purge expired idempotency keys"),
        }
        Ok(db)
    }

    /// Removes the idempotency keys past their 24 hours; returns how many.
    ///
    /// # Errors
    /// The database failed.
    pub async fn purge_idempotency_keys(
        &self,
    ) -> Result<u64, contract_axum::idempotency::StoreError> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let keys = contract_axum::idempotency::SqlStore::new(self.pool.clone());
        contract_axum::idempotency::Store::purge(&keys, now).await
    }

    /// The connection pool, for reads (each query on its own connection).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The database this pool talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// `" FOR UPDATE"` on PostgreSQL, `""` on SQLite (where the write
    /// transaction already holds the whole database): append it to a
    /// `SELECT` in a write transaction to lock the rows it reads.
    pub fn for_update(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    /// Begins a transaction that may write (see the module's documentation).
    /// End it with [`WriteTx::finish`]; dropping it instead closes its
    /// connection, which rolls it back.
    ///
    /// # Errors
    /// [`TxError::Unavailable`] when the SQLite file was removed or replaced
    /// under the server; otherwise no connection could be had, or the
    /// transaction could not begin (on SQLite: another process held the
    /// write lock for longer than the busy timeout).
    pub async fn begin_write(&self) -> Result<WriteTx, TxError> {
        if let Some(file) = &self.file {
            file.check().map_err(TxError::Unavailable)?;
        }
        let guard = match &self.write_lock {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        let mut conn = self.pool.acquire().await?;
        if let Err(e) = conn.execute(begin).await {
            conn.close_on_drop();
            return Err(e.into());
        }
        Ok(WriteTx {
            conn,
            open: true,
            _guard: guard,
        })
    }

    /// Whether the database can take a write now: the SQLite file is still
    /// the one opened, and a one-row write commits (it fails on a full disk,
    /// a read-only file or a PostgreSQL replica in recovery).
    ///
    /// # Errors
    /// Why it cannot.
    pub async fn writable(&self) -> Result<(), String> {
        let mut tx = self.begin_write().await.map_err(|e| e.to_string())?;
        let probe = sqlx::query(
            "INSERT INTO readiness (id, checked_at) VALUES (1, $1) \
             ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
        )
        .bind(crate::store::now())
        .execute(&mut *tx)
        .await
        .map(drop);
        tx.finish(probe).await.map_err(|e| e.to_string())
    }

    /// Closes every connection of the pool (waiting for those in use).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Why a write transaction could not begin.
#[derive(Debug, thiserror::Error)]
pub enum TxError {
    /// The database cannot be written at all (its file is gone).
    #[error("{0}")]
    Unavailable(String),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A write transaction from [`Db::begin_write`]; dereferences to its
/// connection, so `query.execute(&mut *tx)` runs inside it.
#[derive(Debug)]
pub struct WriteTx {
    // Field order matters: the connection (closed, so rolled back, if the
    // transaction is still open) goes before the guard releases the next
    // writer.
    conn: PoolConnection<Any>,
    open: bool,
    _guard: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    /// Commits if `out` is `Ok`, else rolls back at once (releasing the
    /// locks before the next writer goes); returns `out`, or the commit's
    /// error.
    ///
    /// # Errors
    /// `out`'s error, or the commit's.
    pub async fn finish<T, E: From<sqlx::Error>>(mut self, out: Result<T, E>) -> Result<T, E> {
        match out {
            Ok(value) => {
                self.end("COMMIT").await?;
                Ok(value)
            }
            Err(e) => {
                // A failed rollback closes the connection; `e` is the error
                // that matters.
                let _ = self.end("ROLLBACK").await;
                Err(e)
            }
        }
    }

    async fn end(&mut self, statement: &'static str) -> Result<(), sqlx::Error> {
        let result = self.conn.execute(statement).await.map(drop);
        self.open = false;
        if result.is_err() {
            self.conn.close_on_drop();
        }
        result
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        if self.open {
            // Dropped mid-transaction (a cancelled request): closing the
            // connection rolls the transaction back, in SQLite and
            // PostgreSQL alike; the pool opens a new one.
            self.conn.close_on_drop();
        }
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.conn
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }
}
