//! Qualifies many statements in one process, for checks that feed a whole
//! test corpus through the library.
//!
//! Reads statements from standard input, each ended by a NUL byte, and
//! qualifies every relation (pattern `*`) with the schema named by the one
//! argument. For each statement it writes, NUL-separated:
//!
//! - `OK`, then the rewritten text;
//! - `ERR`, then the error message, when the library refuses the text;
//! - `PANIC`, then the panic message, which is always a bug.
//!
//! ```text
//! printf 'select * from t\0' | cargo run --example qualify_batch -- pgq_s
//! ```

use std::io::{self, BufWriter, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::thread;

use pgqualify::{Qualifier, Schema};

/// Deeply nested statements recurse deeply; give them room.
const STACK_BYTES: usize = 512 * 1024 * 1024;

fn main() -> ExitCode {
    let Some(schema) = single_argument() else {
        eprintln!("usage: qualify_batch SCHEMA < statements");
        return ExitCode::from(2);
    };
    let worker = thread::Builder::new()
        .stack_size(STACK_BYTES)
        .spawn(move || run(&schema));
    match worker.map(|handle| handle.join()) {
        Ok(Ok(Ok(()))) => ExitCode::SUCCESS,
        Ok(Ok(Err(message))) => {
            eprintln!("qualify_batch: {message}");
            ExitCode::FAILURE
        }
        _ => ExitCode::FAILURE,
    }
}

fn single_argument() -> Option<String> {
    let mut args = std::env::args().skip(1);
    let first = args.next()?;
    args.next().is_none().then_some(first)
}

fn run(schema: &str) -> Result<(), String> {
    let schema = Schema::new(schema).map_err(|e| e.to_string())?;
    let qualifier = Qualifier::builder()
        .schema(schema)
        .patterns(["*"])
        .map_err(|e| e.to_string())?
        .build();

    let mut input = Vec::new();
    io::stdin()
        .read_to_end(&mut input)
        .map_err(|e| format!("cannot read standard input: {e}"))?;

    // Panics are reported per statement; keep the default hook quiet.
    panic::set_hook(Box::new(|_| {}));
    let mut out = BufWriter::new(io::stdout().lock());
    for statement in statements(&input) {
        let sql = String::from_utf8_lossy(statement);
        let (tag, text) = qualify_one(&qualifier, &sql);
        write_record(&mut out, tag, &text)
            .map_err(|e| format!("cannot write standard output: {e}"))?;
    }
    Ok(())
}

/// The NUL-terminated pieces of the input; a last piece without its NUL
/// still counts.
fn statements(input: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = input.strip_suffix(&[0]).unwrap_or(input);
    let pieces = (!body.is_empty()).then(|| body.split(|&b| b == 0));
    pieces.into_iter().flatten()
}

fn qualify_one(qualifier: &Qualifier, sql: &str) -> (&'static str, String) {
    let result = panic::catch_unwind(AssertUnwindSafe(|| qualifier.qualify(sql)));
    match result {
        Ok(Ok(text)) => ("OK", text.into_owned()),
        Ok(Err(error)) => ("ERR", error.to_string()),
        Err(payload) => ("PANIC", panic_message(payload.as_ref())),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "panic without a message".to_owned()
    }
}

/// Flushed per record so that a reader sees progress as it happens.
fn write_record(out: &mut impl Write, tag: &str, text: &str) -> io::Result<()> {
    let clean = text.replace('\0', "\u{fffd}");
    write!(out, "{tag}\0{clean}\0")?;
    out.flush()
}
