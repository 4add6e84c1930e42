//! Relation and type positions per statement kind that sqlparser's visitor
//! does not mark as relations, and DML targets, which a CTE never shadows.
//! The match is long, but each arm is one position.

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnDef, ColumnOption, CommentObject, CopySource,
    CreateTableLikeKind, DataType, FromTable, FunctionReturnType, GrantObjects, ObjectName,
    ObjectNamePart, ObjectType, SequenceOptions, Statement, TableConstraint, TableFactor,
    TableObject,
};

use super::{Shadowing, Walk};

impl Walk<'_> {
    /// A column definition: its type, and the table it references.
    pub(super) fn column(&mut self, column: &ColumnDef) {
        // sqlparser reads `(c int, LIKE t)` as a column `LIKE` of type `t`;
        // LIKE is reserved in PostgreSQL, so that can only be the clause.
        let like =
            column.name.quote_style.is_none() && column.name.value.eq_ignore_ascii_case("like");
        match &column.data_type {
            DataType::Custom(name, modifiers) if like && modifiers.is_empty() => {
                return self.relation(name, Shadowing::Never);
            }
            data_type => self.data_type(data_type),
        }
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
    pub(super) fn statement(&mut self, statement: &Statement) {
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
            Statement::CreateFunction(function) => {
                let args = function.args.iter().flatten();
                args.for_each(|arg| self.data_type(&arg.data_type));
                if let Some(
                    FunctionReturnType::DataType(data_type) | FunctionReturnType::SetOf(data_type),
                ) = &function.return_type
                {
                    self.data_type(data_type);
                }
            }
            Statement::CreateType { name, .. } => self.type_name(name),
            Statement::AlterType(alter) => self.type_name(&alter.name),
            Statement::Drop {
                object_type: ObjectType::Type,
                names,
                ..
            } => names.iter().for_each(|name| self.type_name(name)),
            Statement::CreateSequence {
                temporary,
                name,
                sequence_options,
                ..
            } => {
                if !temporary {
                    self.relation(name, Shadowing::Never);
                }
                for option in sequence_options {
                    if let SequenceOptions::OwnedBy(Some(column)) = option {
                        self.table_of_column(column);
                    }
                }
            }
            Statement::AlterIndex { name, .. } => self.relation(name, Shadowing::Never),
            Statement::CreateView(view) if view.temporary => self.not_relations.push(&view.name),
            Statement::CreateTable(create) => {
                if create.temporary {
                    self.not_relations.push(&create.name);
                }
                if let Some(like) = &create.like {
                    let (CreateTableLikeKind::Parenthesized(like)
                    | CreateTableLikeKind::Plain(like)) = like;
                    self.relation(&like.name, Shadowing::Never);
                }
                self.table_elements(&create.inherits, &create.columns, &create.constraints);
            }
            Statement::CreateForeignTable(create) => {
                self.table_elements(&create.inherits, &create.columns, &create.constraints);
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
                        AlterTableOperation::Inherit { parent }
                        | AlterTableOperation::NoInherit { parent } => {
                            self.relation(parent, Shadowing::Never);
                        }
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

    /// What a table definition refers to: its parents, and the types and
    /// referenced tables of its columns and constraints.
    fn table_elements(
        &mut self,
        inherits: &Option<Vec<ObjectName>>,
        columns: &[ColumnDef],
        constraints: &[TableConstraint],
    ) {
        for parent in inherits.iter().flatten() {
            self.relation(parent, Shadowing::Never);
        }
        columns.iter().for_each(|c| self.column(c));
        constraints
            .iter()
            .for_each(|c| self.foreign_key_of_constraint(c));
    }

    /// `table.column`: the table is the first of two parts.
    fn table_of_column(&mut self, name: &ObjectName) {
        if let [ObjectNamePart::Identifier(table), _] = name.0.as_slice() {
            self.relation_ident(table, Shadowing::Never);
        }
    }

    fn comment(&mut self, object_type: CommentObject, name: &ObjectName) {
        match object_type {
            CommentObject::Table
            | CommentObject::ForeignTable
            | CommentObject::View
            | CommentObject::MaterializedView
            | CommentObject::Index
            | CommentObject::Sequence => self.relation(name, Shadowing::Never),
            CommentObject::Type | CommentObject::Domain => self.type_name(name),
            CommentObject::Column => self.table_of_column(name),
            _ => {}
        }
    }
}

fn drops_relation(object_type: &ObjectType) -> bool {
    matches!(
        object_type,
        ObjectType::Table
            | ObjectType::ForeignTable
            | ObjectType::View
            | ObjectType::MaterializedView
            | ObjectType::Index
            | ObjectType::Sequence
    )
}
