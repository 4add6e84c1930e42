//! Resolves the schema from an arbitrary `DATABASE_URL`, and checks that
//! no password ever shows in what the result prints.
//!
//! The input is UTF-8; a `\x01` in it splits it into `LITELLM_DB_SCHEMA`
//! (before) and `DATABASE_URL` (after). Resolution must not panic. When the
//! `url` crate finds a password of four or more characters, neither the
//! error's message, its sources, nor the `Debug` form of the result may
//! contain it, raw or percent-decoded.
//!
//! A message may hold the password's text by coincidence: a password `DATA`
//! is in every `DATABASE_URL ...` message, and a password that also appears
//! in the scheme or a schema parameter is echoed with it. To tell such cases
//! from a leak, the same settings are resolved again with the password
//! replaced by a stand-in: text that was there by coincidence is there
//! again. Two stand-ins check each other the same way, so that a stand-in
//! spelled out by the rest of the URL (the scheme is read in lower case,
//! parameters percent-decoded) is not taken for a leak either.

#![no_main]

use libfuzzer_sys::fuzz_target;
use percent_encoding::percent_decode_str;
use pgqualify::{Error, Schema};

/// Passwords put in place of the real one.
const STAND_INS: [&str; 2] = ["stand-in-password-7f3a", "other-stand-in-9c1e"];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (db_schema, database_url) = match text.split_once('\u{1}') {
        Some((db_schema, database_url)) => (Some(db_schema), database_url),
        None => (None, text),
    };
    let result = Schema::resolve(db_schema, Some(database_url));
    let shown = shown(&result);

    let Ok(url) = url::Url::parse(database_url) else {
        // No password can be found, and the error carries only the kind of
        // parse failure.
        if let Err(Error::InvalidDatabaseUrl(kind)) = &result {
            let debug = format!("{:?}", result.as_ref().unwrap_err());
            assert_eq!(debug, format!("InvalidDatabaseUrl({kind:?})"));
        }
        return;
    };
    let Some(raw) = url.password() else {
        return;
    };
    let decoded = percent_decode_str(raw).decode_utf8_lossy();

    let [Some(first), Some(second)] = STAND_INS.map(|stand_in| {
        let mut replaced = url.clone();
        replaced.set_password(Some(stand_in)).ok()?;
        Some(shown_for(db_schema, replaced.as_str()))
    }) else {
        return;
    };
    for (stand_in, own, other) in [
        (STAND_INS[0], &first, &second),
        (STAND_INS[1], &second, &first),
    ] {
        let leaked = own.contains(stand_in) && !other.contains(stand_in);
        assert!(!leaked, "password {stand_in:?} shown: {own}");
    }

    for secret in [raw, &*decoded] {
        if secret.chars().count() < 4 || first.contains(secret) {
            continue;
        }
        assert!(
            !shown.contains(secret),
            "password {secret:?} shown: {shown}"
        );
    }
});

fn shown_for(db_schema: Option<&str>, database_url: &str) -> String {
    shown(&Schema::resolve(db_schema, Some(database_url)))
}

/// Everything a caller could print: the `Debug` form of the result and,
/// for an error, its message and those of its sources.
fn shown(result: &Result<Option<Schema>, Error>) -> String {
    let mut shown = format!("{result:?}");
    if let Err(error) = result {
        let mut next: Option<&dyn std::error::Error> = Some(error);
        while let Some(error) = next {
            shown.push('\n');
            shown.push_str(&error.to_string());
            next = error.source();
        }
    }
    shown
}
