//! The `pgqualify` binary, run for real: its output, messages and exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs the binary with `args`, `stdin` and only the environment given.
fn run(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pgqualify"));
    command
        .args(args)
        .env_remove("LITELLM_DB_SCHEMA")
        .env_remove("DATABASE_URL");
    command.envs(env.iter().copied());
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // A run that fails before reading its input closes the pipe early.
    match child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => panic!("{error}"),
        _ => {}
    }
    child.wait_with_output().unwrap()
}

/// Asserts status, stdout and stderr at once, showing all of them on failure.
#[track_caller]
fn expect(output: Output, status: i32, stdout: &str, stderr: &str) {
    let actual = (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    );
    let wanted = (Some(status), stdout.to_owned(), stderr.to_owned());
    assert_eq!(actual, wanted, "(status, stdout, stderr)");
}

const SQL: &str = "SELECT * FROM \"LiteLLM_A\" a JOIN b ON true\n";

#[test]
fn rewrites_stdin_with_the_schema_from_each_source() {
    let expected = "SELECT * FROM \"x\".\"LiteLLM_A\" a JOIN b ON true\n";
    expect(run(&["--schema", "x"], &[], SQL), 0, expected, "");
    expect(
        run(&["--schema=x"], &[("LITELLM_DB_SCHEMA", "y")], SQL),
        0,
        expected,
        "",
    );
    expect(
        run(
            &[],
            &[
                ("LITELLM_DB_SCHEMA", "x"),
                ("DATABASE_URL", "postgres://h/d?schema=y"),
            ],
            SQL,
        ),
        0,
        expected,
        "",
    );
    expect(
        run(
            &[],
            &[("DATABASE_URL", "postgresql://u:pw@h/d?schema=x")],
            SQL,
        ),
        0,
        expected,
        "",
    );
}

#[test]
fn without_a_schema_echoes_and_says_so() {
    let note =
        "pgqualify: no schema (--schema, LITELLM_DB_SCHEMA or DATABASE_URL); SQL left as it is\n";
    expect(run(&[], &[], "not even SQL"), 0, "not even SQL", note);
}

#[test]
fn match_patterns_are_repeatable() {
    let sql = "SELECT * FROM t, u, \"LiteLLM_A\", v";
    let expected = "SELECT * FROM \"s\".t, \"s\".u, \"LiteLLM_A\", v";
    expect(
        run(&["--schema", "s", "--match", "t", "--match", "u"], &[], sql),
        0,
        expected,
        "",
    );
    let all = "SELECT * FROM \"s\".t, \"s\".u, \"s\".\"LiteLLM_A\", \"s\".v";
    expect(
        run(&["--schema", "s", "--match", "*"], &[], sql),
        0,
        all,
        "",
    );
}

