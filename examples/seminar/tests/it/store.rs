//! The store (`seminar::store`), through its public API, below HTTP.
//! Every scenario runs on a fresh SQLite file and, when `DATABASE_URL`
//! names a PostgreSQL database, on it too (with unique names, so that
//! runs can share the database).

use std::sync::atomic::{AtomicU64, Ordering};

use seminar::db::Db;
use seminar::store::*;
use time::OffsetDateTime;

/// A fresh SQLite database in a temporary directory.
async fn sqlite() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite:{}", dir.path().join("seminar.db").display());
    let db = Db::connect(&url).await.expect("connect to SQLite");
    (dir, db)
}

/// The PostgreSQL database of `DATABASE_URL`, if it names one.
async fn postgres() -> Option<Db> {
    let url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))?;
    Some(Db::connect(&url).await.expect("connect to DATABASE_URL"))
}

/// A prefix no other test run uses.
fn tag() -> String {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
    format!("t{nanos}x{}", SEQ.fetch_add(1, Ordering::Relaxed))
}

macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $name() {
            let (_dir, db) = sqlite().await;
            crate::store::scenarios::$name(&db, &tag()).await;
            if let Some(db) = postgres().await {
                crate::store::scenarios::$name(&db, &tag()).await;
            }
        }
    )*};
}

on_every_backend!(
    users_and_profiles,
    seminar_lifecycle,
    parallel_joins_respect_capacity,
    parallel_joins_of_one_user,
    list_order_and_filter,
    seed_fills_demo_data,
);

