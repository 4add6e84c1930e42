//! Laws of qualification, checked on generated SQL.
//!
//! The generator draws statements from a small grammar: CTEs at several
//! depths (recursive or not, some named like the tables they hide), joins,
//! derived tables, subqueries, set operations, DML with WITH, aliases,
//! column and whole-row references, `regclass` literals, row-type casts,
//! string data and comments. Each statement is rendered twice: as the input,
//! and as the text the qualifier must return. Which names get the schema is
//! decided while rendering, from the generator's own knowledge of the
//! pattern, the CTE names in scope and the DML targets; the library is not
//! consulted.
//!
//! Failures are kept in `proptest-regressions/properties.txt` and replayed
//! first on the next run. `PROPTEST_CASES` raises the number of cases.

#[path = "support/insertions.rs"]
mod insertions;

use std::fmt;

use pgqualify::{Error, Qualifier, Schema, Unparsable};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, FileFailurePersistence};
use sqlparser::ast::{self, Statement as Ast};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use insertions::{only_insertions, prefix_forms};

// Names.

/// One identifier as it is written in the SQL text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ident {
    Quoted(&'static str),
    Bare(&'static str),
}

impl Ident {
    fn source(self) -> String {
        match self {
            Ident::Quoted(name) => format!("\"{}\"", name.replace('"', "\"\"")),
            Ident::Bare(name) => name.to_owned(),
        }
    }

    /// The name PostgreSQL looks up: a quoted one as written, a bare one
    /// with ASCII letters in lower case.
    fn identity(self) -> String {
        match self {
            Ident::Quoted(name) => name.to_owned(),
            Ident::Bare(name) => name.to_ascii_lowercase(),
        }
    }
}

/// Names for tables and CTEs alike, few enough that a CTE often hides a
/// table of the same name.
const RELATIONS: &[Ident] = &[
    Ident::Quoted("LiteLLM_A"),
    Ident::Quoted("LiteLLM_Bee"),
    Ident::Quoted("LiteLLM_q\"x"),
    Ident::Quoted("LiteLLM_Über"),
    Ident::Bare("LiteLLM_A"),
    Ident::Bare("litellm_bee"),
    Ident::Quoted("litellm_a"),
    Ident::Bare("users"),
    Ident::Quoted("Users"),
];

/// Schema parts of names that are already qualified.
const QUALIFIERS: &[Ident] = &[
    Ident::Quoted("s"),
    Ident::Bare("public"),
    Ident::Quoted("LiteLLM_A"),
];

/// Column names, some spelled like tables.
const COLUMNS: &[Ident] = &[
    Ident::Bare("n"),
    Ident::Bare("Col"),
    Ident::Quoted("LiteLLM_A"),
];

/// String data that merely mentions tables.
const STRINGS: &[&str] = &[
    "'x FROM \"LiteLLM_A\"'",
    "'\"LiteLLM_A\"'",
    "'\"LiteLLM_Bee\"'::text",
    "E'\"LiteLLM_A\" it\\'s'",
    "$$ JOIN \"LiteLLM_A\" $$",
    "$q$\"LiteLLM_A\"$q$",
];

/// What may stand between two tokens.
const GAPS: &[&str] = &[
    " ",
    "\n",
    "\t ",
    " /* FROM \"LiteLLM_A\" */ ",
    " -- JOIN \"LiteLLM_Bee\" x\n",
    " /* outer /* \"LiteLLM_A\" */ still */ ",
    "\r\n",
    " /* 𝄞 é */ ",
];

/// Schemas to qualify with, several of which need quoting or escaping.
const SCHEMAS: &[&str] = &[
    "s",
    "litellm",
    "My Schema",
    "a\"b",
    "it's",
    "back\\slash",
    "Ünï",
    "x$$y",
    "a$q$b",
];

// The grammar.

#[derive(Clone, Debug)]
enum Table {
    Bare(Ident),
    Qualified(Ident, Ident),
}

#[derive(Clone, Debug)]
struct Query {
    with: Option<With>,
    first: Select,
    rest: Vec<(SetOp, Select)>,
    limit: bool,
    /// `FOR UPDATE OF name`, only on a query of one SELECT with a FROM.
    lock: Option<Ident>,
}

#[derive(Clone, Copy, Debug)]
enum SetOp {
    Union,
    UnionAll,
    Intersect,
    Except,
}

#[derive(Clone, Debug)]
struct With {
    recursive: bool,
    ctes: Vec<Cte>,
}

#[derive(Clone, Debug)]
struct Cte {
    name: Ident,
    columns: bool,
    materialized: Option<bool>,
    body: CteBody,
}

#[derive(Clone, Debug)]
enum CteBody {
    Query(Query),
    Dml(Dml),
}

#[derive(Clone, Debug)]
struct Select {
    /// After SELECT and after FROM.
    gaps: (&'static str, &'static str),
    distinct: bool,
    items: Vec<Item>,
    from: Vec<From>,
    filter: Option<Expr>,
}

#[derive(Clone, Debug)]
enum Item {
    Star,
    /// `"T".*`
    WholeRow(Ident),
    Expr(Expr, Option<Ident>),
}

#[derive(Clone, Debug)]
enum From {
    Table {
        table: Table,
        only: bool,
        alias: Option<Ident>,
    },
    Derived {
        query: Box<Query>,
        lateral: bool,
        alias: Ident,
    },
    Function {
        alias: Ident,
    },
    Join(Box<From>, Join, Box<From>),
}

#[derive(Clone, Debug)]
enum Join {
    Cross,
    Inner(Expr),
    Left(Expr),
}

#[derive(Clone, Debug)]
enum Expr {
    Number(u8),
    Param(u8),
    Column(Ident),
    /// `"T".col`
    Field(Ident, Ident),
    Text(&'static str),
    Regclass(Regclass),
    RowType {
        name: Ident,
        array: bool,
        cast: bool,
    },
    Eq(Box<Expr>, Box<Expr>),
    Scalar(Box<Query>),
    Exists(Box<Query>),
    In(Box<Expr>, Box<Query>),
}

/// A string literal that PostgreSQL reads as a relation name.
#[derive(Clone, Debug)]
struct Regclass {
    syntax: RegclassSyntax,
    form: LiteralForm,
    leading: &'static str,
    trailing: &'static str,
    table: Table,
}

#[derive(Clone, Copy, Debug)]
enum RegclassSyntax {
    /// `'...'::regclass`
    Colons,
    /// `'...'::pg_catalog.regclass`
    CatalogColons,
    /// `CAST('...' AS regclass)`
    Cast,
    /// `regclass '...'`
    TypeFirst,
    /// `to_regclass('...')`
    Function,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LiteralForm {
    Standard,
    Escape,
    Dollar(&'static str),
}

#[derive(Clone, Debug)]
enum Dml {
    Insert {
        target: Table,
        source: Option<Query>,
        returning: bool,
    },
    Update {
        target: Table,
        alias: Option<Ident>,
        value: Expr,
        from: Option<From>,
        filter: Option<Expr>,
    },
    Delete {
        target: Table,
        alias: Option<Ident>,
        using: Option<From>,
        filter: Option<Expr>,
    },
}

#[derive(Clone, Debug)]
enum Statement {
    Query(Query),
    SelectInto {
        with: Option<With>,
        target: Table,
        from: From,
    },
    Dml(Option<With>, Dml),
    Merge {
        with: Option<With>,
        target: Table,
        alias: Option<Ident>,
        source: From,
        on: Expr,
    },
}

// Strategies, one per part of the grammar. A part that holds queries takes
// the strategy for the queries one level down, `None` at the bottom.

type Sub = Option<BoxedStrategy<Query>>;

fn ident(pool: &'static [Ident]) -> impl Strategy<Value = Ident> {
    select(pool)
}

fn table() -> impl Strategy<Value = Table> {
    prop_oneof![
        4 => ident(RELATIONS).prop_map(Table::Bare),
        1 => (ident(QUALIFIERS), ident(RELATIONS)).prop_map(|(s, t)| Table::Qualified(s, t)),
    ]
}

fn literal_form() -> impl Strategy<Value = LiteralForm> {
    prop_oneof![
        Just(LiteralForm::Standard),
        Just(LiteralForm::Escape),
        Just(LiteralForm::Dollar("")),
        Just(LiteralForm::Dollar("q")),
    ]
}

fn regclass() -> impl Strategy<Value = Regclass> {
    let syntax = prop_oneof![
        Just(RegclassSyntax::Colons),
        Just(RegclassSyntax::CatalogColons),
        Just(RegclassSyntax::Cast),
        Just(RegclassSyntax::TypeFirst),
        Just(RegclassSyntax::Function),
    ];
    let spaces = select(&["", "", " ", "\n "][..]);
    (syntax, literal_form(), spaces.clone(), spaces, table()).prop_map(
        |(syntax, form, leading, trailing, table)| Regclass {
            syntax,
            form,
            leading,
            trailing,
            table,
        },
    )
}

fn leaf_expr() -> BoxedStrategy<Expr> {
    prop_oneof![
        1 => any::<u8>().prop_map(Expr::Number),
        1 => (1..4u8).prop_map(Expr::Param),
        1 => ident(COLUMNS).prop_map(Expr::Column),
        1 => ident(RELATIONS).prop_map(Expr::Column),
        1 => (ident(RELATIONS), ident(COLUMNS)).prop_map(|(t, c)| Expr::Field(t, c)),
        1 => select(STRINGS).prop_map(Expr::Text),
        2 => regclass().prop_map(Expr::Regclass),
        1 => (ident(RELATIONS), any::<bool>(), any::<bool>())
            .prop_map(|(name, array, cast)| Expr::RowType { name, array, cast }),
    ]
    .boxed()
}

fn expr(sub: &Sub) -> BoxedStrategy<Expr> {
    let leaf = leaf_expr();
    let eq = (leaf.clone(), leaf.clone()).prop_map(|(l, r)| Expr::Eq(Box::new(l), Box::new(r)));
    let Some(query) = sub.clone() else {
        return prop_oneof![3 => leaf, 1 => eq].boxed();
    };
    prop_oneof![
        6 => leaf.clone(),
        2 => eq,
        1 => query.clone().prop_map(|q| Expr::Scalar(Box::new(q))),
        1 => query.clone().prop_map(|q| Expr::Exists(Box::new(q))),
        1 => (leaf, query).prop_map(|(e, q)| Expr::In(Box::new(e), Box::new(q))),
    ]
    .boxed()
}

fn item(sub: &Sub) -> impl Strategy<Value = Item> {
    prop_oneof![
        1 => Just(Item::Star),
        1 => ident(RELATIONS).prop_map(Item::WholeRow),
        4 => (expr(sub), proptest::option::of(ident(RELATIONS)))
            .prop_map(|(e, alias)| Item::Expr(e, alias)),
    ]
}

/// A FROM item that is not a join.
fn from_single(sub: &Sub) -> BoxedStrategy<From> {
    let alias = proptest::option::of(ident(RELATIONS));
    let table = (table(), any::<bool>(), alias).prop_map(|(table, only, alias)| From::Table {
        table,
        only,
        alias,
    });
    let function = ident(RELATIONS).prop_map(|alias| From::Function { alias });
    let Some(query) = sub.clone() else {
        return prop_oneof![4 => table, 1 => function].boxed();
    };
    let derived =
        (query, any::<bool>(), ident(RELATIONS)).prop_map(|(q, lateral, alias)| From::Derived {
            query: Box::new(q),
            lateral,
            alias,
        });
    prop_oneof![6 => table, 1 => function, 2 => derived].boxed()
}

fn from(sub: &Sub) -> BoxedStrategy<From> {
    let single = from_single(sub);
    let join = prop_oneof![
        Just(Join::Cross),
        expr(sub).prop_map(Join::Inner),
        expr(sub).prop_map(Join::Left),
    ];
    let joined = (single.clone(), join, single.clone())
        .prop_map(|(l, j, r)| From::Join(Box::new(l), j, Box::new(r)));
    prop_oneof![3 => single, 1 => joined].boxed()
}

fn select_clause(sub: &Sub) -> BoxedStrategy<Select> {
    (
        (select(GAPS), select(GAPS)),
        any::<bool>(),
        proptest::collection::vec(item(sub), 1..3),
        proptest::collection::vec(from(sub), 0..3),
        proptest::option::of(expr(sub)),
    )
        .prop_map(|(gaps, distinct, items, from, filter)| Select {
            gaps,
            distinct,
            items,
            from,
            filter,
        })
        .boxed()
}

fn set_op() -> impl Strategy<Value = SetOp> {
    prop_oneof![
        Just(SetOp::Union),
        Just(SetOp::UnionAll),
        Just(SetOp::Intersect),
        Just(SetOp::Except),
    ]
}

fn dml(sub: &Sub) -> BoxedStrategy<Dml> {
    let alias = || proptest::option::of(ident(RELATIONS));
    let returning = any::<bool>();
    let source = match sub.clone() {
        Some(query) => proptest::option::of(query).boxed(),
        None => Just(None).boxed(),
    };
    let insert = (table(), source, returning).prop_map(|(target, source, returning)| Dml::Insert {
        target,
        source,
        returning,
    });
    let update = (
        table(),
        alias(),
        expr(sub),
        proptest::option::of(from(sub)),
        proptest::option::of(expr(sub)),
    )
        .prop_map(|(target, alias, value, from, filter)| Dml::Update {
            target,
            alias,
            value,
            from,
            filter,
        });
    let delete = (
        table(),
        alias(),
        proptest::option::of(from(sub)),
        proptest::option::of(expr(sub)),
    )
        .prop_map(|(target, alias, using, filter)| Dml::Delete {
            target,
            alias,
            using,
            filter,
        });
    prop_oneof![insert, update, delete].boxed()
}

/// A WITH clause whose CTE bodies are drawn from `sub`.
fn with_clause(sub: &BoxedStrategy<Query>) -> BoxedStrategy<With> {
    let body = prop_oneof![
        4 => sub.clone().prop_map(CteBody::Query),
        1 => dml(&Some(sub.clone())).prop_map(CteBody::Dml),
    ];
    let materialized = proptest::option::of(any::<bool>());
    let cte = (ident(RELATIONS), any::<bool>(), materialized, body).prop_map(
        |(name, columns, materialized, body)| Cte {
            name,
            columns,
            materialized,
            body,
        },
    );
    (any::<bool>(), proptest::collection::vec(cte, 1..4))
        .prop_map(|(recursive, ctes)| With { recursive, ctes })
        .boxed()
}

fn optional_with(sub: &Sub) -> BoxedStrategy<Option<With>> {
    match sub {
        Some(query) => proptest::option::weighted(0.5, with_clause(query)).boxed(),
        None => Just(None).boxed(),
    }
}

/// Queries that nest at most `depth` levels of subqueries and CTEs.
fn query(depth: u32) -> BoxedStrategy<Query> {
    let sub: Sub = (depth > 0).then(|| query(depth - 1));
    let rest = proptest::collection::vec((set_op(), select_clause(&sub)), 0..2);
    let lock = proptest::option::weighted(0.2, ident(RELATIONS));
    (
        optional_with(&sub),
        select_clause(&sub),
        rest,
        any::<bool>(),
        lock,
    )
        .prop_map(|(with, first, rest, limit, lock)| {
            let lock = lock.filter(|_| rest.is_empty() && !first.from.is_empty());
            Query {
                with,
                first,
                rest,
                limit,
                lock,
            }
        })
        .boxed()
}

fn statement() -> impl Strategy<Value = Statement> {
    let sub = Some(query(1));
    let top = query(2).prop_map(Statement::Query);
    let select_into = (optional_with(&sub), table(), from_single(&sub))
        .prop_map(|(with, target, from)| Statement::SelectInto { with, target, from });
    let dml = (optional_with(&sub), dml(&sub)).prop_map(|(with, dml)| Statement::Dml(with, dml));
    let alias = proptest::option::of(ident(RELATIONS));
    let merge = (
        optional_with(&sub),
        table(),
        alias,
        from_single(&sub),
        expr(&None),
    )
        .prop_map(|(with, target, alias, source, on)| Statement::Merge {
            with,
            target,
            alias,
            source,
            on,
        });
    prop_oneof![4 => top, 1 => select_into, 3 => dml, 1 => merge]
}

/// Settings the generated SQL is qualified with, beside the schema.
#[derive(Clone, Copy, Debug)]
enum Pattern {
    /// The default, `LiteLLM_*`.
    LiteLlm,
    /// `*`: every relation, but no literal or type name.
    Everything,
    /// `Users` and `litellm_*`.
    UsersAndLower,
}

impl Pattern {
    fn globs(self) -> &'static [&'static str] {
        match self {
            Pattern::LiteLlm => &["LiteLLM_*"],
            Pattern::Everything => &["*"],
            Pattern::UsersAndLower => &["Users", "litellm_*"],
        }
    }

    /// Whether a name in a relation position gets the schema.
    fn relation(self, identity: &str) -> bool {
        match self {
            Pattern::LiteLlm => identity.starts_with("LiteLLM_"),
            Pattern::Everything => true,
            Pattern::UsersAndLower => identity == "Users" || identity.starts_with("litellm_"),
        }
    }

    /// Whether a name in a literal or a type name gets the schema.
    fn named(self, identity: &str) -> bool {
        !matches!(self, Pattern::Everything) && self.relation(identity)
    }
}

/// One generated test: statements and the settings to qualify them with.
#[derive(Clone)]
struct Case {
    statements: Vec<(&'static str, Statement)>,
    pattern: Pattern,
    schema: &'static str,
}

fn case() -> impl Strategy<Value = Case> {
    let pattern = prop_oneof![
        3 => Just(Pattern::LiteLlm),
        1 => Just(Pattern::Everything),
        1 => Just(Pattern::UsersAndLower),
    ];
    let statements = proptest::collection::vec((select(GAPS), statement()), 1..3);
    (statements, pattern, select(SCHEMAS)).prop_map(|(statements, pattern, schema)| Case {
        statements,
        pattern,
        schema,
    })
}

/// Shows the SQL rather than the tree, so a shrunk failure reads at once.
impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = self.render().input();
        write!(
            f,
            "pattern {:?}, schema {:?}, sql {input:?}",
            self.pattern.globs(),
            self.schema
        )
    }
}

// Rendering, and the model of what gets the schema.

/// SQL text with the places where the schema must go.
#[derive(Default)]
struct Sql {
    pieces: Vec<Piece>,
}

enum Piece {
    Text(String),
    Prefix(Place),
}

/// Where a prefix goes, which decides how it is escaped.
#[derive(Clone, Copy)]
enum Place {
    Identifier,
    Literal(LiteralForm),
}

/// What the qualifier must return for a case.
#[derive(Debug)]
enum Expected {
    Text {
        text: String,
        /// Byte offsets in `text` where a prefix was put, and the prefix
        /// as written there.
        prefixes: Vec<(usize, String)>,
    },
    /// The prefix holds the closing delimiter of a dollar-quoted literal
    /// it would go into.
    BreaksLiteral,
}

impl Sql {
    fn push(&mut self, text: &str) {
        self.pieces.push(Piece::Text(text.to_owned()));
    }

    fn input(&self) -> String {
        let texts = self.pieces.iter().filter_map(|piece| match piece {
            Piece::Text(text) => Some(text.as_str()),
            Piece::Prefix(_) => None,
        });
        texts.collect()
    }

    fn expected(&self, schema: &str) -> Expected {
        let prefix = format!("\"{}\".", schema.replace('"', "\"\""));
        let mut text = String::new();
        let mut prefixes = Vec::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(piece) => text.push_str(piece),
                Piece::Prefix(place) => {
                    let Some(written) = escaped(&prefix, *place) else {
                        return Expected::BreaksLiteral;
                    };
                    prefixes.push((text.len(), written.clone()));
                    text.push_str(&written);
                }
            }
        }
        Expected::Text { text, prefixes }
    }
}

