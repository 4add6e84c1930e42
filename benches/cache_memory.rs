//! How many bytes the cache keeps per entry, counted by a global allocator
//! that tracks every allocation.
//!
//! `cargo bench --bench cache_memory` prints, for rewritten and for
//! unchanged texts: the bytes an empty cache allocates per slot, the bytes
//! each filled entry adds, and the peak of one cold rewrite.

use std::alloc::System;

use cap::Cap;
use pgqualify::{Qualifier, Schema};

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

const AUTH_QUERY: &str = include_str!("../examples/auth_query.sql");

/// Slots in the cache, and texts put in: few enough per set of eight that
/// none is evicted, so every byte counted belongs to a live entry.
const CAPACITY: usize = 1024;
const TEXTS: usize = 128;

fn main() {
    // `cargo bench` passes `--bench`; under `cargo test --benches` there is
    // nothing to check.
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    let cold = Qualifier::builder()
        .schema(Schema::new("litellm").unwrap())
        .cache_capacity(0)
        .build();
    let start = ALLOCATOR.allocated();
    cold.qualify(AUTH_QUERY).unwrap();
    let peak = ALLOCATOR.max_allocated() - start;
    println!(
        "one cold rewrite of {} B: peak {} KiB above the start",
        AUTH_QUERY.len(),
        peak >> 10
    );

    let unchanged = AUTH_QUERY.replace("LiteLLM_", "Other_");
    for (kind, base) in [("rewritten", AUTH_QUERY), ("unchanged", unchanged.as_str())] {
        let texts: Vec<String> = (0..TEXTS).map(|n| format!("{base}-- {n:04}\n")).collect();
        measure(kind, &texts);
    }
}

fn measure(kind: &str, texts: &[String]) {
    let before_build = ALLOCATOR.allocated();
    let qualifier = Qualifier::builder()
        .schema(Schema::new("litellm").unwrap())
        .cache_capacity(CAPACITY)
        .build();
    let table = ALLOCATOR.allocated() - before_build;

    let before_fill = ALLOCATOR.allocated();
    for text in texts {
        qualifier.qualify_shared(text).unwrap();
    }
    let kept = ALLOCATOR.allocated() - before_fill;

    let hits = texts.iter().filter(|t| is_hit(&qualifier, t)).count();
    assert_eq!(
        hits,
        texts.len(),
        "an entry was evicted; counts would be off"
    );
    let output = qualifier.qualify_shared(&texts[0]).unwrap().len();
    println!(
        "{kind}: {} B in, {output} B out; empty table {} B per slot; \
         each entry adds {} B",
        texts[0].len(),
        table / CAPACITY,
        kept / texts.len(),
    );
}

/// Whether a lookup allocates nothing, as only a hit can.
fn is_hit(qualifier: &Qualifier, sql: &str) -> bool {
    let before = ALLOCATOR.total_allocated();
    let _ = qualifier.qualify_shared(sql).unwrap();
    ALLOCATOR.total_allocated() == before
}
