//! Password hashing: Argon2id with the `argon2` crate's default parameters,
//! stored as PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`).
//!
//! Hashing is deliberately slow (tens of milliseconds in a release build,
//! far more in an unoptimized one): in async code use [`hash_async`] and
//! [`verify_async`], which run on tokio's blocking pool.

use std::sync::LazyLock;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

/// The PHC string of `password`, with a fresh random salt.
///
/// # Panics
/// If the operating system's random source fails (argon2 cannot fail
/// otherwise with the default parameters and a password of sane length).
pub fn hash(password: &str) -> String {
    let hash: PasswordHash = Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2 hashing with default parameters");
    hash.to_string()
}

/// Whether `password` matches `hash`, a PHC string made by [`hash`]. A
/// malformed `hash` matches nothing.
pub fn verify(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// A valid hash of no password anyone knows, computed once: verify against
/// it when a login names an unknown user, so that the answer takes as long as
/// for a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: LazyLock<String> = LazyLock::new(|| hash("no user has this password"));
    &DUMMY
}

/// [`hash`] on tokio's blocking pool.
pub async fn hash_async(password: String) -> String {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .expect("hashing does not panic")
}

/// [`verify`] on tokio's blocking pool.
pub async fn verify_async(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &hash))
        .await
        .expect("verifying does not panic")
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