fn escaped(prefix: &str, place: Place) -> Option<String> {
    match place {
        Place::Identifier => Some(prefix.to_owned()),
        Place::Literal(LiteralForm::Standard) => Some(prefix.replace('\'', "''")),
        Place::Literal(LiteralForm::Escape) => {
            Some(prefix.replace('\\', "\\\\").replace('\'', "''"))
        }
        Place::Literal(LiteralForm::Dollar(tag)) => {
            let delimiter = format!("${tag}$");
            (!prefix.contains(&delimiter)).then(|| prefix.to_owned())
        }
    }
}

impl LiteralForm {
    fn delimiters(self) -> (String, String) {
        match self {
            LiteralForm::Standard => ("'".into(), "'".into()),
            LiteralForm::Escape => ("E'".into(), "'".into()),
            LiteralForm::Dollar(tag) => (format!("${tag}$"), format!("${tag}$")),
        }
    }
}

/// Whether a name in a relation position may stand for a CTE.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Read,
    /// The table a statement writes to or creates: never a CTE.
    Target,
}

/// Renders the grammar and decides, at each name, whether it gets the
/// schema: a bare name in a relation position gets it when it matches the
/// pattern and, unless it is a target, no CTE of that name is in scope.
struct Model {
    pattern: Pattern,
    /// Identities of the CTEs visible at this point.
    scope: Vec<String>,
    out: Sql,
}

