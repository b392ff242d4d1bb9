//! Memberships: joining and dropping seminars.

use sqlx::{AnyConnection, AssertSqlSafe, Row};

use super::seminars::load_seminar;
use super::users::instructs;
use super::{Role, StoreError, exists, get_bool, map_db, now, role_of};
use crate::db::Db;
use crate::models::SeminarDetail;

impl Db {
    /// Joins the seminar in `role`; returns the seminar as joined. Safe under
    /// concurrent joins: the capacity is never exceeded.
    ///
    /// # Errors
    /// In this order: [`StoreError::NotFound`], [`StoreError::RoleRequired`]
    /// (no profile for `role`), [`StoreError::NotAccepted`] (participants),
    /// [`StoreError::AlreadyJoined`] or [`StoreError::DroppedCannotRejoin`],
    /// [`StoreError::SeminarFull`] (participants),
    /// [`StoreError::AlreadyInCharge`] (instructors).
    pub async fn join(
        &self,
        user_id: i64,
        seminar_id: i64,
        role: Role,
    ) -> Result<SeminarDetail, StoreError> {
        let mut tx = self.begin_write().await?;
        let out = async {
            let capacity = self
                .lock_seminar(&mut tx, seminar_id)
                .await?
                .ok_or(StoreError::NotFound)?;
            match role {
                Role::Participant => {
                    let row =
                        sqlx::query("SELECT accepted FROM participant_profiles WHERE user_id = $1")
                            .bind(user_id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    let Some(row) = row else {
                        return Err(StoreError::RoleRequired);
                    };
                    if !get_bool(&row, "accepted")? {
                        return Err(StoreError::NotAccepted);
                    }
                }
                Role::Instructor => {
                    if !instructs(&mut tx, user_id).await? {
                        return Err(StoreError::RoleRequired);
                    }
                }
            }
            if let Some(m) = membership(&mut tx, user_id, seminar_id).await? {
                return Err(if m.is_active {
                    StoreError::AlreadyJoined
                } else {
                    StoreError::DroppedCannotRejoin
                });
            }
            match role {
                Role::Participant => {
                    if active_participants(&mut tx, seminar_id).await? >= capacity {
                        return Err(StoreError::SeminarFull);
                    }
                }
                Role::Instructor => {
                    if in_charge(&mut tx, user_id).await? {
                        return Err(StoreError::AlreadyInCharge);
                    }
                }
            }
            insert_membership(&mut tx, user_id, seminar_id, role, &now()).await?;
            load_seminar(&mut tx, seminar_id).await
        }
        .await;
        tx.finish(out).await
    }

    /// Drops the seminar: the caller's participation becomes inactive.
    /// Changes nothing if the caller is not an active participant of it.
    /// Returns the seminar.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::InstructorCannotDrop`].
    pub async fn drop_seminar(
        &self,
        user_id: i64,
        seminar_id: i64,
    ) -> Result<SeminarDetail, StoreError> {
        let mut tx = self.begin_write().await?;
        let out = async {
            self.lock_seminar(&mut tx, seminar_id)
                .await?
                .ok_or(StoreError::NotFound)?;
            match membership(&mut tx, user_id, seminar_id).await? {
                Some(m) if m.role == Role::Instructor => {
                    return Err(StoreError::InstructorCannotDrop);
                }
                Some(m) if m.is_active => {
                    sqlx::query(
                        "UPDATE memberships SET is_active = $1, dropped_at = $2 WHERE id = $3",
                    )
                    .bind(false)
                    .bind(now())
                    .bind(m.id)
                    .execute(&mut *tx)
                    .await?;
                }
                _ => {}
            }
            load_seminar(&mut tx, seminar_id).await
        }
        .await;
        tx.finish(out).await
    }

    /// The seminar's capacity, locking its row until the transaction ends
    /// (PostgreSQL; on SQLite the write transaction holds the database).
    /// `None` if there is no such seminar.
    pub(super) async fn lock_seminar(
        &self,
        conn: &mut AnyConnection,
        seminar_id: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let sql = format!(
            "SELECT capacity FROM seminars WHERE id = $1{}",
            self.for_update()
        );
        sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(seminar_id)
            .fetch_optional(conn)
            .await
    }
}

/// Whether the user is an instructor of some seminar.
pub(super) async fn in_charge(conn: &mut AnyConnection, user_id: i64) -> Result<bool, sqlx::Error> {
    exists(
        conn,
        "SELECT 1 FROM memberships WHERE user_id = $1 AND role = 'instructor'",
        user_id,
    )
    .await
}

/// The number of active participants of the seminar.
pub(super) async fn active_participants(
    conn: &mut AnyConnection,
    seminar_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships
         WHERE seminar_id = $1 AND role = 'participant' AND is_active",
    )
    .bind(seminar_id)
    .fetch_one(conn)
    .await
}

/// A user's membership of a seminar.
pub(super) struct Membership {
    pub(super) id: i64,
    pub(super) role: Role,
    pub(super) is_active: bool,
}

/// The user's membership of the seminar, if any.
pub(super) async fn membership(
    conn: &mut AnyConnection,
    user_id: i64,
    seminar_id: i64,
) -> Result<Option<Membership>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, role, is_active FROM memberships WHERE user_id = $1 AND seminar_id = $2",
    )
    .bind(user_id)
    .bind(seminar_id)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(Membership {
            id: row.try_get("id")?,
            role: role_of(&row.try_get::<String, _>("role")?),
            is_active: get_bool(&row, "is_active")?,
        })
    })
    .transpose()
}

/// Inserts an active membership, mapping unique violations to
/// [`StoreError::AlreadyJoined`] and [`StoreError::AlreadyInCharge`].
pub(super) async fn insert_membership(
    conn: &mut AnyConnection,
    user_id: i64,
    seminar_id: i64,
    role: Role,
    joined_at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO memberships (user_id, seminar_id, role, joined_at, is_active)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(seminar_id)
    .bind(role.as_str())
    .bind(joined_at)
    .bind(true)
    .execute(conn)
    .await
    .map_err(map_db)?;
    Ok(())
}
