//! Names PostgreSQL resolves at run time: string literals read as
//! `regclass`, and the `search_path` functions a qualifier may pin.

use sqlparser::ast::{
    DataType, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, ObjectName,
    ObjectNamePart, Value, ValueWithSpan,
};
use sqlparser::tokenizer::Location;

use super::{identity, position, CallTail, PinnedCall, Site, SiteKind, Walk};
use crate::literal::{unqualified_regclass_name, LiteralForm};
use crate::pattern::Target;

impl Walk<'_> {
    /// `current_schema`, `current_schema()` and `current_schemas(bool)`.
    pub(super) fn pinned_call(&mut self, expr: &Expr) {
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
    pub(super) fn regclass_literal(&mut self, expr: &Expr) {
        let Expr::Value(value) = expr else { return };
        self.regclass_value(value);
    }

    pub(super) fn regclass_value(&mut self, value: &ValueWithSpan) {
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

    pub(super) fn function(&mut self, function: &Function) {
        if let FunctionArguments::List(list) = &function.args {
            self.function_call(&function.name, &list.args);
        }
    }

    /// A call, in an expression or in FROM, of a function that reads one
    /// of its arguments as a relation name.
    pub(super) fn function_call(&mut self, name: &ObjectName, args: &[FunctionArg]) {
        let Some(index) = regclass_argument(name) else {
            return;
        };
        let Some(index) = index.resolve(args.len()) else {
            return;
        };
        if let FunctionArg::Unnamed(FunctionArgExpr::Expr(arg)) = &args[index] {
            self.regclass_literal(arg);
        }
    }
}

pub(super) fn is_regclass(data_type: &DataType) -> bool {
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
fn pinned_function(function: &Function) -> Option<(PinnedCall, Location, Location, CallTail)> {
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
