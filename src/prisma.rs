//! A strict reader for the part of a Prisma schema that says which names
//! live in the database: models and views (tables and views), enums (types),
//! their `@@map` names and their `@@schema`.

use crate::error::{Error, Position};

/// A relation or type name a Prisma schema declares.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeclaredName {
    /// The name in the database: the `@@map` name when there is one.
    pub name: String,
    /// The schema named by `@@schema`, when the schema uses several.
    pub schema: Option<String>,
}

/// The database names a `schema.prisma` declares.
///
/// ```
/// let prisma = pgqualify::PrismaSchema::parse(r#"
///     model VerificationToken {
///       token String @id
///       @@map("LiteLLM_VerificationToken")
///     }
///     view MonthlyGlobalSpend {
///       date  DateTime @unique
///       spend Float?
///     }
///     enum JobStatus {
///       ACTIVE
///       INACTIVE
///     }
/// "#)?;
/// let names = |list: &[pgqualify::DeclaredName]| {
///     list.iter().map(|n| n.name.clone()).collect::<Vec<_>>()
/// };
/// assert_eq!(names(prisma.relations()), ["LiteLLM_VerificationToken", "MonthlyGlobalSpend"]);
/// assert_eq!(names(prisma.types()), ["JobStatus"]);
/// # Ok::<(), pgqualify::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrismaSchema {
    relations: Vec<DeclaredName>,
    types: Vec<DeclaredName>,
}

impl PrismaSchema {
    /// Reads the `model`, `view` and `enum` blocks of a Prisma schema.
    ///
    /// `datasource` and `generator` blocks are read for their structure only.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPrismaSchema`], with line and column, for text that
    /// is not a Prisma schema (`model {`), an unknown block (`table T {}`),
    /// a composite `type` block (MongoDB only), an unterminated block or
    /// string, a `@@map` or `@@schema` without one string argument, and a
    /// name declared twice.
    pub fn parse(text: &str) -> Result<PrismaSchema, Error> {
        let tokens = tokenize(text)?;
        let mut reader = Reader {
            tokens: &tokens,
            at: 0,
            end: end_of(text),
        };
        let mut schema = PrismaSchema::default();
        while let Some(token) = reader.peek() {
            let block = reader.block(token)?;
            schema.add(block)?;
        }
        Ok(schema)
    }

    /// Tables and views, in the order declared.
    pub fn relations(&self) -> &[DeclaredName] {
        &self.relations
    }

    /// Enum types, in the order declared.
    pub fn types(&self) -> &[DeclaredName] {
        &self.types
    }

    fn add(&mut self, block: Block) -> Result<(), Error> {
        let list = match block.kind {
            BlockKind::Relation => &mut self.relations,
            BlockKind::Type => &mut self.types,
            BlockKind::Other => return Ok(()),
        };
        let duplicate = list
            .iter()
            .any(|n| n.name == block.name.name && n.schema == block.name.schema);
        if duplicate {
            let reason = format!("`{}` is declared twice", block.name.name);
            return Err(invalid(block.position, reason));
        }
        list.push(block.name);
        Ok(())
    }
}

fn invalid(position: Position, reason: String) -> Error {
    Error::InvalidPrismaSchema { position, reason }
}