impl Case {
    fn render(&self) -> Sql {
        let mut model = Model {
            pattern: self.pattern,
            scope: Vec::new(),
            out: Sql::default(),
        };
        for (i, (gap, statement)) in self.statements.iter().enumerate() {
            if i > 0 {
                model.out.push(";");
            }
            model.out.push(gap);
            model.statement(statement);
        }
        model.out
    }
}

impl Model {
    fn push(&mut self, text: &str) {
        self.out.push(text);
    }

    fn name(&mut self, ident: Ident) {
        self.push(&ident.source());
    }

    fn statement(&mut self, statement: &Statement) {
        match statement {
            Statement::Query(query) => self.query(query),
            Statement::SelectInto { with, target, from } => {
                let outer = self.with(with.as_ref());
                self.push("SELECT * INTO ");
                self.relation(target, Role::Target);
                self.push(" FROM ");
                self.from(from);
                self.scope.truncate(outer);
            }
            Statement::Dml(with, dml) => {
                let outer = self.with(with.as_ref());
                self.dml(dml);
                self.scope.truncate(outer);
            }
            Statement::Merge {
                with,
                target,
                alias,
                source,
                on,
            } => {
                let outer = self.with(with.as_ref());
                self.push("MERGE INTO ");
                self.relation(target, Role::Target);
                self.alias(*alias);
                self.push(" USING ");
                self.from(source);
                self.push(" ON ");
                self.expr(on);
                self.push(" WHEN MATCHED THEN DELETE");
                self.scope.truncate(outer);
            }
        }
    }

