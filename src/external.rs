//! What folio hands to the world outside its screen: a URL to the browser, a file to
//! the editor, text to the clipboard (OSC 52). Each crosses a trust boundary with
//! content from posts, so the rules are strict: programs are run directly with the URL
//! or path as one argument (never through a shell, so no quoting can be broken out
//! of), only http, https and mailto reach the browser, only a post's own image files
//! (found inside its collection) reach the system's opener, and the clipboard sequence
//! is built here from text the app has already cleaned of control characters.

use std::io;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};

/// The browser command: the first entry of `$BROWSER` (a `:`-separated list, as xdg
/// has it), split on whitespace, else the system opener.
pub fn browser_command(browser: Option<&str>) -> Vec<String> {
    let configured = browser
        .and_then(|b| b.split(':').map(str::trim).find(|c| !c.is_empty()))
        .map(split_words)
        .filter(|words| !words.is_empty());
    configured.unwrap_or_else(|| {
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        vec![opener.to_string()]
    })
}

/// The editor command: `$VISUAL`, else `$EDITOR`, else `vi`, split on whitespace so
/// `code --wait` works; there is no shell, so quotes are not interpreted.
pub fn editor_command(visual: Option<&str>, editor: Option<&str>) -> Vec<String> {
    [visual, editor]
        .into_iter()
        .flatten()
        .map(split_words)
        .find(|words| !words.is_empty())
        .unwrap_or_else(|| vec!["vi".to_string()])
}

fn split_words(command: &str) -> Vec<String> {
    command.split_whitespace().map(str::to_string).collect()
}

/// Whether `url` may go to the browser: a web or mail address, which (unlike a path)
/// can never be mistaken for a command-line option.
pub fn is_openable(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
        && !url.chars().any(char::is_control)
}

/// Starts the browser on `url` and returns at once. The child gets no terminal (stdin,
/// stdout and stderr are null, so it cannot draw over the TUI or read its keys), runs
/// in its own process group (a Ctrl-C in folio does not reach it), and is reaped by a
/// thread so it never lingers as a zombie.
pub fn open_url(url: &str) -> Result<(), String> {
    if !is_openable(url) {
        return Err(format!("not a web address: {url}"));
    }
    let browser = std::env::var("BROWSER").ok();
    let argv = browser_command(browser.as_deref());
    let (program, args) = argv.split_first().ok_or("no browser configured")?;
    let mut command = Command::new(program);
    // `%s` in $BROWSER marks where the URL goes (the old convention); else it goes last.
    if args.iter().any(|a| a.contains("%s")) {
        command.args(args.iter().map(|a| a.replace("%s", url)));
    } else {
        command.args(args).arg(url);
    }
    spawn_detached(command, program)
}

/// Opens a file (a post's image) with the system's opener, detached as [`open_url`]
/// opens a web address. The path is made absolute, so it cannot read as an option.
pub fn open_file(path: &Path) -> Result<(), String> {
    let absolute = std::path::absolute(path)
        .map_err(|err| format!("cannot open {}: {err}", path.display()))?;
    let opener = browser_command(None);
    let (program, args) = opener.split_first().ok_or("no opener")?;
    let mut command = Command::new(program);
    command.args(args).arg(absolute);
    spawn_detached(command, program)
}

/// Starts `command` with no terminal, in its own process group, reaped by a thread.
fn spawn_detached(mut command: Command, program: &str) -> Result<(), String> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command
        .spawn()
        .map_err(|err| format!("cannot start {program}: {err}"))?;
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

/// Runs the editor on `path` in the foreground with the terminal inherited; the TUI
/// must be suspended around this call.
pub fn run_editor(argv: &[String], path: &Path) -> io::Result<ExitStatus> {
    let (program, args) = argv
        .split_first()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no editor"))?;
    // A relative path starting with `-` would read as an option; `./` keeps it a file.
    let path = if path.is_relative() && path.as_os_str().to_string_lossy().starts_with('-') {
        Path::new(".").join(path)
    } else {
        path.to_path_buf()
    };
    Command::new(program).args(args).arg(path).status()
}

/// The OSC 52 sequence that asks the terminal to put `text` on the clipboard.
/// `text` must already be free of control characters (see `app::copy::clipboard_text`);
/// base64 keeps even those from being interpreted, but the far side decodes it again.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

/// Standard base64 with padding (RFC 4648); a few lines rather than a dependency.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let symbol = |n: u32| char::from(ALPHABET[(n & 63) as usize]);
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(symbol(n >> 18));
        out.push(symbol(n >> 12));
        out.push(if chunk.len() > 1 { symbol(n >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { symbol(n) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64("借".as_bytes()), "5YCf");
    }

    #[test]
    fn osc52_is_one_sequence_with_nothing_raw_inside() {
        let seq = osc52("echo hi\n\u{1b}");
        assert!(seq.starts_with("\x1b]52;c;") && seq.ends_with('\x07'));
        let payload = &seq[7..seq.len() - 1];
        assert!(
            payload
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c))
        );
    }

    #[test]
    fn commands_come_from_the_environment_without_a_shell() {
        assert_eq!(
            editor_command(Some("code --wait"), Some("nano")),
            ["code", "--wait"]
        );
        assert_eq!(editor_command(Some("  "), Some("nano")), ["nano"]);
        assert_eq!(editor_command(None, None), ["vi"]);
        assert_eq!(browser_command(Some("firefox:chromium")), ["firefox"]);
        assert_eq!(
            browser_command(Some(":w3m -T text/html")),
            ["w3m", "-T", "text/html"]
        );
        let system = browser_command(None);
        assert!(system == ["xdg-open"] || system == ["open"]);
    }

    #[test]
    fn only_web_and_mail_addresses_are_opened() {
        assert!(is_openable("https://go.dev/blog"));
        assert!(is_openable("MAILTO:a@b.c"));
        assert!(!is_openable("-e evil"));
        assert!(!is_openable("file:///etc/passwd"));
        assert!(!is_openable("javascript:alert(1)"));
        assert!(!is_openable("https://x/\u{1b}]0;t"));
        assert!(open_url("--help").is_err());
    }
}