#[derive(Clone, Debug, PartialEq)]
enum Lexeme {
    Word(String),
    Text(String),
    /// One punctuation character, or `@@`.
    Punct(&'static str),
    /// A number or other literal that only needs skipping.
    Other,
}

struct Token {
    lexeme: Lexeme,
    position: Position,
}

fn tokenize(text: &str) -> Result<Vec<Token>, Error> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    let mut here = Position { line: 1, column: 1 };
    let advance = |c: char, here: &mut Position| {
        if c == '\n' {
            *here = Position {
                line: here.line + 1,
                column: 1,
            };
        } else {
            here.column += 1;
        }
    };
    while let Some(&c) = chars.peek() {
        let position = here;
        chars.next();
        advance(c, &mut here);
        let lexeme = match c {
            _ if c.is_whitespace() => continue,
            '/' if chars.peek() == Some(&'/') => {
                while let Some(&c) = chars.peek() {
                    if c == '\n' {
                        break;
                    }
                    chars.next();
                    advance(c, &mut here);
                }
                continue;
            }
            '"' => {
                let mut value = String::new();
                loop {
                    let Some(c) = chars.next() else {
                        return Err(invalid(position, "string is not closed".into()));
                    };
                    advance(c, &mut here);
                    match c {
                        '"' => break,
                        '\n' => return Err(invalid(position, "string is not closed".into())),
                        '\\' => {
                            let Some(escaped) = chars.next() else {
                                continue;
                            };
                            advance(escaped, &mut here);
                            value.push(escaped);
                        }
                        _ => value.push(c),
                    }
                }
                Lexeme::Text(value)
            }
            '@' if chars.peek() == Some(&'@') => {
                chars.next();
                advance('@', &mut here);
                Lexeme::Punct("@@")
            }
            _ if c.is_alphabetic() || c == '_' => {
                let mut word = String::from(c);
                while let Some(&c) = chars.peek().filter(|c| c.is_alphanumeric() || **c == '_') {
                    word.push(c);
                    chars.next();
                    advance(c, &mut here);
                }
                Lexeme::Word(word)
            }
            _ if c.is_ascii_digit() || c == '-' => {
                while let Some(&c) = chars
                    .peek()
                    .filter(|c| c.is_ascii_alphanumeric() || **c == '.')
                {
                    chars.next();
                    advance(c, &mut here);
                }
                Lexeme::Other
            }
            _ => match PUNCTUATION.iter().find(|p| p.starts_with(c)) {
                Some(punct) => Lexeme::Punct(punct),
                None => return Err(invalid(position, format!("unexpected character `{c}`"))),
            },
        };
        tokens.push(Token { lexeme, position });
    }
    Ok(tokens)
}

const PUNCTUATION: &[&str] = &[
    "{", "}", "(", ")", "[", "]", "=", ",", "@", ".", "?", ":", "!",
];

fn end_of(text: &str) -> Position {
    let line = text.matches('\n').count() as u64 + 1;
    let last = text.rsplit('\n').next().unwrap_or("");
    Position {
        line,
        column: last.chars().count() as u64 + 1,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    Relation,
    Type,
    Other,
}

struct Block {
    kind: BlockKind,
    name: DeclaredName,
    position: Position,
}

struct Reader<'t> {
    tokens: &'t [Token],
    at: usize,
    end: Position,
}

