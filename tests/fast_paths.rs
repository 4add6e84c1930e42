//! Every fast path returns what the full rewrite returns: the cache (hit,
//! miss, after eviction, under threads), the static path, and the scan that
//! skips text with nothing to qualify. The reference is a qualifier with
//! the same settings and no cache.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use pgqualify::{
    qualify_static, Error, Qualified, Qualifier, QualifierBuilder, Schema, StaticSql, SyntaxCheck,
    Unparsable,
};

const AUTH_QUERY: &str = include_str!("../examples/auth_query.sql");

/// SQL of every kind the rewrite handles, texts with nothing to rewrite,
/// texts that fail, and texts written to mislead a scan of the raw text.
#[rustfmt::skip] // one line per case
const CORPUS: &[&str] = &[
    AUTH_QUERY,
    r#"SELECT * FROM "LiteLLM_A""#,
    r#"SELECT * FROM "LiteLLM_A" a JOIN "LiteLLM_B" b ON a.x = b.x"#,
    r#"SELECT * FROM t, LATERAL (SELECT * FROM "LiteLLM_A" WHERE y = t.y) l"#,
    r#"SELECT 1 FROM "LiteLLM_A" UNION ALL SELECT 2 FROM "LiteLLM_B""#,
    r#"SELECT * FROM "LiteLLM_A" WHERE token = $1 FOR UPDATE SKIP LOCKED"#,
    r#"SELECT m->>'k', m @> '{"a":1}' FROM "LiteLLM_A""#,
    r#"INSERT INTO "LiteLLM_A" (x) VALUES ($1) ON CONFLICT (x) DO UPDATE SET y = 1 RETURNING *"#,
    r#"UPDATE "LiteLLM_A" SET x = b.x FROM "LiteLLM_B" b WHERE "LiteLLM_A".id = b.id"#,
    r#"DELETE FROM "LiteLLM_A" USING "LiteLLM_B" WHERE "LiteLLM_A".id = "LiteLLM_B".id"#,
    r#"MERGE INTO "LiteLLM_A" t USING "LiteLLM_B" s ON t.id = s.id WHEN MATCHED THEN DELETE"#,
    r#"WITH "LiteLLM_A" AS (SELECT * FROM "LiteLLM_A") SELECT * FROM "LiteLLM_A""#,
    r#"WITH LiteLLM_A AS (SELECT 1) SELECT * FROM "litellm_a", "LiteLLM_A""#,
    r#"CREATE TABLE "LiteLLM_A" (id int PRIMARY KEY, b int REFERENCES "LiteLLM_B" (id))"#,
    r#"DROP TABLE IF EXISTS "LiteLLM_A", "LiteLLM_B" CASCADE"#,
    r#"VACUUM (VERBOSE, ANALYZE) "LiteLLM_A", "LiteLLM_B" (x)"#,
    r#"SELECT '"LiteLLM_A"'::regclass, to_regclass('"LiteLLM_B"')"#,
    r#"SELECT E'"LiteLLM_A"'::regclass, $$"LiteLLM_B"$$::regclass"#,
    r#"SELECT NULL::"LiteLLM_A", CAST(x AS "LiteLLM_A"), y::"LiteLLM_A"[]"#,
    r#"SELECT * FROM public."LiteLLM_A""#,
    r#"SELECT * FROM LiteLLM_A, litellm_b, "litellm_c", "LiteLLM_D""#,
    r#"SELECT 'FROM "LiteLLM_A"', $$"LiteLLM_A"$$ -- "LiteLLM_B""#,
    "SELECT 1 FROM \"LiteLLM_A\"; SELECT 2 FROM \"LiteLLM_B\";\nSELECT 3",
    "select *\r\n  from\t\"LiteLLM_A\"\r\n  where  x = $1 ;",
    "SELECT '🦀', E'\\n' FROM \"LiteLLM_A\" WHERE \"é\" = 'ü'",
    "SELECT * FROM \"LiteLLM_A\";\nDO $$ BEGIN PERFORM 1 FROM \"LiteLLM_B\"; END $$;\nSELECT 2",
    // Exact names, types and current_schema, for the settings that use them.
    r#"SELECT * FROM "MonthlyGlobalSpend" JOIN spend_view USING (date)"#,
    r#"SELECT * FROM SPEND_VIEW, "Spend_View""#,
    r#"INSERT INTO jobs (status) VALUES ($4::"JobStatus")"#,
    "SELECT current_schema, current_schema(), pg_catalog.current_schemas(true)",
    "SELECT CURRENT_SCHEMA() AS s",
    // Nothing to rewrite, or nothing that parses.
    "SELECT 1",
    "SELECT now(), $1::int, ARRAY[1, 2] && ARRAY[2]",
    "",
    "  ;; ",
    "SELEC 1",
    "SELECT 'open",
    "SELECT 1;\nSELEC \"LiteLLM_A\"",
    "DO $$ BEGIN PERFORM 1; END $$",
    // Names spelled other than as written: escapes, doubled quotes, case.
    r#"SELECT E'"Lite\x4CLM_A"'::regclass"#,
    r#"SELECT E'"Lite\u004CLM_A"'::regclass, E'\\'"#,
    r#"SELECT U&"\004CiteLLM_A".x FROM t"#,
    r#"SELECT u&'\0041'"#,
    r#"SELECT * FROM "Lite""LLM_A", "LiteLLM_""A""#,
    "SELECT * FROM LITELLM_A, LiteLlm_b",
    r#"SELECT '"LiteLLM_A"'::REGCLASS, 'litellm_b'::regclass"#,
];

