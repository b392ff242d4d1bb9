//! Tokens (`Authorization: JWT <token>` or `Bearer <token>`) and the
//! [`AuthUser`] extractor.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::FromRequestParts;
use contract_axum::{Declared, Error, ErrorCode, Operation, OperationInput, SpecBuilder};
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
    pub(crate) fn issue(&self, id: i64) -> Result<String, Error> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let claims = Claims {
            sub: id.to_string(),
            iat: now.as_secs(),
            exp: (now + TOKEN_LIFETIME).as_secs(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| Error::internal().with_detail(e))
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
        let exists = state.store.user_exists(id).await.map_err(Error::from)?;
        if !exists {
            return Err(Error::unauthenticated().with_detail(format!("user {id} no longer exists")));
        }
        Ok(AuthUser { id })
    }
}

impl OperationInput for AuthUser {
    fn document(op: &mut Operation, _: &mut SpecBuilder) {
        op.security("jwt");
        op.error(Declared::new(401, ErrorCode::UNAUTHENTICATED, None));
    }
}
