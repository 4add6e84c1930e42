//! End-to-end proof against a real PostgreSQL behind a real PgBouncer.
//!
//! `.ci/services` starts both and loads `tests/e2e/fixture.sql`: the
//! application's tables, views, enum types and a partitioned table in schema
//! `litellm`, and older copies of some of them in `public` with other rows,
//! labels or partitions. PgBouncer runs in transaction mode and resets each
//! server connection after every transaction, so `search_path` is back to
//! `"$user", public` whenever a transaction starts.
//!
//! Each statement of the corpus runs three ways:
//!
//! 1. as written, through the pooler: it must fail with "undefined table" or
//!    "undefined object", or return other rows. That is the bug, reproduced;
//! 2. as pgqualify rewrites it, through the pooler;
//! 3. as written, on a direct connection that ran `SET search_path TO
//!    litellm`: what the application meant.
//!
//! Runs 2 and 3 must return the same rows, compared as text. Each run is one
//! transaction that ends in `ROLLBACK`, so writes and DDL leave no trace; a
//! statement that returns no rows has a follow-up query in that transaction
//! that looks at what it did.
//!
//! The corpora differ in which names they qualify: `LiteLLM_*`, by the
//! default pattern; the names `tests/e2e/schema.prisma` declares, views and
//! enum types without that prefix among them; and `current_schema()` and its
//! kin, whose lookups must still go wrong through the pooler unless the
//! qualifier pins them.
//!
//! The client is the synchronous `postgres` crate. It is a thin layer over
//! `tokio-postgres`, which needs a tokio runtime and a task to drive each
//! connection anyway, so it costs one small crate more and spares the test
//! all async code.
//!
//! Everything goes over the simple query protocol. PgBouncer in transaction
//! mode gives each transaction whichever server connection is free, so a named
//! prepared statement made in one transaction is gone, or someone else's, in
//! the next. Simple queries name nothing, and return every value as text.
//! Statements with `$n` parameters run as `PREPARE`, `EXECUTE`, `DEALLOCATE`
//! inside their single transaction, so the server binds the parameters while
//! the whole exchange stays on one server connection.
//!
//! Without servers the tests skip with a note on stderr, unless `CI` is
//! `true`: then they fail.

use std::collections::BTreeSet;
use std::env;
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use pgqualify::{DeclaredName, PrismaSchema, Qualifier, Schema};
use postgres::{Client, Config, NoTls, SimpleQueryMessage};

const DIRECT_DEFAULT: &str = "host=127.0.0.1 port=54329 user=pgqualify dbname=pgqualify";
const POOLED_DEFAULT: &str = "host=127.0.0.1 port=64329 user=pgqualify dbname=pgqualify";

/// Names of cases whose rewritten form does not yet return the rows the
/// application meant. The test fails when one of them starts to, so that
/// the list only shrinks on purpose.
const KNOWN_GAPS: &[&str] = &[
    // `(row).*` does not parse.
    "null cast to row type",
    "cast to row type",
    // Neither FOR NO KEY UPDATE nor a list after OF parses.
    "for no key update of an alias",
    // LIKE ... INCLUDING ALL does not parse.
    "create table like",
];

/// One statement as an application sends it, relying on `search_path`.
struct Case {
    name: &'static str,
    sql: &'static str,
    /// SQL literals for `$1`, `$2`, ..., bound through `EXECUTE`.
    params: &'static [&'static str],
    /// Runs after the statement in the same transaction and is never
    /// rewritten, so it names every relation with its schema.
    check: &'static str,
}

const fn case(name: &'static str, sql: &'static str) -> Case {
    Case {
        name,
        sql,
        params: &[],
        check: "",
    }
}

impl Case {
    const fn params(self, params: &'static [&'static str]) -> Case {
        Case { params, ..self }
    }

    const fn check(self, check: &'static str) -> Case {
        Case { check, ..self }
    }
}

/// Shorthand for a check that prints everything about one relation of
/// `litellm`, or nothing when it is missing.
macro_rules! describe {
    ($relation:literal) => {
        concat!(
            "SELECT * FROM pgqualify_e2e.describe('litellm', '",
            $relation,
            "')"
        )
    };
}

