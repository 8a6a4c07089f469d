//! Pictures in the terminal. Blog posts are full of diagrams and screenshots; the
//! reader draws a post's local images inline (kitty graphics, iTerm2 or sixel where the
//! terminal has them, Unicode half blocks everywhere else), and `folio print` draws
//! them to a terminal that speaks kitty or iTerm2.
//!
//! The decisions are pure and tested without a terminal or a disk: what a URL is
//! ([`source`]), where a file may be looked for ([`locate`]), how many cells a picture
//! takes ([`fit`]), which protocol a terminal gets ([`detect`]). The rest is the edge:
//! asking the terminal ([`query`]), reading files within hard limits ([`decode`]),
//! encoding for a protocol ([`encode`]), and the thread that does the slow part off
//! the event loop ([`worker`]), its results arriving as messages.

pub mod cache;
pub mod decode;
pub mod detect;
pub mod encode;
pub mod fit;
pub mod locate;
pub mod print;
pub mod query;
pub mod source;
pub mod worker;
