//! Seminars: open, change, read, list.

use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use super::memberships::{active_participants, in_charge, insert_membership, membership};
use super::users::instructs;
use super::{Role, StoreError, get_bool, like_pattern, now, role_of};
use crate::db::Db;
use crate::models::{SeminarDetail, SeminarInstructor, SeminarParticipant, SeminarSummary};

/// A seminar to open.
#[derive(Debug, Clone)]
pub struct NewSeminar {
    /// The name.
    pub name: String,
    /// The most active participants it takes, at least 1.
    pub capacity: i64,
    /// The number of sessions, at least 1.
    pub count: i64,
    /// The time of day, `"HH:MM"`.
    pub time: String,
    /// Whether it is held online.
    pub online: bool,
}

/// A partial update of a seminar; `None` leaves a field unchanged.
#[derive(Debug, Clone, Default)]
pub struct SeminarPatch {
    /// The new name.
    pub name: Option<String>,
    /// The new capacity.
    pub capacity: Option<i64>,
    /// The new number of sessions.
    pub count: Option<i64>,
    /// The new time of day, `"HH:MM"`.
    pub time: Option<String>,
    /// Whether it is held online.
    pub online: Option<bool>,
}

impl Db {
    /// Opens a seminar with the caller as its instructor, in one
    /// transaction. Returns the seminar's id.
    ///
    /// # Errors
    /// [`StoreError::NotInstructor`] (no instructor profile), then
    /// [`StoreError::AlreadyInCharge`].
    pub async fn create_seminar(&self, user_id: i64, new: NewSeminar) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let out = async {
            if !instructs(&mut tx, user_id).await? {
                return Err(StoreError::NotInstructor);
            }
            if in_charge(&mut tx, user_id).await? {
                return Err(StoreError::AlreadyInCharge);
            }
            let now = now();
            let id = insert_seminar(&mut tx, &new, &now).await?;
            insert_membership(&mut tx, user_id, id, Role::Instructor, &now).await?;
            Ok::<_, StoreError>(id)
        }
        .await;
        tx.finish(out).await
    }

    /// Updates a seminar if `current` accepts it as it is (the caller's
    /// `If-Match`, checked in the transaction, so that no other write comes
    /// between); returns it as updated.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::NotSeminarInstructor`],
    /// [`StoreError::Stale`], [`StoreError::CapacityBelowParticipants`], in
    /// this order.
    pub async fn update_seminar(
        &self,
        user_id: i64,
        seminar_id: i64,
        mut patch: SeminarPatch,
        current: impl FnOnce(&SeminarDetail) -> bool + Send,
    ) -> Result<SeminarDetail, StoreError> {
        patch.name = patch.name.as_deref().map(super::users::nfc);
        let mut tx = self.begin_write().await?;
        let out = async {
            self.lock_seminar(&mut tx, seminar_id)
                .await?
                .ok_or(StoreError::NotFound)?;
            let role = membership(&mut tx, user_id, seminar_id)
                .await?
                .map(|m| m.role);
            if role != Some(Role::Instructor) {
                return Err(StoreError::NotSeminarInstructor);
            }
            let before = load_seminar(&mut tx, seminar_id).await?;
            if !current(&before) {
                return Err(StoreError::Stale);
            }
            if let Some(capacity) = patch.capacity
                && capacity < active_participants(&mut tx, seminar_id).await?
            {
                return Err(StoreError::CapacityBelowParticipants);
            }
            sqlx::query(
                r#"UPDATE seminars SET
                 name = COALESCE($1, name),
                 name_lower = COALESCE($2, name_lower),
                 capacity = COALESCE($3, capacity),
                 "count" = COALESCE($4, "count"),
                 "time" = COALESCE($5, "time"),
                 online = COALESCE($6, online)
               WHERE id = $7"#,
            )
            .bind(patch.name.as_deref())
            .bind(patch.name.as_deref().map(str::to_lowercase))
            .bind(patch.capacity)
            .bind(patch.count)
            .bind(patch.time.as_deref())
            .bind(patch.online)
            .bind(seminar_id)
            .execute(&mut *tx)
            .await?;
            load_seminar(&mut tx, seminar_id).await
        }
        .await;
        tx.finish(out).await
    }

    /// The seminar, with its instructors and participants.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub async fn get_seminar(&self, id: i64) -> Result<SeminarDetail, StoreError> {
        let mut conn = self.pool().acquire().await?;
        load_seminar(&mut conn, id).await
    }

    /// One page of the seminars whose name contains `name_contains`
    /// (case-insensitively; `%`, `_` and `\` are plain characters), newest
    /// first (by creation time, ties by id), or oldest first if
    /// `earliest_first`: at most `limit`, after the key `after` (the
    /// `(created_at, id)` of the previous page's last). Returns the page and
    /// its last key when more may follow. By keyset, so seminars created
    /// during a walk neither repeat nor hide others.
    ///
    /// # Errors
    /// Only [`StoreError::Database`].
    pub async fn list_seminars(
        &self,
        name_contains: Option<&str>,
        earliest_first: bool,
        after: Option<(String, i64)>,
        limit: u32,
    ) -> Result<(Vec<SeminarSummary>, Option<(String, i64)>), StoreError> {
        let pattern = name_contains.map(like_pattern);
        let (dir, cmp) = if earliest_first {
            ("ASC", ">")
        } else {
            ("DESC", "<")
        };
        let mut filters = Vec::new();
        if pattern.is_some() {
            filters.push(r"s.name_lower LIKE $1 ESCAPE '\'".to_owned());
        }
        if after.is_some() {
            let n = filters.len();
            filters.push(format!(
                "(s.created_at, s.id) {cmp} (${}, ${})",
                n + 1,
                n + 2
            ));
        }
        let filter = if filters.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", filters.join(" AND "))
        };
        let mut conn = self.pool().acquire().await?;

        // One more than the page: whether another follows.
        let sql = format!(
            "SELECT s.id, s.name, s.created_at,
                    (SELECT COUNT(*) FROM memberships m
                      WHERE m.seminar_id = s.id AND m.role = 'participant' AND m.is_active)
                    AS participant_count
             FROM seminars s {filter}
             ORDER BY s.created_at {dir}, s.id {dir}
             LIMIT {}",
            u64::from(limit) + 1
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        if let Some(p) = &pattern {
            query = query.bind(p.clone());
        }
        if let Some((at, id)) = &after {
            query = query.bind(at.clone()).bind(*id);
        }
        let mut rows = query.fetch_all(&mut *conn).await?;
        let next = if rows.len() > limit as usize {
            rows.truncate(limit as usize);
            let last = rows.last().expect("limit is at least 1");
            Some((last.try_get("created_at")?, last.try_get("id")?))
        } else {
            None
        };
        if rows.is_empty() {
            return Ok((Vec::new(), None));
        }
        let ids: Vec<String> = rows
            .iter()
            .map(|r| r.try_get::<i64, _>("id").map(|id| id.to_string()))
            .collect::<Result<_, _>>()?;

        // The instructors of the page's seminars, in one query (the ids are
        // the database's own integers).
        let sql = format!(
            "SELECT m.seminar_id, u.id AS user_id, u.username, u.email, u.first_name,
                    u.last_name, m.joined_at
             FROM memberships m JOIN users u ON u.id = m.user_id
             WHERE m.role = 'instructor' AND m.seminar_id IN ({})
             ORDER BY m.joined_at, m.id",
            ids.join(", ")
        );
        let query = sqlx::query(AssertSqlSafe(sql));
        let mut instructors: HashMap<i64, Vec<SeminarInstructor>> = HashMap::new();
        for row in query.fetch_all(&mut *conn).await? {
            instructors
                .entry(row.try_get("seminar_id")?)
                .or_default()
                .push(instructor_of(&row)?);
        }

        let page = rows
            .iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                Ok(SeminarSummary {
                    id,
                    name: row.try_get("name")?,
                    instructors: instructors.remove(&id).unwrap_or_default(),
                    participant_count: row.try_get("participant_count")?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok((page, next))
    }

    /// How many seminars there are, how many of them are full, and how
    /// many have no instructor (imported ones nobody took charge of yet).
    ///
    /// # Errors
    /// Only [`StoreError::Database`].
    pub async fn seminar_counts(&self) -> Result<SeminarCounts, StoreError> {
        Ok(sqlx::query_as(
            "SELECT COUNT(*) AS seminars,
                    COALESCE(SUM(CASE WHEN COALESCE(m.active, 0) >= s.capacity
                                 THEN 1 ELSE 0 END), 0) AS full_seminars,
                    COALESCE(SUM(CASE WHEN COALESCE(m.instructors, 0) = 0
                                 THEN 1 ELSE 0 END), 0) AS unstaffed
             FROM seminars s
             LEFT JOIN (SELECT seminar_id,
                               SUM(CASE WHEN role = 'participant' AND is_active
                                   THEN 1 ELSE 0 END) AS active,
                               SUM(CASE WHEN role = 'instructor' THEN 1 ELSE 0 END)
                                   AS instructors
                        FROM memberships GROUP BY seminar_id) m
               ON m.seminar_id = s.id",
        )
        .fetch_one(self.pool())
        .await?)
    }
}

/// What [`Db::seminar_counts`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct SeminarCounts {
    /// Every seminar.
    pub seminars: i64,
    /// Those with as many active participants as their capacity.
    #[sqlx(rename = "full_seminars")]
    pub full: i64,
    /// Those with no instructor.
    pub unstaffed: i64,
}