/// Two pools on one SQLite file, as two server processes would have:
/// their writers meet at `BEGIN IMMEDIATE` and SQLite's busy timeout, not
/// at the in-process lock.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_capacity_holds_across_pools() {
    let (dir, a) = sqlite().await;
    let url = format!("sqlite:{}", dir.path().join("seminar.db").display());
    let b = Db::connect(&url).await.expect("second pool");
    let tag = tag();
    let inst = user(&a, &tag, "inst", Role::Instructor).await;
    let s = a
        .create_seminar(inst, seminar("Shared", 7))
        .await
        .expect("open");
    let mut tasks = Vec::new();
    for n in 0..60 {
        let db = if n % 2 == 0 { a.clone() } else { b.clone() };
        let id = user(&db, &tag, &format!("p{n}"), Role::Participant).await;
        tasks.push(tokio::spawn(async move {
            db.join(id, s, Role::Participant).await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => ok += 1,
            Err(StoreError::SeminarFull) => {}
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    assert_eq!(ok, 7);
    assert_eq!(b.get_seminar(s).await.expect("get").participants.len(), 7);
}

/// A user of `role` named `{tag}{name}`; returns the id.
async fn user(db: &Db, tag: &str, name: &str, role: Role) -> i64 {
    db.create_user(new_user(tag, name, role))
        .await
        .expect("create user")
}

fn new_user(tag: &str, name: &str, role: Role) -> NewUser {
    NewUser {
        email: format!("{tag}{name}@example.com"),
        username: format!("{tag}{name}"),
        password_hash: "not-a-real-hash".into(),
        first_name: String::new(),
        last_name: String::new(),
        role,
        university: None,
        accepted: None,
        company: None,
        year: None,
    }
}

fn seminar(name: &str, capacity: i64) -> NewSeminar {
    NewSeminar {
        name: name.into(),
        capacity,
        count: 3,
        time: "14:30".into(),
        online: true,
    }
}

mod scenarios {
    use seminar::db::Db;
    use seminar::models::{SeminarSummary, User};
    use seminar::password;
    use seminar::store::*;

    use super::{new_user, seminar, user};

    pub(super) async fn users_and_profiles(db: &Db, tag: &str) {
        let p = user(db, tag, "p", Role::Participant).await;
        let u = db.get_user(p).await.expect("get");
        assert_eq!(u.username, format!("{tag}p"));
        assert_eq!(u.email, format!("{tag}p@example.com"));
        assert_eq!((u.first_name.as_str(), u.last_name.as_str()), ("", ""));
        assert_eq!(u.last_login, None);
        assert_eq!(u.date_joined.len(), "2026-11-25T03:14:15.123456Z".len());
        assert!(u.instructor.is_none());
        let profile = u.participant.expect("participant profile");
        assert_eq!(profile.university, "");
        assert!(profile.accepted);
        assert!(profile.seminars.is_empty());

        let mut i = new_user(tag, "i", Role::Instructor);
        i.company = Some("Waffle".into());
        i.year = Some(3);
        i.university = Some("ignored".into());
        let i = db.create_user(i).await.expect("create instructor");
        let u = db.get_user(i).await.expect("get");
        assert!(u.participant.is_none());
        let profile = u.instructor.expect("instructor profile");
        assert_eq!(
            (profile.company.as_str(), profile.year),
            ("Waffle", Some(3))
        );
        assert!(profile.charge.is_none());

        // Unique email, then username; nothing half-created.
        let mut dup = new_user(tag, "p", Role::Instructor);
        dup.username = format!("{tag}other");
        assert!(matches!(
            db.create_user(dup).await,
            Err(StoreError::EmailTaken)
        ));
        let mut dup = new_user(tag, "p", Role::Instructor);
        dup.email = format!("{tag}other@example.com");
        assert!(matches!(
            db.create_user(dup).await,
            Err(StoreError::UsernameTaken)
        ));
        assert!(matches!(
            db.create_user(new_user(tag, "p", Role::Participant)).await,
            Err(StoreError::EmailTaken)
        ));
        assert_eq!(
            db.find_login(&format!("{tag}other@example.com"))
                .await
                .expect("find"),
            None
        );

        // Login bookkeeping.
        let (id, hash) = db
            .find_login(&format!("{tag}p@example.com"))
            .await
            .expect("find")
            .expect("found");
        assert_eq!((id, hash.as_str()), (p, "not-a-real-hash"));
        db.touch_last_login(p).await.expect("touch");
        assert!(db.get_user(p).await.expect("get").last_login.is_some());
        assert!(matches!(
            db.touch_last_login(i64::MAX).await,
            Err(StoreError::NotFound)
        ));
        assert!(db.user_exists(p).await.expect("exists"));
        assert!(!db.user_exists(i64::MAX).await.expect("exists"));
        assert!(matches!(
            db.get_user(i64::MAX).await,
            Err(StoreError::NotFound)
        ));

        // Updates.
        let patch = UserPatch {
            username: Some(format!("{tag}i")),
            ..UserPatch::default()
        };
        assert!(matches!(
            db.update_me(p, patch).await,
            Err(StoreError::UsernameTaken)
        ));
        let patch = UserPatch {
            username: Some(format!("{tag}p")),
            ..UserPatch::default()
        };
        db.update_me(p, patch)
            .await
            .expect("keeping one's own username is fine");
        let u = db
            .update_me(
                p,
                UserPatch {
                    username: Some(format!("{tag}p2")),
                    names: Some(("Ada".into(), "Lovelace".into())),
                    password_hash: Some("new-hash".into()),
                    university: Some("SNU".into()),
                    company: Some("not applied".into()),
                    year: Patch::Value(9),
                },
            )
            .await
            .expect("update");
        assert_eq!(u.username, format!("{tag}p2"));
        assert_eq!(
            (u.first_name.as_str(), u.last_name.as_str()),
            ("Ada", "Lovelace")
        );
        assert_eq!(u.participant.expect("participant").university, "SNU");
        assert!(u.instructor.is_none(), "no profile appears by updating");
        let (_, hash) = db
            .find_login(&format!("{tag}p@example.com"))
            .await
            .expect("find")
            .expect("found");
        assert_eq!(hash, "new-hash");
        let u = db
            .update_me(p, UserPatch::default())
            .await
            .expect("empty update");
        assert_eq!(u.username, format!("{tag}p2"));

        let year = |patch: Patch<i64>| UserPatch {
            year: patch,
            ..UserPatch::default()
        };
        let y = |u: User| u.instructor.expect("instructor").year;
        assert_eq!(
            y(db.update_me(i, year(Patch::Absent)).await.expect("absent")),
            Some(3)
        );
        assert_eq!(
            y(db.update_me(i, year(Patch::Value(7))).await.expect("value")),
            Some(7)
        );
        assert_eq!(
            y(db.update_me(i, year(Patch::Null)).await.expect("null")),
            None
        );
        let u = db
            .update_me(
                i,
                UserPatch {
                    company: Some(String::new()),
                    ..UserPatch::default()
                },
            )
            .await
            .expect("company");
        assert_eq!(u.instructor.expect("instructor").company, "");

        // A second profile.
        assert!(matches!(
            db.add_participant(p, String::new(), true).await,
            Err(StoreError::AlreadyParticipant)
        ));
        let u = db
            .add_participant(i, "KAIST".into(), false)
            .await
            .expect("add");
        let profile = u.participant.expect("participant");
        assert_eq!(
            (profile.university.as_str(), profile.accepted),
            ("KAIST", false)
        );
        assert!(u.instructor.is_some());
        assert!(matches!(
            db.add_participant(i64::MAX, String::new(), true).await,
            Err(StoreError::NotFound)
        ));
    }

    pub(super) async fn seminar_lifecycle(db: &Db, tag: &str) {
        let inst = user(db, tag, "inst", Role::Instructor).await;
        let inst2 = user(db, tag, "inst2", Role::Instructor).await;
        let p1 = user(db, tag, "p1", Role::Participant).await;
        let p2 = user(db, tag, "p2", Role::Participant).await;
        let p3 = user(db, tag, "p3", Role::Participant).await;
        let mut no = new_user(tag, "no", Role::Participant);
        no.accepted = Some(false);
        let not_accepted = db.create_user(no).await.expect("create");

        // Opening.
        assert!(matches!(
            db.create_seminar(p1, seminar("x", 2)).await,
            Err(StoreError::NotInstructor)
        ));
        let s = db
            .create_seminar(inst, seminar(&format!("{tag} Rust"), 2))
            .await
            .expect("open");
        assert!(matches!(
            db.create_seminar(inst, seminar("second", 2)).await,
            Err(StoreError::AlreadyInCharge)
        ));
        let d = db.get_seminar(s).await.expect("get");
        assert_eq!(d.name, format!("{tag} Rust"));
        assert_eq!(
            (d.capacity, d.count, d.time.as_str(), d.online),
            (2, 3, "14:30", true)
        );
        assert_eq!(d.instructors.len(), 1);
        assert_eq!(d.instructors[0].id, inst);
        assert!(d.participants.is_empty());
        let charge = db
            .get_user(inst)
            .await
            .expect("get")
            .instructor
            .expect("i")
            .charge;
        assert_eq!(charge.expect("in charge").id, s);
        assert!(matches!(
            db.get_seminar(i64::MAX).await,
            Err(StoreError::NotFound)
        ));

        // Joining, in the order of checks.
        assert!(matches!(
            db.join(p1, i64::MAX, Role::Participant).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            db.join(inst2, s, Role::Participant).await,
            Err(StoreError::RoleRequired)
        ));
        assert!(matches!(
            db.join(p1, s, Role::Instructor).await,
            Err(StoreError::RoleRequired)
        ));
        assert!(matches!(
            db.join(not_accepted, s, Role::Participant).await,
            Err(StoreError::NotAccepted)
        ));
        let d = db.join(p1, s, Role::Participant).await.expect("join p1");
        assert_eq!(d.participants.len(), 1);
        assert!(d.participants[0].is_active);
        assert_eq!(d.participants[0].dropped_at, None);
        assert!(matches!(
            db.join(p1, s, Role::Participant).await,
            Err(StoreError::AlreadyJoined)
        ));
        db.join(p2, s, Role::Participant).await.expect("join p2");
        assert!(matches!(
            db.join(p3, s, Role::Participant).await,
            Err(StoreError::SeminarFull)
        ));
        assert!(matches!(
            db.join(inst, s, Role::Instructor).await,
            Err(StoreError::AlreadyJoined)
        ));

        // Updating.
        let patch = SeminarPatch {
            capacity: Some(1),
            ..SeminarPatch::default()
        };
        assert!(matches!(
            db.update_seminar(inst, i64::MAX, patch.clone(), |_| true)
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            db.update_seminar(p1, s, patch.clone(), |_| true).await,
            Err(StoreError::NotSeminarInstructor)
        ));
        assert!(matches!(
            db.update_seminar(inst2, s, patch.clone(), |_| true).await,
            Err(StoreError::NotSeminarInstructor)
        ));
        assert!(matches!(
            db.update_seminar(inst, s, patch, |_| true).await,
            Err(StoreError::CapacityBelowParticipants)
        ));
        let d = db
            .update_seminar(inst, s, SeminarPatch::default(), |_| true)
            .await
            .expect("empty");
        assert_eq!((d.capacity, d.online), (2, true));
        // A version the caller names that is not the current one: nothing
        // is written.
        let stale = SeminarPatch {
            count: Some(99),
            ..SeminarPatch::default()
        };
        assert!(matches!(
            db.update_seminar(inst, s, stale, |now| now.count == 1)
                .await,
            Err(StoreError::Stale)
        ));
        assert_eq!(db.get_seminar(s).await.expect("get").count, d.count);
        let d = db
            .update_seminar(
                inst,
                s,
                SeminarPatch {
                    name: Some(format!("{tag} Rust II")),
                    capacity: Some(2),
                    count: Some(10),
                    time: Some("09:05".into()),
                    online: Some(false),
                },
                |now| now.count == d.count,
            )
            .await
            .expect("update");
        assert_eq!(d.name, format!("{tag} Rust II"));
        assert_eq!(
            (d.capacity, d.count, d.time.as_str(), d.online),
            (2, 10, "09:05", false)
        );
        let listed = db
            .list_seminars(Some(&format!("{tag} rust ii")), false, None, 10_000)
            .await
            .expect("list")
            .0;
        assert_eq!(listed.len(), 1, "name_lower follows the name");

        // Dropping.
        assert!(matches!(
            db.drop_seminar(p1, i64::MAX).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            db.drop_seminar(inst, s).await,
            Err(StoreError::InstructorCannotDrop)
        ));
        let before = db.get_seminar(s).await.expect("get");
        assert_eq!(db.drop_seminar(p3, s).await.expect("not a member"), before);
        let d = db.drop_seminar(p1, s).await.expect("drop");
        let p = d
            .participants
            .iter()
            .find(|p| p.id == p1)
            .expect("still listed");
        assert!(!p.is_active);
        let dropped_at = p.dropped_at.clone().expect("dropped_at");
        assert_eq!(
            db.drop_seminar(p1, s).await.expect("again"),
            d,
            "dropping again changes nothing"
        );
        assert_eq!(
            d.participants
                .iter()
                .find(|p| p.id == p1)
                .unwrap()
                .dropped_at,
            Some(dropped_at)
        );
        assert!(matches!(
            db.join(p1, s, Role::Participant).await,
            Err(StoreError::DroppedCannotRejoin)
        ));
        // The dropped place is free again.
        db.join(p3, s, Role::Participant).await.expect("join p3");
        let patch = SeminarPatch {
            capacity: Some(1),
            ..SeminarPatch::default()
        };
        assert!(matches!(
            db.update_seminar(inst, s, patch, |_| true).await,
            Err(StoreError::CapacityBelowParticipants)
        ));

        let seminars = db
            .get_user(p1)
            .await
            .expect("get")
            .participant
            .expect("p")
            .seminars;
        assert_eq!(seminars.len(), 1, "dropped seminars stay listed");
        assert_eq!((seminars[0].id, seminars[0].is_active), (s, false));
        assert!(seminars[0].dropped_at.is_some());

        // A second instructor; an instructor in charge elsewhere is refused.
        let d = db
            .join(inst2, s, Role::Instructor)
            .await
            .expect("second instructor");
        assert_eq!(
            d.instructors.iter().map(|i| i.id).collect::<Vec<_>>(),
            vec![inst, inst2]
        );
        let d = db
            .update_seminar(
                inst2,
                s,
                SeminarPatch {
                    count: Some(4),
                    ..SeminarPatch::default()
                },
                |_| true,
            )
            .await
            .expect("the second instructor may update");
        assert_eq!(d.count, 4);
        let inst3 = user(db, tag, "inst3", Role::Instructor).await;
        let s2 = db
            .create_seminar(inst3, seminar(&format!("{tag} Go"), 5))
            .await
            .expect("open");
        assert!(matches!(
            db.join(inst2, s2, Role::Instructor).await,
            Err(StoreError::AlreadyInCharge)
        ));
        // An instructor with a participant profile may attend elsewhere.
        db.add_participant(inst2, String::new(), true)
            .await
            .expect("add");
        db.join(inst2, s2, Role::Participant).await.expect("attend");
        assert!(matches!(
            db.join(inst2, s, Role::Participant).await,
            Err(StoreError::AlreadyJoined)
        ));
    }

    pub(super) async fn parallel_joins_respect_capacity(db: &Db, tag: &str) {
        let inst = user(db, tag, "inst", Role::Instructor).await;
        let s = db
            .create_seminar(inst, seminar(&format!("{tag} Hot"), 5))
            .await
            .expect("open");
        let mut ids = Vec::new();
        for n in 0..100 {
            ids.push(user(db, tag, &format!("p{n}"), Role::Participant).await);
        }
        let tasks: Vec<_> = ids
            .into_iter()
            .map(|id| {
                let db = db.clone();
                tokio::spawn(async move { db.join(id, s, Role::Participant).await })
            })
            .collect();
        let (mut ok, mut full) = (0, 0);
        for t in tasks {
            match t.await.expect("task") {
                Ok(_) => ok += 1,
                Err(StoreError::SeminarFull) => full += 1,
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        assert_eq!((ok, full), (5, 95));
        assert_eq!(db.get_seminar(s).await.expect("get").participants.len(), 5);
        let listed = db
            .list_seminars(Some(&format!("{tag} hot")), false, None, 10_000)
            .await
            .expect("list")
            .0;
        assert_eq!(listed[0].participant_count, 5);
    }

    pub(super) async fn parallel_joins_of_one_user(db: &Db, tag: &str) {
        let inst = user(db, tag, "inst", Role::Instructor).await;
        let s = db
            .create_seminar(inst, seminar(&format!("{tag} Once"), 50))
            .await
            .expect("open");
        let p = user(db, tag, "p", Role::Participant).await;
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move { db.join(p, s, Role::Participant).await })
            })
            .collect();
        let (mut ok, mut joined) = (0, 0);
        for t in tasks {
            match t.await.expect("task") {
                Ok(_) => ok += 1,
                Err(StoreError::AlreadyJoined) => joined += 1,
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        assert_eq!((ok, joined), (1, 9));

        // Two instructors racing for charges: each ends with at most one.
        let racer = user(db, tag, "racer", Role::Instructor).await;
        let tasks: Vec<_> = (0..6)
            .map(|n| {
                let db = db.clone();
                let name = format!("{tag} race {n}");
                tokio::spawn(async move { db.create_seminar(racer, seminar(&name, 1)).await })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            match t.await.expect("task") {
                Ok(_) => ok += 1,
                Err(StoreError::AlreadyInCharge) => {}
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        assert_eq!(ok, 1);
        assert_eq!(
            db.list_seminars(Some(&format!("{tag} race")), false, None, 10_000)
                .await
                .expect("list")
                .0
                .len(),
            1
        );
    }

    pub(super) async fn list_order_and_filter(db: &Db, tag: &str) {
        let mut ids = Vec::new();
        for (n, name) in ["Alpha", "Beta 100%", "Gamma_x"].iter().enumerate() {
            let inst = user(db, tag, &format!("i{n}"), Role::Instructor).await;
            let s = db
                .create_seminar(inst, seminar(&format!("{tag} {name}"), 3))
                .await
                .expect("open");
            ids.push((s, inst));
        }
        let names = |list: &[SeminarSummary]| list.iter().map(|s| s.id).collect::<Vec<_>>();
        let newest = db
            .list_seminars(Some(tag), false, None, 10_000)
            .await
            .expect("list")
            .0;
        assert_eq!(names(&newest), vec![ids[2].0, ids[1].0, ids[0].0]);
        let earliest = db
            .list_seminars(Some(tag), true, None, 10_000)
            .await
            .expect("list")
            .0;
        assert_eq!(names(&earliest), vec![ids[0].0, ids[1].0, ids[2].0]);
        assert_eq!(earliest[0].instructors.len(), 1);
        assert_eq!(earliest[0].instructors[0].id, ids[0].1);
        assert_eq!(earliest[0].participant_count, 0);

        // Case-insensitive; wildcards are plain characters.
        let upper = db
            .list_seminars(Some(&tag.to_uppercase()), true, None, 10_000)
            .await
            .expect("list")
            .0;
        assert_eq!(names(&upper), names(&earliest));
        let one = |q: String| async move {
            names(
                &db.list_seminars(Some(&q), true, None, 10_000)
                    .await
                    .expect("list")
                    .0,
            )
        };
        assert_eq!(one(format!("{tag} beta 100%")).await, vec![ids[1].0]);
        assert_eq!(one(format!("{tag} gamma_X")).await, vec![ids[2].0]);
        assert_eq!(one(format!("{tag} %")).await, Vec::<i64>::new());
        assert_eq!(one(format!("{tag} _")).await, Vec::<i64>::new());
        assert_eq!(one(format!("{tag}\\")).await, Vec::<i64>::new());

        // Unfiltered lists hold them too, in order, with participant counts.
        let p = user(db, tag, "p", Role::Participant).await;
        db.join(p, ids[0].0, Role::Participant).await.expect("join");
        let all = db
            .list_seminars(None, false, None, 10_000)
            .await
            .expect("list")
            .0;
        let mine: Vec<&SeminarSummary> = all
            .iter()
            .filter(|s| ids.iter().any(|(id, _)| *id == s.id))
            .collect();
        assert_eq!(
            mine.iter().map(|s| s.id).collect::<Vec<_>>(),
            vec![ids[2].0, ids[1].0, ids[0].0]
        );
        assert_eq!(mine[2].participant_count, 1);
        assert_eq!(mine[2].instructors[0].id, ids[0].1);
    }

    pub(super) async fn seed_fills_demo_data(db: &Db, _tag: &str) {
        // Other tests may share the database: look at seeded seminars only.
        let seeded = || async {
            let all = db
                .list_seminars(None, false, None, 10_000)
                .await
                .expect("list")
                .0;
            all.into_iter()
                .filter(|s| {
                    s.instructors
                        .iter()
                        .any(|i| i.username.starts_with("seed_user_"))
                })
                .collect::<Vec<_>>()
        };
        let before = seeded().await.len();
        db.seed(40, 4).await.expect("seed");
        db.seed(10, 2).await.expect("seeding again adds more");
        let seminars = seeded().await;
        assert_eq!(seminars.len(), before + 6);
        for s in seminars.iter().take(6) {
            assert_eq!(s.instructors.len(), 1);
            let d = db.get_seminar(s.id).await.expect("get");
            let active = d.participants.iter().filter(|p| p.is_active).count() as i64;
            assert_eq!(active, s.participant_count);
            assert!(active <= d.capacity);
        }
        let (id, hash) = db
            .find_login(&seminars[0].instructors[0].email)
            .await
            .expect("find")
            .expect("seeded user");
        assert!(password::verify(SEED_PASSWORD, &hash));
        let u = db.get_user(id).await.expect("get");
        assert_eq!(
            u.instructor.expect("instructor").charge.expect("charge").id,
            seminars[0].id
        );
    }
}
