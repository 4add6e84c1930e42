//! What a rewrite costs, cold and through each fast path, against parsing
//! alone and against a naive textual replace.
//!
//! `cargo bench --bench qualify`; BENCHMARKS.md holds a run and how to
//! read it. Runs are kept short (30 samples, 3 s each) for noisy machines.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

#[path = "support/parallel.rs"]
mod parallel;
use parallel::in_parallel;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use pgqualify::{qualify_static, Qualifier, Schema, SyntaxCheck};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

/// About 1.9 KB: nine LEFT JOINs, `$1`, COALESCE, JSON operators.
const AUTH_QUERY: &str = include_str!("../examples/auth_query.sql");

fn schema() -> Schema {
    Schema::new("litellm").unwrap()
}

/// No cache: every call parses.
fn cold() -> Qualifier {
    Qualifier::builder()
        .schema(schema())
        .cache_capacity(0)
        .build()
}

fn auth_query(c: &mut Criterion) {
    let mut group = c.benchmark_group("auth_query");
    group.throughput(Throughput::Bytes(AUTH_QUERY.len() as u64));

    group.bench_function("parse_only", |b| {
        b.iter(|| Parser::parse_sql(&PostgreSqlDialect {}, black_box(AUTH_QUERY)).unwrap())
    });

    let cold = cold();
    group.bench_function("qualify", |b| {
        b.iter(|| cold.qualify(black_box(AUTH_QUERY)).unwrap())
    });

    let cached = Qualifier::new(schema());
    cached.qualify_shared(AUTH_QUERY).unwrap();
    group.bench_function("qualify_cached", |b| {
        b.iter(|| cached.qualify_shared(black_box(AUTH_QUERY)).unwrap())
    });
    group.bench_function("qualify_cached_cow", |b| {
        b.iter(|| cached.qualify(black_box(AUTH_QUERY)).unwrap())
    });

    group.bench_function("qualify_static", |b| {
        b.iter(|| qualify_static!(black_box(&cached), AUTH_QUERY).unwrap())
    });

    let no_match = AUTH_QUERY.replace("LiteLLM_", "Other_");
    let skipping = Qualifier::builder()
        .schema(schema())
        .syntax_check(SyntaxCheck::Candidates)
        .cache_capacity(0)
        .build();
    assert!(skipping.qualify(&no_match).unwrap() == no_match.as_str());
    group.bench_function("no_match", |b| {
        b.iter(|| skipping.qualify(black_box(&no_match)).unwrap())
    });
    let finder = memchr::memmem::Finder::new("LiteLLM_");
    group.bench_function("memmem_scan", |b| {
        b.iter(|| finder.find(black_box(no_match.as_bytes())))
    });

    // The naive peer: prefix every quoted `LiteLLM_` name, wherever it is
    // (comments, strings and qualified names included).
    let naive = regex::Regex::new(r#""LiteLLM_"#).unwrap();
    let prefix = regex::NoExpand(r#""litellm"."LiteLLM_"#);
    group.bench_function("regex_peer", |b| {
        b.iter(|| naive.replace_all(black_box(AUTH_QUERY), prefix.clone()))
    });
    group.finish();
}

/// The cold rewrite of 1, 10 and 100 copies of the query as statements.
fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaling");
    group.sampling_mode(SamplingMode::Flat);
    let cold = cold();
    for copies in [1, 10, 100] {
        let sql = AUTH_QUERY.repeat(copies);
        group.throughput(Throughput::Bytes(sql.len() as u64));
        group.bench_function(format!("{copies}x"), |b| {
            b.iter(|| cold.qualify(black_box(&sql)).unwrap())
        });
    }
    group.finish();
}

/// Cache hits from one thread, and from two at once on a shared qualifier:
/// the time is per hit in each thread. `2_distinct` looks up two texts
/// that live apart; `2_near_twins` two of the same length that differ in
/// one byte the hash does not sample, so they share a set and a hash and
/// one of them is compared twice; `1_scan` and `2_scan` run a scan that
/// shares nothing, to tell what two threads cost on this machine from what
/// they cost each other.
fn threads(c: &mut Criterion) {
    let mut group = c.benchmark_group("threads");
    let qualifier = Arc::new(Qualifier::new(schema()));
    // Differs at the start, so it hashes apart (see `near_twin` for a
    // text that does not).
    let other = format!("/* other */ {AUTH_QUERY}");
    let near_twin = AUTH_QUERY.replace("$1", "$2");
    for sql in [AUTH_QUERY, &other, &near_twin] {
        qualifier.qualify_shared(sql).unwrap();
    }
    let hit = |sql: &str| {
        black_box(qualifier.qualify_shared(black_box(sql)).unwrap());
    };
    let cases = [
        ("1", vec![AUTH_QUERY]),
        ("2", vec![AUTH_QUERY, AUTH_QUERY]),
        ("2_distinct", vec![AUTH_QUERY, other.as_str()]),
        ("2_near_twins", vec![AUTH_QUERY, near_twin.as_str()]),
    ];
    for (name, texts) in &cases {
        group.bench_function(*name, |b| {
            b.iter_custom(|iters| in_parallel(texts, iters, hit))
        });
    }
    let finder = memchr::memmem::Finder::new("LiteLLM_");
    let no_match = AUTH_QUERY.replace("LiteLLM_", "Other_");
    let scan = |sql: &str| {
        black_box(finder.find(black_box(sql.as_bytes())));
    };
    for (name, copies) in [("1_scan", 1), ("2_scan", 2)] {
        let texts = vec![no_match.as_str(); copies];
        group.bench_function(name, |b| {
            b.iter_custom(|iters| in_parallel(&texts, iters, scan))
        });
    }
    group.finish();
}

fn settings() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = settings();
    targets = auth_query, scaling, threads
}
criterion_main!(benches);
