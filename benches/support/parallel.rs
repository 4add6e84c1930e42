//! Timing the same work on several threads at once, shared by the bench
//! targets.

use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

/// One thread per text, each running `work` on it `iters` times; the
/// slowest thread's time.
pub fn in_parallel(texts: &[&str], iters: u64, work: impl Fn(&str) + Sync) -> Duration {
    let start = Barrier::new(texts.len());
    let (start, work) = (&start, &work);
    thread::scope(|scope| {
        let runs: Vec<_> = texts
            .iter()
            .map(|&sql| {
                scope.spawn(move || {
                    start.wait();
                    let began = Instant::now();
                    for _ in 0..iters {
                        work(sql);
                    }
                    began.elapsed()
                })
            })
            .collect();
        runs.into_iter()
            .map(|run| run.join().unwrap())
            .max()
            .unwrap()
    })
}