/// A [`SeminarInstructor`] from a row with `user_id`, `username`, `email`,
/// `first_name`, `last_name` and `joined_at`.
fn instructor_of(row: &AnyRow) -> Result<SeminarInstructor, sqlx::Error> {
    Ok(SeminarInstructor {
        id: row.try_get("user_id")?,
        username: row.try_get("username")?,
        email: row.try_get("email")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        joined_at: row.try_get("joined_at")?,
    })
}

/// The seminar with its members.
///
/// # Errors
/// [`StoreError::NotFound`], or the database's.
pub(super) async fn load_seminar(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<SeminarDetail, StoreError> {
    let row = sqlx::query(
        r#"SELECT id, name, capacity, "count", "time", online FROM seminars WHERE id = $1"#,
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let mut detail = SeminarDetail {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        capacity: row.try_get("capacity")?,
        count: row.try_get("count")?,
        time: row.try_get("time")?,
        online: get_bool(&row, "online")?,
        instructors: Vec::new(),
        participants: Vec::new(),
    };
    let members = sqlx::query(
        "SELECT m.role, u.id AS user_id, u.username, u.email, u.first_name, u.last_name,
                m.joined_at, m.is_active, m.dropped_at
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.seminar_id = $1
         ORDER BY m.joined_at, m.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    for m in &members {
        match role_of(&m.try_get::<String, _>("role")?) {
            Role::Instructor => detail.instructors.push(instructor_of(m)?),
            Role::Participant => detail.participants.push(SeminarParticipant {
                id: m.try_get("user_id")?,
                username: m.try_get("username")?,
                email: m.try_get("email")?,
                first_name: m.try_get("first_name")?,
                last_name: m.try_get("last_name")?,
                joined_at: m.try_get("joined_at")?,
                is_active: get_bool(m, "is_active")?,
                dropped_at: m.try_get("dropped_at")?,
            }),
        }
    }
    Ok(detail)
}

/// Inserts `new` created at `created_at` (its name in NFC, and lowercased
/// for the list's search); returns its id.
pub(super) async fn insert_seminar(
    conn: &mut AnyConnection,
    new: &NewSeminar,
    created_at: &str,
) -> Result<i64, sqlx::Error> {
    let name = super::users::nfc(&new.name);
    sqlx::query_scalar(
        r#"INSERT INTO seminars (name, name_lower, capacity, "count", "time", online, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"#,
    )
    .bind(&name)
    .bind(name.to_lowercase())
    .bind(new.capacity)
    .bind(new.count)
    .bind(&new.time)
    .bind(new.online)
    .bind(created_at)
    .fetch_one(conn)
    .await
}
