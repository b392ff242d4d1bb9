//! Password hashing: Argon2id with the `argon2` crate's default parameters,
//! stored as PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`).
//!
//! Hashing is deliberately slow (tens of milliseconds in a release build)
//! and works in 19 MiB of memory. Allocating that block per hash made the
//! allocator keep it around: the server grew to gigabytes under a burst of
//! logins. So each thread hashes in one block it keeps and reuses, and in
//! async code [`hash_async`] and [`verify_async`] run on a small pool of
//! dedicated threads (one per core): memory stays at one block per pool
//! thread, and the queue in front of the pool bounds the CPU spent hashing.

use std::sync::mpsc;
use std::sync::{Arc, LazyLock, Mutex};

use tokio::sync::oneshot;

use std::cell::RefCell;

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{ARGON2ID_IDENT, Algorithm, Argon2, Block, Params, Version};

thread_local! {
    /// This thread's Argon2 working memory, allocated once and reused.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Runs Argon2 `argon` in this thread's reusable memory.
fn argon2_into(argon: &Argon2<'_>, password: &[u8], salt: &[u8], out: &mut [u8]) -> bool {
    let count = argon.params().block_count();
    MEMORY.with_borrow_mut(|memory| {
        if memory.len() < count {
            memory.resize(count, Block::new());
        }
        argon
            .hash_password_into_with_memory(password, salt, out, &mut memory[..count])
            .is_ok()
    })
}

/// The PHC string of `password`, with a fresh random salt.
///
/// # Panics
/// If the operating system's random source fails (argon2 cannot fail
/// otherwise with the default parameters and a password of sane length).
pub fn hash(password: &str) -> String {
    let params = Params::default();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt = Salt::generate();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    assert!(
        argon2_into(&argon, password.as_bytes(), salt.as_ref(), &mut out),
        "argon2 hashing with default parameters"
    );
    PasswordHash {
        algorithm: ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).expect("default parameters encode"),
        salt: Some(salt),
        hash: Some(Output::new(&out).expect("a 32-byte output")),
    }
    .to_string()
}

/// Whether `password` matches `hash`, a PHC string made by [`hash`]. A
/// malformed `hash` matches nothing. The comparison is constant-time.
pub fn verify(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm.as_str()) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
        None => Version::default(),
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    argon2_into(&argon, password.as_bytes(), salt.as_ref(), &mut out)
        && Output::new(&out).is_ok_and(|computed| computed == expected)
}

/// A valid hash of no password anyone knows, computed once: verify against
/// it when a login names an unknown user, so that the answer takes as long as
/// for a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: LazyLock<String> = LazyLock::new(|| hash("no user has this password"));
    &DUMMY
}

/// Work for the hashing threads.
type Job = Box<dyn FnOnce() + Send>;

/// The queue in front of the hashing threads.
static POOL: LazyLock<mpsc::Sender<Job>> = LazyLock::new(|| {
    let (jobs, queue) = mpsc::channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    for i in 0..threads {
        let queue = queue.clone();
        std::thread::Builder::new()
            .name(format!("password-{i}"))
            .spawn(move || {
                loop {
                    let job = match queue.lock() {
                        Ok(q) => q.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                }
            })
            .expect("spawn a password thread");
    }
    jobs
});

/// `work` on the password threads.
async fn on_pool<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let (reply, answer) = oneshot::channel();
    POOL.send(Box::new(move || {
        let _ = reply.send(work());
    }))
    .expect("the password threads run");
    answer.await.expect("hashing does not panic")
}

/// [`hash`] on the password threads.
pub async fn hash_async(password: String) -> String {
    on_pool(move || hash(&password)).await
}

/// [`verify`] on the password threads.
pub async fn verify_async(password: String, phc: String) -> bool {
    on_pool(move || verify(&password, &phc)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let h = hash("correct horse");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("correct horse", &h));
        assert!(!verify("wrong horse", &h));
        assert!(!verify("correct horse", "not a phc string"));
        assert_ne!(h, hash("correct horse"), "salted");
        assert!(!verify("correct horse", dummy_hash()));
    }
}