    /// Renders the WITH clause, if any, and leaves its CTEs in scope for
    /// what follows; returns the scope length to go back to after that.
    fn with(&mut self, with: Option<&With>) -> usize {
        let outer = self.scope.len();
        let Some(with) = with else { return outer };
        self.push(if with.recursive {
            "WITH RECURSIVE "
        } else {
            "WITH "
        });
        let names: Vec<String> = with.ctes.iter().map(|cte| cte.name.identity()).collect();
        for (i, cte) in with.ctes.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.name(cte.name);
            self.push(if cte.columns { "(n) AS " } else { " AS " });
            self.push(match cte.materialized {
                Some(true) => "MATERIALIZED (",
                Some(false) => "NOT MATERIALIZED (",
                None => "(",
            });
            // A CTE body sees the CTEs before it, or all of them when the
            // clause is recursive.
            let visible = if with.recursive { names.len() } else { i };
            self.scope.extend_from_slice(&names[..visible]);
            match &cte.body {
                CteBody::Query(query) => self.query(query),
                CteBody::Dml(dml) => self.dml(dml),
            }
            self.scope.truncate(outer);
            self.push(")");
        }
        self.push(" ");
        self.scope.extend(names);
        outer
    }

    fn query(&mut self, query: &Query) {
        let outer = self.with(query.with.as_ref());
        self.select(&query.first);
        for (op, select) in &query.rest {
            self.push(match op {
                SetOp::Union => " UNION ",
                SetOp::UnionAll => " UNION ALL ",
                SetOp::Intersect => " INTERSECT ",
                SetOp::Except => " EXCEPT ",
            });
            self.select(select);
        }
        if query.limit {
            self.push(" LIMIT 1");
        }
        if let Some(name) = query.lock {
            self.push(" FOR UPDATE OF ");
            self.name(name);
        }
        self.scope.truncate(outer);
    }

    fn select(&mut self, select: &Select) {
        self.push("SELECT");
        self.push(select.gaps.0);
        if select.distinct {
            self.push("DISTINCT ");
        }
        for (i, item) in select.items.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.item(item);
        }
        for (i, from) in select.from.iter().enumerate() {
            if i == 0 {
                self.push(" FROM");
                self.push(select.gaps.1);
            } else {
                self.push(", ");
            }
            self.from(from);
        }
        if let Some(filter) = &select.filter {
            self.push(" WHERE ");
            self.expr(filter);
        }
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Star => self.push("*"),
            Item::WholeRow(name) => {
                self.name(*name);
                self.push(".*");
            }
            Item::Expr(expr, alias) => {
                self.expr(expr);
                self.alias(*alias);
            }
        }
    }

    fn alias(&mut self, alias: Option<Ident>) {
        if let Some(alias) = alias {
            self.push(" AS ");
            self.name(alias);
        }
    }

    fn from(&mut self, from: &From) {
        match from {
            From::Table { table, only, alias } => {
                if *only {
                    self.push("ONLY ");
                }
                self.relation(table, Role::Read);
                self.alias(*alias);
            }
            From::Derived {
                query,
                lateral,
                alias,
            } => {
                self.push(if *lateral { "LATERAL (" } else { "(" });
                self.query(query);
                self.push(")");
                self.alias(Some(*alias));
            }
            From::Function { alias } => {
                self.push("generate_series(1, 2)");
                self.alias(Some(*alias));
            }
            From::Join(left, join, right) => {
                self.from(left);
                self.push(match join {
                    Join::Cross => " CROSS JOIN ",
                    Join::Inner(_) => " JOIN ",
                    Join::Left(_) => " LEFT JOIN ",
                });
                self.from(right);
                if let Join::Inner(on) | Join::Left(on) = join {
                    self.push(" ON ");
                    self.expr(on);
                }
            }
        }
    }

    /// A name in a relation position.
    fn relation(&mut self, table: &Table, role: Role) {
        match table {
            Table::Qualified(..) => self.relation_text(table),
            Table::Bare(name) => {
                let identity = name.identity();
                let is_cte = role == Role::Read && self.scope.contains(&identity);
                if self.pattern.relation(&identity) && !is_cte {
                    self.out.pieces.push(Piece::Prefix(Place::Identifier));
                }
                self.name(*name);
            }
        }
    }

    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Number(n) => self.push(&n.to_string()),
            Expr::Param(n) => self.push(&format!("${n}")),
            Expr::Column(name) => self.name(*name),
            Expr::Field(table, column) => {
                self.name(*table);
                self.push(".");
                self.name(*column);
            }
            Expr::Text(text) => self.push(text),
            Expr::Regclass(regclass) => self.regclass(regclass),
            Expr::RowType { name, array, cast } => self.row_type(*name, *array, *cast),
            Expr::Eq(left, right) => {
                self.expr(left);
                self.push(" = ");
                self.expr(right);
            }
            Expr::Scalar(query) => self.subquery("(", query),
            Expr::Exists(query) => self.subquery("EXISTS (", query),
            Expr::In(left, query) => {
                self.expr(left);
                self.subquery(" IN (", query);
            }
        }
    }

    fn subquery(&mut self, open: &str, query: &Query) {
        self.push(open);
        self.query(query);
        self.push(")");
    }

    fn regclass(&mut self, regclass: &Regclass) {
        let (before, after) = match regclass.syntax {
            RegclassSyntax::Colons => ("", "::regclass"),
            RegclassSyntax::CatalogColons => ("", "::pg_catalog.regclass"),
            RegclassSyntax::Cast => ("CAST(", " AS regclass)"),
            RegclassSyntax::TypeFirst => ("regclass ", ""),
            RegclassSyntax::Function => ("to_regclass(", ")"),
        };
        let (open, close) = regclass.form.delimiters();
        self.push(before);
        self.push(&open);
        self.push(regclass.leading);
        match regclass.table {
            Table::Qualified(..) => self.relation_text(&regclass.table),
            Table::Bare(name) => {
                // A literal names a table, never a CTE.
                if self.pattern.named(&name.identity()) {
                    let place = Place::Literal(regclass.form);
                    self.out.pieces.push(Piece::Prefix(place));
                }
                self.name(name);
            }
        }
        self.push(regclass.trailing);
        self.push(&close);
        self.push(after);
    }

    fn relation_text(&mut self, table: &Table) {
        match table {
            Table::Qualified(schema, name) => {
                self.name(*schema);
                self.push(".");
                self.name(*name);
            }
            Table::Bare(name) => self.name(*name),
        }
    }

    /// A table's row type, which a CTE does not hide either.
    fn row_type(&mut self, name: Ident, array: bool, cast: bool) {
        self.push(if cast { "CAST(NULL AS " } else { "NULL::" });
        if self.pattern.named(&name.identity()) {
            self.out.pieces.push(Piece::Prefix(Place::Identifier));
        }
        self.name(name);
        if array {
            self.push("[]");
        }
        if cast {
            self.push(")");
        }
    }

    fn dml(&mut self, dml: &Dml) {
        match dml {
            Dml::Insert {
                target,
                source,
                returning,
            } => {
                self.push("INSERT INTO ");
                self.relation(target, Role::Target);
                self.push(" (n) ");
                match source {
                    Some(query) => self.query(query),
                    None => self.push("VALUES ($1)"),
                }
                if *returning {
                    self.push(" RETURNING *");
                }
            }
            Dml::Update {
                target,
                alias,
                value,
                from,
                filter,
            } => {
                self.push("UPDATE ");
                self.relation(target, Role::Target);
                self.alias(*alias);
                self.push(" SET n = ");
                self.expr(value);
                if let Some(from) = from {
                    self.push(" FROM ");
                    self.from(from);
                }
                self.filter(filter.as_ref());
                self.push(" RETURNING *");
            }
            Dml::Delete {
                target,
                alias,
                using,
                filter,
            } => {
                self.push("DELETE FROM ");
                self.relation(target, Role::Target);
                self.alias(*alias);
                if let Some(using) = using {
                    self.push(" USING ");
                    self.from(using);
                }
                self.filter(filter.as_ref());
                self.push(" RETURNING *");
            }
        }
    }

    fn filter(&mut self, filter: Option<&Expr>) {
        if let Some(filter) = filter {
            self.push(" WHERE ");
            self.expr(filter);
        }
    }
}

