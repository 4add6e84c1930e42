//! `pgqualify`: schema-qualify table names in SQL files or standard input.
//!
//! Arguments are read by hand so that the library pulls in no argument
//! parser for its users.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use pgqualify::{Error, PrismaSchema, Qualifier, Schema};

const USAGE: &str = "\
usage: pgqualify [--schema NAME] [--match GLOB]... [--prisma-schema FILE]
                 [--pin-current-schema] [--check] [FILE...]

Puts the schema in front of every unqualified table name that matches, so
raw SQL works behind poolers that reset search_path. Reads each FILE, or
standard input when none is given, and writes the result to standard output.

options:
  --schema NAME   schema to qualify with; default: LITELLM_DB_SCHEMA, else
                  the schema parameter of DATABASE_URL
  --match GLOB    table name pattern, repeatable; default: LiteLLM_*
                  ('*' matches every table)
  --prisma-schema FILE
                  qualify the tables, views and enums FILE declares
                  (LiteLLM_* then applies only if --match asks for it)
  --pin-current-schema
                  replace current_schema() and current_schemas(bool) by
                  their values under the schema
  --check         write nothing; report each unqualified name and exit 1
                  if there is any
  -h, --help      show this help
  -V, --version   show the version

exit status: 0 success, 1 unqualified names found by --check, 2 error";

/// What the command line asks for.
struct Options {
    schema: Option<String>,
    patterns: Vec<String>,
    prisma_schema: Option<String>,
    pin_current_schema: bool,
    check: bool,
    files: Vec<String>,
}

enum Command {
    Run(Options),
    Help,
    Version,
}

fn main() -> ExitCode {
    let args: Vec<String> = match std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect()
    {
        Ok(args) => args,
        Err(_) => return usage_error("arguments must be valid UTF-8"),
    };
    match parse_args(args) {
        Ok(Command::Help) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Version) => {
            println!("pgqualify {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Ok(Command::Run(options)) => run(options),
        Err(message) => usage_error(&message),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("pgqualify: {message}\ntry 'pgqualify --help'");
    ExitCode::from(2)
}

fn parse_args(args: Vec<String>) -> Result<Command, String> {
    let mut options = Options {
        schema: None,
        patterns: Vec::new(),
        prisma_schema: None,
        pin_current_schema: false,
        check: false,
        files: Vec::new(),
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--schema" => options.schema = Some(value("--schema")?),
            "--match" => options.patterns.push(value("--match")?),
            "--prisma-schema" => options.prisma_schema = Some(value("--prisma-schema")?),
            "--pin-current-schema" if inline.is_none() => options.pin_current_schema = true,
            "--check" if inline.is_none() => options.check = true,
            "--" => {
                options.files.extend(args.by_ref());
            }
            _ if arg.starts_with('-') && arg != "-" => return Err(format!("unknown option {arg}")),
            _ => options.files.push(arg),
        }
    }
    Ok(Command::Run(options))
}

fn run(options: Options) -> ExitCode {
    let qualifier = match qualifier(&options) {
        Ok(qualifier) => qualifier,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    if qualifier.schema().is_none() && !options.check {
        eprintln!(
            "pgqualify: no schema (--schema, LITELLM_DB_SCHEMA or DATABASE_URL); SQL left as it is"
        );
    }

    let inputs = if options.files.is_empty() {
        vec!["-".to_owned()]
    } else {
        options.files
    };
    let mut output = String::new();
    let mut failed = false;
    let mut found = false;
    for input in &inputs {
        let name = if input == "-" {
            "<stdin>"
        } else {
            input.as_str()
        };
        let sql = match read(input) {
            Ok(sql) => sql,
            Err(message) => {
                eprintln!("{name}: {message}");
                failed = true;
                continue;
            }
        };
        if options.check {
            match qualifier.unqualified(&sql) {
                Ok(names) => {
                    for unqualified in &names {
                        let position = unqualified.position;
                        eprintln!(
                            "{name}:{position}: unqualified relation {:?}",
                            unqualified.name
                        );
                    }
                    found |= !names.is_empty();
                }
                Err(error) => failed |= report(name, &error),
            }
        } else {
            match qualifier.qualify(&sql) {
                Ok(sql) => output.push_str(&sql),
                Err(error) => failed |= report(name, &error),
            }
        }
    }

    if failed {
        return ExitCode::from(2);
    }
    if let Err(error) = io::stdout().lock().write_all(output.as_bytes()) {
        eprintln!("pgqualify: cannot write the output: {error}");
        return ExitCode::from(2);
    }
    if found {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The qualifier the options ask for, or the message that says why not.
fn qualifier(options: &Options) -> Result<Qualifier, String> {
    let general = |error: Error| format!("pgqualify: {}", chain(&error));
    let mut builder = Qualifier::builder();
    let schema = match &options.schema {
        Some(name) => Some(Schema::new(name).map_err(general)?),
        None => Schema::from_env().map_err(general)?,
    };
    if let Some(schema) = schema {
        builder = builder.schema(schema);
    }
    if !options.patterns.is_empty() {
        builder = builder.patterns(&options.patterns).map_err(general)?;
    }
    if let Some(file) = &options.prisma_schema {
        let text = read(file).map_err(|message| format!("{file}: {message}"))?;
        let prisma = PrismaSchema::parse(&text).map_err(|error| located(file, &error))?;
        builder = builder
            .prisma_schema(&prisma)
            .map_err(|error| located(file, &error))?;
    }
    Ok(builder
        .pin_current_schema(options.pin_current_schema)
        .build())
}

fn read(input: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    let result = if input == "-" {
        io::stdin().lock().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(input)
            .and_then(|mut file| file.read_to_end(&mut bytes))
            .map(|_| ())
    };
    result.map_err(|error| format!("cannot read: {error}"))?;
    String::from_utf8(bytes).map_err(|error| {
        format!(
            "not valid UTF-8 at byte {}",
            error.utf8_error().valid_up_to()
        )
    })
}

/// Prints `FILE:LINE:COL: message` (or `FILE: message`); always true.
fn report(name: &str, error: &Error) -> bool {
    eprintln!("{}", located(name, error));
    true
}

/// `FILE:LINE:COL: message`, or `FILE: message` for an error without a
/// position.
fn located(name: &str, error: &Error) -> String {
    let message = chain(error);
    match error.position() {
        Some(position) => {
            // The position leads the line; the message need not repeat it.
            let message = message.replacen(&format!(" at {position}"), "", 1);
            format!("{name}:{position}: {message}")
        }
        None => format!("{name}: {message}"),
    }
}

/// The error and its causes on one line. A parser's message ends with the
/// position, which is already at the start of the line; it is cut off.
fn chain(error: &Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let message = cause.to_string();
        let message = message
            .strip_prefix("sql parser error: ")
            .unwrap_or(&message);
        let message = message.split(" at Line: ").next().unwrap_or(message);
        text.push_str(": ");
        text.push_str(message);
        source = cause.source();
    }
    text
}
