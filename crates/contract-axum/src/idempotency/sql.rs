//! [`SqlStore`]: idempotency keys in the app's own SQLite or PostgreSQL
//! database, through sqlx's `Any` driver, so that N server processes
//! share them. One table, `contract_idempotency`, created by
//! [`SqlStore::migrate`]; each claim is one `INSERT … ON CONFLICT DO
//! NOTHING`, which both databases make atomic.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sqlx::{AnyPool, Row};

use super::{Begin, Store, StoreFuture, Stored};

/// The table, as both databases take it. `status` is null while the
/// request runs.
const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS contract_idempotency (
    scope TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status BIGINT,
    headers TEXT,
    body TEXT,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (scope, idem_key)
)";

/// Idempotency keys in a SQL database (SQLite or PostgreSQL, through
/// `sqlx::any`; the app installs the drivers).
#[derive(Debug, Clone)]
pub struct SqlStore {
    pool: AnyPool,
}

impl SqlStore {
    /// Keys in `pool`'s database; run [`SqlStore::migrate`] once first.
    pub fn new(pool: AnyPool) -> Self {
        Self { pool }
    }

    /// Creates the table if it is not there. Processes starting together
    /// on one database may all call it.
    ///
    /// # Errors
    /// The database refused it.
    pub async fn migrate(&self) -> Result<(), sqlx::Error> {
        match sqlx::query(SCHEMA).execute(&self.pool).await {
            Ok(_) => Ok(()),
            // PostgreSQL's `CREATE TABLE IF NOT EXISTS` is not safe against
            // a concurrent creator: the one that loses fails on a unique
            // index of the catalog. The table is there then, and a second
            // run finds it.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                sqlx::query(SCHEMA).execute(&self.pool).await.map(drop)
            }
            Err(e) => Err(e),
        }
    }
}

impl Store for SqlStore {
    fn begin<'a>(
        &'a self,
        scope: &'a str,
        key: &'a str,
        fingerprint: &'a str,
        expires: i64,
    ) -> StoreFuture<'a, Begin> {
        Box::pin(async move {
            let now = super::now_secs();
            // An expired key is as good as absent.
            sqlx::query("DELETE FROM contract_idempotency WHERE scope = $1 AND idem_key = $2 AND expires_at < $3")
                .bind(scope)
                .bind(key)
                .bind(now)
                .execute(&self.pool)
                .await?;
            let claimed = sqlx::query(
                "INSERT INTO contract_idempotency (scope, idem_key, fingerprint, expires_at)
                 VALUES ($1, $2, $3, $4) ON CONFLICT (scope, idem_key) DO NOTHING",
            )
            .bind(scope)
            .bind(key)
            .bind(fingerprint)
            .bind(expires)
            .execute(&self.pool)
            .await?;
            if claimed.rows_affected() == 1 {
                return Ok(Begin::Started);
            }
            let row = sqlx::query(
                "SELECT fingerprint, status, headers, body FROM contract_idempotency
                 WHERE scope = $1 AND idem_key = $2",
            )
            .bind(scope)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
            // Released between the two statements: the next retry claims it.
            let Some(row) = row else {
                return Ok(Begin::InFlight);
            };
            if row.try_get::<String, _>("fingerprint")? != fingerprint {
                return Ok(Begin::Reused);
            }
            let Some(status) = row.try_get::<Option<i64>, _>("status")? else {
                return Ok(Begin::InFlight);
            };
            let headers: Vec<(String, String)> =
                serde_json::from_str(&row.try_get::<String, _>("headers")?)?;
            let body = STANDARD.decode(row.try_get::<String, _>("body")?)?;
            Ok(Begin::Replay(Stored {
                status: u16::try_from(status)?,
                headers,
                body,
            }))
        })
    }

    fn complete<'a>(
        &'a self,
        scope: &'a str,
        key: &'a str,
        answer: &'a Stored,
    ) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            sqlx::query(
                "UPDATE contract_idempotency SET status = $1, headers = $2, body = $3
                 WHERE scope = $4 AND idem_key = $5",
            )
            .bind(i64::from(answer.status))
            .bind(serde_json::to_string(&answer.headers)?)
            .bind(STANDARD.encode(&answer.body))
            .bind(scope)
            .bind(key)
            .execute(&self.pool)
            .await?;
            Ok(())
        })
    }

    fn release<'a>(&'a self, scope: &'a str, key: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            sqlx::query(
                "DELETE FROM contract_idempotency WHERE scope = $1 AND idem_key = $2 AND status IS NULL",
            )
            .bind(scope)
            .bind(key)
            .execute(&self.pool)
            .await?;
            Ok(())
        })
    }

    fn purge(&self, now: i64) -> StoreFuture<'_, u64> {
        Box::pin(async move {
            let done = sqlx::query("DELETE FROM contract_idempotency WHERE expires_at < $1")
                .bind(now)
                .execute(&self.pool)
                .await?;
            Ok(done.rows_affected())
        })
    }
}