// Helpers for the laws.

fn qualifier(pattern: Pattern, schema: &str) -> Qualifier {
    let schema = Schema::new(schema).expect("every schema of the generator is valid");
    let builder = Qualifier::builder()
        .schema(schema)
        .patterns(pattern.globs());
    builder
        .expect("every pattern of the generator is valid")
        .build()
}

fn parse(sql: &str) -> Result<Vec<Ast>, sqlparser::parser::ParserError> {
    Parser::parse_sql(&PostgreSqlDialect {}, sql)
}

fn config() -> Config {
    // The default number of cases (256, or PROPTEST_CASES), with failures
    // kept at the top of the repository rather than beside this file.
    let regressions = FileFailurePersistence::Direct("proptest-regressions/properties.txt");
    Config {
        failure_persistence: Some(Box::new(regressions)),
        ..Config::default()
    }
}

/// A rendered case: its input, what the qualifier must return, and the
/// qualifier's answer.
struct Run {
    input: String,
    expected: Expected,
    actual: Result<String, Error>,
}

fn run(case: &Case) -> Result<Run, TestCaseError> {
    let sql = case.render();
    let input = sql.input();
    let parsed = parse(&input);
    prop_assert!(
        parsed.is_ok(),
        "the generator wrote SQL the parser rejects: {parsed:?}"
    );
    let expected = sql.expected(case.schema);
    let actual = qualifier(case.pattern, case.schema)
        .qualify(&input)
        .map(|out| out.into_owned());
    Ok(Run {
        input,
        expected,
        actual,
    })
}

