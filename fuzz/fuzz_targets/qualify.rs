//! Qualifies arbitrary text under settings chosen by its first byte.
//!
//! The first byte picks the pattern (bit 0: `LiteLLM_*` or `*`), what to do
//! with unparsable statements (bit 1: fail or pass through) and the schema
//! (bits 2 to 4); the rest, read as UTF-8 with bad bytes replaced, is the
//! SQL. Whatever it is, the qualifier must not panic, and when it succeeds:
//!
//! - the output parses whenever the input did;
//! - qualifying the output again returns it unchanged;
//! - the output is the input with prefixes inserted and nothing else, each
//!   prefix written as the schema's quoted name and a dot, or as that text
//!   escaped for a `'...'` or `E'...'` literal;
//! - [`Qualifier::unqualified`] lists one name per inserted prefix.

#![no_main]

#[path = "../../tests/support/insertions.rs"]
mod insertions;

use libfuzzer_sys::fuzz_target;
use pgqualify::{Qualifier, Schema, Unparsable};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use insertions::{only_insertions, prefix_forms};

/// Schemas that need quoting, escaping in literals, or that collide with a
/// dollar-quote delimiter or a table name.
const SCHEMAS: [&str; 8] = [
    "s",
    "My Schema",
    "a\"b",
    "it's",
    "back\\slash",
    "x$$y",
    "Ünï",
    "LiteLLM_A",
];

fuzz_target!(|data: &[u8]| {
    let Some((&options, sql)) = data.split_first() else {
        return;
    };
    let sql = String::from_utf8_lossy(sql);
    let schema = Schema::new(SCHEMAS[usize::from(options >> 2) % SCHEMAS.len()]).unwrap();
    let qualifier = qualifier(options, schema.clone());

    let listed = qualifier.unqualified(&sql);
    let Ok(output) = qualifier.qualify(&sql) else {
        return;
    };

    if parses(&sql) {
        assert!(parses(&output), "the output does not parse: {output:?}");
    }

    let again = qualifier.qualify(&output).map(|o| o.into_owned());
    assert_eq!(again.ok().as_deref(), Some(&*output), "not a fixed point");

    let forms = prefix_forms(schema.quoted());
    assert!(
        only_insertions(&sql, &output, &forms),
        "the output changes more than prefixes: {output:?}"
    );

    // With one length for every form of the prefix, the growth counts the
    // insertions.
    if forms.iter().all(|form| form.len() == forms[0].len()) {
        let listed = listed.expect("unqualified fails where qualify succeeds");
        let inserted = (output.len() - sql.len()) / forms[0].len();
        assert_eq!(inserted, listed.len(), "prefixes and listed names differ");
    }
});

fn qualifier(options: u8, schema: Schema) -> Qualifier {
    let pattern = if options & 1 == 0 { "LiteLLM_*" } else { "*" };
    let unparsable = if options & 2 == 0 {
        Unparsable::Error
    } else {
        Unparsable::PassThrough
    };
    let builder = Qualifier::builder().schema(schema).patterns([pattern]);
    builder.unwrap().unparsable(unparsable).build()
}

fn parses(sql: &str) -> bool {
    Parser::parse_sql(&PostgreSqlDialect {}, sql).is_ok()
}
