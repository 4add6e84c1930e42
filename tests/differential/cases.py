"""Hand-written cases that pin the rules in rules.py, with schema q.

Each case is (input, the correctly qualified text); None means the input
must stay as it is. The check refuses to run while one of these fails.
"""

CASES = [
    # FROM items, functions, literals
    ("select * from t", "select * from q.t"),
    ("select * from a.t, \"T\"", "select * from a.t, q.\"T\""),
    ("select * from t x join u on x.a = u.a",
     "select * from q.t x join q.u on x.a = u.a"),
    ("select * from generate_series(1, 2) g", None),
    ("select 's'::regclass, nextval('s') from t",
     "select 's'::regclass, nextval('s') from q.t"),
    ("select * from t tablesample system (1)",
     "select * from q.t tablesample system (1)"),
    ("select * from t for update of t", "select * from q.t for update of t"),
    ("select (select 1 from t) where exists (select 1 from u)",
     "select (select 1 from q.t) where exists (select 1 from q.u)"),
    ("select a::t, cast(b as u) from v", "select a::t, cast(b as u) from q.v"),
    # common table expressions
    ("with c as (select 1) select * from c, t",
     "with c as (select 1) select * from c, q.t"),
    ("with c as (select * from c) select 1",
     "with c as (select * from q.c) select 1"),
    ("with recursive c as (select * from c) select 1", None),
    ("with a as (select * from b), b as (select * from a) select 1",
     "with a as (select * from q.b), b as (select * from a) select 1"),
    ("with recursive a as (select * from b), b as (select 1) select 1",
     None),
    ("with c as (select 1) select (select 1 from c)", None),
    ("select * from (with c as (select 1) select * from c) x, c",
     "select * from (with c as (select 1) select * from c) x, q.c"),
    ("with c as (select 1) select * from c union select * from c", None),
    ("with c as (select 1) select * from (with d as (select * from c) "
     "select * from d, c) x", None),
    ("with c as (select * from t) select * from (with c as "
     "(select * from c) select * from c) x",
     "with c as (select * from q.t) select * from (with c as "
     "(select * from c) select * from c) x"),
    ("select * from c.c", None),
    # DML targets are never CTE references
    ("with c as (select 1) insert into c select * from c",
     "with c as (select 1) insert into q.c select * from c"),
    ("with c as (select 1) update c set a = 1 from c",
     "with c as (select 1) update q.c set a = 1 from c"),
    ("with c as (select 1) delete from c using c",
     "with c as (select 1) delete from q.c using c"),
    ("with c as (select 1) merge into c using c on true "
     "when matched then delete",
     "with c as (select 1) merge into q.c using c on true "
     "when matched then delete"),
    ("with c as (select 1) select * into c from c",
     "with c as (select 1) select * into q.c from c"),
    ("with c as (insert into c values (1) returning *) select * from c",
     "with c as (insert into q.c values (1) returning *) select * from c"),
    # creating relations
    ("create table t (a int references u, like v) inherits (w)",
     "create table q.t (a int references q.u, like q.v) inherits (q.w)"),
    ("create table p partition of t for values in (1)",
     "create table q.p partition of q.t for values in (1)"),
    ("create table t of ty", "create table q.t of ty"),
    ("create temp table t (a int)", None),
    ("create temp table t as select * from u",
     "create temp table t as select * from q.u"),
    ("create table t (a int generated always as identity "
     "(sequence name sq))",
     "create table q.t (a int generated always as identity "
     "(sequence name sq))"),
    ("create view v as select * from t",
     "create view q.v as select * from q.t"),
    ("create temp view v as select * from t",
     "create temp view v as select * from q.t"),
    ("create recursive view v (n) as select 1 union all select n from v",
     "create recursive view q.v (n) as select 1 union all select n from v"),
    ("create materialized view m as select * from t",
     "create materialized view q.m as select * from q.t"),
    ("create sequence s owned by t.c", "create sequence q.s owned by q.t.c"),
    ("alter sequence s owned by none", "alter sequence q.s owned by none"),
    ("create index i on t (a)", "create index i on q.t (a)"),
    ("create statistics st on a, b from t",
     "create statistics st on a, b from q.t"),
    ("create trigger tr after insert on t for each row execute function f()",
     "create trigger tr after insert on q.t for each row "
     "execute function f()"),
    ("create policy p on t using (true)",
     "create policy p on q.t using (true)"),
    ("create rule r as on insert to t do instead nothing",
     "create rule r as on insert to q.t do instead nothing"),
    ("create publication p for table t", "create publication p for table q.t"),
    ("create function f() returns bigint begin atomic "
     "select count(*) from t; end",
     "create function f() returns bigint begin atomic "
     "select count(*) from q.t; end"),
    ("create function f() returns int as 'select 1 from t' language sql",
     None),
    # altering, renaming, dropping
    ("alter table t rename to u", "alter table q.t rename to u"),
    ("alter index i rename to j", "alter index q.i rename to j"),
    ("alter table t rename column a to b",
     "alter table q.t rename column a to b"),
    ("alter table t attach partition p for values in (1)",
     "alter table q.t attach partition q.p for values in (1)"),
    ("alter table t add foreign key (a) references u",
     "alter table q.t add foreign key (a) references q.u"),
    ("alter table t inherit u", "alter table q.t inherit q.u"),
    ("alter table t set schema x", "alter table q.t set schema x"),
    ("alter trigger tr on t rename to tr2",
     "alter trigger tr on q.t rename to tr2"),
    ("drop table t, a.u", "drop table q.t, a.u"),
    ("drop index concurrently i", "drop index concurrently q.i"),
    ("drop trigger tr on t", "drop trigger tr on q.t"),
    ("drop policy p on t", "drop policy p on q.t"),
    ("drop type ty", None),
    ("drop function f(t)", None),
    # types are not relations
    ("create type ct as (a int)", None),
    ("alter type ct add attribute b int", None),
    ("alter type ct rename attribute a to b", None),
    # other utility statements
    ("comment on table t is null", "comment on table q.t is null"),
    ("comment on column t.c is null", "comment on column q.t.c is null"),
    ("comment on constraint k on t is null",
     "comment on constraint k on q.t is null"),
    ("comment on function f() is null", None),
    ("security label on table t is 'x'", "security label on table q.t is 'x'"),
    ("alter extension e add table t", "alter extension e add table q.t"),
    ("grant select on t, s to r", "grant select on q.t, q.s to r"),
    ("grant select on all tables in schema x to r", None),
    ("truncate t", "truncate q.t"),
    ("lock table t", "lock table q.t"),
    ("vacuum (analyze) t (a)", "vacuum (analyze) q.t (a)"),
    ("analyze t", "analyze q.t"),
    ("cluster t using i", "cluster q.t using i"),
    ("reindex table t", "reindex table q.t"),
    ("reindex schema x", None),
    ("set constraints k, a.k deferred", None),
    ("refresh materialized view m", "refresh materialized view q.m"),
    ("copy t (a) from stdin", "copy q.t (a) from stdin"),
    ("copy (select * from t) to stdout", "copy (select * from q.t) to stdout"),
    ("explain select * from t", "explain select * from q.t"),
    ("declare k cursor for select * from t",
     "declare k cursor for select * from q.t"),
    ("create schema x create table t (a int) create view v as "
     "select * from t", None),
    ("import foreign schema r limit to (t) from server s into x", None),
]


def failures(parser, qualified_tree, parse):
    """Yield (case, description) for each case the rules get wrong."""
    for given, want in CASES:
        tree = parse(parser, given)
        expected = parse(parser, want if want is not None else given)
        if tree is None or expected is None:
            yield given, "case does not parse"
        elif qualified_tree(tree, "q") != expected:
            yield given, "rules disagree with the case"
