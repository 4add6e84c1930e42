//! The walk over a parsed statement that finds every name to qualify.
//!
//! sqlparser's visitor reaches the FROM-style relation positions; the
//! positions it does not mark as relations (DROP names, REFERENCES, LIKE,
//! COPY, GRANT, ...) are picked out per statement kind, and CTE scoping,
//! which the visitor knows nothing about, is tracked here. The matches over
//! AST variants are long but each arm is one position.

use std::borrow::Cow;
use std::ops::ControlFlow;
use std::ptr;

use sqlparser::ast::{
    ArrayElemTypeDef, DataType, Expr, Ident, ObjectName, ObjectNamePart, Query, Select, SetExpr,
    Statement, TableAlias, TableFactor, Visit, Visitor,
};

use crate::error::Position;
use crate::literal::LiteralForm;
use crate::pattern::{NameMatcher, Target};

mod runtime;
use runtime::is_regclass;
mod statements;

/// A name the walk decided to qualify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Site {
    /// Where the name (or the literal holding it) starts.
    pub(crate) start: Position,
    /// The name's PostgreSQL identity.
    pub(crate) identity: String,
    /// The schema it gets.
    pub(crate) target: Target,
    pub(crate) kind: SiteKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SiteKind {
    /// An identifier, written in the source as `source`.
    Name { source: String },
    /// A string literal read as a relation name; the name starts
    /// `leading` bytes after the opening delimiter.
    Literal { form: LiteralForm, leading: usize },
    /// A call of `current_schema` or `current_schemas`, to be replaced by
    /// its value; the call ends at `end` followed by `tail`.
    Pinned {
        call: PinnedCall,
        end: Position,
        tail: CallTail,
    },
}

/// The `search_path` functions that can be replaced by their value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PinnedCall {
    CurrentSchema,
    CurrentSchemas { include_implicit: bool },
}

/// What must follow the parsed end of a pinned call in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CallTail {
    /// Nothing: bare `current_schema`.
    Nothing,
    /// `()`, possibly with whitespace.
    EmptyParentheses,
    /// `)` after the argument, possibly after whitespace.
    CloseParenthesis,
}

/// What the walk looks for besides the matcher's names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Options {
    pub(crate) pin_current_schema: bool,
}

/// Every site to qualify in `statements`, in no particular order.
pub(crate) fn sites(
    statements: &[Statement],
    matcher: &NameMatcher,
    options: Options,
) -> Vec<Site> {
    let mut walk = Walk::new(matcher, options);
    for statement in statements {
        let ControlFlow::Continue(()) = statement.visit(&mut walk);
    }
    walk.sites
}

/// Sites for relation names found outside the parser (see `maintenance`).
pub(crate) fn name_sites(names: &[Ident], matcher: &NameMatcher) -> Vec<Site> {
    let mut walk = Walk::new(matcher, Options::default());
    names
        .iter()
        .for_each(|name| walk.relation_ident(name, Shadowing::Never));
    walk.sites
}

struct Walk<'m> {
    matcher: &'m NameMatcher,
    options: Options,
    /// The WITH clauses around the current point, innermost last.
    scopes: Vec<CteScope>,
    /// CTE bodies of the open WITH clauses, to narrow what they see.
    bodies: Vec<CteBody>,
    /// Names that are DML targets: never CTE references.
    targets: Vec<*const ObjectName>,
    /// Names the visitor reaches that must stay as they are: functions in
    /// FROM, and temporary relations being created, which PostgreSQL
    /// refuses to place in an ordinary schema.
    not_relations: Vec<*const ObjectName>,
    sites: Vec<Site>,
}

struct CteScope {
    names: Vec<String>,
    /// How many of `names` are visible here: all of them in the main query,
    /// only the earlier ones in a non-recursive CTE body.
    visible: usize,
}

struct CteBody {
    query: *const Query,
    scope: usize,
    visible: usize,
}

/// Whether a CTE of the same name would hide the table at this position.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shadowing {
    ByCte,
    Never,
}

