//! Tokens (`Authorization: JWT <token>` or `Bearer <token>`), the
//! [`AuthUser`] extractor, and the [`Principals`] cache that spares it a
//! database round trip per request.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::FromRequestParts;
use contract_axum::{
    Declared, Error, ErrorCode, Operation, OperationInput, Security, SecurityScheme, SpecBuilder,
};
use http::request::Parts;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::AppState;

/// How long a token is valid (the spec's decision: 7 days).
const TOKEN_LIFETIME: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// Signing and verifying keys (HS256).
pub(crate) struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: u64,
    exp: u64,
}

impl Keys {
    pub(crate) fn new(secret: &str) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
        }
    }

    /// A token for user `id`, valid for seven days.
    pub(crate) fn issue(&self, id: i64) -> Result<String, crate::errors::Unexpected> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let claims = Claims {
            sub: id.to_string(),
            iat: now.as_secs(),
            exp: (now + TOKEN_LIFETIME).as_secs(),
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The user id of a valid token.
    fn verify(&self, token: &str) -> Result<i64, Error> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|e| Error::unauthenticated().with_detail(format!("token rejected: {e}")))?;
        data.claims
            .sub
            .parse()
            .map_err(|_| Error::unauthenticated().with_detail("token subject is not a user id"))
    }
}

/// The authenticated caller: a valid token naming an existing user.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AuthUser {
    /// The caller's user id.
    pub(crate) id: i64,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let header = parts
            .headers
            .get(http::header::AUTHORIZATION)
            .ok_or_else(|| Error::unauthenticated().with_detail("no Authorization header"))?;
        let value = header
            .to_str()
            .map_err(|_| Error::unauthenticated().with_detail("Authorization is not ASCII"))?;
        let (scheme, token) = value
            .trim()
            .split_once(' ')
            .ok_or_else(|| Error::unauthenticated().with_detail("Authorization has no scheme"))?;
        if !(scheme.eq_ignore_ascii_case("jwt") || scheme.eq_ignore_ascii_case("bearer")) {
            return Err(
                Error::unauthenticated().with_detail("Authorization scheme is not JWT or Bearer")
            );
        }
        let id = state.keys.verify(token.trim())?;
        if !state.principals.known(id) {
            // Only the database can fail here: `internal`.
            let exists = state
                .store
                .user_exists(id)
                .await
                .map_err(|e| Error::internal().with_detail(e))?;
            if !exists {
                return Err(
                    Error::unauthenticated().with_detail(format!("user {id} no longer exists"))
                );
            }
            state.principals.remember(id);
        }
        Ok(AuthUser { id })
    }
}

/// How many users [`Principals`] remembers at most.
const PRINCIPALS_CAPACITY: usize = 10_000;

/// The users recently found to exist, so that a valid token costs no
/// database query within `ttl` of the last check of its user.
///
/// The trade-off is staleness: a user deleted from the database by anything
/// but this process (an operator, another replica) keeps being accepted for
/// up to `ttl` after the deletion. The server itself deletes no users; a
/// future deletion path must call [`Principals::forget`]. Only existing
/// users are remembered, so a token naming an unknown user asks the database
/// every time and is refused at once.
///
/// Bounded: at [`PRINCIPALS_CAPACITY`] users, the expired entries are
/// dropped, and if none had expired, all of them (the next requests refill
/// it), so an insertion never costs more than one pass now and then.
///
/// Not a `moka` cache: once full, moka's admission policy (TinyLFU) may
/// refuse a new entry, and in a test it did not keep the user inserted
/// last into a full 10,000-user cache, so that user's every request
/// would ask the database until moka admitted it. Here a user just checked
/// is always remembered (`stays_bounded` holds both).
pub(crate) struct Principals {
    ttl: Duration,
    checked: Mutex<HashMap<i64, Instant>>,
}

impl std::fmt::Debug for Principals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Principals")
            .field("ttl", &self.ttl)
            .field("len", &self.lock().len())
            .finish()
    }
}

impl Principals {
    /// A cache whose entries last `ttl`; zero turns it off.
    pub(crate) fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            checked: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Instant>> {
        // A panic while holding the lock leaves a consistent map.
        self.checked.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// User `id` was found to exist less than `ttl` ago.
    fn known(&self, id: i64) -> bool {
        if self.ttl.is_zero() {
            return false;
        }
        self.lock()
            .get(&id)
            .is_some_and(|at| at.elapsed() < self.ttl)
    }

    /// User `id` was just found to exist.
    fn remember(&self, id: i64) {
        if self.ttl.is_zero() {
            return;
        }
        let now = Instant::now();
        let mut checked = self.lock();
        if checked.len() >= PRINCIPALS_CAPACITY && !checked.contains_key(&id) {
            checked.retain(|_, at| now.duration_since(*at) < self.ttl);
            if checked.len() >= PRINCIPALS_CAPACITY {
                checked.clear();
            }
        }
        checked.insert(id, now);
    }

    /// User `id` no longer exists (or changed in a way a token must see).
    #[allow(
        dead_code,
        reason = "no operation deletes users yet; the hook for one that will"
    )]
    pub(crate) fn forget(&self, id: i64) {
        self.lock().remove(&id);
    }
}

/// The token an [`AuthUser`] reads.
pub(crate) const JWT: SecurityScheme = SecurityScheme::bearer("jwt")
    .bearer_format("JWT")
    .description(
        "`Authorization: JWT <token>` (or `Bearer <token>`), from signup or login; valid for 7 days.",
    );

impl OperationInput for AuthUser {
    fn document(op: &mut Operation, _: &mut SpecBuilder) {
        op.security(Security::Required(JWT));
        op.error(Declared::new(401, ErrorCode::UNAUTHENTICATED, None));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_for_the_ttl_only() {
        let cache = Principals::new(Duration::from_millis(50));
        assert!(!cache.known(1));
        cache.remember(1);
        assert!(cache.known(1));
        assert!(!cache.known(2));
        std::thread::sleep(Duration::from_millis(60));
        assert!(!cache.known(1));
    }

    #[test]
    fn zero_ttl_is_off() {
        let cache = Principals::new(Duration::ZERO);
        cache.remember(1);
        assert!(!cache.known(1));
    }

    #[test]
    fn forget_takes_effect_at_once() {
        let cache = Principals::new(Duration::from_secs(60));
        cache.remember(7);
        cache.forget(7);
        assert!(!cache.known(7));
    }

    #[test]
    fn stays_bounded() {
        let cache = Principals::new(Duration::from_secs(60));
        for id in 0..(PRINCIPALS_CAPACITY as i64 * 3 + 5) {
            cache.remember(id);
            assert!(cache.lock().len() <= PRINCIPALS_CAPACITY);
        }
        assert!(cache.known(PRINCIPALS_CAPACITY as i64 * 3 + 4));
    }
}
