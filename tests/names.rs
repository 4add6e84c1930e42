//! Names beyond the `LiteLLM_*` pattern: exact relation and type names, the
//! names a Prisma schema declares, pinned `current_schema()`, and relation
//! names bound as parameters. One line per case.

#[path = "support/check.rs"]
mod support;
use support::check;

use pgqualify::{PrismaSchema, Qualifier, Schema};

const FIXTURE: &str = include_str!("fixtures/schema.prisma");

fn schema() -> Schema {
    Schema::new("s").unwrap()
}

#[test]
#[rustfmt::skip] // one line per case
fn exact_types_are_qualified_wherever_a_type_is_resolved() {
    let qualifier = Qualifier::builder().schema(schema()).types(["JobStatus"]).build();
    check(&qualifier, &[
        (r#"INSERT INTO jobs (status) VALUES ($4::"JobStatus")"#, r#"INSERT INTO jobs (status) VALUES ($4::"s"."JobStatus")"#),
        (r#"SELECT CAST($1 AS "JobStatus"[]), "JobStatus" 'DONE'"#, r#"SELECT CAST($1 AS "s"."JobStatus"[]), "s"."JobStatus" 'DONE'"#),
        (r#"CREATE TABLE jobs (id int, status "JobStatus" NOT NULL, old "JobStatus"[])"#, r#"CREATE TABLE jobs (id int, status "s"."JobStatus" NOT NULL, old "s"."JobStatus"[])"#),
        (r#"ALTER TABLE jobs ADD COLUMN s2 "JobStatus""#, r#"ALTER TABLE jobs ADD COLUMN s2 "s"."JobStatus""#),
        (r#"ALTER TABLE jobs ALTER COLUMN status TYPE "JobStatus" USING status::text::"JobStatus""#, r#"ALTER TABLE jobs ALTER COLUMN status TYPE "s"."JobStatus" USING status::text::"s"."JobStatus""#),
        (r#"CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'DONE')"#, r#"CREATE TYPE "s"."JobStatus" AS ENUM ('QUEUED', 'DONE')"#),
        (r#"ALTER TYPE "JobStatus" ADD VALUE 'FAILED'"#, r#"ALTER TYPE "s"."JobStatus" ADD VALUE 'FAILED'"#),
        (r#"DROP TYPE IF EXISTS "JobStatus""#, r#"DROP TYPE IF EXISTS "s"."JobStatus""#),
        (r#"CREATE FUNCTION open(s "JobStatus") RETURNS SETOF "JobStatus" LANGUAGE sql AS $$SELECT s$$"#, r#"CREATE FUNCTION open(s "s"."JobStatus") RETURNS SETOF "s"."JobStatus" LANGUAGE sql AS $$SELECT s$$"#),
        (r#"SELECT * FROM jsonb_to_recordset($1::jsonb) AS j(id text, status "JobStatus")"#, r#"SELECT * FROM jsonb_to_recordset($1::jsonb) AS j(id text, status "s"."JobStatus")"#),
        (r#"COMMENT ON TYPE "JobStatus" IS 'states'"#, r#"COMMENT ON TYPE "s"."JobStatus" IS 'states'"#),
        // A type is not a relation, nor a string that names one.
        (r#"SELECT '"JobStatus"'::regclass, jobstatus::text FROM "JobStatus""#, r#"SELECT '"JobStatus"'::regclass, jobstatus::text FROM "JobStatus""#),
        (r#"SELECT x::jobstatus, x::public."JobStatus""#, r#"SELECT x::jobstatus, x::public."JobStatus""#),
    ]);
}

#[test]
#[rustfmt::skip] // one line per case
fn exact_relations_replace_the_default_pattern() {
    let qualifier = Qualifier::builder().schema(schema()).relations(["MonthlyGlobalSpend", "spend_view"]).build();
    check(&qualifier, &[
        (r#"SELECT * FROM "MonthlyGlobalSpend" JOIN spend_view USING (date)"#, r#"SELECT * FROM "s"."MonthlyGlobalSpend" JOIN "s".spend_view USING (date)"#),
        (r#"CREATE OR REPLACE VIEW "MonthlyGlobalSpend" AS SELECT 1"#, r#"CREATE OR REPLACE VIEW "s"."MonthlyGlobalSpend" AS SELECT 1"#),
        (r#"SELECT to_regclass('"MonthlyGlobalSpend"'), NULL::"MonthlyGlobalSpend""#, r#"SELECT to_regclass('"s"."MonthlyGlobalSpend"'), NULL::"s"."MonthlyGlobalSpend""#),
        (r#"SELECT * FROM "monthlyglobalspend", MonthlyGlobalSpend, "LiteLLM_A""#, r#"SELECT * FROM "monthlyglobalspend", MonthlyGlobalSpend, "LiteLLM_A""#),
    ]);
    let both = Qualifier::builder().schema(schema()).relations(["V"]).patterns(["LiteLLM_*"]).unwrap().build();
    check(&both, &[(r#"SELECT * FROM "V", "LiteLLM_A""#, r#"SELECT * FROM "s"."V", "s"."LiteLLM_A""#)]);
}

#[test]
fn the_prisma_fixture_declares_these_names() {
    let prisma = PrismaSchema::parse(FIXTURE).unwrap();
    let names = |list: &[pgqualify::DeclaredName]| -> Vec<String> {
        list.iter().map(|n| n.name.clone()).collect()
    };
    let relations = [
        "LiteLLM_BudgetTable",
        "LiteLLM_TeamTable",
        "LiteLLM_VerificationToken",
        "LiteLLM_SpendLogs",
        "ManagedJob",
        "MonthlyGlobalSpend",
        "Last30dKeysBySpend",
    ];
    assert_eq!(names(prisma.relations()), relations);
    let types = ["JobStatus", "TeamStatus", "accounting_delivery_state"];
    assert_eq!(names(prisma.types()), types);
    assert!(prisma.relations().iter().all(|n| n.schema.is_none()));
}

#[test]
#[rustfmt::skip] // one line per case
fn a_prisma_schema_drives_the_names() {
    let prisma = PrismaSchema::parse(FIXTURE).unwrap();
    let qualifier = Qualifier::builder().schema(schema()).prisma_schema(&prisma).unwrap().build();
    check(&qualifier, &[
        (r#"SELECT * FROM "LiteLLM_TeamTable" t JOIN "Last30dKeysBySpend" k ON true"#, r#"SELECT * FROM "s"."LiteLLM_TeamTable" t JOIN "s"."Last30dKeysBySpend" k ON true"#),
        (r#"INSERT INTO "ManagedJob" (id, status, delivery) VALUES ($1, $2::"JobStatus", $3::accounting_delivery_state)"#, r#"INSERT INTO "s"."ManagedJob" (id, status, delivery) VALUES ($1, $2::"s"."JobStatus", $3::"s".accounting_delivery_state)"#),
        // Model names that are mapped away are not table names.
        (r#"SELECT * FROM "TeamTable", "LiteLLM_OtherTable""#, r#"SELECT * FROM "TeamTable", "LiteLLM_OtherTable""#),
    ]);
}

#[test]
#[rustfmt::skip] // one line per case
fn prisma_multi_schema_names_get_their_own_schema() {
    let prisma = PrismaSchema::parse(r#"
        datasource db { provider = "postgresql"  url = env("DATABASE_URL")  schemas = ["base", "audit"] }
        model Event { id Int @id  @@schema("audit")  @@map("events") }
        model User { id Int @id  @@schema("base") }
        enum Level { LOW HIGH  @@schema("audit") }
    "#).unwrap();
    let with_default = Qualifier::builder().schema(schema()).prisma_schema(&prisma).unwrap().build();
    let without_default = Qualifier::builder().prisma_schema(&prisma).unwrap().build();
    for qualifier in [with_default, without_default] {
        check(&qualifier, &[
            (r#"SELECT * FROM events JOIN "User" USING (id) WHERE level = $1::"Level""#, r#"SELECT * FROM "audit".events JOIN "base"."User" USING (id) WHERE level = $1::"audit"."Level""#),
        ]);
    }
}

#[test]
#[rustfmt::skip] // one line per case
fn current_schema_is_pinned_only_when_asked() {
    let pinned = Qualifier::builder().schema(Schema::new("it's").unwrap()).pin_current_schema(true).build();
    check(&pinned, &[
        ("SELECT current_schema(), current_schema, CURRENT_SCHEMA ( )", "SELECT 'it''s'::name, 'it''s'::name, 'it''s'::name"),
        ("SELECT pg_catalog.current_schema()", "SELECT 'it''s'::name"),
        ("SELECT current_schemas(false), current_schemas( true )", "SELECT ARRAY['it''s']::name[], ARRAY['pg_catalog', 'it''s']::name[]"),
        ("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()", "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'it''s'::name"),
        // Columns and aliases of that name are not calls.
        (r#"SELECT "current_schema", t.current_schema, x AS current_schema FROM t"#, r#"SELECT "current_schema", t.current_schema, x AS current_schema FROM t"#),
        ("SELECT current_schemas($1)", "SELECT current_schemas($1)"),
    ]);
    let default = Qualifier::new(schema());
    check(&default, &[("SELECT current_schema()", "SELECT current_schema()")]);
}

#[test]
#[rustfmt::skip] // one line per case
fn relation_names_bound_as_parameters() {
    let qualifier = Qualifier::new(Schema::new("My Schema").unwrap());
    let cases = [
        (r#""LiteLLM_SpendLogs""#, r#""My Schema"."LiteLLM_SpendLogs""#),
        (r#"  "LiteLLM_SpendLogs" "#, r#"  "My Schema"."LiteLLM_SpendLogs" "#),
        ("LiteLLM_SpendLogs", "LiteLLM_SpendLogs"),
        (r#"public."LiteLLM_SpendLogs""#, r#"public."LiteLLM_SpendLogs""#),
        (r#""other" . "LiteLLM_SpendLogs""#, r#""other" . "LiteLLM_SpendLogs""#),
        (r#""LiteLLM_Spend""Logs""#, r#""My Schema"."LiteLLM_Spend""Logs""#),
        ("12345", "12345"),
        ("", ""),
        (r#""unclosed"#, r#""unclosed"#),
    ];
    for (text, expected) in cases {
        assert_eq!(qualifier.qualify_regclass_text(text), expected, "{text}");
    }
}
