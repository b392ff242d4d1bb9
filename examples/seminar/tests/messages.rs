//! The seminar's own messages fit a phone, like the built-in ones: every
//! code it declares has a message in every shipped locale, within budget,
//! and its `.ftl` files hold no message nothing uses.

#[test]
fn every_app_message_is_translated_used_and_fits_its_budget() {
    let catalog = seminar::catalog();
    assert_eq!(catalog.locales().len(), 8, "{catalog:?}");
    let problems: Vec<String> = catalog
        .check_declared(&seminar::errors::declared())
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}
