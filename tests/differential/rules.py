"""Where PostgreSQL looks a relation up through search_path, stated over
libpg_query's parse tree.

`qualified(tree, schema)` returns the tree that a correct rewrite must
parse to: the input's tree with `schema` set on every unqualified
relation reference. Trees are the plain structures pglast serialises to:
dicts tagged with "@", tuples for lists, dicts tagged with "#" for enums.

What counts as a relation reference, in short:

- every RangeVar (FROM, JOIN, DML targets, CREATE ... targets, ON, LIKE,
  INHERITS, PARTITION OF, REFERENCES, ALTER, TRUNCATE, LOCK, COPY, VACUUM,
  GRANT, ...) except those listed below;
- name lists naming a relation: DROP, COMMENT ON, SECURITY LABEL ON and
  ALTER EXTENSION ... ADD/DROP of tables, views, materialized views,
  indexes, sequences and foreign tables; the table part of a column,
  constraint, trigger, rule or policy name in those statements; the table
  of a sequence's OWNED BY.

Not references, never qualified:

- a FROM item named like a common table expression in scope (a DML target
  or SELECT INTO target is never one);
- FOR UPDATE OF names, which name FROM items;
- SET CONSTRAINTS names, which name constraints;
- composite types (CREATE TYPE AS, ALTER TYPE), which are types;
- the remote tables of IMPORT FOREIGN SCHEMA;
- anything inside CREATE SCHEMA, whose elements resolve against the new
  schema;
- the target of CREATE TEMP ..., which goes to pg_temp;
- an identity column's SEQUENCE NAME, which goes to the table's schema.
"""

RELATION_OBJECTS = {
    "OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_INDEX",
    "OBJECT_SEQUENCE", "OBJECT_FOREIGN_TABLE",
}
# Objects named by their table's name followed by one name of their own.
MEMBER_OBJECTS = {
    "OBJECT_COLUMN", "OBJECT_TABCONSTRAINT", "OBJECT_TRIGGER",
    "OBJECT_RULE", "OBJECT_POLICY",
}
NO_SCOPE = frozenset()


def qualified(tree, schema):
    """The tree a correct rewrite of `tree` parses to."""
    return Rewrite(schema).walk(tree, NO_SCOPE)


def kind(node):
    return node["name"] if isinstance(node, dict) else None


class Rewrite:
    """One walk over a tree; `scope` holds the CTE names visible there."""

    def __init__(self, schema):
        self.schema = {"@": "String", "sval": schema}
        self.handlers = {
            "RangeVar": self.range_var,
            "WithClause": self.unexpected_with,
            "SelectStmt": self.query,
            "InsertStmt": self.query,
            "UpdateStmt": self.query,
            "DeleteStmt": self.query,
            "MergeStmt": self.query,
            "IntoClause": self.into,
            "LockingClause": keep,
            "CompositeTypeStmt": keep,
            "ImportForeignSchemaStmt": keep,
            "CreateSchemaStmt": keep,
            "ConstraintsSetStmt": keep,
            "AlterTableStmt": self.alter_table,
            "RenameStmt": self.rename,
            "DropStmt": self.drop,
            "CommentStmt": self.object_statement,
            "SecLabelStmt": self.object_statement,
            "AlterExtensionContentsStmt": self.object_statement,
            "DefElem": self.def_elem,
        }

    def walk(self, node, scope):
        if isinstance(node, tuple):
            return tuple(self.walk(item, scope) for item in node)
        if not isinstance(node, dict) or "@" not in node:
            return node
        handler = self.handlers.get(node["@"], self.fields)
        return handler(node, scope)

    def fields(self, node, scope, skip=()):
        return {key: value if key in skip else self.walk(value, scope)
                for key, value in node.items()}

    # -- relation references ------------------------------------------------

    def range_var(self, node, scope):
        is_cte = node.get("schemaname") is None and node["relname"] in scope
        if is_cte or node.get("relpersistence") == "t":
            return node
        if node.get("schemaname") is None:
            return {**node, "schemaname": self.schema["sval"]}
        return node

    def target(self, node):
        """A relation that is written to or created: never a CTE."""
        return self.range_var(node, NO_SCOPE) if node else node

    def names(self, names):
        """A relation's name as a list of identifiers."""
        return (self.schema, *names) if len(names) == 1 else names

    def member_names(self, names):
        """A table's name followed by the name of something in it."""
        return (*self.names(names[:-1]), names[-1])

    # -- queries and common table expressions -------------------------------

    def query(self, node, scope):
        with_clause = node.get("withClause")
        inner = scope
        if with_clause:
            with_clause, inner = self.with_clause(with_clause, scope)
        out = self.fields(node, inner, skip=("withClause", "relation"))
        if with_clause:
            out["withClause"] = with_clause
        if "relation" in node:
            out["relation"] = self.target(node["relation"])
        return out

    def with_clause(self, node, scope):
        """Walk each CTE body with the names it may see (PostgreSQL: the
        earlier CTEs, or all of them under RECURSIVE), and return the scope
        of the statement that the WITH belongs to."""
        names = [cte["ctename"] for cte in node["ctes"]]
        ctes = []
        for i, cte in enumerate(node["ctes"]):
            visible = names if node.get("recursive") else names[:i]
            body = self.walk(cte["ctequery"], scope | frozenset(visible))
            ctes.append({**cte, "ctequery": body})
        return {**node, "ctes": tuple(ctes)}, scope | frozenset(names)

    def unexpected_with(self, node, scope):
        raise ValueError("WITH outside a statement that owns it")

    def into(self, node, scope):
        return {**self.fields(node, scope, skip=("rel",)),
                "rel": self.target(node["rel"])}

    # -- utility statements -------------------------------------------------

    def alter_table(self, node, scope):
        if kind(node.get("objtype")) == "OBJECT_TYPE":
            return self.fields(node, scope, skip=("relation",))
        return self.fields(node, scope)

    def rename(self, node, scope):
        if kind(node.get("relationType")) == "OBJECT_TYPE":
            return self.fields(node, scope, skip=("relation",))
        return self.fields(node, scope)

    def drop(self, node, scope):
        objects = node.get("objects", ())
        qualify = self.object_names(kind(node["removeType"]))
        if qualify:
            objects = tuple(qualify(names) for names in objects)
        return {**node, "objects": objects}

    def object_statement(self, node, scope):
        qualify = self.object_names(kind(node["objtype"]))
        if qualify is None:
            return self.fields(node, scope)
        return {**node, "object": qualify(node["object"])}

    def object_names(self, object_type):
        if object_type in RELATION_OBJECTS:
            return self.names
        if object_type in MEMBER_OBJECTS:
            return self.member_names
        return None

    def def_elem(self, node, scope):
        arg = node.get("arg")
        if node["defname"] == "owned_by" and isinstance(arg, tuple) \
                and len(arg) > 1:
            return {**node, "arg": self.member_names(arg)}
        return self.fields(node, scope)


def keep(node, scope):
    return node
