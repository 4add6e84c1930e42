//! The assertion shared by the table-driven test files.

use std::borrow::Cow;

use pgqualify::Qualifier;

/// Checks that each input qualifies to exactly the expected text, that the
/// result is a fixed point, and that an unchanged input comes back
/// borrowed.
#[track_caller]
pub fn check(qualifier: &Qualifier, cases: &[(&str, &str)]) {
    for (input, expected) in cases {
        let output = qualifier
            .qualify(input)
            .unwrap_or_else(|e| panic!("{input}\n{e:?}"));
        assert_eq!(output, *expected, "input: {input}");
        let again = qualifier.qualify(&output).unwrap();
        assert!(
            matches!(again, Cow::Borrowed(_)),
            "not idempotent: {input}\n{again}"
        );
        if input == expected {
            assert!(matches!(output, Cow::Borrowed(_)), "allocated for: {input}");
        }
    }
}
