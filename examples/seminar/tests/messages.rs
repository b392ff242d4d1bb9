//! The seminar's own messages fit a phone, like the built-in ones: every
//! code it declares has an English and a Korean message within budget.

use contract_axum::{CodeKind, DeclaredErrors, Locale, budget};
use http::StatusCode;
use seminar::store::StoreError;

#[test]
fn every_app_message_is_translated_and_fits_its_budget() {
    let declared = StoreError::declared();
    let own: Vec<_> = declared.iter().filter(|d| !d.messages.is_empty()).collect();
    assert!(
        own.len() == 14,
        "the seminar's own codes carry their messages"
    );
    for d in own {
        let top = CodeKind::Top(StatusCode::from_u16(d.status).unwrap());
        for &locale in Locale::ALL {
            let (_, message) = d
                .messages
                .iter()
                .find(|(l, _)| *l == locale)
                .unwrap_or_else(|| panic!("{} has no {locale} message", d.code));
            let (len, limit) = (message.chars().count(), budget(locale, top));
            assert!(
                len <= limit,
                "{} ({locale}) is {len} characters, budget {limit}: {message}",
                d.code
            );
        }
    }
}