/// Tokens for SQL-like soup, separated by single spaces.
const SOUP: &str = "SELECT FROM WHERE WITH RECURSIVE AS ( ) , ; . * = $1 1 JOIN ON UNION \
    INSERT INTO VALUES UPDATE SET DELETE USING MERGE WHEN MATCHED THEN \
    \"LiteLLM_A\" LiteLLM_A \"\" \" ' '' E' \\ $$ $q$ '\"LiteLLM_A\"' ::regclass \
    ::\"LiteLLM_A\" [] -- /* */ \n é 𝄞 \u{0} \r VACUUM CLUSTER REINDEX TABLE ALTER DROP COPY";

fn sql_soup() -> impl Strategy<Value = String> {
    let tokens = select(SOUP.split(' ').collect::<Vec<_>>());
    let separated = (tokens, select(&["", " ", "\n"][..])).prop_map(|(t, s)| format!("{t}{s}"));
    proptest::collection::vec(separated, 0..40).prop_map(|parts| parts.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..80).prop_map(String::from_iter)
}

/// Qualifies `sql` under several settings; where that succeeds, the output
/// must be a fixed point and differ from `sql` by insertions alone.
fn survives(sql: &str) -> Result<(), TestCaseError> {
    for pattern in ["LiteLLM_*", "*"] {
        for unparsable in [Unparsable::Error, Unparsable::PassThrough] {
            let schema = Schema::new("s").unwrap();
            let builder = Qualifier::builder()
                .schema(schema)
                .patterns([pattern])
                .unwrap();
            let qualifier = builder.unparsable(unparsable).build();
            let _ = qualifier.unqualified(sql);
            if let Ok(out) = qualifier.qualify(sql) {
                let again = qualifier.qualify(&out).map(|o| o.into_owned()).ok();
                prop_assert_eq!(again, Some(out.to_string()), "not a fixed point");
                let forms = prefix_forms("\"s\"");
                prop_assert!(
                    only_insertions(sql, &out, &forms),
                    "changed more than prefixes: {out:?}"
                );
            }
        }
    }
    Ok(())
}