#[rustfmt::skip]
const CORPUS: &[Case] = &[
    // Reading: FROM, JOIN, ONLY, LATERAL and nested joins.
    case("from", r#"SELECT token, key_alias, spend FROM "LiteLLM_VerificationToken" ORDER BY token"#),
    case("from where", r#"SELECT team_id, team_alias, spend FROM "LiteLLM_TeamTable" WHERE NOT blocked ORDER BY team_id"#),
    case("select star", r#"SELECT * FROM "LiteLLM_BudgetTable" ORDER BY budget_id"#),
    case("table column refs", r#"SELECT "LiteLLM_TeamTable".team_id, "LiteLLM_TeamTable".team_alias FROM "LiteLLM_TeamTable" WHERE "LiteLLM_TeamTable".spend > 100 ORDER BY "LiteLLM_TeamTable".team_id"#),
    case("join with aliases", r#"SELECT t.team_alias, o.organization_alias FROM "LiteLLM_TeamTable" AS t JOIN "LiteLLM_OrganizationTable" o ON o.organization_id = t.organization_id ORDER BY 1"#),
    case("left join", r#"SELECT v.key_alias, t.team_alias FROM "LiteLLM_VerificationToken" v LEFT JOIN "LiteLLM_TeamTable" t ON t.team_id = v.team_id ORDER BY v.key_alias"#),
    case("nested join", r#"SELECT u.user_alias, t.team_alias, o.organization_alias FROM "LiteLLM_UserTable" u JOIN ("LiteLLM_TeamTable" t JOIN "LiteLLM_OrganizationTable" o USING (organization_id)) ON t.team_id = u.team_id ORDER BY 1"#),
    case("comma join", r#"SELECT u.user_id, b.budget_id FROM "LiteLLM_UserTable" u, "LiteLLM_TeamTable" t, "LiteLLM_BudgetTable" b WHERE t.team_id = u.team_id AND b.max_budget >= t.max_budget ORDER BY 1, 2"#),
    case("only", r#"SELECT count(*), sum(spend) FROM ONLY "LiteLLM_SpendLogs""#),
    case("lateral", r#"SELECT t.team_alias, last.request_id, last.spend FROM "LiteLLM_TeamTable" t CROSS JOIN LATERAL (SELECT s.request_id, s.spend FROM "LiteLLM_SpendLogs" s WHERE s.team_id = t.team_id ORDER BY s."startTime" DESC LIMIT 1) AS last ORDER BY 1"#),
    case("left join lateral", r#"SELECT u.user_id, k.n FROM "LiteLLM_UserTable" u LEFT JOIN LATERAL (SELECT count(*) AS n FROM "LiteLLM_VerificationToken" v WHERE v.user_id = u.user_id) k ON true ORDER BY 1"#),
    case("public and litellm side by side", r#"SELECT old.key_alias, cur.key_alias FROM public."LiteLLM_VerificationToken" old JOIN "LiteLLM_VerificationToken" cur USING (token) ORDER BY 1"#),
    case("already qualified", r#"SELECT count(*) FROM litellm."LiteLLM_TeamTable" t JOIN "LiteLLM_OrganizationTable" o USING (organization_id)"#),
    case("values join", r#"SELECT v.k, b.max_budget FROM (VALUES ('budget-free'), ('budget-team')) AS v(k) JOIN "LiteLLM_BudgetTable" b ON b.budget_id = v.k ORDER BY 1"#),
    case("set-returning function", r#"SELECT c.param_name, e.key, e.value FROM "LiteLLM_Config" c, jsonb_each(c.param_value) e ORDER BY 1, 2"#),
    case("tablesample", r#"SELECT count(*) FROM "LiteLLM_SpendLogs" TABLESAMPLE SYSTEM (100)"#),
    case("view", r#"SELECT token, team_alias, team_spend FROM "LiteLLM_VerificationTokenView" WHERE team_spend IS NOT NULL ORDER BY token"#),
    case("distinct on", r#"SELECT DISTINCT ON (model) model, request_id, spend FROM "LiteLLM_SpendLogs" ORDER BY model, spend DESC"#),
    case("window", r#"SELECT "user", request_id, sum(spend) OVER (PARTITION BY "user" ORDER BY "startTime") FROM "LiteLLM_SpendLogs" ORDER BY 1, 2"#),
    case("mixed-case columns", r#"SELECT request_id, "endTime" - "startTime" AS took FROM "LiteLLM_SpendLogs" ORDER BY "startTime""#),

    // Subqueries everywhere a query may hide one.
    case("in subquery", r#"SELECT user_id, user_alias FROM "LiteLLM_UserTable" WHERE team_id IN (SELECT team_id FROM "LiteLLM_TeamTable" WHERE metadata->>'tier' = 'gold') ORDER BY 1"#),
    case("exists", r#"SELECT team_id FROM "LiteLLM_TeamTable" t WHERE EXISTS (SELECT 1 FROM "LiteLLM_VerificationToken" v WHERE v.team_id = t.team_id AND v.expires < '2025-04-01') ORDER BY 1"#),
    case("scalar subquery in select list", r#"SELECT t.team_id, (SELECT count(*) FROM "LiteLLM_VerificationToken" v WHERE v.team_id = t.team_id) AS keys FROM "LiteLLM_TeamTable" t ORDER BY 1"#),
    case("subquery in having", r#"SELECT team_id, sum(spend) FROM "LiteLLM_SpendLogs" GROUP BY team_id HAVING sum(spend) > (SELECT avg(spend) FROM "LiteLLM_SpendLogs") ORDER BY 1"#),
    case("subquery in order by", r#"SELECT user_id FROM "LiteLLM_UserTable" u ORDER BY (SELECT max(s."startTime") FROM "LiteLLM_SpendLogs" s WHERE s."user" = u.user_id) DESC NULLS LAST, user_id"#),
    case("derived table named like a table", r#"SELECT "LiteLLM_BudgetTable".team_id FROM (SELECT team_id FROM "LiteLLM_TeamTable") AS "LiteLLM_BudgetTable" ORDER BY 1"#),

    // CTEs: bodies are rewritten, names a CTE takes are not.
    case("cte body", r#"WITH spend AS (SELECT api_key, sum(spend) AS total FROM "LiteLLM_SpendLogs" GROUP BY api_key) SELECT v.key_alias, s.total FROM spend s JOIN "LiteLLM_VerificationToken" v ON v.token = s.api_key ORDER BY 1"#),
    case("cte shadows a table", r#"WITH "LiteLLM_TeamTable" AS (SELECT team_id, upper(team_alias) AS team_alias FROM "LiteLLM_TeamTable" WHERE NOT blocked) SELECT team_id, team_alias FROM "LiteLLM_TeamTable" ORDER BY 1"#),
    case("later cte reads a shadowing cte", r#"WITH "LiteLLM_Config" AS (SELECT 'override' AS param_name), cfg AS (SELECT param_name FROM "LiteLLM_Config") SELECT c.param_name, b.budget_id FROM cfg c CROSS JOIN "LiteLLM_BudgetTable" b ORDER BY 2"#),
    case("recursive cte", r#"WITH RECURSIVE days(d) AS (SELECT date '2025-01-05' UNION ALL SELECT d + 1 FROM days WHERE d < date '2025-01-08') SELECT d, coalesce(sum(s.spend), 0) FROM days LEFT JOIN "LiteLLM_SpendLogs" s ON s."startTime"::date = d GROUP BY d ORDER BY d"#),
    case("recursive cte named like a table", r#"WITH RECURSIVE "LiteLLM_TeamTable"(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM "LiteLLM_TeamTable" WHERE n < 3) SELECT n, (SELECT count(*) FROM "LiteLLM_BudgetTable") FROM "LiteLLM_TeamTable" ORDER BY n"#),
    case("cte read from a subquery", r#"WITH "LiteLLM_BudgetTable" AS (SELECT 'shadow' AS budget_id) SELECT t.team_id, (SELECT budget_id FROM "LiteLLM_BudgetTable") FROM "LiteLLM_TeamTable" t ORDER BY 1"#),
    case("cte scoped to its subquery", r#"SELECT (WITH "LiteLLM_Config" AS (SELECT 'shadow' AS param_name) SELECT param_name FROM "LiteLLM_Config"), param_name FROM "LiteLLM_Config" ORDER BY 2"#),

    // Set operations.
    case("union", r#"SELECT user_id FROM "LiteLLM_UserTable" UNION SELECT user_id FROM "LiteLLM_VerificationToken" WHERE user_id IS NOT NULL ORDER BY 1"#),
    case("except", r#"SELECT team_id FROM "LiteLLM_TeamTable" EXCEPT SELECT team_id FROM "LiteLLM_VerificationToken" ORDER BY 1"#),
    case("intersect all", r#"(SELECT "user" FROM "LiteLLM_SpendLogs") INTERSECT ALL (SELECT user_id FROM "LiteLLM_UserTable") ORDER BY 1"#),

    // Whole-row references and row types.
    case("whole-row reference", r#"SELECT row_to_json("LiteLLM_Config") FROM "LiteLLM_Config" ORDER BY param_name"#),
    case("whole-row column", r#"SELECT "LiteLLM_BudgetTable" FROM "LiteLLM_BudgetTable" ORDER BY budget_id"#),
    case("qualified star", r#"SELECT "LiteLLM_Config".* FROM "LiteLLM_Config" ORDER BY 1"#),
    case("aggregate of whole rows", r#"SELECT json_agg(t ORDER BY t.team_id) FROM "LiteLLM_TeamTable" t WHERE NOT t.blocked"#),
    case("null cast to row type", r#"SELECT (jsonb_populate_record(NULL::"LiteLLM_BudgetTable", '{"budget_id": "b-new", "max_budget": 42}')).*"#),
    case("null cast to row type, one field", r#"SELECT (jsonb_populate_record(NULL::"LiteLLM_BudgetTable", '{"budget_id": "b-new", "max_budget": 42}')).max_budget"#),
    case("row type in from", r#"SELECT * FROM jsonb_populate_record(NULL::"LiteLLM_BudgetTable", '{"budget_id": "b-new", "max_budget": 42}')"#),
    case("cast to row type", r#"SELECT (CAST(ROW('default_team_settings', '{"max_budget": 10}'::jsonb) AS "LiteLLM_Config")).*"#),
    case("cast to row type, one field", r#"SELECT (CAST(ROW('default_team_settings', '{"max_budget": 10}'::jsonb) AS "LiteLLM_Config")).param_value"#),
    case("cast of a row to its type", r#"SELECT (CAST(c AS "LiteLLM_Config")).param_name FROM "LiteLLM_Config" c ORDER BY 1"#),
    case("array of row type", r#"SELECT cardinality(ARRAY(SELECT c FROM "LiteLLM_Config" c)::"LiteLLM_Config"[])"#),
    case("populate recordset", r#"SELECT id, spend FROM jsonb_populate_recordset(NULL::"LiteLLM_DailyUserSpend", $1::jsonb) ORDER BY id"#)
        .params(&[r#"'[{"id": "x", "spend": 1.5}, {"id": "y", "spend": 2}]'"#]),

    // Relations named inside string literals: regclass and friends.
    case("regclass literal", r#"SELECT relname, relkind FROM pg_class WHERE oid = '"LiteLLM_SpendLogs"'::regclass"#),
    case("regclass literal of a shadowed name", r#"SELECT '"LiteLLM_VerificationToken"'::regclass = 'litellm."LiteLLM_VerificationToken"'::regclass"#),
    case("to_regclass", r#"SELECT to_regclass('"LiteLLM_AuditLog"') IS NOT NULL AS present"#),
    case("pg_total_relation_size", r#"SELECT pg_total_relation_size('"LiteLLM_SpendLogs"') > 0, pg_relation_size('"LiteLLM_SpendLogs"') <= pg_total_relation_size('"LiteLLM_SpendLogs"')"#),
    case("regclass in a catalog join", r#"SELECT a.attname FROM pg_attribute a WHERE a.attrelid = '"LiteLLM_Config"'::regclass AND a.attnum > 0 ORDER BY a.attnum"#),

    // Parameters and JSON operators.
    case("json text operator", r#"SELECT key_alias, metadata->>'env' FROM "LiteLLM_VerificationToken" WHERE metadata->>'tier' = $1 ORDER BY 1"#)
        .params(&["'gold'"]),
    case("json containment", r#"SELECT team_id FROM "LiteLLM_TeamTable" WHERE metadata @> $1::jsonb ORDER BY 1"#)
        .params(&[r#"'{"tier": "bronze"}'"#]),
    case("json array elements", r#"SELECT t.team_id, m->>'user_id', m->>'role' FROM "LiteLLM_TeamTable" t, jsonb_array_elements(t.members_with_roles) m ORDER BY 1, 2"#),
    case("any of a parameter array", r#"SELECT token FROM "LiteLLM_VerificationToken" WHERE token = ANY($1::text[]) AND spend >= $2 ORDER BY token"#)
        .params(&["'{88dc28d0f030c55e,c0ffee0ddba11a55,0ld0ld0ld0ld0ld0}'", "10"]),
    case("key lookup with its team", r#"SELECT v.token, v.spend, v.models, t.spend AS team_spend, t.max_budget AS team_max_budget, t.tpm_limit AS team_tpm_limit, t.blocked AS team_blocked FROM "LiteLLM_VerificationToken" AS v LEFT JOIN "LiteLLM_TeamTable" AS t ON v.team_id = t.team_id WHERE v.token = $1"#)
        .params(&["'88dc28d0f030c55e'"]),

    // Row locks: FOR UPDATE OF names a FROM item and stays as written.
    case("for update skip locked", r#"SELECT request_id FROM "LiteLLM_SpendLogs" WHERE cache_hit = 'False' ORDER BY "startTime" LIMIT 2 FOR UPDATE SKIP LOCKED"#),
    case("for update of a table", r#"SELECT "LiteLLM_VerificationToken".token FROM "LiteLLM_VerificationToken" JOIN "LiteLLM_TeamTable" USING (team_id) WHERE NOT "LiteLLM_TeamTable".blocked ORDER BY 1 FOR UPDATE OF "LiteLLM_VerificationToken""#),
    case("for no key update of an alias", r#"SELECT v.token FROM "LiteLLM_VerificationToken" v JOIN "LiteLLM_TeamTable" t ON t.team_id = v.team_id WHERE v.token = '88dc28d0f030c55e' FOR NO KEY UPDATE OF v, t NOWAIT"#),
    case("for share of an alias", r#"SELECT v.token FROM "LiteLLM_VerificationToken" v JOIN "LiteLLM_TeamTable" t ON t.team_id = v.team_id WHERE v.token = '88dc28d0f030c55e' FOR SHARE OF v NOWAIT"#),
    case("claim rows with skip locked", r#"UPDATE "LiteLLM_SpendLogs" SET cache_hit = 'claimed' WHERE request_id IN (SELECT request_id FROM "LiteLLM_SpendLogs" WHERE cache_hit = 'False' ORDER BY "startTime" LIMIT 3 FOR UPDATE SKIP LOCKED) RETURNING request_id"#),

    // Text that names tables but is data or a comment.
    case("string literal", r#"SELECT 'SELECT * FROM "LiteLLM_TeamTable"' AS template, count(*) FROM "LiteLLM_TeamTable""#),
    case("escape and dollar strings", r#"SELECT E'FROM \"LiteLLM_UserTable\"\t' AS escaped, $$JOIN "LiteLLM_BudgetTable" b$$ AS dollar, count(*) FROM "LiteLLM_BudgetTable""#),
    case("column alias named like a table", r#"SELECT team_alias AS "LiteLLM_TeamTable" FROM "LiteLLM_TeamTable" ORDER BY 1"#),
    case("block comment", r#"SELECT /* FROM "LiteLLM_TeamTable" */ substring(current_query() FROM '/\*[^*]*\*/') AS comment, count(*) FROM "LiteLLM_TeamTable""#),
    case("line comment", "SELECT count(*) -- all of \"LiteLLM_SpendLogs\"\n, substring(current_query() FROM '--[^\\n]*') AS comment FROM \"LiteLLM_SpendLogs\""),

    // INSERT.
    case("insert returning", r#"INSERT INTO "LiteLLM_VerificationToken" (token, key_alias, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING token, key_alias, spend, models"#)
        .params(&["'f00dfeed12345678'", "'ci-deploy'", "'2025-01-08 00:00Z'"])
        .check(r#"SELECT token, key_alias FROM litellm."LiteLLM_VerificationToken" ORDER BY token"#),
    case("upsert on conflict", r#"INSERT INTO "LiteLLM_DailyUserSpend" (id, user_id, date, api_key, model, custom_llm_provider, prompt_tokens, completion_tokens, spend, api_requests) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1) ON CONFLICT (user_id, date, api_key, model, custom_llm_provider) DO UPDATE SET prompt_tokens = "LiteLLM_DailyUserSpend".prompt_tokens + EXCLUDED.prompt_tokens, spend = "LiteLLM_DailyUserSpend".spend + EXCLUDED.spend, api_requests = "LiteLLM_DailyUserSpend".api_requests + 1 RETURNING id, prompt_tokens, spend, api_requests"#)
        .params(&["'dus-9'", "'u-ada'", "'2025-01-06'", "'88dc28d0f030c55e'", "'gpt-4o'", "'openai'", "500", "20", "0.25"]),
    case("on conflict do nothing", r#"INSERT INTO "LiteLLM_Config" (param_name, param_value) VALUES ('general_settings', '{}'), ('router_settings', '{"routing_strategy": "simple-shuffle"}') ON CONFLICT (param_name) DO NOTHING RETURNING param_name"#)
        .check(r#"SELECT param_name, param_value FROM litellm."LiteLLM_Config" ORDER BY 1"#),
    case("on conflict on constraint", r#"INSERT INTO "LiteLLM_Config" VALUES ('general_settings', '{}') ON CONFLICT ON CONSTRAINT "LiteLLM_Config_pkey" DO NOTHING"#)
        .check(r#"SELECT param_name, param_value FROM litellm."LiteLLM_Config" ORDER BY 1"#),
    case("insert with a target alias", r#"INSERT INTO "LiteLLM_Config" AS c VALUES ('general_settings', '{"store_model_in_db": false}') ON CONFLICT (param_name) DO UPDATE SET param_value = c.param_value || EXCLUDED.param_value RETURNING c.param_value"#),
    case("insert select", r#"INSERT INTO "LiteLLM_AuditLog" (id, updated_at, changed_by, action, table_name, object_id, before_value) SELECT 'audit-' || team_id, '2025-01-08 00:00Z', 'system', 'deleted', 'LiteLLM_TeamTable', team_id, to_jsonb(t) FROM "LiteLLM_TeamTable" t WHERE blocked RETURNING id, table_name, before_value->>'team_alias'"#),
    case("multi-row insert into the table public also has", r#"INSERT INTO "LiteLLM_UserTable" (user_id, user_alias, user_role) VALUES ('u-new1', 'New One', 'internal_user'), ('u-new2', 'New Two', 'internal_user')"#)
        .check(r#"SELECT user_id, user_alias FROM litellm."LiteLLM_UserTable" ORDER BY 1"#),

    // UPDATE.
    case("update returning", r#"UPDATE "LiteLLM_VerificationToken" SET spend = spend + $1 WHERE token = $2 RETURNING token, spend"#)
        .params(&["0.25", "'88dc28d0f030c55e'"]),
    case("update from subquery", r#"UPDATE "LiteLLM_TeamTable" t SET spend = t.spend + s.total FROM (SELECT team_id, sum(spend) AS total FROM "LiteLLM_SpendLogs" WHERE "startTime" >= '2025-01-07' GROUP BY team_id) s WHERE s.team_id = t.team_id RETURNING t.team_id, t.spend"#),
    case("update from with table column refs", r#"UPDATE "LiteLLM_UserTable" SET spend = "LiteLLM_UserTable".spend + 1 FROM "LiteLLM_TeamTable" WHERE "LiteLLM_TeamTable".team_id = "LiteLLM_UserTable".team_id AND "LiteLLM_TeamTable".metadata->>'tier' = 'silver' RETURNING "LiteLLM_UserTable".user_id, "LiteLLM_UserTable".spend"#),
    case("update jsonb_set", r#"UPDATE "LiteLLM_TeamTable" SET metadata = jsonb_set(metadata, '{tier}', to_jsonb($1::text)) WHERE team_id = $2 RETURNING metadata"#)
        .params(&["'platinum'", "'team-growth'"]),
    case("update with a subquery in set", r#"UPDATE "LiteLLM_UserTable" u SET spend = (SELECT coalesce(sum(s.spend), 0) FROM "LiteLLM_SpendLogs" s WHERE s."user" = u.user_id)"#)
        .check(r#"SELECT user_id, spend FROM litellm."LiteLLM_UserTable" ORDER BY 1"#),

    // DELETE and MERGE.
    case("delete using", r#"DELETE FROM "LiteLLM_VerificationToken" v USING "LiteLLM_TeamTable" t WHERE t.team_id = v.team_id AND t.blocked RETURNING v.token"#),
    case("delete with subquery", r#"DELETE FROM "LiteLLM_SpendLogs" WHERE "startTime" < (SELECT min(updated_at) FROM "LiteLLM_AuditLog")"#)
        .check(r#"SELECT request_id FROM litellm."LiteLLM_SpendLogs" ORDER BY 1"#),
    case("delete from the table public also has", r#"DELETE FROM "LiteLLM_VerificationToken" WHERE blocked"#)
        .check(r#"SELECT token FROM litellm."LiteLLM_VerificationToken" ORDER BY 1"#),
    case("merge", r#"MERGE INTO "LiteLLM_DailyUserSpend" d USING (SELECT "user" AS user_id, "startTime"::date::text AS date, api_key, model, sum(prompt_tokens) AS p, sum(completion_tokens) AS c, sum(spend) AS s, count(*) AS n FROM "LiteLLM_SpendLogs" GROUP BY 1, 2, 3, 4) l ON d.user_id = l.user_id AND d.date = l.date AND d.api_key = l.api_key AND d.model = l.model WHEN MATCHED THEN UPDATE SET spend = l.s, api_requests = l.n WHEN NOT MATCHED THEN INSERT (id, user_id, date, api_key, model, prompt_tokens, completion_tokens, spend, api_requests) VALUES ('dus-' || l.api_key || '-' || l.model || '-' || l.date, l.user_id, l.date, l.api_key, l.model, l.p, l.c, l.s, l.n)"#)
        .check(r#"SELECT id, user_id, date, model, spend, api_requests FROM litellm."LiteLLM_DailyUserSpend" ORDER BY id"#),

    // Data-modifying CTEs.
    case("delete into archive", r#"WITH expired AS (DELETE FROM "LiteLLM_VerificationToken" WHERE expires < '2025-02-01' RETURNING *) INSERT INTO "LiteLLM_DeletedVerificationToken" SELECT * FROM expired RETURNING token, key_alias"#)
        .check(r#"SELECT count(*) FROM litellm."LiteLLM_VerificationToken""#),
    case("update in cte", r#"WITH over AS (UPDATE "LiteLLM_TeamTable" SET blocked = true WHERE spend >= max_budget RETURNING team_id) SELECT v.token FROM "LiteLLM_VerificationToken" v JOIN over USING (team_id) ORDER BY 1"#),

    // SELECT INTO, cursors, several statements at once, EXPLAIN.
    case("select into temp table", r#"SELECT team_id, sum(spend) AS spend INTO TEMP team_totals FROM "LiteLLM_SpendLogs" GROUP BY team_id"#)
        .check("SELECT * FROM team_totals ORDER BY 1 NULLS FIRST"),
    case("select into a new table", r#"SELECT * INTO "LiteLLM_SpendLogsBackup" FROM "LiteLLM_SpendLogs" WHERE spend > 1"#)
        .check(describe!("LiteLLM_SpendLogsBackup")),
    case("cursor", r#"DECLARE recent CURSOR FOR SELECT request_id FROM "LiteLLM_SpendLogs" ORDER BY "startTime" DESC"#)
        .check("FETCH 2 FROM recent"),
    case("two statements", r#"INSERT INTO "LiteLLM_Config" VALUES ('router_settings', '{}'); SELECT param_name FROM "LiteLLM_Config" ORDER BY 1"#),
    case("explain verbose", r#"EXPLAIN (VERBOSE, COSTS OFF) SELECT v.token FROM "LiteLLM_VerificationToken" v WHERE v.token = 'c0ffee0ddba11a55'"#),
    case("explain analyze update", r#"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) UPDATE "LiteLLM_BudgetTable" SET max_budget = max_budget * 2"#)
        .check(r#"SELECT budget_id, max_budget FROM litellm."LiteLLM_BudgetTable" ORDER BY 1"#),

    // CREATE.
    case("create or replace view", r#"CREATE OR REPLACE VIEW "LiteLLM_VerificationTokenView" AS SELECT v.token, v.key_alias, v.spend, v.team_id, t.team_alias, t.max_budget AS team_max_budget, t.spend AS team_spend FROM "LiteLLM_VerificationToken" v JOIN "LiteLLM_TeamTable" t ON t.team_id = v.team_id"#)
        .check(r#"SELECT token, team_alias FROM litellm."LiteLLM_VerificationTokenView" ORDER BY 1"#),
    case("create materialized view", r#"CREATE MATERIALIZED VIEW "LiteLLM_DailyTeamSpend" AS SELECT team_id, "startTime"::date AS day, sum(spend) AS spend FROM "LiteLLM_SpendLogs" GROUP BY 1, 2"#)
        .check(r#"SELECT * FROM litellm."LiteLLM_DailyTeamSpend" ORDER BY 1, 2"#),
    case("create table references", r#"CREATE TABLE "LiteLLM_TeamMembership" (user_id text REFERENCES "LiteLLM_UserTable" (user_id) ON DELETE CASCADE, team_id text REFERENCES "LiteLLM_TeamTable", budget_id text CONSTRAINT "LiteLLM_TeamMembership_budget_fkey" REFERENCES "LiteLLM_BudgetTable", spend double precision DEFAULT 0, PRIMARY KEY (user_id, team_id))"#)
        .check(describe!("LiteLLM_TeamMembership")),
    case("create table like", r#"CREATE TABLE "LiteLLM_SpendLogsArchive" (LIKE "LiteLLM_SpendLogs" INCLUDING ALL)"#)
        .check(describe!("LiteLLM_SpendLogsArchive")),
    case("create table like, bare", r#"CREATE TABLE "LiteLLM_SpendLogsArchive" (LIKE "LiteLLM_SpendLogs")"#)
        .check(describe!("LiteLLM_SpendLogsArchive")),
    case("create table like including defaults", r#"CREATE TABLE "LiteLLM_SpendLogsArchive" (LIKE "LiteLLM_SpendLogs" INCLUDING DEFAULTS)"#)
        .check(r#"SELECT column_name, column_default FROM information_schema.columns WHERE table_schema = 'litellm' AND table_name = 'LiteLLM_SpendLogsArchive' ORDER BY ordinal_position"#),
    case("create table inherits", r#"CREATE TABLE "LiteLLM_SpendLogs2025" (CHECK ("startTime" >= '2025-01-01')) INHERITS ("LiteLLM_SpendLogs")"#)
        .check(describe!("LiteLLM_SpendLogs2025")),
    case("create table as", r#"CREATE TABLE "LiteLLM_TeamSnapshot" AS SELECT team_id, spend FROM "LiteLLM_TeamTable""#)
        .check(describe!("LiteLLM_TeamSnapshot")),
    case("create index", r#"CREATE INDEX "LiteLLM_SpendLogs_startTime_idx" ON "LiteLLM_SpendLogs" ("startTime")"#)
        .check(describe!("LiteLLM_SpendLogs")),
    case("create gin index on the table public also has", r#"CREATE INDEX IF NOT EXISTS "LiteLLM_VerificationToken_metadata_idx" ON "LiteLLM_VerificationToken" USING gin (metadata jsonb_path_ops)"#)
        .check(describe!("LiteLLM_VerificationToken")),
    case("create trigger", r#"CREATE TRIGGER "LiteLLM_TeamTable_stamp" BEFORE UPDATE ON "LiteLLM_TeamTable" FOR EACH ROW EXECUTE FUNCTION litellm.stamp_updated_by()"#)
        .check(r#"UPDATE litellm."LiteLLM_TeamTable" SET spend = spend WHERE team_id = 'team-growth' RETURNING updated_by"#),
    case("create policy", r#"CREATE POLICY team_isolation ON "LiteLLM_VerificationToken" FOR SELECT USING (team_id = current_setting('litellm.team_id', true))"#)
        .check(describe!("LiteLLM_VerificationToken")),

    // ALTER, DROP, TRUNCATE.
    case("alter table add column", r#"ALTER TABLE "LiteLLM_TeamTable" ADD COLUMN IF NOT EXISTS team_member_permissions text[] DEFAULT '{}'"#)
        .check(describe!("LiteLLM_TeamTable")),
    case("alter table add check constraint", r#"ALTER TABLE "LiteLLM_VerificationToken" ADD CONSTRAINT "LiteLLM_VerificationToken_spend_check" CHECK (spend >= 0)"#)
        .check(describe!("LiteLLM_VerificationToken")),
    case("alter table add foreign key", r#"ALTER TABLE "LiteLLM_UserTable" ADD CONSTRAINT "LiteLLM_UserTable_team_id_fkey" FOREIGN KEY (team_id) REFERENCES "LiteLLM_TeamTable" (team_id) NOT VALID"#)
        .check(describe!("LiteLLM_UserTable")),
    case("alter table rename to", r#"ALTER TABLE "LiteLLM_AuditLog" RENAME TO "LiteLLM_AuditLogArchive""#)
        .check(describe!("LiteLLM_AuditLogArchive")),
    case("alter table rename column", r#"ALTER TABLE "LiteLLM_SpendLogs" RENAME COLUMN "user" TO user_id"#)
        .check(describe!("LiteLLM_SpendLogs")),
    case("alter table rename constraint", r#"ALTER TABLE "LiteLLM_Config" RENAME CONSTRAINT "LiteLLM_Config_pkey" TO "LiteLLM_Config_param_name_pkey""#)
        .check(describe!("LiteLLM_Config")),
    case("alter table enable row level security", r#"ALTER TABLE "LiteLLM_TeamTable" ENABLE ROW LEVEL SECURITY"#)
        .check(describe!("LiteLLM_TeamTable")),
    case("alter index rename", r#"ALTER INDEX "LiteLLM_Config_pkey" RENAME TO "LiteLLM_Config_param_name_key""#)
        .check(describe!("LiteLLM_Config")),
    case("drop table", r#"DROP TABLE "LiteLLM_AuditLog""#)
        .check(describe!("LiteLLM_AuditLog")),
    case("drop table if exists", r#"DROP TABLE IF EXISTS "LiteLLM_Config", "LiteLLM_AuditLog""#)
        .check(r#"SELECT relname FROM pg_class WHERE relnamespace = 'litellm'::regnamespace AND relkind = 'r' ORDER BY 1"#),
    case("drop view", r#"DROP VIEW "LiteLLM_VerificationTokenView""#)
        .check(describe!("LiteLLM_VerificationTokenView")),
    case("truncate", r#"TRUNCATE "LiteLLM_SpendLogs", "LiteLLM_DailyUserSpend""#)
        .check(r#"SELECT (SELECT count(*) FROM litellm."LiteLLM_SpendLogs"), (SELECT count(*) FROM litellm."LiteLLM_DailyUserSpend")"#),
    case("truncate only", r#"TRUNCATE TABLE ONLY "LiteLLM_AuditLog""#)
        .check(describe!("LiteLLM_AuditLog")),

    // LOCK, ANALYZE, COMMENT, GRANT.
    case("lock", r#"LOCK TABLE "LiteLLM_TeamTable", "LiteLLM_BudgetTable" IN SHARE ROW EXCLUSIVE MODE"#)
        .check("SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND c.relnamespace = 'litellm'::regnamespace ORDER BY 1, 2"),
    case("lock only nowait", r#"LOCK ONLY "LiteLLM_VerificationToken" IN ACCESS EXCLUSIVE MODE NOWAIT"#)
        .check("SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND c.relnamespace = 'litellm'::regnamespace ORDER BY 1, 2"),
    case("analyze", r#"ANALYZE "LiteLLM_SpendLogs" (model, spend)"#)
        .check("SELECT attname, null_frac FROM pg_stats WHERE schemaname = 'litellm' AND tablename = 'LiteLLM_SpendLogs' ORDER BY 1"),
    case("comment on table", r#"COMMENT ON TABLE "LiteLLM_SpendLogs" IS 'One row per request; "LiteLLM_DailyUserSpend" has the daily totals'"#)
        .check(describe!("LiteLLM_SpendLogs")),
    case("comment on column", r#"COMMENT ON COLUMN "LiteLLM_SpendLogs"."startTime" IS 'when the request reached the proxy'"#)
        .check(r#"SELECT col_description('litellm."LiteLLM_SpendLogs"'::regclass, 8)"#),
    case("grant", r#"GRANT SELECT, INSERT ON "LiteLLM_TeamTable", "LiteLLM_BudgetTable" TO pgqualify_reader"#)
        .check(describe!("LiteLLM_TeamTable")),
    case("grant on the table public also has", r#"GRANT SELECT ON TABLE "LiteLLM_VerificationToken" TO PUBLIC"#)
        .check(describe!("LiteLLM_VerificationToken")),
    case("revoke", r#"REVOKE DELETE ON "LiteLLM_Config" FROM pgqualify"#)
        .check(r#"SELECT has_table_privilege('pgqualify', 'litellm."LiteLLM_Config"', 'DELETE')"#),
];

/// Statements for the schemas whose names need quoting. `{ident}` in a check
/// becomes the quoted schema name and `{literal}` the name as a string
/// literal.
#[rustfmt::skip]
const TENANT_CORPUS: &[Case] = &[
    case("select", r#"SELECT team_id, team_alias, spend FROM "LiteLLM_TeamTable" ORDER BY team_id"#),
    case("join", r#"SELECT v.key_alias, t.team_alias FROM "LiteLLM_VerificationToken" v JOIN "LiteLLM_TeamTable" t USING (team_id) WHERE v.metadata->>'env' = 'prod' ORDER BY 1"#),
    case("update returning", r#"UPDATE "LiteLLM_TeamTable" SET spend = spend + 1 WHERE team_id = 'team-a' RETURNING team_alias, spend"#),
    case("insert", r#"INSERT INTO "LiteLLM_SpendLogs" (request_id, call_type, "startTime", "endTime") VALUES ('req-3', 'acompletion', '2025-01-06Z', '2025-01-06Z')"#)
        .check(r#"SELECT request_id FROM {ident}."LiteLLM_SpendLogs" ORDER BY 1"#),
    case("regclass literal", r#"SELECT relname FROM pg_class WHERE oid = '"LiteLLM_SpendLogs"'::regclass"#),
    case("to_regclass", r#"SELECT to_regclass('"LiteLLM_TeamTable"') IS NOT NULL, pg_total_relation_size('"LiteLLM_TeamTable"') > 0"#),
    case("row type", r#"SELECT (jsonb_populate_record(NULL::"LiteLLM_TeamTable", '{"team_id": "t-1", "spend": 3}')).spend"#),
    case("create index", r#"CREATE INDEX "LiteLLM_TeamTable_alias_idx" ON "LiteLLM_TeamTable" (team_alias)"#)
        .check(r#"SELECT * FROM pgqualify_e2e.describe({literal}, 'LiteLLM_TeamTable')"#),
];

const TENANT_SCHEMAS: &[&str] = &[
    "My Schema",
    "a\"b",
    "Acme Corp Production Tenant 00042 - Schema At The 63-Byte Limit",
    "Ünïcödé",
];

/// The fixture's data model as the application's ORM declares it: the
/// names [`PRISMA_CORPUS`] qualifies, and no others.
const PRISMA_SCHEMA: &str = include_str!("e2e/schema.prisma");

/// Names of [`PRISMA_CORPUS`] cases whose rewritten form does not yet
/// return the rows the application meant, as [`KNOWN_GAPS`].
const PRISMA_KNOWN_GAPS: &[&str] = &[];

/// Shorthand for a check that lists the labels of an enum type of
/// `litellm` in their order.
macro_rules! labels {
    ($type:literal) => {
        concat!(
            "SELECT enumlabel FROM pg_enum WHERE enumtypid = 'litellm.",
            $type,
            "'::regtype ORDER BY enumsortorder"
        )
    };
}

/// The columns of the temporary table `job_import`, with the schema of
/// each column's type.
const JOB_IMPORT_COLUMNS: &str = "SELECT a.attname, n.nspname, t.typname \
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid \
    JOIN pg_namespace n ON n.oid = t.typnamespace \
    WHERE a.attrelid = 'pg_temp.job_import'::regclass AND a.attnum > 0 ORDER BY a.attnum";

/// Statements on the names [`PRISMA_SCHEMA`] declares: views and enum types
/// whose names have no `LiteLLM_` prefix, an enum known by its `@@map`
/// name, and the `LiteLLM_` tables, here qualified because the schema
/// declares them rather than by the default pattern.
#[rustfmt::skip]
const PRISMA_CORPUS: &[Case] = &[
    // Views, one with an older copy in public and one without.
    case("view with a copy in public", r#"SELECT date, spend FROM "MonthlyGlobalSpend" ORDER BY date"#),
    case("view", r#"SELECT api_key, key_alias, total_spend FROM "Last30dKeysBySpend" ORDER BY total_spend DESC, api_key"#),
    case("view joined to tables", r#"SELECT k.key_alias, k.total_spend, t.team_alias FROM "Last30dKeysBySpend" k JOIN "LiteLLM_VerificationToken" v ON v.token = k.api_key LEFT JOIN "LiteLLM_TeamTable" t ON t.team_id = v.team_id ORDER BY 1"#),
    case("views in scalar subqueries", r#"SELECT (SELECT max(spend) FROM "MonthlyGlobalSpend") AS peak_day, (SELECT count(*) FROM "Last30dKeysBySpend" WHERE total_spend > $1) AS keys"#)
        .params(&["0.1"]),
    case("view in a cte", r#"WITH top AS (SELECT api_key, total_spend FROM "Last30dKeysBySpend" ORDER BY total_spend DESC LIMIT 2) SELECT v.key_alias, top.total_spend FROM top JOIN "LiteLLM_VerificationToken" v ON v.token = top.api_key ORDER BY 2 DESC"#),
    case("views named in regclass literals", r#"SELECT to_regclass('"Last30dKeysBySpend"') IS NOT NULL AS present, pg_get_viewdef('"MonthlyGlobalSpend"') LIKE '%LiteLLM_SpendLogs%' AS from_spend_logs"#),
    case("create or replace view", r#"CREATE OR REPLACE VIEW "MonthlyGlobalSpend" AS SELECT "startTime"::date AS date, sum(spend) AS spend FROM "LiteLLM_SpendLogs" WHERE call_type = 'acompletion' GROUP BY 1"#)
        .check(r#"SELECT * FROM litellm."MonthlyGlobalSpend" ORDER BY 1"#),
    case("temporary view over views", r#"CREATE TEMP VIEW key_report AS SELECT k.key_alias, k.total_spend, d.date, d.spend FROM "Last30dKeysBySpend" k CROSS JOIN "MonthlyGlobalSpend" d WHERE k.total_spend > 1"#)
        .check("SELECT * FROM key_report ORDER BY 1, 3"),
    case("comment on view", r#"COMMENT ON VIEW "MonthlyGlobalSpend" IS 'spend per day, for the monthly chart'"#)
        .check(describe!("MonthlyGlobalSpend")),
    case("drop view", r#"DROP VIEW "Last30dKeysBySpend""#)
        .check(describe!("Last30dKeysBySpend")),

    // Enum types in casts and parameters; public has an older "JobStatus".
    case("insert with enum parameters", r#"INSERT INTO "ManagedJob" (id, status, delivery, created_at) VALUES ($1, $2::"JobStatus", $3::accounting_delivery_state, $4) RETURNING id, status, delivery"#)
        .params(&["'job-9'", "'PAUSED'", "'PENDING'", "'2025-01-08 00:00Z'"]),
    case("update with an enum array parameter", r#"UPDATE "ManagedJob" SET status = $1::"JobStatus" WHERE status = ANY ($2::"JobStatus"[]) RETURNING id, status"#)
        .params(&["'done'", "'{QUEUED,RUNNING}'"]),
    case("cast and typed literal", r#"SELECT id, CAST(requested AS "JobStatus") > "JobStatus" 'QUEUED' AS started FROM "ManagedJob" ORDER BY id"#),
    case("mapped enum array parameter", r#"SELECT id, delivery FROM "ManagedJob" WHERE delivery = ANY ($1::accounting_delivery_state[]) ORDER BY id"#)
        .params(&["'{PENDING,DELIVERED}'"]),
    case("enum range with a copy in public", r#"SELECT e.label, e.n FROM unnest(enum_range(NULL::"JobStatus")) WITH ORDINALITY AS e(label, n) ORDER BY e.n"#),
    case("mapped enum range", r#"SELECT unnest(enum_range(NULL::accounting_delivery_state))::text AS state"#),
    case("column definition list with an enum", r#"SELECT m.id, j.status FROM jsonb_to_recordset($1::jsonb) AS j(id text, status "JobStatus") JOIN "ManagedJob" m ON m.id = j.id AND m.status = j.status ORDER BY 1"#)
        .params(&[r#"'[{"id": "job-1", "status": "RUNNING"}, {"id": "job-3", "status": "done"}]'"#]),
    case("row type of a model", r#"SELECT (jsonb_populate_record(NULL::"ManagedJob", '{"id": "job-x", "status": "PAUSED"}')).status"#),

    // Enum types in DDL.
    case("temporary table with enum columns", r#"CREATE TEMP TABLE job_import (id text PRIMARY KEY, status "JobStatus" NOT NULL, history "JobStatus"[])"#)
        .check(JOB_IMPORT_COLUMNS),
    case("temporary table with the mapped enum", r#"CREATE TEMP TABLE job_import (id text PRIMARY KEY, delivery accounting_delivery_state DEFAULT 'PENDING')"#)
        .check(JOB_IMPORT_COLUMNS),
    case("recreate a table with enum columns", r#"DROP TABLE "ManagedJob"; CREATE TABLE "ManagedJob" (id text PRIMARY KEY, status "JobStatus" NOT NULL DEFAULT 'QUEUED', delivery accounting_delivery_state, requested text, created_at timestamptz NOT NULL)"#)
        .check(describe!("ManagedJob")),
    case("add enum columns", r#"ALTER TABLE "ManagedJob" ADD COLUMN previous_status "JobStatus", ADD COLUMN IF NOT EXISTS deliveries accounting_delivery_state[] NOT NULL DEFAULT '{}'"#)
        .check(describe!("ManagedJob")),
    case("add an enum column to a LiteLLM table", r#"ALTER TABLE "LiteLLM_TeamTable" ADD COLUMN delivery accounting_delivery_state NOT NULL DEFAULT 'PENDING'"#)
        .check(describe!("LiteLLM_TeamTable")),
    case("change a column to an enum", r#"ALTER TABLE "ManagedJob" ALTER COLUMN requested TYPE "JobStatus" USING requested::"JobStatus""#)
        .check(describe!("ManagedJob")),
    case("enum default", r#"ALTER TABLE "ManagedJob" ALTER COLUMN status SET DEFAULT 'RUNNING'::"JobStatus""#)
        .check(r#"INSERT INTO litellm."ManagedJob" (id, created_at) VALUES ('job-new', '2025-01-08 00:00Z') RETURNING status"#),
    case("add an enum value", r#"ALTER TYPE "JobStatus" ADD VALUE IF NOT EXISTS 'CANCELLED' BEFORE 'done'"#)
        .check(labels!(r#""JobStatus""#)),
    case("add a value to the mapped enum", "ALTER TYPE accounting_delivery_state ADD VALUE 'FAILED'")
        .check(labels!("accounting_delivery_state")),
    case("rename an enum value", r#"ALTER TYPE "JobStatus" RENAME VALUE 'done' TO 'DONE'"#)
        .check(labels!(r#""JobStatus""#)),
    case("comment on type", r#"COMMENT ON TYPE "JobStatus" IS 'where a managed job is'"#)
        .check(r#"SELECT obj_description('litellm."JobStatus"'::regtype, 'pg_type')"#),
    case("function argument of an enum type", r#"CREATE FUNCTION pg_temp.job_is_open(s "JobStatus") RETURNS boolean LANGUAGE sql IMMUTABLE AS $$SELECT s::text <> 'done'$$"#)
        .check("SELECT n.nspname, t.typname FROM pg_proc p JOIN pg_type t ON t.oid = p.proargtypes[0] JOIN pg_namespace n ON n.oid = t.typnamespace WHERE p.proname = 'job_is_open'"),
    case("drop the mapped enum", "DROP TYPE accounting_delivery_state CASCADE")
        .check(describe!("ManagedJob")),

    // LiteLLM_ tables, views and the partitioned table, by declaration.
    case("table with a copy in public", r#"SELECT token, key_alias, spend FROM "LiteLLM_VerificationToken" ORDER BY token"#),
    case("tables joined", r#"SELECT t.team_alias, count(v.token), sum(v.spend) FROM "LiteLLM_TeamTable" t LEFT JOIN "LiteLLM_VerificationToken" v USING (team_id) GROUP BY 1 ORDER BY 1"#),
    case("LiteLLM view", r#"SELECT token, team_alias, team_spend FROM "LiteLLM_VerificationTokenView" ORDER BY token"#),
    case("insert into the table public also has", r#"INSERT INTO "LiteLLM_UserTable" (user_id, user_alias, user_role) VALUES ($1, $2, 'internal_user')"#)
        .params(&["'u-new'", "'New'"])
        .check(r#"SELECT user_id, user_alias FROM litellm."LiteLLM_UserTable" ORDER BY 1"#),
    case("partitioned table with a copy in public", r#"SELECT date, team_id, spend FROM "LiteLLM_DailySpend" ORDER BY 1, 2"#),
    case("upsert into a partitioned table", r#"INSERT INTO "LiteLLM_DailySpend" AS d (date, team_id, spend) VALUES ($1, $2, $3) ON CONFLICT (date, team_id) DO UPDATE SET spend = d.spend + EXCLUDED.spend RETURNING date, team_id, spend"#)
        .params(&["'2025-01-06'", "'team-research'", "0.75"]),
    case("roll spend logs up into daily spend", r#"INSERT INTO "LiteLLM_DailySpend" (date, team_id, spend) SELECT "startTime"::date, team_id, sum(spend) FROM "LiteLLM_SpendLogs" WHERE team_id IS NOT NULL AND "startTime" >= $1 GROUP BY 1, 2 ON CONFLICT (date, team_id) DO UPDATE SET spend = EXCLUDED.spend RETURNING date, team_id, spend"#)
        .params(&["'2025-01-07'"]),
    case("leaf partitions by a regclass literal", r#"SELECT count(*) FROM pg_partition_tree('"LiteLLM_DailySpend"') WHERE isleaf"#),
];

/// Catalog lookups that mean the application's schema by
/// `current_schema()`, `current_schema` or `current_schemas(...)`, as
/// partition maintenance writes them. Through the pooler these calls name
/// `public`, which has a partitioned `LiteLLM_DailySpend` of its own with
/// other partitions.
#[rustfmt::skip]
const CURRENT_SCHEMA_CORPUS: &[Case] = &[
    case("partitions by current_schema()", "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace JOIN pg_class c ON c.oid = i.inhrelid WHERE n.nspname = current_schema() AND p.relname = 'LiteLLM_DailySpend' ORDER BY 1"),
    case("partitions by bare current_schema", "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relispartition AND n.nspname = current_schema ORDER BY 1"),
    case("oldest partition by nested lookups", "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = (SELECT p.oid FROM pg_class p WHERE p.relname = 'LiteLLM_DailySpend' AND p.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())) ORDER BY 1 LIMIT 1"),
    case("create the next partition, then list them", r#"CREATE TABLE "LiteLLM_DailySpend_2025_03" PARTITION OF "LiteLLM_DailySpend" FOR VALUES FROM ('2025-03-01') TO ('2025-04-01'); SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() ORDER BY 1"#),
    case("detach a partition, then list them", r#"ALTER TABLE "LiteLLM_DailySpend" DETACH PARTITION "LiteLLM_DailySpend_2024_12"; SELECT c.relname, c.relispartition FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname LIKE 'LiteLLM\_DailySpend\_%' ORDER BY 1"#),
    case("leaf partitions of the table in current_schema()", "SELECT count(*) FROM pg_partition_tree(to_regclass(format('%I.%I', current_schema(), 'LiteLLM_DailySpend'))) WHERE isleaf"),
    case("current_schemas(false)", "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY (current_schemas(false)) AND c.relkind = 'p' ORDER BY 1, 2"),
    case("current_schemas(true)", "SELECT array_to_string(current_schemas(true), ', ') AS path"),
    case("views of current_schema", "SELECT viewname FROM pg_views WHERE schemaname = current_schema ORDER BY 1"),
    case("enum labels by current_schema() in a cte", "WITH ours AS (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM ours JOIN pg_type t ON t.typnamespace = ours.oid JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY 1 ORDER BY 1"),
];

#[test]
fn pooler_forgets_search_path() {
    let Some(mut servers) = Servers::connect() else {
        return;
    };

    servers
        .pooled
        .batch_execute("SET search_path TO litellm")
        .unwrap();
    let shown = servers.pooled.simple_query("SHOW search_path").unwrap();

    assert_eq!(
        statements(shown)[0].rows,
        [[Some("\"$user\", public".to_owned())]]
    );
}

#[test]
fn corpus_through_pgbouncer() {
    let Some(mut servers) = Servers::connect() else {
        return;
    };
    assert_unique_names(CORPUS);
    let qualifier = Qualifier::new(Schema::new("litellm").unwrap());
    servers
        .direct
        .batch_execute("SET search_path TO litellm")
        .unwrap();

    let verdicts: Vec<Verdict> = CORPUS
        .iter()
        .map(|case| servers.judge(&qualifier, case, &|check| check.to_owned()))
        .collect();

    eprintln!("{}", Summary::of(&verdicts));
    assert_verdicts(&verdicts, KNOWN_GAPS);
}

#[test]
fn schemas_that_need_quoting() {
    let Some(mut servers) = Servers::connect() else {
        return;
    };
    assert_unique_names(TENANT_CORPUS);

    let mut verdicts = Vec::new();
    for name in TENANT_SCHEMAS {
        let ident = quote_ident(name);
        let literal = format!("'{}'", name.replace('\'', "''"));
        let qualifier = Qualifier::new(Schema::new(name).unwrap());
        let fill = |check: &str| {
            check
                .replace("{ident}", &ident)
                .replace("{literal}", &literal)
        };
        servers
            .direct
            .batch_execute(&format!("SET search_path TO {ident}"))
            .unwrap();

        for case in TENANT_CORPUS {
            let mut verdict = servers.judge(&qualifier, case, &fill);
            verdict.name = format!("{name}: {}", case.name);
            verdicts.push(verdict);
        }
    }

    eprintln!("{}", Summary::of(&verdicts));
    assert_verdicts(&verdicts, &[]);
}

#[test]
fn the_prisma_schema_declares_the_fixture() {
    let Some(mut servers) = Servers::connect() else {
        return;
    };
    let prisma = PrismaSchema::parse(PRISMA_SCHEMA).unwrap();
    let declared = |names: &[DeclaredName]| -> BTreeSet<String> {
        assert!(names.iter().all(|n| n.schema.is_none()), "{names:?}");
        names.iter().map(|n| n.name.clone()).collect()
    };

    let relations = first_column(
        &mut servers.direct,
        "SELECT relname FROM pg_class WHERE relnamespace = 'litellm'::regnamespace \
         AND relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT relispartition",
    );
    let types = first_column(
        &mut servers.direct,
        "SELECT typname FROM pg_type WHERE typnamespace = 'litellm'::regnamespace \
         AND typtype IN ('e', 'd')",
    );

    assert_eq!(declared(prisma.relations()), relations);
    assert_eq!(declared(prisma.types()), types);
}

#[test]
fn prisma_names_through_pgbouncer() {
    let Some(mut servers) = Servers::connect() else {
        return;
    };
    assert_unique_names(PRISMA_CORPUS);
    let prisma = PrismaSchema::parse(PRISMA_SCHEMA).unwrap();
    let qualifier = Qualifier::builder()
        .schema(Schema::new("litellm").unwrap())
        .prisma_schema(&prisma)
        .unwrap()
        .build();
    servers
        .direct
        .batch_execute("SET search_path TO litellm")
        .unwrap();

    let verdicts: Vec<Verdict> = PRISMA_CORPUS
        .iter()
        .map(|case| servers.judge(&qualifier, case, &|check| check.to_owned()))
        .collect();

    eprintln!("{}", Summary::of(&verdicts));
    assert_verdicts(&verdicts, PRISMA_KNOWN_GAPS);
}

#[test]
fn current_schema_through_pgbouncer() {
    let Some(mut servers) = Servers::connect() else {
        return;
    };
    assert_unique_names(CURRENT_SCHEMA_CORPUS);
    let schema = Schema::new("litellm").unwrap();
    let unpinned = Qualifier::new(schema.clone());
    let pinned = Qualifier::builder()
        .schema(schema)
        .pin_current_schema(true)
        .build();
    servers
        .direct
        .batch_execute("SET search_path TO litellm")
        .unwrap();

    let mut judge_all = |qualifier: &Qualifier| -> Vec<Verdict> {
        CURRENT_SCHEMA_CORPUS
            .iter()
            .map(|case| servers.judge(qualifier, case, &|check| check.to_owned()))
            .collect()
    };
    let without_pin = judge_all(&unpinned);
    let with_pin = judge_all(&pinned);

    eprintln!("without pinning: {}", Summary::of(&without_pin));
    eprintln!("pinned: {}", Summary::of(&with_pin));
    assert_still_wrong(&without_pin);
    assert_verdicts(&with_pin, &[]);
}

/// A direct connection and one through the pooler.
struct Servers {
    direct: Client,
    pooled: Client,
}

impl Servers {
    /// Connects to both, or says why not: a skip note on stderr, or a panic
    /// when `CI` is `true`.
    ///
    /// The tests take turns: they share the fixture, and one test's DDL or
    /// `LOCK ... NOWAIT` would disturb another's statements. The direct
    /// connection holds a session advisory lock until it closes.
    fn connect() -> Option<Servers> {
        let connected = connect("PGQUALIFY_E2E_DIRECT", DIRECT_DEFAULT).and_then(|mut direct| {
            direct
                .batch_execute("SELECT pg_advisory_lock(hashtext('pgqualify e2e'))")
                .map_err(|error| format!("cannot take the e2e turn: {error}"))?;
            let pooled = connect("PGQUALIFY_E2E_POOLED", POOLED_DEFAULT)?;
            Ok(Servers { direct, pooled })
        });
        match connected {
            Ok(servers) => Some(servers),
            Err(reason) if env::var("CI").as_deref() == Ok("true") => {
                panic!("e2e needs its servers when CI=true: {reason}; start them with .ci/services")
            }
            Err(reason) => {
                eprintln!("skipping e2e: {reason}; start the servers with .ci/services");
                None
            }
        }
    }

    /// Runs one case the three ways and says how they compare.
    fn judge(
        &mut self,
        qualifier: &Qualifier,
        case: &Case,
        fill: &dyn Fn(&str) -> String,
    ) -> Verdict {
        let check = fill(case.check);
        let meant = run(&mut self.direct, &batch(case.sql, case.params, &check));
        let unqualified = run(&mut self.pooled, &batch(case.sql, case.params, &check));
        let (qualified_sql, qualified) = match qualifier.qualify(case.sql) {
            Ok(sql) => {
                let outcome = run(&mut self.pooled, &batch(&sql, case.params, &check));
                (Some(sql.into_owned()), outcome)
            }
            Err(error) => (None, Outcome::NotRewritten(error.to_string())),
        };

        Verdict {
            name: case.name.to_owned(),
            sql: case.sql,
            qualified_sql,
            meant,
            unqualified,
            qualified,
        }
    }
}

fn connect(variable: &str, default: &str) -> Result<Client, String> {
    let text = env::var(variable).unwrap_or_else(|_| default.to_owned());
    let mut config = Config::from_str(&text)
        .map_err(|error| format!("{variable} is not a connection string: {error}"))?;
    config.connect_timeout(Duration::from_secs(5));
    config
        .connect(NoTls)
        .map_err(|error| match std::error::Error::source(&error) {
            Some(cause) => format!("cannot connect to {variable}: {error}: {cause}"),
            None => format!("cannot connect to {variable}: {error}"),
        })
}

/// The one transaction that runs a statement and its check.
fn batch(statement: &str, params: &[&str], check: &str) -> String {
    let mut sql = String::from("BEGIN;\n");
    if params.is_empty() {
        sql += &format!("{statement}\n;\n");
    } else {
        sql += &format!("PREPARE pgqualify_case AS {statement}\n;\n");
        sql += &format!("EXECUTE pgqualify_case({});\n", params.join(", "));
        sql += "DEALLOCATE pgqualify_case;\n";
    }
    if !check.is_empty() {
        sql += &format!("{check}\n;\n");
    }
    sql + "ROLLBACK"
}

fn run(client: &mut Client, batch: &str) -> Outcome {
    match client.simple_query(batch) {
        Ok(messages) => Outcome::Rows(statements(messages)),
        Err(error) => {
            let Some(db) = error.as_db_error() else {
                panic!("lost the server: {error}");
            };
            let failed = Outcome::Failed {
                code: db.code().code().to_owned(),
                message: db.message().to_owned(),
            };
            // The failed transaction stays open until it is ended, and keeps
            // its server connection from the pool until then.
            client.batch_execute("ROLLBACK").unwrap();
            failed
        }
    }
}

/// What the server answered to one batch.
#[derive(Debug, PartialEq)]
enum Outcome {
    Rows(Vec<Statement>),
    Failed { code: String, message: String },
    NotRewritten(String),
}

/// The answer to one statement of a batch.
#[derive(Debug, Default, PartialEq)]
struct Statement {
    columns: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
    count: u64,
}

fn statements(messages: Vec<SimpleQueryMessage>) -> Vec<Statement> {
    let mut done = Vec::new();
    let mut current = Statement::default();
    for message in messages {
        match message {
            SimpleQueryMessage::RowDescription(columns) => {
                current.columns = columns.iter().map(|c| c.name().to_owned()).collect();
            }
            SimpleQueryMessage::Row(row) => {
                let values = (0..row.len()).map(|i| row.get(i).map(str::to_owned));
                current.rows.push(values.collect());
            }
            SimpleQueryMessage::CommandComplete(count) => {
                current.count = count;
                done.push(std::mem::take(&mut current));
            }
            _ => {}
        }
    }
    done
}

/// The three runs of one case.
struct Verdict {
    name: String,
    sql: &'static str,
    qualified_sql: Option<String>,
    meant: Outcome,
    unqualified: Outcome,
    qualified: Outcome,
}

impl Verdict {
    /// The corpus itself is wrong if the application's own statement fails.
    fn meant_fails(&self) -> bool {
        !matches!(self.meant, Outcome::Rows(_))
    }

    /// How the statement as written goes wrong through the pooler, or `None`
    /// when it does not, which makes it useless as proof.
    fn bug(&self) -> Option<&'static str> {
        match &self.unqualified {
            Outcome::Failed { code, .. } if code == "42P01" => Some("undefined table"),
            Outcome::Failed { code, .. } if code == "42704" => Some("undefined object"),
            Outcome::Rows(_) if self.unqualified != self.meant => Some("wrong rows"),
            _ => None,
        }
    }

    fn qualified_matches(&self) -> bool {
        self.qualified == self.meant
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "case {:?}", self.name)?;
        writeln!(f, "  statement: {}", self.sql)?;
        if let Some(sql) = &self.qualified_sql {
            writeln!(f, "  qualified: {sql}")?;
        }
        writeln!(f, "  meant (direct, search_path set):\n{}", self.meant)?;
        writeln!(f, "  as written, through the pooler:\n{}", self.unqualified)?;
        write!(f, "  qualified, through the pooler:\n{}", self.qualified)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Failed { code, message } => write!(f, "    error {code}: {message}"),
            Outcome::NotRewritten(error) => write!(f, "    pgqualify: {error}"),
            Outcome::Rows(statements) => {
                let lines: Vec<String> = statements.iter().map(Statement::to_string).collect();
                write!(f, "{}", lines.join("\n"))
            }
        }
    }
}

impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "    [{}] count {}", self.columns.join(" | "), self.count)?;
        for row in &self.rows {
            let cells: Vec<&str> = row.iter().map(|v| v.as_deref().unwrap_or("NULL")).collect();
            write!(f, "\n      {}", cells.join(" | "))?;
        }
        Ok(())
    }
}

/// Counts for the note printed after a corpus run.
struct Summary {
    cases: usize,
    undefined_table: usize,
    undefined_object: usize,
    wrong_rows: usize,
    matching: usize,
}

impl Summary {
    fn of(verdicts: &[Verdict]) -> Summary {
        let bugs = |kind| verdicts.iter().filter(|v| v.bug() == Some(kind)).count();
        Summary {
            cases: verdicts.len(),
            undefined_table: bugs("undefined table"),
            undefined_object: bugs("undefined object"),
            wrong_rows: bugs("wrong rows"),
            matching: verdicts.iter().filter(|v| v.qualified_matches()).count(),
        }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "e2e: {} statements; as written through the pooler: {} undefined table, \
             {} undefined object, {} wrong rows; qualified: {} match what was meant",
            self.cases, self.undefined_table, self.undefined_object, self.wrong_rows, self.matching
        )
    }
}

/// Fails with every case that proves nothing, and every case whose
/// qualified form differs from what was meant unless it is a known gap, or
/// matches although it is one.
fn assert_verdicts(verdicts: &[Verdict], known_gaps: &[&str]) {
    let mut problems = Vec::new();
    for verdict in verdicts {
        let known = known_gaps.contains(&verdict.name.as_str());
        let problem = if verdict.meant_fails() {
            "the statement fails even with search_path set"
        } else if verdict.bug().is_none() {
            "the statement works through the pooler as written, so it proves nothing"
        } else if !verdict.qualified_matches() && !known {
            "the qualified statement does not return what was meant"
        } else if verdict.qualified_matches() && known {
            "a known gap now works; take it off KNOWN_GAPS"
        } else {
            continue;
        };
        problems.push(format!("{problem}\n{verdict}"));
    }

    assert!(
        problems.is_empty(),
        "{} of {} cases failed:\n\n{}",
        problems.len(),
        verdicts.len(),
        problems.join("\n\n")
    );
}

/// Fails with every case that, qualified without pinning `current_schema`,
/// already returns what was meant: it cannot show what pinning adds.
fn assert_still_wrong(verdicts: &[Verdict]) {
    let mut problems = Vec::new();
    for verdict in verdicts {
        let problem = if verdict.meant_fails() {
            "the statement fails even with search_path set"
        } else if matches!(verdict.qualified, Outcome::NotRewritten(_)) {
            "pgqualify refused the statement"
        } else if verdict.qualified_matches() {
            "without pinning, the qualified statement already returns what was meant"
        } else {
            continue;
        };
        problems.push(format!("{problem}\n{verdict}"));
    }

    assert!(
        problems.is_empty(),
        "{} of {} cases failed without pinning:\n\n{}",
        problems.len(),
        verdicts.len(),
        problems.join("\n\n")
    );
}

/// The first column of every row `sql` returns.
fn first_column(client: &mut Client, sql: &str) -> BTreeSet<String> {
    let answer = statements(client.simple_query(sql).unwrap());
    let rows = answer.into_iter().flat_map(|statement| statement.rows);
    rows.filter_map(|row| row.into_iter().next().flatten())
        .collect()
}

#[track_caller]
fn assert_unique_names(corpus: &[Case]) {
    let names: BTreeSet<&str> = corpus.iter().map(|case| case.name).collect();
    assert_eq!(names.len(), corpus.len(), "two cases share a name");
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
