//! pgqualify
mod error;
mod literal;
mod maintenance;
mod parse;
mod pattern;
mod qualifier;
mod schema;
mod splice;
mod walk;
pub use error::{Error, Position, SchemaOrigin};
pub use qualifier::{Qualifier, QualifierBuilder, Unparsable, Unqualified, DEFAULT_MAX_SQL_LEN, DEFAULT_PATTERN};
pub use schema::Schema;
