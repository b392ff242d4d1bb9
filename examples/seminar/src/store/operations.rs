//! Long-running operations: their status rows, and the import's effect.

use super::{NewSeminar, StoreError, now, placeholders, storable};
use contract_axum::Failure;

use crate::db::{Backend, Db};

/// An operation's row, as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OperationRow {
    /// The id (a ULID).
    pub id: String,
    /// `pending`, `running`, `succeeded`, `failed` or `cancelled`.
    pub status: String,
    /// What the job reads.
    pub input: String,
    /// Units in all, and done.
    pub total: i64,
    /// Units done.
    pub done: i64,
    /// The result, JSON, once succeeded.
    pub result: Option<String>,
    /// The failure, JSON, once failed.
    pub error: Option<String>,
    /// The request that started it.
    pub request_id: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// Seminars per `INSERT` of an import (7 values each: well under SQLite's
/// and PostgreSQL's limits on bound values), by backend. Measured on
/// 100,000 rows: SQLite 0.8 s at 50 and 3.2 s at 500 (a statement's cost
/// grows faster than its values); PostgreSQL 1.1 s at 50 and 0.7 s at 500
/// (fewer round trips).
fn rows_per_insert(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 50,
        Backend::Postgres => 500,
    }
}

const COLUMNS: &str =
    "id, status, input, total, done, result, error, request_id, created_at, updated_at";

impl Db {
    /// Records a `pending` operation of `owner`.
    pub async fn create_operation(
        &self,
        id: &str,
        owner: i64,
        kind: &str,
        input: &str,
        total: i64,
        request_id: &str,
    ) -> Result<OperationRow, StoreError> {
        let now = now();
        let statement = sqlx::query(
            "INSERT INTO operations (id, owner_id, kind, status, input, total, request_id, created_at, updated_at)
             VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $7)",
        )
        .bind(id)
        .bind(owner)
        .bind(kind)
        .bind(input)
        .bind(total)
        .bind(request_id)
        .bind(&now);
        self.write_one(statement).await?;
        Ok(OperationRow {
            id: id.to_owned(),
            status: "pending".to_owned(),
            input: input.to_owned(),
            total,
            done: 0,
            result: None,
            error: None,
            request_id: request_id.to_owned(),
            created_at: now.clone(),
            updated_at: now,
        })
    }

    /// The operation `id`, if `owner` started it (another user's is
    /// [`StoreError::NotFound`] too).
    pub async fn operation_of(&self, id: &str, owner: i64) -> Result<OperationRow, StoreError> {
        if !storable(id) {
            return Err(StoreError::NotFound);
        }
        let sql = format!("SELECT {COLUMNS} FROM operations WHERE id = $1 AND owner_id = $2");
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(owner)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The operation `id`, for its job: `None` when it is gone.
    pub async fn operation(&self, id: &str) -> Result<Option<OperationRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM operations WHERE id = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// Marks a pending (or, after a worker died, running) operation
    /// `running` with `done` units done; a final one is left as it is.
    /// Returns whether it is running.
    pub async fn run_operation(&self, id: &str, done: i64) -> Result<bool, StoreError> {
        let statement = sqlx::query(
            "UPDATE operations SET status = 'running', done = $1, updated_at = $2
             WHERE id = $3 AND status IN ('pending', 'running')",
        )
        .bind(done)
        .bind(now())
        .bind(id);
        Ok(self.write_one(statement).await? == 1)
    }

    /// Ends an operation that is not final yet as `failed` with `failure`,
    /// kept as data to be rendered in each reader's language.
    pub async fn fail_operation(&self, id: &str, failure: &Failure) -> Result<bool, StoreError> {
        let error = serde_json::to_string(failure).map_err(|e| sqlx::Error::Encode(e.into()))?;
        let statement = sqlx::query(
            "UPDATE operations SET status = 'failed', error = $1, updated_at = $2
             WHERE id = $3 AND status IN ('pending', 'running')",
        )
        .bind(error)
        .bind(now())
        .bind(id);
        Ok(self.write_one(statement).await? == 1)
    }

    /// Cancels `owner`'s operation `id` unless it is final; returns it as
    /// it is then.
    pub async fn cancel_operation(&self, id: &str, owner: i64) -> Result<OperationRow, StoreError> {
        if !storable(id) {
            return Err(StoreError::NotFound);
        }
        let statement = sqlx::query(
            "UPDATE operations SET status = 'cancelled', updated_at = $1
             WHERE id = $2 AND owner_id = $3 AND status IN ('pending', 'running')",
        )
        .bind(now())
        .bind(id)
        .bind(owner);
        self.write_one(statement).await?;
        self.operation_of(id, owner).await
    }

    /// The import's effect: opens every seminar and ends the operation as
    /// `succeeded` with `result`, in one transaction, only while it is not
    /// final. Returns `false` (and writes nothing) when it is: a second
    /// delivery of the job, or a cancelled one.
    pub async fn finish_import(
        &self,
        id: &str,
        seminars: &[NewSeminar],
        result: &str,
    ) -> Result<bool, StoreError> {
        let lock = self.for_update();
        let check = format!(
            "SELECT 1 FROM operations WHERE id = $1 AND status IN ('pending', 'running'){lock}"
        );
        let mut tx = self.begin_write().await?;
        let out = async {
            let open = sqlx::query(sqlx::AssertSqlSafe(check))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            if open.is_none() {
                return Ok(false);
            }
            let now = now();
            // Many rows per statement: one round trip per batch, not per row.
            for batch in seminars.chunks(rows_per_insert(self.backend())) {
                let sql = format!(
                    r#"INSERT INTO seminars (name, name_lower, capacity, "count", "time", online, created_at) VALUES {}"#,
                    placeholders(batch.len(), 7)
                );
                let mut insert = sqlx::query(sqlx::AssertSqlSafe(sql));
                for s in batch {
                    let name = super::users::nfc(&s.name);
                    let lower = name.to_lowercase();
                    insert = insert
                        .bind(name)
                        .bind(lower)
                        .bind(s.capacity)
                        .bind(s.count)
                        .bind(s.time.clone())
                        .bind(s.online)
                        .bind(now.clone());
                }
                insert.execute(&mut *tx).await?;
            }
            sqlx::query(
                "UPDATE operations SET status = 'succeeded', done = total, result = $1, updated_at = $2
                 WHERE id = $3",
            )
            .bind(result)
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            Ok::<_, StoreError>(true)
        }
        .await;
        tx.finish(out).await
    }

    /// Removes final operations last changed before `before` (RFC 3339).
    pub async fn purge_operations(&self, before: &str) -> Result<u64, StoreError> {
        let statement = sqlx::query(
            "DELETE FROM operations
             WHERE updated_at < $1 AND status IN ('succeeded', 'failed', 'cancelled')",
        )
        .bind(before);
        self.write_one(statement).await
    }
}