/// The settings each fast path is checked under, by name.
fn settings() -> Vec<(&'static str, QualifierBuilder)> {
    let base = || Qualifier::builder().schema(Schema::new("s").unwrap());
    vec![
        ("default", base()),
        ("lower", base().patterns(["litellm_*"]).unwrap()),
        ("inner", base().patterns(["*LLM_?", "*Spend"]).unwrap()),
        ("every", base().patterns(["*"]).unwrap()),
        ("quote", base().patterns(["Lite\"LLM*"]).unwrap()),
        (
            "names",
            base()
                .relations(["MonthlyGlobalSpend", "spend_view"])
                .types(["JobStatus"]),
        ),
        ("pinned", base().pin_current_schema(true)),
        ("lenient", base().unparsable(Unparsable::PassThrough)),
    ]
}

/// A result in a form two results can be compared in: the text and
/// whether it was borrowed, or the error's full description.
fn outcome(result: Result<Cow<'_, str>, Error>) -> Result<(String, bool), String> {
    match result {
        Ok(text) => Ok((text.to_string(), matches!(text, Cow::Borrowed(_)))),
        Err(error) => Err(format!("{error:?}")),
    }
}

/// As [`outcome`], without telling borrowed from owned: a static call site
/// lends out a rewrite it owns.
fn text_outcome(result: Result<Cow<'_, str>, Error>) -> Result<String, String> {
    outcome(result).map(|(text, _)| text)
}

fn shared_outcome(result: Result<Qualified<'_>, Error>) -> Result<(String, bool), String> {
    match result {
        Ok(text) => Ok((text.to_string(), matches!(text, Qualified::Unchanged(_)))),
        Err(error) => Err(format!("{error:?}")),
    }
}

#[test]
fn cache_hits_and_misses_match_the_full_rewrite() {
    for (name, builder) in settings() {
        let reference = builder.clone().cache_capacity(0).build();
        let cached = builder.build();
        for sql in CORPUS {
            let expected = outcome(reference.qualify(sql));
            for round in 0..3 {
                let got = outcome(cached.qualify(sql));
                assert_eq!(got, expected, "{name}, round {round}: {sql}");
                let shared = shared_outcome(cached.qualify_shared(sql));
                assert_eq!(shared, expected, "{name}, round {round}, shared: {sql}");
            }
        }
    }
}

