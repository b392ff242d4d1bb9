//! Demo data.

use std::collections::HashMap;

use sqlx::{AssertSqlSafe, Row};
use time::OffsetDateTime;

use super::memberships::insert_membership;
use super::seminars::insert_seminar;
use super::{NewSeminar, Role, StoreError, placeholders, timestamp};
use crate::db::Db;
use crate::password;

/// The password of every user [`Db::seed`] creates.
pub const SEED_PASSWORD: &str = "password123";

/// Rows per multi-row `INSERT` of [`Db::seed`] (at most 8 parameters a row:
/// well under SQLite's 32766 and PostgreSQL's 65535).
const SEED_CHUNK: usize = 500;

impl Db {
    /// Fills the database with demo data: `users.max(seminars)` users, the
    /// first `seminars` of them instructors each in charge of one seminar,
    /// the others participants (most accepted) who joined up to three
    /// seminars each, some of them dropped. Every seeded user's password is
    /// [`SEED_PASSWORD`]; usernames are `seed_user_N` and emails
    /// `seed_user_N@example.com`, with `N` above every user id so far (so
    /// seeding twice adds more). One transaction, multi-row inserts.
    ///
    /// # Errors
    /// Only [`StoreError::Database`] (a clash with a user someone named
    /// `seed_user_N` by hand included).
    pub async fn seed(&self, users: usize, seminars: usize) -> Result<(), StoreError> {
        const FIRST: [&str; 8] = [
            "Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken",
        ];
        const LAST: [&str; 8] = [
            "Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson",
        ];
        const UNIVERSITIES: [&str; 4] = ["", "Seoul National University", "KAIST", "POSTECH"];
        const TIMES: [&str; 4] = ["09:00", "13:30", "18:00", "20:15"];

        let hash = password::hash_async(SEED_PASSWORD.to_owned()).await;
        let total = users.max(seminars);
        let started = OffsetDateTime::now_utc();
        let mut rng = Lcg(0x5eed);
        let mut tx = self.begin_write().await?;
        let out = async {
        let base: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM users")
            .fetch_one(&mut *tx)
            .await?;

        // Users.
        let names: Vec<String> = (1..=total)
            .map(|k| format!("seed_user_{}", base + k as i64))
            .collect();
        let date_joined = timestamp(started);
        for chunk in names.chunks(SEED_CHUNK) {
            let sql = format!(
                "INSERT INTO users (username, email, email_key, password_hash, first_name, last_name, date_joined) VALUES {}",
                placeholders(chunk.len(), 7)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for name in chunk {
                let n = name.len();
                q = q
                    .bind(name.clone())
                    .bind(format!("{name}@example.com"))
                    .bind(super::users::email_key(&format!("{name}@example.com")))
                    .bind(hash.clone())
                    .bind(FIRST[n % FIRST.len()])
                    .bind(LAST[(n / 2 + name.as_bytes()[n - 1] as usize) % LAST.len()])
                    .bind(date_joined.clone());
            }
            q.execute(&mut *tx).await?;
        }
        let mut ids: HashMap<String, i64> = HashMap::with_capacity(total);
        for row in sqlx::query("SELECT id, username FROM users WHERE id > $1")
            .bind(base)
            .fetch_all(&mut *tx)
            .await?
        {
            ids.insert(row.try_get("username")?, row.try_get("id")?);
        }
        let user_ids: Vec<i64> = names.iter().map(|n| ids[n]).collect();
        let (instructors, participants) = user_ids.split_at(seminars);

        // Profiles.
        for chunk in instructors.chunks(SEED_CHUNK) {
            let sql = format!(
                "INSERT INTO instructor_profiles (user_id, company, year) VALUES {}",
                placeholders(chunk.len(), 3)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for &id in chunk {
                let year = rng.below(20) as i64;
                q = q
                    .bind(id)
                    .bind(format!("Company {}", rng.below(50)))
                    .bind(if year == 0 { None } else { Some(year) });
            }
            q.execute(&mut *tx).await?;
        }
        let mut accepted = Vec::with_capacity(participants.len());
        for chunk in participants.chunks(SEED_CHUNK) {
            let sql = format!(
                "INSERT INTO participant_profiles (user_id, university, accepted) VALUES {}",
                placeholders(chunk.len(), 3)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for &id in chunk {
                let ok = rng.below(10) != 0;
                accepted.push((id, ok));
                q = q.bind(id).bind(UNIVERSITIES[rng.below(4)]).bind(ok);
            }
            q.execute(&mut *tx).await?;
        }

        // Seminars, created a minute apart, the last one now.
        let mut seminar_ids = Vec::with_capacity(seminars);
        let mut capacities = Vec::with_capacity(seminars);
        for (j, &instructor) in instructors.iter().enumerate() {
            let created = started - time::Duration::minutes((seminars - j) as i64 - 1);
            let name = format!(
                "Seminar {} #{}",
                ["Rust", "Django", "Android", "iOS"][j % 4],
                j + 1
            );
            let capacity = 5 + rng.below(36) as i64;
            let seminar = NewSeminar {
                name,
                capacity,
                count: 1 + rng.below(12) as i64,
                time: TIMES[rng.below(4)].to_owned(),
                online: rng.below(3) != 0,
            };
            let id = insert_seminar(&mut tx, &seminar, &timestamp(created)).await?;
            seminar_ids.push(id);
            capacities.push(capacity);
            insert_membership(
                &mut tx,
                instructor,
                id,
                Role::Instructor,
                &timestamp(created),
            )
            .await?;
        }

        // Participations: (user, seminar index, active).
        let mut joins: Vec<(i64, usize, bool)> = Vec::new();
        let mut active = vec![0_i64; seminars];
        if seminars > 0 {
            for &(user, ok) in &accepted {
                if !ok {
                    continue;
                }
                let mut mine: Vec<usize> = Vec::new();
                for _ in 0..rng.below(4) {
                    let s = rng.below(seminars);
                    if mine.contains(&s) || active[s] >= capacities[s] {
                        continue;
                    }
                    mine.push(s);
                    let stays = rng.below(7) != 0;
                    if stays {
                        active[s] += 1;
                    }
                    joins.push((user, s, stays));
                }
            }
        }
        let joined_at = timestamp(started);
        for chunk in joins.chunks(SEED_CHUNK) {
            let sql = format!(
                "INSERT INTO memberships (user_id, seminar_id, role, joined_at, is_active, dropped_at) VALUES {}",
                placeholders(chunk.len(), 6)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for &(user, s, stays) in chunk {
                q = q
                    .bind(user)
                    .bind(seminar_ids[s])
                    .bind(Role::Participant.as_str())
                    .bind(joined_at.clone())
                    .bind(stays)
                    .bind(if stays { None } else { Some(joined_at.clone()) });
            }
            q.execute(&mut *tx).await?;
        }
        Ok::<_, StoreError>(())
        }
        .await;
        tx.finish(out).await
    }
}

/// A tiny deterministic pseudo-random generator for [`Db::seed`].
struct Lcg(u64);

impl Lcg {
    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}
