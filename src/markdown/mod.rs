//! Markdown → [`Document`] → styled lines at a width. No terminal code lives here.
//!
//! A post is parsed once into a width-independent [`Document`]; [`layout`] turns it into
//! [`Laid`] lines for one width, which the reader caches and draws a visible slice of,
//! and print mode writes out whole.

pub mod highlight;
pub mod layout;
pub mod model;
pub mod parse;
pub mod sanitize;
pub mod style;
pub mod table;
pub mod wrap;

pub use layout::{HeadingRow, Laid, LayoutOptions, LinkRow, layout};
pub use model::Document;
pub use parse::parse;
pub use style::{Line, Role, Span, Style};
