//! Running the real `folio` binary as a user would, with nothing of the user's own
//! (config, index cache, reading memory, `NO_COLOR`, `COLUMNS`) reaching it unless a
//! test sets it.

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The folio under test with no user config and stdin closed.
pub fn folio() -> Command {
    folio_with_config(&std::env::temp_dir().join("folio-test-no-config"))
}

/// The folio under test reading its config (and themes) from `config_dir`, keeping its
/// index cache and reading memory in folders of the tests' own rather than the user's
/// (a test that looks at the memory sets `FOLIO_DATA_DIR` to a folder of its own).
pub fn folio_with_config(config_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_folio"));
    cmd.env("FOLIO_CONFIG_DIR", config_dir)
        .env(
            "FOLIO_CACHE_DIR",
            std::env::temp_dir().join("folio-test-cache"),
        )
        .env(
            "FOLIO_DATA_DIR",
            std::env::temp_dir().join("folio-test-data"),
        )
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .stdin(Stdio::null());
    cmd
}

/// Runs `cmd` to the end: stdout (which must be UTF-8), stderr, exit code.
pub fn run(cmd: &mut Command) -> (String, String, i32) {
    let Output {
        stdout,
        stderr,
        status,
    } = cmd.output().expect("run folio");
    (
        String::from_utf8(stdout).expect("utf-8 stdout"),
        String::from_utf8_lossy(&stderr).into_owned(),
        status.code().unwrap_or(-1),
    )
}

/// [`run`] for a command that might hang (read a FIFO, a device without end): it must
/// end within [`super::poll`]'s deadline, else it is killed and the test fails.
pub fn run_bounded(cmd: &mut Command) -> (String, String, i32) {
    use std::io::Read;
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn folio");
    // Read beside the wait, so a full pipe cannot hold folio up.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let finished = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        super::poll(
            || format!("{cmd:?} to end"),
            || child.try_wait().ok().flatten(),
        )
    }));
    let status = match finished {
        Ok(status) => status,
        Err(panic) => {
            let _ = child.kill();
            let _ = child.wait();
            std::panic::resume_unwind(panic);
        }
    };
    let stdout = stdout.join().expect("stdout reader");
    let stderr = stderr.join().expect("stderr reader");
    (
        String::from_utf8(stdout).expect("utf-8 stdout"),
        String::from_utf8_lossy(&stderr).into_owned(),
        status.code().unwrap_or(-1),
    )
}

/// Runs `cmd` with `input` on stdin.
pub fn run_with_stdin(cmd: &mut Command, input: &[u8]) -> (String, String, i32) {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn folio");
    let mut stdin = child.stdin.take().expect("stdin");
    // folio may refuse before reading it all (too big): a closed pipe is its answer.
    let written = stdin.write_all(input);
    drop(stdin);
    let output = child.wait_with_output().expect("wait for folio");
    if let Err(err) = written {
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe, "{err}");
    }
    (
        String::from_utf8(output.stdout).expect("utf-8 stdout"),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code().unwrap_or(-1),
    )
}

/// A failure as a user should see it: one line, `folio: ` first, that says no clause
/// twice (`… (os error 2): … (os error 2)`).
pub fn assert_one_clear_line(stderr: &str, what: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: one line: {stderr:?}");
    let message = lines[0]
        .strip_prefix("folio: ")
        .unwrap_or_else(|| panic!("{what}: starts with `folio: `: {stderr:?}"));
    // A clause said again, or inside a longer one (`cannot read X: X: …`).
    let clauses: Vec<&str> = message.split(": ").map(str::trim).collect();
    for (i, clause) in clauses.iter().enumerate() {
        for (j, other) in clauses.iter().enumerate() {
            assert!(
                i == j || !other.contains(clause),
                "{what}: {clause:?} said twice: {stderr:?}"
            );
        }
    }
    assert!(
        !message.chars().any(char::is_control),
        "{what}: control character: {stderr:?}"
    );
}