impl<'t> Reader<'t> {
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self, expected: &str) -> Result<&'t Token, Error> {
        let token = self
            .peek()
            .ok_or_else(|| invalid(self.end, format!("expected {expected}, found the end")))?;
        self.at += 1;
        Ok(token)
    }

    fn require(&mut self, punct: &'static str) -> Result<(), Error> {
        let token = self.next(&format!("`{punct}`"))?;
        match token.lexeme {
            Lexeme::Punct(p) if p == punct => Ok(()),
            _ => Err(invalid(token.position, format!("expected `{punct}`"))),
        }
    }

    fn word(&mut self, expected: &str) -> Result<(&'t str, Position), Error> {
        let token = self.next(expected)?;
        match &token.lexeme {
            Lexeme::Word(word) => Ok((word, token.position)),
            _ => Err(invalid(token.position, format!("expected {expected}"))),
        }
    }

    /// `keyword Name { ... }` at the top level.
    fn block(&mut self, start: &Token) -> Result<Block, Error> {
        let (keyword, position) = self.word("a block such as `model`")?;
        let kind = match keyword {
            "model" | "view" => BlockKind::Relation,
            "enum" => BlockKind::Type,
            "datasource" | "generator" => BlockKind::Other,
            "type" => {
                let reason = "composite `type` blocks exist only for MongoDB".into();
                return Err(invalid(start.position, reason));
            }
            other => return Err(invalid(position, format!("unknown block `{other}`"))),
        };
        let (name, _) = self.word(&format!("a name after `{keyword}`"))?;
        self.require("{")?;
        let mut declared = DeclaredName {
            name: name.to_owned(),
            schema: None,
        };
        let (mut mapped, mut schema) = (None, None);
        loop {
            let token = self.next("`}`")?;
            match &token.lexeme {
                Lexeme::Punct("}") => break,
                Lexeme::Punct("{" | "(" | "[") => self.skip_nested(token)?,
                Lexeme::Punct("@@") => {
                    let (attribute, at) = self.word("an attribute name after `@@`")?;
                    match attribute {
                        "map" => {
                            set_once(&mut mapped, self.string_argument("@@map")?, at, "@@map")?
                        }
                        "schema" => set_once(
                            &mut schema,
                            self.string_argument("@@schema")?,
                            at,
                            "@@schema",
                        )?,
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        if let Some(mapped) = mapped {
            declared.name = mapped;
        }
        declared.schema = schema;
        Ok(Block {
            kind,
            name: declared,
            position,
        })
    }

    /// Skips to the bracket that closes `open`.
    fn skip_nested(&mut self, open: &Token) -> Result<(), Error> {
        let mut depth = 1usize;
        while depth > 0 {
            let token = self
                .peek()
                .ok_or_else(|| invalid(open.position, "bracket is not closed".into()))?;
            self.at += 1;
            match token.lexeme {
                Lexeme::Punct("{" | "(" | "[") => depth += 1,
                Lexeme::Punct("}" | ")" | "]") => depth -= 1,
                _ => {}
            }
        }
        Ok(())
    }

    /// `("value")` or `(name: "value")`: the value.
    fn string_argument(&mut self, attribute: &str) -> Result<String, Error> {
        self.require("(")?;
        let mut token = self.next("a string")?;
        if let Lexeme::Word(_) = token.lexeme {
            self.require(":")?;
            token = self.next("a string")?;
        }
        let Lexeme::Text(value) = &token.lexeme else {
            return Err(invalid(
                token.position,
                format!("{attribute} needs a string argument"),
            ));
        };
        if value.is_empty() {
            return Err(invalid(
                token.position,
                format!("{attribute} names an empty string"),
            ));
        }
        let close = self.next("`)`")?;
        if close.lexeme != Lexeme::Punct(")") {
            return Err(invalid(
                close.position,
                format!("{attribute} takes one argument"),
            ));
        }
        Ok(value.clone())
    }
}

fn set_once(
    slot: &mut Option<String>,
    value: String,
    at: Position,
    what: &str,
) -> Result<(), Error> {
    if slot.is_some() {
        return Err(invalid(at, format!("{what} is given twice")));
    }
    *slot = Some(value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn error(text: &str) -> String {
        PrismaSchema::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn refusals_name_the_place() {
        let cases = [
            (
                "model {",
                "invalid Prisma schema at 1:7: expected a name after `model`",
            ),
            (
                "table T {}",
                "invalid Prisma schema at 1:1: unknown block `table`",
            ),
            (
                "type Address {\n street String\n}",
                "invalid Prisma schema at 1:1: composite `type` blocks exist only for MongoDB",
            ),
            (
                "model A {\n id Int @id",
                "invalid Prisma schema at 2:12: expected `}`, found the end",
            ),
            (
                "model A {\n @@map(\"a)\n}",
                "invalid Prisma schema at 2:8: string is not closed",
            ),
            (
                "model A {\n @@map(a)\n}",
                "invalid Prisma schema at 2:9: expected `:`",
            ),
            (
                "model A {\n @@map(1)\n}",
                "invalid Prisma schema at 2:8: @@map needs a string argument",
            ),
            (
                "model A {\n @@map(\"\")\n}",
                "invalid Prisma schema at 2:8: @@map names an empty string",
            ),
            (
                "model A {\n @@map(\"a\", \"b\")\n}",
                "invalid Prisma schema at 2:11: @@map takes one argument",
            ),
            (
                "model A {\n @@map(\"a\")\n @@map(\"b\")\n}",
                "invalid Prisma schema at 3:4: @@map is given twice",
            ),
            (
                "model A {}\nview A {}",
                "invalid Prisma schema at 2:1: `A` is declared twice",
            ),
            (
                "model A { x Int # }",
                "invalid Prisma schema at 1:17: unexpected character `#`",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(error(text), expected, "{text}");
        }
    }
}