#[test]
fn skipping_unmatched_text_changes_only_errors_of_such_text() {
    for (name, builder) in settings() {
        let reference = builder.clone().cache_capacity(0).build();
        let skipping = builder
            .clone()
            .syntax_check(SyntaxCheck::Candidates)
            .cache_capacity(0)
            .build();
        let both = builder.syntax_check(SyntaxCheck::Candidates).build();
        for sql in CORPUS {
            let expected = outcome(reference.qualify(sql));
            for qualifier in [&skipping, &both, &both] {
                let got = outcome(qualifier.qualify(sql));
                let unchanged = Ok((sql.to_string(), true));
                // A skipped text comes back as it is, unparsed.
                let skipped_error = expected.is_err() && got == unchanged;
                assert!(got == expected || skipped_error, "{name}: {sql}\n{got:?}");
            }
        }
    }
}

#[test]
fn skipping_unmatched_text_skips_the_parse() {
    let qualifier = Qualifier::builder()
        .schema(Schema::new("s").unwrap())
        .syntax_check(SyntaxCheck::Candidates)
        .build();
    for sql in ["SELEC 1", "SELECT 'open", "SELECT * FROM litellm_a WHERE"] {
        assert!(matches!(qualifier.qualify(sql), Ok(Cow::Borrowed(s)) if s == sql));
    }
    let no_match = AUTH_QUERY.replace("LiteLLM_", "Other_");
    assert!(matches!(qualifier.qualify(&no_match), Ok(Cow::Borrowed(_))));
    // What could hold a name is still parsed, and fails as before.
    for sql in ["SELEC \"LiteLLM_A\"", r"SELEC E'\x41'"] {
        assert!(qualifier.qualify(sql).is_err(), "{sql}");
    }
    let limited = Qualifier::builder()
        .schema(Schema::new("s").unwrap())
        .syntax_check(SyntaxCheck::Candidates)
        .max_sql_len(4)
        .build();
    assert!(matches!(
        limited.qualify("SELECT 1"),
        Err(Error::TooLong { .. })
    ));
}

/// Many distinct texts through a cache far too small for them, several
/// times over, so that most lookups follow an eviction.
#[test]
fn results_stay_exact_after_eviction() {
    let texts = variants(40);
    for capacity in [1, 2, 3, 9, 17] {
        for (name, builder) in settings() {
            let reference = builder.clone().cache_capacity(0).build();
            let expected: Vec<_> = texts
                .iter()
                .map(|t| outcome(reference.qualify(t)))
                .collect();
            let tiny = builder.cache_capacity(capacity).build();
            for round in 0..3 {
                for (text, expected) in texts.iter().zip(&expected) {
                    let got = outcome(tiny.qualify(text));
                    assert_eq!(&got, expected, "{name}, {capacity}, {round}: {text}");
                }
                // A hot text among cold ones.
                let hot = outcome(tiny.qualify(AUTH_QUERY));
                assert_eq!(hot, outcome(reference.qualify(AUTH_QUERY)));
            }
        }
    }
}

