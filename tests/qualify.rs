//! What gets qualified and what does not: one line per case, input SQL and
//! the exact expected SQL, with schema `s` and the default `LiteLLM_*`.

use std::borrow::Cow;

#[path = "support/check.rs"]
mod support;
use support::check;

use pgqualify::{Qualifier, Schema, Unparsable};

fn qualifier() -> Qualifier {
    Qualifier::new(Schema::new("s").unwrap())
}

#[test]
#[rustfmt::skip] // one line per case
fn select_positions() {
    check(&qualifier(), &[
        (r#"SELECT * FROM "LiteLLM_A""#, r#"SELECT * FROM "s"."LiteLLM_A""#),
        (r#"SELECT * FROM ONLY "LiteLLM_A""#, r#"SELECT * FROM ONLY "s"."LiteLLM_A""#),
        (r#"SELECT * FROM "LiteLLM_A" a JOIN "LiteLLM_B" b ON a.x = b.x"#, r#"SELECT * FROM "s"."LiteLLM_A" a JOIN "s"."LiteLLM_B" b ON a.x = b.x"#),
        (r#"SELECT * FROM ("LiteLLM_A" a LEFT JOIN "LiteLLM_B" b USING (x)) j"#, r#"SELECT * FROM ("s"."LiteLLM_A" a LEFT JOIN "s"."LiteLLM_B" b USING (x)) j"#),
        (r#"SELECT * FROM t, LATERAL (SELECT * FROM "LiteLLM_A" WHERE y = t.y) l"#, r#"SELECT * FROM t, LATERAL (SELECT * FROM "s"."LiteLLM_A" WHERE y = t.y) l"#),
        (r#"SELECT * FROM (SELECT * FROM "LiteLLM_A") d"#, r#"SELECT * FROM (SELECT * FROM "s"."LiteLLM_A") d"#),
        (r#"SELECT 1 WHERE x IN (SELECT x FROM "LiteLLM_A")"#, r#"SELECT 1 WHERE x IN (SELECT x FROM "s"."LiteLLM_A")"#),
        (r#"SELECT 1 WHERE EXISTS (SELECT 1 FROM "LiteLLM_A")"#, r#"SELECT 1 WHERE EXISTS (SELECT 1 FROM "s"."LiteLLM_A")"#),
        (r#"SELECT (SELECT count(*) FROM "LiteLLM_A") AS n"#, r#"SELECT (SELECT count(*) FROM "s"."LiteLLM_A") AS n"#),
        (r#"SELECT x FROM t GROUP BY x HAVING count(*) > (SELECT 1 FROM "LiteLLM_A")"#, r#"SELECT x FROM t GROUP BY x HAVING count(*) > (SELECT 1 FROM "s"."LiteLLM_A")"#),
        (r#"SELECT x FROM t ORDER BY (SELECT 1 FROM "LiteLLM_A" LIMIT 1)"#, r#"SELECT x FROM t ORDER BY (SELECT 1 FROM "s"."LiteLLM_A" LIMIT 1)"#),
        (r#"SELECT 1 FROM "LiteLLM_A" UNION ALL SELECT 2 FROM "LiteLLM_B""#, r#"SELECT 1 FROM "s"."LiteLLM_A" UNION ALL SELECT 2 FROM "s"."LiteLLM_B""#),
        (r#"(SELECT 1 FROM "LiteLLM_A") EXCEPT (SELECT 1 FROM "LiteLLM_B")"#, r#"(SELECT 1 FROM "s"."LiteLLM_A") EXCEPT (SELECT 1 FROM "s"."LiteLLM_B")"#),
        (r#"SELECT * INTO "LiteLLM_B" FROM "LiteLLM_A""#, r#"SELECT * INTO "s"."LiteLLM_B" FROM "s"."LiteLLM_A""#),
        (r#"EXPLAIN ANALYZE SELECT * FROM "LiteLLM_A""#, r#"EXPLAIN ANALYZE SELECT * FROM "s"."LiteLLM_A""#),
        (r#"PREPARE p AS SELECT * FROM "LiteLLM_A" WHERE x = $1"#, r#"PREPARE p AS SELECT * FROM "s"."LiteLLM_A" WHERE x = $1"#),
        (r#"SELECT * FROM "LiteLLM_A" WHERE token = $1 FOR UPDATE SKIP LOCKED"#, r#"SELECT * FROM "s"."LiteLLM_A" WHERE token = $1 FOR UPDATE SKIP LOCKED"#),
        (r#"SELECT m->>'k', m @> '{"a":1}' FROM "LiteLLM_A""#, r#"SELECT m->>'k', m @> '{"a":1}' FROM "s"."LiteLLM_A""#),
    ]);
}

#[test]
#[rustfmt::skip] // one line per case
fn dml_positions() {
    check(&qualifier(), &[
        (r#"INSERT INTO "LiteLLM_A" (x) VALUES ($1) ON CONFLICT (x) DO UPDATE SET y = 1 RETURNING *"#, r#"INSERT INTO "s"."LiteLLM_A" (x) VALUES ($1) ON CONFLICT (x) DO UPDATE SET y = 1 RETURNING *"#),
        (r#"INSERT INTO "LiteLLM_A" SELECT * FROM "LiteLLM_B""#, r#"INSERT INTO "s"."LiteLLM_A" SELECT * FROM "s"."LiteLLM_B""#),
        (r#"INSERT INTO "LiteLLM_A" AS a VALUES (1) ON CONFLICT ON CONSTRAINT "LiteLLM_A_pkey" DO NOTHING"#, r#"INSERT INTO "s"."LiteLLM_A" AS a VALUES (1) ON CONFLICT ON CONSTRAINT "LiteLLM_A_pkey" DO NOTHING"#),
        (r#"UPDATE "LiteLLM_A" SET x = b.x FROM "LiteLLM_B" b WHERE "LiteLLM_A".id = b.id"#, r#"UPDATE "s"."LiteLLM_A" SET x = b.x FROM "s"."LiteLLM_B" b WHERE "LiteLLM_A".id = b.id"#),
        (r#"DELETE FROM "LiteLLM_A" USING "LiteLLM_B" WHERE "LiteLLM_A".id = "LiteLLM_B".id"#, r#"DELETE FROM "s"."LiteLLM_A" USING "s"."LiteLLM_B" WHERE "LiteLLM_A".id = "LiteLLM_B".id"#),
        (r#"MERGE INTO "LiteLLM_A" t USING "LiteLLM_B" s ON t.id = s.id WHEN MATCHED THEN DELETE"#, r#"MERGE INTO "s"."LiteLLM_A" t USING "s"."LiteLLM_B" s ON t.id = s.id WHEN MATCHED THEN DELETE"#),
        (r#"TRUNCATE "LiteLLM_A", ONLY "LiteLLM_B""#, r#"TRUNCATE "s"."LiteLLM_A", ONLY "s"."LiteLLM_B""#),
        (r#"LOCK TABLE "LiteLLM_A" IN EXCLUSIVE MODE"#, r#"LOCK TABLE "s"."LiteLLM_A" IN EXCLUSIVE MODE"#),
        (r#"COPY "LiteLLM_A" (x, y) FROM STDIN"#, r#"COPY "s"."LiteLLM_A" (x, y) FROM STDIN"#),
        (r#"COPY (SELECT * FROM "LiteLLM_A") TO STDOUT"#, r#"COPY (SELECT * FROM "s"."LiteLLM_A") TO STDOUT"#),
    ]);
}

#[test]
#[rustfmt::skip] // one line per case
fn ctes_follow_postgresql_scoping() {
    check(&qualifier(), &[
        // A CTE hides the table in the main query, not in its own body.
        (r#"WITH "LiteLLM_A" AS (SELECT * FROM "LiteLLM_A") SELECT * FROM "LiteLLM_A""#, r#"WITH "LiteLLM_A" AS (SELECT * FROM "s"."LiteLLM_A") SELECT * FROM "LiteLLM_A""#),
        // Under RECURSIVE its own body sees it too.
        (r#"WITH RECURSIVE "LiteLLM_A" AS (SELECT 1 UNION ALL SELECT * FROM "LiteLLM_A") SELECT * FROM "LiteLLM_A""#, r#"WITH RECURSIVE "LiteLLM_A" AS (SELECT 1 UNION ALL SELECT * FROM "LiteLLM_A") SELECT * FROM "LiteLLM_A""#),
        // Later CTEs see earlier ones; earlier ones do not see later ones.
        (r#"WITH a AS (SELECT * FROM "LiteLLM_B"), "LiteLLM_B" AS (SELECT 1) SELECT * FROM a, "LiteLLM_B""#, r#"WITH a AS (SELECT * FROM "s"."LiteLLM_B"), "LiteLLM_B" AS (SELECT 1) SELECT * FROM a, "LiteLLM_B""#),
        (r#"WITH "LiteLLM_B" AS (SELECT 1), a AS (SELECT * FROM "LiteLLM_B") SELECT * FROM a"#, r#"WITH "LiteLLM_B" AS (SELECT 1), a AS (SELECT * FROM "LiteLLM_B") SELECT * FROM a"#),
        // Visible in nested subqueries; not outside the query that has it.
        (r#"WITH "LiteLLM_A" AS (SELECT 1) SELECT * FROM (SELECT * FROM "LiteLLM_A") d WHERE EXISTS (SELECT 1 FROM "LiteLLM_A")"#, r#"WITH "LiteLLM_A" AS (SELECT 1) SELECT * FROM (SELECT * FROM "LiteLLM_A") d WHERE EXISTS (SELECT 1 FROM "LiteLLM_A")"#),
        (r#"SELECT * FROM (WITH "LiteLLM_A" AS (SELECT 1) SELECT * FROM "LiteLLM_A") d, "LiteLLM_A""#, r#"SELECT * FROM (WITH "LiteLLM_A" AS (SELECT 1) SELECT * FROM "LiteLLM_A") d, "s"."LiteLLM_A""#),
        (r#"SELECT 1 FROM "LiteLLM_A" UNION SELECT * FROM (WITH "LiteLLM_A" AS (SELECT 1) SELECT * FROM "LiteLLM_A") d"#, r#"SELECT 1 FROM "s"."LiteLLM_A" UNION SELECT * FROM (WITH "LiteLLM_A" AS (SELECT 1) SELECT * FROM "LiteLLM_A") d"#),
        // An inner CTE's body reads the outer CTE of the same name.
        (r#"WITH "LiteLLM_A" AS (SELECT 1) SELECT * FROM (WITH "LiteLLM_A" AS (SELECT * FROM "LiteLLM_A") SELECT * FROM "LiteLLM_A") d"#, r#"WITH "LiteLLM_A" AS (SELECT 1) SELECT * FROM (WITH "LiteLLM_A" AS (SELECT * FROM "LiteLLM_A") SELECT * FROM "LiteLLM_A") d"#),
        // Unquoted CTE names fold like table names do.
        (r#"WITH LiteLLM_A AS (SELECT 1) SELECT * FROM "litellm_a", "LiteLLM_A""#, r#"WITH LiteLLM_A AS (SELECT 1) SELECT * FROM "litellm_a", "s"."LiteLLM_A""#),
        // DML targets are never CTE references.
        (r#"WITH "LiteLLM_A" AS (SELECT 1 AS x) INSERT INTO "LiteLLM_A" SELECT x FROM "LiteLLM_A""#, r#"WITH "LiteLLM_A" AS (SELECT 1 AS x) INSERT INTO "s"."LiteLLM_A" SELECT x FROM "LiteLLM_A""#),
        (r#"WITH "LiteLLM_A" AS (SELECT 1 AS x) UPDATE "LiteLLM_A" SET y = 1 FROM "LiteLLM_A" c"#, r#"WITH "LiteLLM_A" AS (SELECT 1 AS x) UPDATE "s"."LiteLLM_A" SET y = 1 FROM "LiteLLM_A" c"#),
        (r#"WITH "LiteLLM_A" AS (SELECT 1 AS x) DELETE FROM "LiteLLM_A" USING "LiteLLM_A" c"#, r#"WITH "LiteLLM_A" AS (SELECT 1 AS x) DELETE FROM "s"."LiteLLM_A" USING "LiteLLM_A" c"#),
        (r#"WITH "LiteLLM_A" AS (SELECT 1) SELECT * INTO "LiteLLM_A" FROM "LiteLLM_A""#, r#"WITH "LiteLLM_A" AS (SELECT 1) SELECT * INTO "s"."LiteLLM_A" FROM "LiteLLM_A""#),
        // Data-modifying CTEs.
        (r#"WITH moved AS (DELETE FROM "LiteLLM_A" WHERE x < 0 RETURNING *) INSERT INTO "LiteLLM_B" SELECT * FROM moved"#, r#"WITH moved AS (DELETE FROM "s"."LiteLLM_A" WHERE x < 0 RETURNING *) INSERT INTO "s"."LiteLLM_B" SELECT * FROM moved"#),
        (r#"WITH u AS (UPDATE "LiteLLM_A" SET x = 1 RETURNING id) SELECT * FROM u JOIN "LiteLLM_B" USING (id)"#, r#"WITH u AS (UPDATE "s"."LiteLLM_A" SET x = 1 RETURNING id) SELECT * FROM u JOIN "s"."LiteLLM_B" USING (id)"#),
    ]);
}

#[test]
#[rustfmt::skip] // one line per case
fn ddl_and_maintenance_positions() {
    check(&qualifier(), &[
        (r#"CREATE TABLE "LiteLLM_A" (id int PRIMARY KEY, b int REFERENCES "LiteLLM_B" (id), CONSTRAINT f FOREIGN KEY (b) REFERENCES "LiteLLM_C")"#, r#"CREATE TABLE "s"."LiteLLM_A" (id int PRIMARY KEY, b int REFERENCES "s"."LiteLLM_B" (id), CONSTRAINT f FOREIGN KEY (b) REFERENCES "s"."LiteLLM_C")"#),
        (r#"CREATE TABLE "LiteLLM_A" (LIKE "LiteLLM_B")"#, r#"CREATE TABLE "s"."LiteLLM_A" (LIKE "s"."LiteLLM_B")"#),
        (r#"CREATE TABLE "LiteLLM_A" (x int) INHERITS ("LiteLLM_B")"#, r#"CREATE TABLE "s"."LiteLLM_A" (x int) INHERITS ("s"."LiteLLM_B")"#),
        (r#"CREATE TABLE "LiteLLM_A_2024" PARTITION OF "LiteLLM_A" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"#, r#"CREATE TABLE "s"."LiteLLM_A_2024" PARTITION OF "s"."LiteLLM_A" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"#),
        (r#"CREATE TABLE "LiteLLM_A" AS SELECT * FROM "LiteLLM_B""#, r#"CREATE TABLE "s"."LiteLLM_A" AS SELECT * FROM "s"."LiteLLM_B""#),
        (r#"CREATE OR REPLACE VIEW "LiteLLM_V" AS SELECT * FROM "LiteLLM_A""#, r#"CREATE OR REPLACE VIEW "s"."LiteLLM_V" AS SELECT * FROM "s"."LiteLLM_A""#),
        (r#"CREATE MATERIALIZED VIEW "LiteLLM_M" AS SELECT * FROM "LiteLLM_A""#, r#"CREATE MATERIALIZED VIEW "s"."LiteLLM_M" AS SELECT * FROM "s"."LiteLLM_A""#),
        (r#"REFRESH MATERIALIZED VIEW CONCURRENTLY "LiteLLM_M""#, r#"REFRESH MATERIALIZED VIEW CONCURRENTLY "s"."LiteLLM_M""#),
        (r#"CREATE UNIQUE INDEX "LiteLLM_A_key" ON "LiteLLM_A" (x)"#, r#"CREATE UNIQUE INDEX "LiteLLM_A_key" ON "s"."LiteLLM_A" (x)"#),
        (r#"ALTER TABLE "LiteLLM_A" ADD COLUMN b int REFERENCES "LiteLLM_B""#, r#"ALTER TABLE "s"."LiteLLM_A" ADD COLUMN b int REFERENCES "s"."LiteLLM_B""#),
        (r#"ALTER TABLE "LiteLLM_A" ADD CONSTRAINT "LiteLLM_A_b_fkey" FOREIGN KEY (b) REFERENCES "LiteLLM_B" (id)"#, r#"ALTER TABLE "s"."LiteLLM_A" ADD CONSTRAINT "LiteLLM_A_b_fkey" FOREIGN KEY (b) REFERENCES "s"."LiteLLM_B" (id)"#),
        (r#"ALTER TABLE "LiteLLM_A" RENAME TO "LiteLLM_B""#, r#"ALTER TABLE "s"."LiteLLM_A" RENAME TO "LiteLLM_B""#),
        (r#"ALTER TABLE "LiteLLM_A" RENAME CONSTRAINT "LiteLLM_c" TO "LiteLLM_d""#, r#"ALTER TABLE "s"."LiteLLM_A" RENAME CONSTRAINT "LiteLLM_c" TO "LiteLLM_d""#),
        (r#"ALTER TABLE "LiteLLM_A" SET SCHEMA other"#, r#"ALTER TABLE "s"."LiteLLM_A" SET SCHEMA other"#),
        (r#"ALTER VIEW "LiteLLM_V" RENAME TO "LiteLLM_W""#, r#"ALTER VIEW "s"."LiteLLM_V" RENAME TO "LiteLLM_W""#),
        (r#"ALTER INDEX "LiteLLM_A_key" RENAME TO "LiteLLM_A_key2""#, r#"ALTER INDEX "s"."LiteLLM_A_key" RENAME TO "LiteLLM_A_key2""#),
        (r#"ALTER SEQUENCE "LiteLLM_A_id_seq" RESTART WITH 10"#, r#"ALTER SEQUENCE "s"."LiteLLM_A_id_seq" RESTART WITH 10"#),
        (r#"ALTER SEQUENCE "LiteLLM_A_id_seq" OWNED BY "LiteLLM_A".id"#, r#"ALTER SEQUENCE "s"."LiteLLM_A_id_seq" OWNED BY "s"."LiteLLM_A".id"#),
        (r#"VACUUM ANALYZE "LiteLLM_A""#, r#"VACUUM ANALYZE "s"."LiteLLM_A""#),
        (r#"REINDEX INDEX "LiteLLM_A_key""#, r#"REINDEX INDEX "s"."LiteLLM_A_key""#),
        (r#"DROP TABLE IF EXISTS "LiteLLM_A", "LiteLLM_B" CASCADE"#, r#"DROP TABLE IF EXISTS "s"."LiteLLM_A", "s"."LiteLLM_B" CASCADE"#),
        (r#"DROP VIEW "LiteLLM_V""#, r#"DROP VIEW "s"."LiteLLM_V""#),
        (r#"DROP MATERIALIZED VIEW "LiteLLM_M""#, r#"DROP MATERIALIZED VIEW "s"."LiteLLM_M""#),
        (r#"DROP INDEX "LiteLLM_A_key""#, r#"DROP INDEX "s"."LiteLLM_A_key""#),
        (r#"CREATE SEQUENCE "LiteLLM_S""#, r#"CREATE SEQUENCE "s"."LiteLLM_S""#),
        (r#"ANALYZE "LiteLLM_A""#, r#"ANALYZE "s"."LiteLLM_A""#),
        (r#"VACUUM "LiteLLM_A""#, r#"VACUUM "s"."LiteLLM_A""#),
        (r#"VACUUM (VERBOSE, ANALYZE) "LiteLLM_A", "LiteLLM_B" (x)"#, r#"VACUUM (VERBOSE, ANALYZE) "s"."LiteLLM_A", "s"."LiteLLM_B" (x)"#),
        (r#"CLUSTER "LiteLLM_A" USING "LiteLLM_A_key""#, r#"CLUSTER "s"."LiteLLM_A" USING "LiteLLM_A_key""#),
        (r#"REINDEX TABLE CONCURRENTLY "LiteLLM_A""#, r#"REINDEX TABLE CONCURRENTLY "s"."LiteLLM_A""#),
        (r#"GRANT SELECT, INSERT ON "LiteLLM_A", "LiteLLM_B" TO app"#, r#"GRANT SELECT, INSERT ON "s"."LiteLLM_A", "s"."LiteLLM_B" TO app"#),
        (r#"REVOKE ALL ON "LiteLLM_A" FROM app"#, r#"REVOKE ALL ON "s"."LiteLLM_A" FROM app"#),
        (r#"COMMENT ON TABLE "LiteLLM_A" IS 'keys'"#, r#"COMMENT ON TABLE "s"."LiteLLM_A" IS 'keys'"#),
        (r#"COMMENT ON COLUMN "LiteLLM_A".x IS 'x'"#, r#"COMMENT ON COLUMN "s"."LiteLLM_A".x IS 'x'"#),
        (r#"CREATE TRIGGER t AFTER INSERT ON "LiteLLM_A" FOR EACH ROW EXECUTE FUNCTION f()"#, r#"CREATE TRIGGER t AFTER INSERT ON "s"."LiteLLM_A" FOR EACH ROW EXECUTE FUNCTION f()"#),
        (r#"CREATE POLICY p ON "LiteLLM_A" USING (owner = current_user)"#, r#"CREATE POLICY p ON "s"."LiteLLM_A" USING (owner = current_user)"#),
        (r#"CREATE RULE r AS ON INSERT TO "LiteLLM_A" DO INSTEAD NOTHING"#, r#"CREATE RULE r AS ON INSERT TO "s"."LiteLLM_A" DO INSTEAD NOTHING"#),
        (r#"DROP TRIGGER t ON "LiteLLM_A""#, r#"DROP TRIGGER t ON "s"."LiteLLM_A""#),
        (r#"CREATE TABLE "LiteLLM_T" (c int, LIKE "LiteLLM_A")"#, r#"CREATE TABLE "s"."LiteLLM_T" (c int, LIKE "s"."LiteLLM_A")"#),
        (r#"ALTER TABLE "LiteLLM_A" INHERIT "LiteLLM_B""#, r#"ALTER TABLE "s"."LiteLLM_A" INHERIT "s"."LiteLLM_B""#),
        (r#"ALTER TABLE "LiteLLM_A" NO INHERIT "LiteLLM_B""#, r#"ALTER TABLE "s"."LiteLLM_A" NO INHERIT "s"."LiteLLM_B""#),
        (r#"CREATE SEQUENCE "LiteLLM_S" OWNED BY "LiteLLM_A".id"#, r#"CREATE SEQUENCE "s"."LiteLLM_S" OWNED BY "s"."LiteLLM_A".id"#),
        (r#"CREATE FOREIGN TABLE "LiteLLM_F" () INHERITS ("LiteLLM_A") SERVER remote"#, r#"CREATE FOREIGN TABLE "s"."LiteLLM_F" () INHERITS ("s"."LiteLLM_A") SERVER remote"#),
        (r#"DROP FOREIGN TABLE "LiteLLM_F""#, r#"DROP FOREIGN TABLE "s"."LiteLLM_F""#),
        (r#"COMMENT ON FOREIGN TABLE "LiteLLM_F" IS 'remote'"#, r#"COMMENT ON FOREIGN TABLE "s"."LiteLLM_F" IS 'remote'"#),
        (r#"SELECT * FROM (TABLE "LiteLLM_A") AS t"#, r#"SELECT * FROM (TABLE "s"."LiteLLM_A") AS t"#),
        (r#"DROP POLICY p ON "LiteLLM_A""#, r#"DROP POLICY p ON "s"."LiteLLM_A""#),
        (r#"ALTER TABLE "LiteLLM_A" ATTACH PARTITION "LiteLLM_A_p1" FOR VALUES FROM (1) TO (2)"#, r#"ALTER TABLE "s"."LiteLLM_A" ATTACH PARTITION "s"."LiteLLM_A_p1" FOR VALUES FROM (1) TO (2)"#),
        (r#"ALTER TABLE "LiteLLM_A" DETACH PARTITION "LiteLLM_A_p1""#, r#"ALTER TABLE "s"."LiteLLM_A" DETACH PARTITION "s"."LiteLLM_A_p1""#),
    ]);
}

#[test]
#[rustfmt::skip] // one line per case
fn names_resolved_at_run_time() {
    check(&qualifier(), &[
        (r#"SELECT '"LiteLLM_A"'::regclass"#, r#"SELECT '"s"."LiteLLM_A"'::regclass"#),
        (r#"SELECT CAST('"LiteLLM_A"' AS regclass)"#, r#"SELECT CAST('"s"."LiteLLM_A"' AS regclass)"#),
        (r#"SELECT ' "LiteLLM_A" '::pg_catalog.regclass"#, r#"SELECT ' "s"."LiteLLM_A" '::pg_catalog.regclass"#),
        (r#"SELECT E'"LiteLLM_A"'::regclass, $$"LiteLLM_B"$$::regclass"#, r#"SELECT E'"s"."LiteLLM_A"'::regclass, $$"s"."LiteLLM_B"$$::regclass"#),
        (r#"SELECT to_regclass('"LiteLLM_A"') IS NOT NULL"#, r#"SELECT to_regclass('"s"."LiteLLM_A"') IS NOT NULL"#),
        (r#"SELECT pg_total_relation_size('"LiteLLM_A"'), pg_relation_size('"LiteLLM_A"'), pg_table_size('"LiteLLM_A"'), pg_indexes_size('"LiteLLM_A"')"#, r#"SELECT pg_total_relation_size('"s"."LiteLLM_A"'), pg_relation_size('"s"."LiteLLM_A"'), pg_table_size('"s"."LiteLLM_A"'), pg_indexes_size('"s"."LiteLLM_A"')"#),
        (r#"SELECT setval(pg_get_serial_sequence('"LiteLLM_A"', 'id'), 1)"#, r#"SELECT setval(pg_get_serial_sequence('"s"."LiteLLM_A"', 'id'), 1)"#),
        (r#"SELECT has_table_privilege('app', '"LiteLLM_A"', 'SELECT')"#, r#"SELECT has_table_privilege('app', '"s"."LiteLLM_A"', 'SELECT')"#),
        (r#"SELECT relname FROM pg_class WHERE oid = '"LiteLLM_A"'::regclass::oid"#, r#"SELECT relname FROM pg_class WHERE oid = '"s"."LiteLLM_A"'::regclass::oid"#),
        (r#"SELECT NULL::"LiteLLM_A", CAST(x AS "LiteLLM_A"), y::"LiteLLM_A"[]"#, r#"SELECT NULL::"s"."LiteLLM_A", CAST(x AS "s"."LiteLLM_A"), y::"s"."LiteLLM_A"[]"#),
        (r#"SELECT * FROM json_populate_record(NULL::"LiteLLM_A", $1)"#, r#"SELECT * FROM json_populate_record(NULL::"s"."LiteLLM_A", $1)"#),
        (r#"SELECT count(*) FROM pg_partition_tree('"LiteLLM_A"') WHERE isleaf"#, r#"SELECT count(*) FROM pg_partition_tree('"s"."LiteLLM_A"') WHERE isleaf"#),
        (r#"SELECT * FROM to_regclass('"LiteLLM_A"') r, LATERAL pg_partition_ancestors('"LiteLLM_A"') a"#, r#"SELECT * FROM to_regclass('"s"."LiteLLM_A"') r, LATERAL pg_partition_ancestors('"s"."LiteLLM_A"') a"#),
    ]);
}

#[test]
#[rustfmt::skip] // one line per case
fn never_touched() {
    let same = [
        r#"SELECT * FROM public."LiteLLM_A""#,
        r#"SELECT * FROM "other"."LiteLLM_A""#,
        r#"SELECT * FROM "other" /* c */ . /* c */ "LiteLLM_A""#,
        r#"SELECT * FROM db.s."LiteLLM_A""#,
        r#"SELECT * FROM LiteLLM_A"#,
        r#"SELECT * FROM litellm_a, "litellm_a", "LiteLLMX""#,
        r#"SELECT "LiteLLM_A".x, "LiteLLM_A".* FROM t AS "LiteLLM_A""#,
        r#"SELECT row_to_json("LiteLLM_A") FROM t "LiteLLM_A""#,
        r#"SELECT * FROM public."LiteLLM_A" FOR UPDATE OF "LiteLLM_A""#,
        r#"SELECT 'FROM "LiteLLM_A"', '"LiteLLM_A"', $$"LiteLLM_A"$$"#,
        r#"SELECT 1 -- FROM "LiteLLM_A"
/* JOIN "LiteLLM_B" */"#,
        r#"SELECT '"LiteLLM_A"'::text, '"s"."LiteLLM_A"'::regclass, '12345'::regclass"#,
        r#"SELECT x::int, y::text[], z::"LiteLLMish" FROM t"#,
        r#"SELECT * FROM generate_series(1, 3) AS "LiteLLM_A""#,
        r#"CREATE INDEX "LiteLLM_A_idx" ON s."LiteLLM_A" (x)"#,
        r#"INSERT INTO s."LiteLLM_A" VALUES (1) ON CONFLICT ON CONSTRAINT "LiteLLM_A_pkey" DO NOTHING"#,
        r#"ALTER TABLE s."LiteLLM_A" RENAME TO "LiteLLM_B""#,
        r#"SET search_path TO "LiteLLM_A""#,
        // Temporary relations live in pg_temp; PostgreSQL refuses them in
        // any other schema.
        r#"CREATE TEMP TABLE "LiteLLM_T" (x int)"#,
        r#"CREATE TEMPORARY VIEW "LiteLLM_V" AS SELECT 1"#,
        r#"CREATE TEMP SEQUENCE "LiteLLM_S""#,
        r#"SELECT 1 AS x INTO TEMP "LiteLLM_T""#,
        r#"WITH "LiteLLM_A" AS (SELECT 1) TABLE "LiteLLM_A""#,
        "",
        "  ;; ",
    ];
    let cases: Vec<(&str, &str)> = same.iter().map(|sql| (*sql, *sql)).collect();
    check(&qualifier(), &cases);
}

#[test]
#[rustfmt::skip] // one line per case
fn text_around_names_is_kept_byte_for_byte() {
    check(&qualifier(), &[
        ("SELECT 'a''''b', U&'\\0041' FROM \"LiteLLM_A\" -- tail", "SELECT 'a''''b', U&'\\0041' FROM \"s\".\"LiteLLM_A\" -- tail"),
        ("select *\r\n  from\t\"LiteLLM_A\"\r\n  where  x = $1 ;", "select *\r\n  from\t\"s\".\"LiteLLM_A\"\r\n  where  x = $1 ;"),
        ("SELECT '🦀', E'\\n' FROM \"LiteLLM_A\" WHERE \"é\" = 'ü'", "SELECT '🦀', E'\\n' FROM \"s\".\"LiteLLM_A\" WHERE \"é\" = 'ü'"),
        ("SELECT 1 FROM \"LiteLLM_A\"; SELECT 2 FROM \"LiteLLM_B\";\nSELECT 3", "SELECT 1 FROM \"s\".\"LiteLLM_A\"; SELECT 2 FROM \"s\".\"LiteLLM_B\";\nSELECT 3"),
        ("SELECT $body$ FROM \"LiteLLM_A\" $body$, x FROM \"LiteLLM_A\"", "SELECT $body$ FROM \"LiteLLM_A\" $body$, x FROM \"s\".\"LiteLLM_A\""),
    ]);
}

#[test]
#[rustfmt::skip] // one line per case
fn schema_names_are_quoted() {
    let cases = [
        ("litellm", r#"SELECT '"litellm"."LiteLLM_A"'::regclass FROM "litellm"."LiteLLM_A""#),
        ("My Schema", r#"SELECT '"My Schema"."LiteLLM_A"'::regclass FROM "My Schema"."LiteLLM_A""#),
        ("a\"b", r#"SELECT '"a""b"."LiteLLM_A"'::regclass FROM "a""b"."LiteLLM_A""#),
        ("it's", r#"SELECT '"it''s"."LiteLLM_A"'::regclass FROM "it's"."LiteLLM_A""#),
        ("Ünïcödé", r#"SELECT '"Ünïcödé"."LiteLLM_A"'::regclass FROM "Ünïcödé"."LiteLLM_A""#),
        ("public", r#"SELECT '"public"."LiteLLM_A"'::regclass FROM "public"."LiteLLM_A""#),
    ];
    for (schema, expected) in cases {
        let qualifier = Qualifier::new(Schema::new(schema).unwrap());
        let sql = r#"SELECT '"LiteLLM_A"'::regclass FROM "LiteLLM_A""#;
        check(&qualifier, &[(sql, expected)]);
    }
}

#[test]
#[rustfmt::skip] // one line per case
fn patterns_choose_the_names() {
    let every = Qualifier::builder().schema(Schema::new("s").unwrap()).patterns(["*"]).unwrap().build();
    check(&every, &[
        ("SELECT * FROM pg_class, t JOIN LiteLLM_A USING (x)", r#"SELECT * FROM "s".pg_class, "s".t JOIN "s".LiteLLM_A USING (x)"#),
        // A wildcard alone never reads type names or literals as tables.
        ("SELECT x::int, '\"t\"'::regclass, NULL::\"T\" FROM t", "SELECT x::int, '\"t\"'::regclass, NULL::\"T\" FROM \"s\".t"),
        // Functions in FROM are not relations.
        ("SELECT * FROM generate_series(1, 2) g, unnest($1) u", "SELECT * FROM generate_series(1, 2) g, unnest($1) u"),
        ("WITH c AS (SELECT 1) SELECT * FROM c, d", r#"WITH c AS (SELECT 1) SELECT * FROM c, "s".d"#),
    ]);
    let exact = Qualifier::builder().schema(Schema::new("s").unwrap()).patterns(["MonthlyGlobalSpend", "Team?"]).unwrap().build();
    check(&exact, &[
        (r#"SELECT * FROM "MonthlyGlobalSpend", "MonthlyGlobalSpendPerKey", "TeamA", "TeamAB", "LiteLLM_A""#, r#"SELECT * FROM "s"."MonthlyGlobalSpend", "MonthlyGlobalSpendPerKey", "s"."TeamA", "TeamAB", "LiteLLM_A""#),
        (r#"SELECT '"MonthlyGlobalSpend"'::regclass"#, r#"SELECT '"s"."MonthlyGlobalSpend"'::regclass"#),
    ]);
    let lower = Qualifier::builder().schema(Schema::new("s").unwrap()).patterns(["litellm_*"]).unwrap().build();
    check(&lower, &[
        (r#"SELECT * FROM LiteLLM_A, litellm_b, "litellm_c", "LiteLLM_D""#, r#"SELECT * FROM "s".LiteLLM_A, "s".litellm_b, "s"."litellm_c", "LiteLLM_D""#),
        ("SELECT 'LiteLLM_A'::regclass", "SELECT '\"s\".LiteLLM_A'::regclass"),
    ]);
}

#[test]
fn without_a_schema_nothing_is_parsed() {
    let qualifier = Qualifier::builder().build();
    let sql = "this is not SQL FROM \"LiteLLM_A\"";
    assert!(matches!(qualifier.qualify(sql).unwrap(), Cow::Borrowed(s) if s == sql));
}

#[test]
fn errors_say_what_and_where() {
    let cases = [
        (
            "SELEC 1",
            "cannot parse SQL at 1:1",
            "sql parser error: Expected: an SQL statement, found: SELEC at Line: 1, Column: 1",
        ),
        (
            "SELECT 1;\nSELECT * FROM \"LiteLLM_A\" WHERE",
            "cannot parse SQL at 2:32",
            "sql parser error: Expected: an expression, found: EOF",
        ),
        (
            "SELECT 'open",
            "cannot parse SQL at 1:8",
            "sql parser error: Unterminated string literal at Line: 1, Column: 8",
        ),
    ];
    for (sql, message, source) in cases {
        let error = qualifier().qualify(sql).unwrap_err();
        assert_eq!(error.to_string(), message, "{sql}");
        let cause = std::error::Error::source(&error).unwrap().to_string();
        assert!(cause.starts_with(source), "{cause}");
    }
    let deep = format!("SELECT {}1{}", "(".repeat(60), ")".repeat(60));
    let error = qualifier().qualify(&deep).unwrap_err();
    assert_eq!(
        error.to_string(),
        "SQL nests too deeply at 1:67; the parser allows 50 levels"
    );
    let limited = Qualifier::builder()
        .schema(Schema::new("s").unwrap())
        .max_sql_len(8)
        .build();
    assert_eq!(
        limited.qualify("SELECT 1 + 1").unwrap_err().to_string(),
        "SQL text is 12 bytes long; the limit is 8"
    );
}

#[test]
fn unparsable_statements_can_pass_through() {
    let lenient = Qualifier::builder()
        .schema(Schema::new("s").unwrap())
        .unparsable(Unparsable::PassThrough)
        .build();
    let sql = "SELECT * FROM \"LiteLLM_A\";\nDO $$ BEGIN PERFORM 1 FROM \"LiteLLM_B\"; END $$;\nSELECT * FROM \"LiteLLM_C\"";
    let expected = "SELECT * FROM \"s\".\"LiteLLM_A\";\nDO $$ BEGIN PERFORM 1 FROM \"LiteLLM_B\"; END $$;\nSELECT * FROM \"s\".\"LiteLLM_C\"";
    check(&lenient, &[(sql, expected)]);
    let error = qualifier().qualify(sql).unwrap_err();
    assert_eq!(error.position().map(|p| (p.line, p.column)), Some((2, 1)));
}

#[test]
fn unqualified_lists_names_in_text_order() {
    let sql = "SELECT *\nFROM \"LiteLLM_B\" JOIN \"LiteLLM_A\" ON true\nWHERE x = '\"LiteLLM_C\"'::regclass";
    let found = qualifier().unqualified(sql).unwrap();
    let found: Vec<_> = found
        .iter()
        .map(|u| (u.name.as_str(), u.position.to_string()))
        .collect();
    assert_eq!(
        found,
        [
            ("LiteLLM_B", "2:6".to_owned()),
            ("LiteLLM_A", "2:23".to_owned()),
            ("LiteLLM_C", "3:11".to_owned())
        ]
    );
}

#[test]
fn huge_inputs_do_not_overflow_a_small_stack() {
    // Far past the ~100k terms whose drop overflows a 2 MiB stack.
    let chain = format!("SELECT {}1 FROM \"LiteLLM_A\"", "a+".repeat(200_000));
    let union = format!(
        "SELECT 1 FROM \"LiteLLM_A\"{}",
        " UNION ALL SELECT 1".repeat(150_000)
    );
    let broken = format!("SELECT {}1 )", "a+".repeat(200_000));
    let thread = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || {
            let qualifier = qualifier();
            let chain = qualifier.qualify(&chain).map(|s| s.len());
            let union = qualifier.qualify(&union).map(|s| s.len());
            let broken = qualifier.qualify(&broken).map(|s| s.len());
            (chain, union, broken)
        });
    let (chain, union, broken) = thread.unwrap().join().unwrap();
    assert_eq!(chain.unwrap(), 2 * 200_000 + 29);
    assert_eq!(union.unwrap(), 19 * 150_000 + 29);
    assert_eq!(
        broken.unwrap_err().position().map(|p| p.column),
        Some(400_010)
    );
}
