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
    AlterColumnOperation, AlterTableOperation, ArrayElemTypeDef, ColumnDef, ColumnOption,
    CommentObject, CopySource, CreateTableLikeKind, DataType, Expr, FromTable, Function,
    FunctionArg, FunctionArgExpr, FunctionArguments, GrantObjects, Ident, ObjectName,
    ObjectNamePart, ObjectType, Query, Select, Statement, TableConstraint, TableFactor,
    TableObject, Value, ValueWithSpan, Visit, Visitor,
};

use crate::error::Position;
use crate::literal::{unqualified_regclass_name, LiteralForm};
use crate::pattern::{NameMatcher, Target};

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
    let mut walk = Walk {
        matcher,
        options,
        scopes: Vec::new(),
        bodies: Vec::new(),
        targets: Vec::new(),
        table_functions: Vec::new(),
        sites: Vec::new(),
    };
    for statement in statements {
        let ControlFlow::Continue(()) = statement.visit(&mut walk);
    }
    walk.sites
}

/// Sites for relation names found outside the parser (see `maintenance`).
pub(crate) fn name_sites(names: &[Ident], matcher: &NameMatcher) -> Vec<Site> {
    let mut walk = Walk {
        matcher,
        options: Options::default(),
        scopes: Vec::new(),
        bodies: Vec::new(),
        targets: Vec::new(),
        table_functions: Vec::new(),
        sites: Vec::new(),
    };
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
    /// Names of functions in FROM: not relations.
    table_functions: Vec<*const ObjectName>,
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

impl Walk<'_> {
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

    /// `current_schema`, `current_schema()` and `current_schemas(bool)`.
    fn pinned_call(&mut self, expr: &Expr) {
        let (call, start, end, tail) = match expr {
            Expr::Identifier(ident)
                if ident.quote_style.is_none()
                    && ident.value.eq_ignore_ascii_case("current_schema") =>
            {
                let (start, end) = (ident.span.start, ident.span.end);
                (PinnedCall::CurrentSchema, start, end, CallTail::Nothing)
            }
            Expr::Function(function) => {
                let Some(call) = pinned_function(function) else {
                    return;
                };
                call
            }
            _ => return,
        };
        let kind = SiteKind::Pinned {
            call,
            end: position(end),
            tail,
        };
        let identity = match call {
            PinnedCall::CurrentSchema => "current_schema",
            PinnedCall::CurrentSchemas { .. } => "current_schemas",
        };
        let (start, identity) = (position(start), identity.to_owned());
        let target = Target::Default;
        self.sites.push(Site {
            start,
            identity,
            target,
            kind,
        });
    }

    /// A string literal that PostgreSQL reads as a relation name.
    fn regclass_literal(&mut self, expr: &Expr) {
        let Expr::Value(value) = expr else { return };
        self.regclass_value(value);
    }

    fn regclass_value(&mut self, value: &ValueWithSpan) {
        let Some((form, text)) = LiteralForm::of(&value.value) else {
            return;
        };
        let Some((identity, leading)) = unqualified_regclass_name(text) else {
            return;
        };
        if let Some(target) = self.matcher.regclass(&identity) {
            let start = position(value.span.start);
            let kind = SiteKind::Literal { form, leading };
            self.sites.push(Site {
                start,
                identity,
                target,
                kind,
            });
        }
    }

    fn function(&mut self, function: &Function) {
        let Some(index) = regclass_argument(&function.name) else {
            return;
        };
        let FunctionArguments::List(list) = &function.args else {
            return;
        };
        let Some(index) = index.resolve(list.args.len()) else {
            return;
        };
        if let FunctionArg::Unnamed(FunctionArgExpr::Expr(arg)) = &list.args[index] {
            self.regclass_literal(arg);
        }
    }

    /// A column definition: its type, and the table it references.
    fn column(&mut self, column: &ColumnDef) {
        self.data_type(&column.data_type);
        for option in &column.options {
            if let ColumnOption::ForeignKey(key) = &option.option {
                self.relation(&key.foreign_table, Shadowing::Never);
            }
        }
    }

    fn foreign_key_of_constraint(&mut self, constraint: &TableConstraint) {
        if let TableConstraint::ForeignKey(key) = constraint {
            self.relation(&key.foreign_table, Shadowing::Never);
        }
    }

    fn mark_target(&mut self, factor: &TableFactor) {
        if let TableFactor::Table { name, .. } = factor {
            self.targets.push(name);
        }
    }

    /// Relation positions of statements that the visitor does not reach,
    /// and DML targets, which a CTE never shadows.
    fn statement(&mut self, statement: &Statement) {
        match statement {
            Statement::Insert(insert) => {
                if let TableObject::TableName(name) = &insert.table {
                    self.targets.push(name);
                }
            }
            Statement::Update(update) => self.mark_target(&update.table.relation),
            Statement::Delete(delete) => {
                let (FromTable::WithFromKeyword(from) | FromTable::WithoutKeyword(from)) =
                    &delete.from;
                from.iter()
                    .for_each(|table| self.mark_target(&table.relation));
            }
            Statement::Merge(merge) => self.mark_target(&merge.table),
            Statement::Drop {
                object_type, names, ..
            } if drops_relation(object_type) => {
                names
                    .iter()
                    .for_each(|name| self.relation(name, Shadowing::Never));
            }
            Statement::Copy {
                source: CopySource::Table { table_name, .. },
                ..
            } => {
                self.relation(table_name, Shadowing::Never);
            }
            Statement::Grant(grant) => self.grant_objects(grant.objects.as_ref()),
            Statement::Revoke(revoke) => self.grant_objects(revoke.objects.as_ref()),
            Statement::Comment {
                object_type,
                object_name,
                ..
            } => {
                self.comment(*object_type, object_name);
            }
            Statement::Vacuum(vacuum) => {
                if let Some(name) = &vacuum.table_name {
                    self.relation(name, Shadowing::Never);
                }
            }
            Statement::CreateTrigger(trigger) => {
                self.relation(&trigger.table_name, Shadowing::Never);
                if let Some(name) = &trigger.referenced_table_name {
                    self.relation(name, Shadowing::Never);
                }
            }
            Statement::DropTrigger(drop) => {
                if let Some(name) = &drop.table_name {
                    self.relation(name, Shadowing::Never);
                }
            }
            Statement::CreateType { name, .. } => self.type_name(name),
            Statement::AlterType(alter) => self.type_name(&alter.name),
            Statement::Drop {
                object_type: ObjectType::Type,
                names,
                ..
            } => names.iter().for_each(|name| self.type_name(name)),
            Statement::CreateSequence { name, .. } | Statement::AlterIndex { name, .. } => {
                self.relation(name, Shadowing::Never);
            }
            Statement::CreateTable(create) => {
                if let Some(like) = &create.like {
                    let (CreateTableLikeKind::Parenthesized(like)
                    | CreateTableLikeKind::Plain(like)) = like;
                    self.relation(&like.name, Shadowing::Never);
                }
                for parent in create.inherits.iter().flatten() {
                    self.relation(parent, Shadowing::Never);
                }
                create.columns.iter().for_each(|c| self.column(c));
                create
                    .constraints
                    .iter()
                    .for_each(|c| self.foreign_key_of_constraint(c));
            }
            Statement::AlterTable(alter) => {
                for operation in &alter.operations {
                    match operation {
                        AlterTableOperation::AddConstraint { constraint, .. } => {
                            self.foreign_key_of_constraint(constraint);
                        }
                        AlterTableOperation::AddColumn { column_def, .. } => {
                            self.column(column_def);
                        }
                        AlterTableOperation::AlterColumn {
                            op: AlterColumnOperation::SetDataType { data_type, .. },
                            ..
                        } => self.data_type(data_type),
                        AlterTableOperation::AttachPartitionOf { partition, .. }
                        | AlterTableOperation::DetachPartitionOf { partition, .. } => {
                            self.relation(partition, Shadowing::Never);
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn grant_objects(&mut self, objects: Option<&GrantObjects>) {
        if let Some(
            GrantObjects::Tables(names)
            | GrantObjects::Views(names)
            | GrantObjects::Sequences(names),
        ) = objects
        {
            names
                .iter()
                .for_each(|name| self.relation(name, Shadowing::Never));
        }
    }

    fn comment(&mut self, object_type: CommentObject, name: &ObjectName) {
        match object_type {
            CommentObject::Table
            | CommentObject::View
            | CommentObject::MaterializedView
            | CommentObject::Index
            | CommentObject::Sequence => self.relation(name, Shadowing::Never),
            // `table.column`: the table is the first of two parts.
            CommentObject::Column => {
                if let [ObjectNamePart::Identifier(table), _] = name.0.as_slice() {
                    self.relation_ident(table, Shadowing::Never);
                }
            }
            _ => {}
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
        // `SELECT ... INTO t` creates `t`: a target, never a CTE.
        let targets = select.into.iter().flat_map(|into| &into.targets);
        for target in targets {
            if let Expr::Identifier(ident) = target {
                self.relation_ident(ident, Shadowing::Never);
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<Self::Break> {
        if let TableFactor::Table {
            name,
            args: Some(_),
            ..
        } = factor
        {
            self.table_functions.push(name);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_relation(&mut self, name: &ObjectName) -> ControlFlow<Self::Break> {
        let is = |names: &[*const ObjectName]| names.iter().any(|&n| ptr::eq(n, name));
        if is(&self.table_functions) {
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

fn drops_relation(object_type: &ObjectType) -> bool {
    matches!(
        object_type,
        ObjectType::Table
            | ObjectType::View
            | ObjectType::MaterializedView
            | ObjectType::Index
            | ObjectType::Sequence
    )
}

fn is_regclass(data_type: &DataType) -> bool {
    match data_type {
        DataType::Regclass => true,
        DataType::Custom(name, modifiers) if modifiers.is_empty() => {
            is_catalog_name(name, "regclass")
        }
        _ => false,
    }
}

/// `name`, unqualified or qualified with `pg_catalog`, in any case.
fn is_catalog_name(name: &ObjectName, wanted: &str) -> bool {
    let part_is = |part: &ObjectNamePart, text: &str| match part {
        ObjectNamePart::Identifier(ident) => identity(ident) == text,
        ObjectNamePart::Function(_) => false,
    };
    match name.0.as_slice() {
        [last] => part_is(last, wanted),
        [schema, last] => part_is(schema, "pg_catalog") && part_is(last, wanted),
        _ => false,
    }
}

/// The span and tail of a pinned call, when `function` is one.
fn pinned_function(
    function: &Function,
) -> Option<(
    PinnedCall,
    sqlparser::tokenizer::Location,
    sqlparser::tokenizer::Location,
    CallTail,
)> {
    let first = function.name.0.first()?;
    let ObjectNamePart::Identifier(first) = first else {
        return None;
    };
    let ObjectNamePart::Identifier(last) = function.name.0.last()? else {
        return None;
    };
    let start = first.span.start;
    let args = match &function.args {
        FunctionArguments::None => Vec::new(),
        FunctionArguments::List(list) if list.clauses.is_empty() => list.args.iter().collect(),
        _ => return None,
    };
    let parenthesized = matches!(function.args, FunctionArguments::List(_));
    if is_catalog_name(&function.name, "current_schema") && args.is_empty() {
        let tail = if parenthesized {
            CallTail::EmptyParentheses
        } else {
            CallTail::Nothing
        };
        return Some((PinnedCall::CurrentSchema, start, last.span.end, tail));
    }
    if !is_catalog_name(&function.name, "current_schemas") {
        return None;
    }
    let [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(value)))] = args.as_slice() else {
        return None;
    };
    let Value::Boolean(include_implicit) = value.value else {
        return None;
    };
    let call = PinnedCall::CurrentSchemas { include_implicit };
    Some((call, start, value.span.end, CallTail::CloseParenthesis))
}

/// Which argument of a built-in function PostgreSQL reads as a relation.
enum ArgumentIndex {
    First,
    /// Counted from the end, as the optional role comes first.
    FromEnd(usize),
}

impl ArgumentIndex {
    fn resolve(&self, count: usize) -> Option<usize> {
        match self {
            ArgumentIndex::First => (count > 0).then_some(0),
            ArgumentIndex::FromEnd(n) => count.checked_sub(*n),
        }
    }
}

/// Built-in functions whose argument is a `regclass` or a relation name in
/// text, and which argument that is.
const REGCLASS_FUNCTIONS: &[(&str, ArgumentIndex)] = &[
    ("to_regclass", ArgumentIndex::First),
    ("pg_total_relation_size", ArgumentIndex::First),
    ("pg_relation_size", ArgumentIndex::First),
    ("pg_table_size", ArgumentIndex::First),
    ("pg_indexes_size", ArgumentIndex::First),
    ("pg_relation_filenode", ArgumentIndex::First),
    ("pg_relation_filepath", ArgumentIndex::First),
    ("pg_relation_is_updatable", ArgumentIndex::First),
    ("pg_column_is_updatable", ArgumentIndex::First),
    ("pg_get_serial_sequence", ArgumentIndex::First),
    ("pg_get_viewdef", ArgumentIndex::First),
    ("pg_partition_tree", ArgumentIndex::First),
    ("pg_partition_root", ArgumentIndex::First),
    ("pg_partition_ancestors", ArgumentIndex::First),
    ("nextval", ArgumentIndex::First),
    ("currval", ArgumentIndex::First),
    ("setval", ArgumentIndex::First),
    ("has_table_privilege", ArgumentIndex::FromEnd(2)),
    ("has_sequence_privilege", ArgumentIndex::FromEnd(2)),
    ("has_any_column_privilege", ArgumentIndex::FromEnd(2)),
    ("has_column_privilege", ArgumentIndex::FromEnd(3)),
];

fn regclass_argument(name: &ObjectName) -> Option<&'static ArgumentIndex> {
    REGCLASS_FUNCTIONS
        .iter()
        .find(|(function, _)| is_catalog_name(name, function))
        .map(|(_, index)| index)
}