/// Threads share one qualifier with a small cache and a mixed workload of
/// hot and cold texts, through every entry point; each result is compared
/// with a cache-less qualifier's.
#[test]
fn results_stay_exact_under_threads() {
    let builder = Qualifier::builder()
        .schema(Schema::new("s").unwrap())
        .syntax_check(SyntaxCheck::Candidates);
    let reference = builder.clone().cache_capacity(0).build();
    let shared = Arc::new(builder.cache_capacity(24).build());
    let texts: Arc<Vec<String>> = Arc::new(variants(60));
    let expected: Arc<HashMap<String, _>> = Arc::new(
        texts
            .iter()
            .map(|t| (t.clone(), outcome(reference.qualify(t))))
            .collect(),
    );
    let auth_expected = outcome(reference.qualify(AUTH_QUERY));

    let threads: Vec<_> = (0..4)
        .map(|thread| {
            let (shared, texts, expected) = (shared.clone(), texts.clone(), expected.clone());
            let auth_expected = auth_expected.clone();
            std::thread::spawn(move || {
                for step in 0..1500 {
                    let text = &texts[(step * 7 + thread * 13) % texts.len()];
                    let want = &expected[text];
                    match step % 4 {
                        0 => assert_eq!(&outcome(shared.qualify(text)), want, "{text}"),
                        1 => assert_eq!(&shared_outcome(shared.qualify_shared(text)), want),
                        2 => assert_eq!(outcome(shared.qualify(AUTH_QUERY)), auth_expected),
                        _ => {
                            let got = text_outcome(auth_query_static(&shared));
                            assert_eq!(got, auth_expected.clone().map(|(text, _)| text));
                        }
                    }
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
}

fn auth_query_static(qualifier: &Qualifier) -> Result<Cow<'static, str>, Error> {
    qualify_static!(qualifier, AUTH_QUERY)
}

#[test]
fn a_static_call_site_serves_every_qualifier_exactly() {
    let schemas = ["s", "other", "s"];
    let qualifiers: Vec<Qualifier> = schemas
        .iter()
        .map(|s| Qualifier::new(Schema::new(s).unwrap()))
        .collect();
    for _ in 0..3 {
        for qualifier in &qualifiers {
            let got = text_outcome(auth_query_static(qualifier));
            assert_eq!(got, text_outcome(qualifier.qualify(AUTH_QUERY)));
        }
    }
    let statics: Vec<StaticSql> = CORPUS.iter().map(|sql| StaticSql::new(sql)).collect();
    for (name, builder) in settings() {
        let reference = builder.clone().cache_capacity(0).build();
        let qualifier = builder.build();
        for (sql, stat) in CORPUS.iter().zip(&statics) {
            let expected = text_outcome(reference.qualify(sql));
            for _ in 0..2 {
                let got = text_outcome(stat.qualify(&qualifier));
                assert_eq!(got, expected, "{name}: {sql}");
            }
        }
    }
}

/// A call site of its own: one shared with tests running in parallel may
/// be bound to another qualifier first.
fn auth_query_static_alone(qualifier: &Qualifier) -> Result<Cow<'static, str>, Error> {
    qualify_static!(qualifier, AUTH_QUERY)
}

#[test]
fn a_bound_static_text_is_served_from_its_call_site() {
    let qualifier = Qualifier::new(Schema::new("s").unwrap());
    let first = auth_query_static_alone(&qualifier).unwrap();
    let again = auth_query_static_alone(&qualifier).unwrap();
    let (Cow::Borrowed(first), Cow::Borrowed(again)) = (first, again) else {
        panic!("a bound call site copies nothing");
    };
    assert!(std::ptr::eq(first, again));
    let clone = qualifier.clone();
    assert!(
        matches!(auth_query_static_alone(&clone).unwrap(), Cow::Borrowed(s) if std::ptr::eq(s, first))
    );
}

#[test]
fn a_cache_hit_shares_the_rewrite() {
    let qualifier = Qualifier::new(Schema::new("s").unwrap());
    let Qualified::Rewritten(first) = qualifier.qualify_shared(AUTH_QUERY).unwrap() else {
        panic!("the auth query names tables");
    };
    let Qualified::Rewritten(again) = qualifier.qualify_shared(AUTH_QUERY).unwrap() else {
        panic!("the auth query names tables");
    };
    assert!(Arc::ptr_eq(&first, &again));
    let off = Qualifier::builder()
        .schema(Schema::new("s").unwrap())
        .cache_capacity(0)
        .build();
    let (Ok(Qualified::Rewritten(a)), Ok(Qualified::Rewritten(b))) = (
        off.qualify_shared(AUTH_QUERY),
        off.qualify_shared(AUTH_QUERY),
    ) else {
        panic!("the auth query names tables");
    };
    assert!(!Arc::ptr_eq(&a, &b));
    assert_eq!(a, b);
}

/// The corpus with small differences in the middle and at the end, so that
/// texts share most bytes and differ in a few.
fn variants(count: usize) -> Vec<String> {
    (0..count)
        .map(|n| {
            let base = CORPUS[n % CORPUS.len()];
            match n % 3 {
                0 => format!("{base} -- {n}"),
                1 => format!("/* {n} */ {base}"),
                _ => base.replacen("$1", &format!("${}", n + 1), 1),
            }
        })
        .collect()
}