fn schema_name() -> impl Strategy<Value = String> {
    let tricky = select(
        &[
            "My Schema",
            "a\"b",
            "\"",
            "\"\"",
            "it's",
            "back\\slash",
            "Ünï",
            "日本",
            "𝄞",
            "a.b",
            "-- x",
            "/*",
            "x$$y",
        ][..],
    )
    .prop_map(str::to_owned);
    let arbitrary =
        proptest::collection::vec(any::<char>().prop_filter("no NUL", |&c| c != '\0'), 1..16)
            .prop_map(String::from_iter)
            .prop_filter("at most 63 bytes", |name| name.len() <= 63);
    prop_oneof![tricky, arbitrary]
}

/// The identifier parts of the only relation of a single SELECT.
fn relation_parts(statements: &[Ast]) -> Vec<ast::Ident> {
    let [Ast::Query(query)] = statements else {
        return Vec::new();
    };
    let ast::SetExpr::Select(select) = &*query.body else {
        return Vec::new();
    };
    let Some(ast::TableFactor::Table { name, .. }) = select.from.first().map(|f| &f.relation)
    else {
        return Vec::new();
    };
    let parts = name.0.iter().filter_map(|part| part.as_ident().cloned());
    parts.collect()
}

/// The string values of the first two select items, `'...'::regclass` and
/// `E'...'::regclass`.
fn literal_values(statements: &[Ast]) -> Vec<String> {
    let [Ast::Query(query)] = statements else {
        return Vec::new();
    };
    let ast::SetExpr::Select(select) = &*query.body else {
        return Vec::new();
    };
    let value = |item: &ast::SelectItem| match item {
        ast::SelectItem::UnnamedExpr(ast::Expr::Cast { expr, .. }) => match &**expr {
            ast::Expr::Value(value) => match &value.value {
                ast::Value::SingleQuotedString(s) | ast::Value::EscapedStringLiteral(s) => {
                    Some(s.clone())
                }
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    select.projection.iter().filter_map(value).collect()
}

// The laws.

proptest! {
    #![proptest_config(config())]

    /// The qualifier puts the schema exactly where the model says, and
    /// nowhere else.
    #[test]
    fn output_is_the_predicted_text(case in case()) {
        let run = run(&case)?;
        match (&run.expected, &run.actual) {
            (Expected::Text { text, .. }, Ok(actual)) => prop_assert_eq!(actual, text),
            (Expected::BreaksLiteral, Err(Error::SchemaBreaksLiteral { .. })) => {}
            (expected, actual) => {
                prop_assert!(false, "expected {expected:?}, got {actual:?}");
            }
        }
    }

    /// The output parses, to the same tree as the predicted text.
    #[test]
    fn output_reparses_to_the_predicted_tree(case in case()) {
        let run = run(&case)?;
        let Expected::Text { text, .. } = &run.expected else { return Ok(()) };
        let Ok(actual) = &run.actual else {
            return Err(TestCaseError::fail(format!("expected {text:?}, got {:?}", run.actual)));
        };
        let expected_tree = parse(text);
        prop_assert!(expected_tree.is_ok(), "the model wrote SQL the parser rejects: {text:?}");
        let actual_tree = parse(actual);
        prop_assert!(actual_tree.is_ok(), "the output does not parse: {actual:?}");
        prop_assert_eq!(actual_tree.unwrap(), expected_tree.unwrap(), "{}", actual);
    }

    /// Taking out the prefixes at the places the model recorded gives the
    /// input back; and, asking no model, the output is the input with
    /// prefixes inserted.
    #[test]
    fn output_is_the_input_with_prefixes_inserted(case in case()) {
        let run = run(&case)?;
        let (Expected::Text { prefixes, .. }, Ok(actual)) = (&run.expected, &run.actual) else {
            return Ok(());
        };
        let mut stripped = actual.clone();
        for (at, prefix) in prefixes.iter().rev() {
            let found = stripped.get(*at..at + prefix.len());
            prop_assert_eq!(found, Some(prefix.as_str()), "in {}", actual);
            stripped.replace_range(*at..at + prefix.len(), "");
        }
        prop_assert_eq!(&stripped, &run.input);
        let quoted = Schema::new(case.schema).unwrap().quoted().to_owned();
        prop_assert!(only_insertions(&run.input, actual, &prefix_forms(&quoted)));
    }

    /// Qualifying the output again changes nothing.
    #[test]
    fn qualifying_twice_equals_qualifying_once(case in case()) {
        let run = run(&case)?;
        let Ok(once) = &run.actual else { return Ok(()) };
        let twice = qualifier(case.pattern, case.schema).qualify(once).map(|o| o.into_owned());
        prop_assert_eq!(twice.ok(), Some(once.clone()));
    }

    /// Any text at all is refused or qualified, never a panic.
    #[test]
    fn arbitrary_text_never_panics(sql in any_text()) {
        survives(&sql)?;
    }

    /// Nor is SQL-like token soup, which gets further into the parser.
    #[test]
    fn token_soup_never_panics(sql in sql_soup()) {
        survives(&sql)?;
    }

    /// Whatever the schema name, the prefix is a quoted identifier that
    /// reads back as that name, in a relation position and in literals.
    #[test]
    fn schema_names_are_quoted(name in schema_name()) {
        let sql = r#"SELECT '"LiteLLM_A"'::regclass, E'"LiteLLM_A"'::regclass FROM "LiteLLM_A""#;
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        let standard = quoted.replace('\'', "''");
        let escape = quoted.replace('\\', "\\\\").replace('\'', "''");
        let expected = format!(
            r#"SELECT '{standard}."LiteLLM_A"'::regclass, E'{escape}."LiteLLM_A"'::regclass FROM {quoted}."LiteLLM_A""#
        );
        let schema = Schema::new(&name).unwrap();
        prop_assert_eq!(schema.quoted(), &quoted);
        let actual = Qualifier::new(schema).qualify(sql).map(|o| o.into_owned());
        prop_assert_eq!(actual.as_ref().ok(), Some(&expected));

        let tree = parse(&expected);
        prop_assert!(tree.is_ok(), "{tree:?}");
        let tree = tree.unwrap();
        let parts = relation_parts(&tree);
        let wanted = [ast::Ident::with_quote('"', &*name), ast::Ident::with_quote('"', "LiteLLM_A")];
        prop_assert_eq!(parts, wanted.to_vec());
        let text = format!("{quoted}.\"LiteLLM_A\"");
        prop_assert_eq!(literal_values(&tree), vec![text.clone(), text]);
    }
}
