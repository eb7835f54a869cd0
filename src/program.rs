//! Running a user's program (the `command` template function; hooks): with what to give it on
//! stdin, a time limit, and a cap on what it may print. The program runs in a process group
//! of its own, so when the limit passes, or it prints too much, it and every child it started
//! are ended together, and nothing it left running keeps Courier waiting.
//!
//! Synchronous: callers run it on a blocking thread. Its threads (stdin, stdout, stderr, the
//! wait) end with the program.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a program may run and how much it may print, on stdout and stderr each.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub time: Duration,
    pub output: usize,
}

/// A program that ran to its end.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProgramError {
    #[error("cannot start `{program}`: {source}")]
    Start {
        program: String,
        source: std::io::Error,
    },
    #[error("`{program}` did not finish within {}; it was ended", humantime::format_duration(*limit))]
    TimedOut { program: String, limit: Duration },
    #[error("`{program}` printed more than {limit} bytes on {stream}; it was ended")]
    TooMuchOutput {
        program: String,
        stream: &'static str,
        limit: usize,
    },
    #[error("waiting for `{program}` failed: {source}")]
    Wait {
        program: String,
        source: std::io::Error,
    },
}

enum Event {
    Output {
        stream: &'static str,
        bytes: Vec<u8>,
        overflowed: bool,
    },
    Exited(std::io::Result<ExitStatus>),
}

/// Runs `program` with `arguments` in `directory`, `input` on its stdin.
pub fn run(
    program: &str,
    arguments: &[String],
    directory: &Path,
    input: Vec<u8>,
    limits: Limits,
) -> Result<Finished, ProgramError> {
    let mut child = Command::new(program)
        .args(arguments)
        .current_dir(directory)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|source| ProgramError::Start {
            program: program.to_owned(),
            source,
        })?;
    let group = rustix::process::Pid::from_child(&child);
    let end_group = || {
        // Gone already is fine: the point is that nothing of it is left.
        let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
    };
    let (events, incoming) = mpsc::channel();
    if let Some(mut stdin) = child.stdin.take() {
        // A program that does not read its input closes the pipe: not an error.
        std::thread::spawn(move || drop(stdin.write_all(&input)));
    }
    for (stream, pipe) in [
        (
            "stdout",
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ),
        (
            "stderr",
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ),
    ] {
        let events = events.clone();
        if let Some(pipe) = pipe {
            std::thread::spawn(move || {
                let (bytes, overflowed) = read_capped(pipe, limits.output);
                let _ = events.send(Event::Output {
                    stream,
                    bytes,
                    overflowed,
                });
            });
        }
    }
    std::thread::spawn(move || {
        let _ = events.send(Event::Exited(child.wait()));
    });
    collect(program, &incoming, limits, end_group)
}

/// Takes the program's three events (stdout, stderr, its exit) until the deadline.
fn collect(
    program: &str,
    incoming: &mpsc::Receiver<Event>,
    limits: Limits,
    end_group: impl Fn(),
) -> Result<Finished, ProgramError> {
    let deadline = Instant::now() + limits.time;
    let (mut stdout, mut stderr, mut status) = (Vec::new(), Vec::new(), None);
    for _ in 0..3 {
        let left = deadline.saturating_duration_since(Instant::now());
        match incoming.recv_timeout(left) {
            Ok(Event::Output {
                stream,
                overflowed: true,
                ..
            }) => {
                end_group();
                return Err(ProgramError::TooMuchOutput {
                    program: program.to_owned(),
                    stream,
                    limit: limits.output,
                });
            }
            Ok(Event::Output { stream, bytes, .. }) => {
                *(if stream == "stdout" {
                    &mut stdout
                } else {
                    &mut stderr
                }) = bytes;
            }
            Ok(Event::Exited(result)) => {
                status = Some(result.map_err(|source| ProgramError::Wait {
                    program: program.to_owned(),
                    source,
                })?);
            }
            Err(_) => {
                // The time is up, or the program exited and a child it left holds its
                // output open: end them all.
                end_group();
                return Err(ProgramError::TimedOut {
                    program: program.to_owned(),
                    limit: limits.time,
                });
            }
        }
    }
    let status = status.ok_or_else(|| ProgramError::TimedOut {
        program: program.to_owned(),
        limit: limits.time,
    })?;
    Ok(Finished {
        status,
        stdout,
        stderr,
    })
}

/// Up to `cap` bytes of `pipe`; true as well when there was more.
fn read_capped(mut pipe: impl Read, cap: usize) -> (Vec<u8>, bool) {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match pipe.read(&mut chunk) {
            Ok(0) | Err(_) => return (bytes, false),
            Ok(n) if bytes.len() + n > cap => return (bytes, true),
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str, limits: Limits) -> Result<Finished, ProgramError> {
        run(
            "sh",
            &["-c".to_owned(), script.to_owned()],
            Path::new("."),
            b"from stdin".to_vec(),
            limits,
        )
    }

    const ROOMY: Limits = Limits {
        time: Duration::from_secs(30),
        output: 1 << 20,
    };

    #[test]
    fn output_status_and_input_come_back() {
        let done = sh("cat; echo oops >&2; exit 3", ROOMY).unwrap();
        assert_eq!(done.stdout, b"from stdin");
        assert_eq!(done.stderr, b"oops\n");
        assert_eq!(done.status.code(), Some(3));
    }

    #[test]
    fn a_program_that_never_ends_is_ended_with_its_children() {
        let limits = Limits {
            time: Duration::from_millis(300),
            ..ROOMY
        };
        // The child holds stdout open after the shell would have gone.
        let err = sh("sleep 600 & sleep 600", limits).unwrap_err();
        assert!(matches!(err, ProgramError::TimedOut { .. }), "{err}");
        assert!(err.to_string().contains("within 300ms"), "{err}");
    }

    #[test]
    fn too_much_output_ends_it() {
        let limits = Limits {
            output: 1000,
            ..ROOMY
        };
        let err = sh("yes", limits).unwrap_err();
        assert!(
            err.to_string().contains("more than 1000 bytes on stdout"),
            "{err}"
        );
        let err = run("/no/such/program", &[], Path::new("."), Vec::new(), ROOMY).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot start `/no/such/program`"),
            "{err}"
        );
    }
}