#[test]
fn reads_files_in_order() {
    let dir = std::env::temp_dir().join(format!("pgqualify-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let first = dir.join("first.sql");
    let second = dir.join("second.sql");
    std::fs::write(&first, "SELECT 1 FROM \"LiteLLM_A\";\n").unwrap();
    std::fs::write(&second, "SELECT 2 FROM \"LiteLLM_B\";\n").unwrap();
    let (first, second) = (first.to_str().unwrap(), second.to_str().unwrap());
    let expected = "SELECT 1 FROM \"s\".\"LiteLLM_A\";\nSELECT 2 FROM \"s\".\"LiteLLM_B\";\n";
    expect(
        run(&["--schema", "s", first, second], &[], ""),
        0,
        expected,
        "",
    );

    let missing = dir.join("missing.sql");
    let output = run(
        &["--schema", "s", first, missing.to_str().unwrap()],
        &[],
        "",
    );
    let stderr = format!(
        "{}: cannot read: No such file or directory (os error 2)\n",
        missing.display()
    );
    expect(output, 2, "", &stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_reports_each_name_and_exits_1() {
    let sql = "SELECT *\nFROM \"LiteLLM_A\" JOIN public.\"LiteLLM_B\" ON true\nWHERE x = '\"LiteLLM_C\"'::regclass";
    let stderr = "<stdin>:2:6: unqualified relation \"LiteLLM_A\"\n<stdin>:3:11: unqualified relation \"LiteLLM_C\"\n";
    expect(run(&["--check"], &[], sql), 1, "", stderr);
    expect(
        run(
            &["--check", "--schema", "s"],
            &[],
            "SELECT * FROM s.\"LiteLLM_A\"",
        ),
        0,
        "",
        "",
    );
}

#[test]
fn errors_go_to_stderr_with_file_line_and_column() {
    let stderr = "<stdin>:2:1: cannot parse SQL: Expected: an SQL statement, found: SELEC\n";
    expect(
        run(&["--schema", "s"], &[], "SELECT 1;\nSELEC 2"),
        2,
        "",
        stderr,
    );
    let stderr = "<stdin>:2:1: cannot parse SQL: Expected: an SQL statement, found: SELEC\n";
    expect(run(&["--check"], &[], "SELECT 1;\nSELEC 2"), 2, "", stderr);
    let stderr = "<stdin>: not valid UTF-8 at byte 7\n";
    let output = Command::new(env!("CARGO_BIN_EXE_pgqualify"))
        .args(["--schema", "s", "/dev/stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(b"SELECT \xff")?;
            child.wait_with_output()
        })
        .unwrap();
    expect(output, 2, "", &stderr.replace("<stdin>", "/dev/stdin"));
}

#[test]
fn settings_errors_never_show_the_password() {
    let url = "postgres://app:hunter2@db/app?schema=a&schema=b";
    let stderr = "pgqualify: DATABASE_URL has two different schema parameters: `a` and `b`\n";
    expect(run(&[], &[("DATABASE_URL", url)], SQL), 2, "", stderr);
    let stderr = "pgqualify: DATABASE_URL is not a valid URL: invalid IPv6 address\n";
    expect(
        run(
            &[],
            &[("DATABASE_URL", "postgres://app:hunter2@[db/app")],
            SQL,
        ),
        2,
        "",
        stderr,
    );
    let stderr =
        "pgqualify: the given schema name is 64 bytes long; PostgreSQL allows at most 63\n";
    expect(run(&["--schema", &"x".repeat(64)], &[], SQL), 2, "", stderr);
}

#[test]
fn usage_errors_exit_2() {
    let hint = "try 'pgqualify --help'\n";
    expect(
        run(&["--bogus"], &[], ""),
        2,
        "",
        &format!("pgqualify: unknown option --bogus\n{hint}"),
    );
    expect(
        run(&["--schema"], &[], ""),
        2,
        "",
        &format!("pgqualify: --schema needs a value\n{hint}"),
    );
    expect(
        run(&["--match", ""], &[], ""),
        2,
        "",
        "pgqualify: table pattern `` is empty\n",
    );
    let help = run(&["--help"], &[], "");
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).starts_with("usage: pgqualify [--schema NAME]"));
}

#[test]
fn empty_input_is_fine() {
    expect(run(&["--schema", "s"], &[], ""), 0, "", "");
    expect(run(&["--check"], &[], ""), 0, "", "");
}

#[test]
fn a_prisma_schema_chooses_the_names() {
    let dir = std::env::temp_dir().join(format!("pgqualify-prisma-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("schema.prisma");
    std::fs::write(
        &good,
        "model Job {\n  id Int @id\n  @@map(\"jobs\")\n}\nenum State { A B }\n",
    )
    .unwrap();
    let bad = dir.join("bad.prisma");
    std::fs::write(&bad, "model Job {\n  @@map(1)\n}\n").unwrap();
    let (good, bad) = (good.to_str().unwrap(), bad.to_str().unwrap());

    let sql = "UPDATE jobs SET state = $1::\"State\" FROM \"LiteLLM_A\"";
    let expected = "UPDATE \"s\".jobs SET state = $1::\"s\".\"State\" FROM \"LiteLLM_A\"";
    expect(
        run(&["--schema", "s", "--prisma-schema", good], &[], sql),
        0,
        expected,
        "",
    );
    let with_pattern = "UPDATE \"s\".jobs SET state = $1::\"s\".\"State\" FROM \"s\".\"LiteLLM_A\"";
    let args = [
        "--schema",
        "s",
        "--prisma-schema",
        good,
        "--match",
        "LiteLLM_*",
    ];
    expect(run(&args, &[], sql), 0, with_pattern, "");

    let stderr = format!("{bad}:2:9: invalid Prisma schema: @@map needs a string argument\n");
    expect(
        run(&["--schema", "s", "--prisma-schema", bad], &[], sql),
        2,
        "",
        &stderr,
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn current_schema_is_pinned_on_request() {
    let sql = "SELECT current_schema(), current_schemas(false)";
    expect(run(&["--schema", "s"], &[], sql), 0, sql, "");
    let pinned = "SELECT 's'::name, ARRAY['s']::name[]";
    expect(
        run(&["--schema", "s", "--pin-current-schema"], &[], sql),
        0,
        pinned,
        "",
    );
}
