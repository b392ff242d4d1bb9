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

use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};
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
}

impl Db {
    /// Connects to `url` and brings the schema up to date.
    ///
    /// `url` is `sqlite:PATH` (or `sqlite://PATH`; the file is created when
    /// missing, unless the URL sets its own `mode`), `sqlite::memory:` (one
    /// connection, the data dies with the pool), or `postgres://...`. For
    /// SQLite, the database is switched to WAL, and every connection enforces
    /// foreign keys and waits up to 10 s for another process's write lock.
    ///
    /// # Errors
    /// An unsupported URL, a failed connection, or a failed migration.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let db = match backend {
            Backend::Sqlite => {
                let in_memory = url.contains(":memory:") || url.contains("mode=memory");
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
                Self {
                    pool,
                    backend,
                    write_lock: Some(Arc::new(Mutex::new(()))),
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
                }
            }
        };
        Ok(db)
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
    /// Dropping it without [`WriteTx::commit`] rolls it back (later; prefer
    /// [`WriteTx::finish`]).
    ///
    /// # Errors
    /// No connection could be had, or the transaction could not begin (on
    /// SQLite: another process held the write lock for longer than the busy
    /// timeout).
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        match &self.write_lock {
            Some(lock) => {
                let guard = lock.clone().lock_owned().await;
                let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
                Ok(WriteTx {
                    tx,
                    _guard: Some(guard),
                })
            }
            None => Ok(WriteTx {
                tx: self.pool.begin().await?,
                _guard: None,
            }),
        }
    }

    /// Runs `SELECT 1`: the database answers.
    ///
    /// # Errors
    /// No connection could be had, or the query failed.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        self.pool.execute("SELECT 1").await.map(drop)
    }

    /// Closes every connection of the pool (waiting for those in use).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A write transaction from [`Db::begin_write`]; dereferences to its
/// connection, so `query.execute(&mut *tx)` runs inside it.
#[derive(Debug)]
pub struct WriteTx {
    // Field order matters: the transaction (rolled back if not committed)
    // goes before the guard releases the next writer.
    tx: Transaction<'static, Any>,
    _guard: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    /// Commits the transaction.
    ///
    /// # Errors
    /// The commit failed; nothing was written.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    /// Commits if `out` is `Ok`, else rolls back at once (releasing the
    /// locks before the next writer goes); returns `out`, or the commit's
    /// error.
    ///
    /// # Errors
    /// `out`'s error, or the commit's.
    pub async fn finish<T, E: From<sqlx::Error>>(self, out: Result<T, E>) -> Result<T, E> {
        match out {
            Ok(value) => {
                self.tx.commit().await?;
                Ok(value)
            }
            Err(e) => {
                // A failed rollback leaves the connection to the pool, which
                // rolls back or closes it; `e` is the error that matters.
                let _ = self.tx.rollback().await;
                Err(e)
            }
        }
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}
