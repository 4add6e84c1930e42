//! Ratios that a noisy machine can still measure: the two sides of each
//! ratio run interleaved, sample by sample, so load that comes and goes
//! falls on both alike. Prints the median of each side and their ratio.
//!
//! `cargo bench --bench paired`

use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "support/parallel.rs"]
mod parallel;
use parallel::in_parallel;

use pgqualify::{Qualifier, Schema, SyntaxCheck};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

const AUTH_QUERY: &str = include_str!("../examples/auth_query.sql");

/// Samples per side, after as many again to warm up.
const SAMPLES: usize = 2000;

fn main() {
    // `cargo bench` passes `--bench`; under `cargo test --benches` there is
    // nothing to check.
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    let schema = || Schema::new("litellm").unwrap();
    let cold = Qualifier::builder()
        .schema(schema())
        .cache_capacity(0)
        .build();
    let cached = Qualifier::new(schema());
    cached.qualify_shared(AUTH_QUERY).unwrap();
    let skipping = Qualifier::builder()
        .schema(schema())
        .syntax_check(SyntaxCheck::Candidates)
        .cache_capacity(0)
        .build();
    let no_match = AUTH_QUERY.replace("LiteLLM_", "Other_");
    let finder = memchr::memmem::Finder::new("LiteLLM_");

    let parse = || {
        black_box(Parser::parse_sql(&PostgreSqlDialect {}, black_box(AUTH_QUERY)).unwrap());
    };
    let qualify = || {
        black_box(cold.qualify(black_box(AUTH_QUERY)).unwrap());
    };
    let hit = || {
        black_box(cached.qualify_shared(black_box(AUTH_QUERY)).unwrap());
    };
    let skip = || {
        black_box(skipping.qualify(black_box(&no_match)).unwrap());
    };
    let scan = || {
        black_box(finder.find(black_box(no_match.as_bytes())));
    };

    report("qualify / parse_only", pair((&qualify, 1), (&parse, 1)));
    report(
        "parse_only / qualify_cached",
        pair((&parse, 1), (&hit, 1000)),
    );
    report("no_match / memmem_scan", pair((&skip, 1000), (&scan, 1000)));
    threads(&cached);
}

/// Cache hits per thread from one thread, two on one text and two on two
/// texts, the three taking turns round by round.
fn threads(cached: &Qualifier) {
    let other = format!("/* other */ {AUTH_QUERY}");
    cached.qualify_shared(&other).unwrap();
    let cases: [&[&str]; 3] = [
        &[AUTH_QUERY],
        &[AUTH_QUERY, AUTH_QUERY],
        &[AUTH_QUERY, &other],
    ];
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    for _ in 0..SAMPLES / 10 {
        for (texts, times) in cases.iter().zip(&mut times) {
            times.push(hits_in_parallel(cached, texts));
        }
    }
    let [one, same, distinct] = times.map(median);
    println!(
        "cache hits per thread: 1 thread {one:?}; 2 threads, one text {same:?}; \
         2 threads, two texts {distinct:?} (medians of {} interleaved samples)",
        SAMPLES / 10
    );
}

/// One thread per text, each timing 10 000 hits; the slowest thread's time
/// per hit.
fn hits_in_parallel(qualifier: &Qualifier, texts: &[&str]) -> Duration {
    const HITS: u32 = 10_000;
    let hit = |sql: &str| {
        black_box(qualifier.qualify_shared(black_box(sql)).unwrap());
    };
    in_parallel(texts, u64::from(HITS), hit) / HITS
}

/// Medians of the time per call of `a` and of `b`, each sample timing a
/// batch of calls (large batches for calls of nanoseconds).
fn pair(a: (&dyn Fn(), u32), b: (&dyn Fn(), u32)) -> (Duration, Duration) {
    let (mut times_a, mut times_b) = (Vec::new(), Vec::new());
    for round in 0..2 * SAMPLES {
        let (time_a, time_b) = (batch(a), batch(b));
        if round >= SAMPLES {
            times_a.push(time_a);
            times_b.push(time_b);
        }
    }
    (median(times_a), median(times_b))
}

fn batch((work, calls): (&dyn Fn(), u32)) -> Duration {
    let began = Instant::now();
    for _ in 0..calls {
        work();
    }
    began.elapsed() / calls
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn report(name: &str, (a, b): (Duration, Duration)) {
    let ratio = a.as_secs_f64() / b.as_secs_f64();
    println!("{name}: {a:?} / {b:?} = {ratio:.3} (medians of {SAMPLES} interleaved samples)");
}
