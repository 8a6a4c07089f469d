//! The baseline of the print benchmark (`benches/print.sh`): read a Markdown file and
//! parse it with pulldown-cmark (all extensions), as a whole process, so `folio print`
//! can be timed against the parse alone on equal terms.

fn main() {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: pulldown_parse FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{}: {e}", path.to_string_lossy());
            std::process::exit(1);
        }
    };
    let events = pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::all()).count();
    println!("{events} events");
}
