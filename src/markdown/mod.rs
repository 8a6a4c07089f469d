//! Markdown → [`Document`] → styled lines at a width. No terminal code lives here.
//!
//! A post is parsed once into a width-independent [`Document`]; [`layout`] turns it into
//! [`Laid`] lines for one width, which the reader caches and draws a visible slice of,
//! and print mode writes out whole.

mod assemble;
mod card;
mod cells;
pub mod code;
mod containers;
pub mod dump;
mod emoji;
pub mod fence;
pub mod figure;
pub mod glyphs;
pub mod highlight;
pub mod html;
mod html_table;
mod in_pieces;
pub mod inline;
pub mod layout;
pub mod line_store;
pub mod model;
pub mod parse;
pub mod pieces;
mod pipeline;
pub mod plain;
pub mod sanitize;
pub mod shortcode;
mod site;
pub mod style;
pub mod table;
mod urls;
pub mod wrap;

pub use assemble::{first_screens, first_screens_head, layout, layout_in_order};
pub use card::reading_minutes;
pub use code::{CodeRegion, HighlightMode};
pub use dump::{plain_dump, styled_dump};
pub use figure::{FigureOptions, ImageRegion, Known};
pub use in_pieces::{layout_in_pieces, layout_owned_in_pieces};
pub use layout::{HeadingRow, Laid, LayoutOptions, LinkRow};
pub use line_store::{LineRef, LineStore, SpanRef};
pub use model::Document;
pub use parse::parse;
pub use pieces::head_of;
pub use pipeline::{
    PIECE_BYTES, Rendered, STREAM_BYTES, print_document, print_streaming, render_document,
    render_in_pieces,
};
pub use plain::plain_text;
pub use site::site_root;
pub use style::{Line, Role, Span, Style};