impl<'m> Walk<'m> {
    fn new(matcher: &'m NameMatcher, options: Options) -> Walk<'m> {
        Walk {
            matcher,
            options,
            scopes: Vec::new(),
            bodies: Vec::new(),
            targets: Vec::new(),
            not_relations: Vec::new(),
            sites: Vec::new(),
        }
    }

    /// Types in a column definition list: `f(...) AS t(id int, s "T")`.
    fn alias_types(&mut self, alias: Option<&TableAlias>) {
        let columns = alias.iter().flat_map(|alias| &alias.columns);
        for data_type in columns.filter_map(|column| column.data_type.as_ref()) {
            self.data_type(data_type);
        }
    }

    /// `TABLE t`, which sqlparser keeps as a name outside the visitor's
    /// reach, possibly inside set operations (walked without recursion, as
    /// a `UNION ALL` chain can be very long).
    fn table_commands(&mut self, body: &SetExpr) {
        let mut pending = vec![body];
        while let Some(set) = pending.pop() {
            match set {
                SetExpr::SetOperation { left, right, .. } => pending.extend([&**left, &**right]),
                SetExpr::Table(table) if table.schema_name.is_none() => {
                    if let Some(name) = &table.table_name {
                        self.relation_ident(name, Shadowing::ByCte);
                    }
                }
                _ => {}
            }
        }
    }

    fn cte_in_scope(&self, identity: &str) -> bool {
        let visible = |scope: &CteScope| scope.names[..scope.visible].iter().any(|n| n == identity);
        self.scopes.iter().any(visible)
    }

    fn relation(&mut self, name: &ObjectName, shadowing: Shadowing) {
        if let [ObjectNamePart::Identifier(ident)] = name.0.as_slice() {
            self.relation_ident(ident, shadowing);
        }
    }

    fn relation_ident(&mut self, ident: &Ident, shadowing: Shadowing) {
        let identity = identity(ident);
        let Some(target) = self.matcher.relation(&identity) else {
            return;
        };
        if shadowing == Shadowing::ByCte && self.cte_in_scope(&identity) {
            return;
        }
        self.push_name(ident, identity, target);
    }

    fn push_name(&mut self, ident: &Ident, identity: Cow<'_, str>, target: Target) {
        let start = position(ident.span.start);
        let source = source_text(ident);
        let identity = identity.into_owned();
        let kind = SiteKind::Name { source };
        self.sites.push(Site {
            start,
            identity,
            target,
            kind,
        });
    }

    /// A type name: an enum or other type, or a table's row type.
    fn data_type(&mut self, mut data_type: &DataType) {
        while let DataType::Array(ArrayElemTypeDef::SquareBracket(inner, _)) = data_type {
            data_type = inner;
        }
        if let DataType::Custom(name, _) = data_type {
            self.type_name(name);
        }
    }

    fn type_name(&mut self, name: &ObjectName) {
        if let [ObjectNamePart::Identifier(ident)] = name.0.as_slice() {
            let identity = identity(ident);
            if let Some(target) = self.matcher.type_name(&identity) {
                self.push_name(ident, identity, target);
            }
        }
    }
}

impl Visitor for Walk<'_> {
    type Break = std::convert::Infallible;

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<Self::Break> {
        if let Some(body) = self.bodies.iter().find(|b| ptr::eq(b.query, query)) {
            self.scopes[body.scope].visible = body.visible;
        }
        if let Some(with) = &query.with {
            let scope = self.scopes.len();
            let names: Vec<String> = with
                .cte_tables
                .iter()
                .map(|cte| identity(&cte.alias.name).into_owned())
                .collect();
            for (i, cte) in with.cte_tables.iter().enumerate() {
                let visible = if with.recursive { names.len() } else { i };
                let query = &*cte.query as *const Query;
                self.bodies.push(CteBody {
                    query,
                    scope,
                    visible,
                });
            }
            let visible = names.len();
            self.scopes.push(CteScope { names, visible });
        }
        self.table_commands(&query.body);
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, query: &Query) -> ControlFlow<Self::Break> {
        if query.with.is_some() {
            let scope = self.scopes.len() - 1;
            self.scopes.pop();
            self.bodies.retain(|body| body.scope != scope);
        }
        if let Some(body) = self.bodies.iter().find(|b| ptr::eq(b.query, query)) {
            let scope = &mut self.scopes[body.scope];
            scope.visible = scope.names.len();
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<Self::Break> {
        // `SELECT ... INTO t` creates `t`: a target, never a CTE, and not to
        // be qualified when temporary.
        let into = select.into.iter().filter(|into| !into.temporary);
        for target in into.flat_map(|into| &into.targets) {
            if let Expr::Identifier(ident) = target {
                self.relation_ident(ident, Shadowing::Never);
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<Self::Break> {
        match factor {
            TableFactor::Table {
                name,
                args: Some(args),
                alias,
                ..
            } => {
                self.not_relations.push(name);
                self.function_call(name, &args.args);
                self.alias_types(alias.as_ref());
            }
            TableFactor::Function {
                name, args, alias, ..
            } => {
                self.function_call(name, args);
                self.alias_types(alias.as_ref());
            }
            TableFactor::Table { alias, .. }
            | TableFactor::Derived { alias, .. }
            | TableFactor::UNNEST { alias, .. } => self.alias_types(alias.as_ref()),
            _ => {}
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_relation(&mut self, name: &ObjectName) -> ControlFlow<Self::Break> {
        let is = |names: &[*const ObjectName]| names.iter().any(|&n| ptr::eq(n, name));
        if is(&self.not_relations) {
            return ControlFlow::Continue(());
        }
        let shadowing = if is(&self.targets) {
            Shadowing::Never
        } else {
            Shadowing::ByCte
        };
        self.relation(name, shadowing);
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<Self::Break> {
        match expr {
            Expr::Cast {
                expr, data_type, ..
            } if is_regclass(data_type) => {
                self.regclass_literal(expr);
            }
            Expr::Cast { data_type, .. } => self.data_type(data_type),
            Expr::TypedString(typed) if is_regclass(&typed.data_type) => {
                self.regclass_value(&typed.value);
            }
            Expr::TypedString(typed) => self.data_type(&typed.data_type),
            Expr::Function(function) => self.function(function),
            _ => {}
        }
        if self.options.pin_current_schema {
            self.pinned_call(expr);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_statement(&mut self, statement: &Statement) -> ControlFlow<Self::Break> {
        self.statement(statement);
        ControlFlow::Continue(())
    }
}

/// A name as PostgreSQL sees it: quoted names as written, others folded to
/// lower case (ASCII only, as PostgreSQL does under UTF-8).
pub(crate) fn identity(ident: &Ident) -> Cow<'_, str> {
    match ident.quote_style {
        Some(_) => Cow::Borrowed(&ident.value),
        None if ident.value.bytes().any(|b| b.is_ascii_uppercase()) => {
            Cow::Owned(ident.value.to_ascii_lowercase())
        }
        None => Cow::Borrowed(&ident.value),
    }
}

/// The identifier exactly as it must appear in the source text.
fn source_text(ident: &Ident) -> String {
    match ident.quote_style {
        Some(quote) => {
            let doubled = format!("{quote}{quote}");
            let inner = ident.value.replace(quote, &doubled);
            format!("{quote}{inner}{quote}")
        }
        None => ident.value.clone(),
    }
}

fn position(location: sqlparser::tokenizer::Location) -> Position {
    Position {
        line: location.line,
        column: location.column,
    }
}
