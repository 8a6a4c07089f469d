//! What an image's URL is, from the URL alone: a file folio may draw, a picture on the
//! web (never fetched), an SVG (not drawn), inline data, or something folio does not
//! follow. Layout asks this for every image, so it reads no disk; where the file
//! really is, and whether it may be read, is [`super::locate`]'s question, asked on the
//! image thread.

/// What an image URL points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A path, relative to the post or to the site (`/images/x.png`).
    Local,
    /// An http or https address, shown by its host and never fetched.
    Remote { host: String },
    /// A vector image, which folio does not draw.
    Svg,
    /// A `data:` URI: bytes inside the post.
    Data,
    /// Another scheme (`file:`, `ftp:`, `javascript:`).
    Other { scheme: String },
}

impl Source {
    /// Classifies `url` as written in the post.
    pub fn of(url: &str) -> Source {
        let url = url.trim();
        if let Some(rest) = url.strip_prefix("//") {
            return Source::Remote { host: host(rest) };
        }
        if let Some((scheme, rest)) = scheme_of(url) {
            return match scheme.to_ascii_lowercase().as_str() {
                "http" | "https" => Source::Remote {
                    host: host(rest.trim_start_matches('/')),
                },
                "data" => Source::Data,
                _ => Source::Other {
                    scheme: scheme.to_string(),
                },
            };
        }
        let path = url.split(['?', '#']).next().unwrap_or_default();
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".svg") || lower.ends_with(".svgz") {
            Source::Svg
        } else {
            Source::Local
        }
    }

    /// Why an image that is not a local file is not drawn, for its placeholder.
    pub fn reason(&self) -> Option<String> {
        match self {
            Source::Local => None,
            Source::Remote { host } if host.is_empty() => Some("not fetched".into()),
            Source::Remote { host } => Some(format!("{host}, not fetched")),
            Source::Svg => Some("SVG, not drawn".into()),
            Source::Data => Some("inline data, not drawn".into()),
            Source::Other { scheme } => Some(format!("{scheme}: not followed")),
        }
    }
}

/// `(scheme, rest)` of an absolute URL: a letter, then letters, digits, `+ - .`, then
/// `:`, before any `/`; a Windows drive letter (`C:`) is a path, not a scheme.
fn scheme_of(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && scheme.len() > 1
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some((scheme, rest))
}

/// The host of `authority/path…`, without user info or port; at most 64 characters,
/// so a hostile URL cannot fill the placeholder.
fn host(rest: &str) -> String {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = if host.starts_with('[') {
        host.split_inclusive(']').next().unwrap_or(host)
    } else {
        host.split(':').next().unwrap_or(host)
    };
    host.chars()
        .filter(|c| !c.is_control())
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_images_are_known_by_their_host() {
        let remote = |host: &str| Source::Remote { host: host.into() };
        assert_eq!(
            Source::of("https://user@Img.Example.com:8443/a/b.png?x#y"),
            remote("img.example.com")
        );
        assert_eq!(Source::of("http://example.com"), remote("example.com"));
        assert_eq!(
            Source::of("//cdn.example.org/x.png"),
            remote("cdn.example.org")
        );
        assert_eq!(Source::of("https://[::1]:80/x.png"), remote("[::1]"));
        assert_eq!(
            Source::of("https://example.com/x.png").reason().as_deref(),
            Some("example.com, not fetched")
        );
    }

    #[test]
    fn paths_are_local_unless_they_are_svg() {
        for url in [
            "diagram.png",
            "./a/b.jpg",
            "/images/x.gif",
            "../x.webp",
            "C:x.png",
        ] {
            assert_eq!(Source::of(url), Source::Local, "{url}");
        }
        assert_eq!(Source::of("chart.SVG"), Source::Svg);
        assert_eq!(Source::of("chart.svg?v=2"), Source::Svg);
        assert_eq!(Source::of("data:image/png;base64,AAAA"), Source::Data);
        assert_eq!(
            Source::of("file:///etc/passwd"),
            Source::Other {
                scheme: "file".into()
            }
        );
        assert_eq!(Source::Local.reason(), None);
    }

    #[test]
    fn a_hostile_host_is_cut_and_cleaned() {
        let url = format!("https://{}\u{1b}[31m.com/x.png", "a".repeat(500));
        let Source::Remote { host } = Source::of(&url) else {
            panic!("remote");
        };
        assert_eq!(host.chars().count(), 64);
        assert!(!host.contains('\u{1b}'));
    }
}
