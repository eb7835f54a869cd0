//! `{{prompt …}}` on the command line: asked on the terminal (`/dev/tty`, so it works while
//! stdin and stdout are pipes), what is typed hidden when the value is secret. With no
//! terminal there is no one to ask, and the send fails saying so.

use std::io::{BufRead, BufReader, Read, Write};

use rustix::termios::{self, LocalModes, OptionalActions, SpecialCodeIndex};

use crate::http::effects::Ask;

/// Asks on the terminal.
pub static ON_TERMINAL: Ask<'static> = Ask(&ask_on_terminal);

fn ask_on_terminal(label: &str, secret: bool) -> Result<String, String> {
    let mut tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|err| format!("`{label}` cannot be asked: there is no terminal ({err})"))?;
    write!(tty, "{label}: ").map_err(|err| err.to_string())?;
    let answer = if secret {
        read_hidden(&tty)
    } else {
        let mut line = String::new();
        BufReader::new(&tty)
            .read_line(&mut line)
            .map(|_| line.trim_end_matches(['\r', '\n']).to_owned())
            .map_err(|err| err.to_string())
    };
    let _ = writeln!(tty);
    answer
}

/// Reads a line byte by byte with echo, line editing and signals off, so nothing typed shows
/// and Ctrl-C cannot leave the terminal without its echo: it cancels, and the settings come
/// back whatever happens.
fn read_hidden(tty: &std::fs::File) -> Result<String, String> {
    let saved = termios::tcgetattr(tty).map_err(|err| format!("not a terminal: {err}"))?;
    let mut quiet = saved.clone();
    quiet.local_modes -= LocalModes::ECHO | LocalModes::ICANON | LocalModes::ISIG;
    quiet.special_codes[SpecialCodeIndex::VMIN] = 1;
    quiet.special_codes[SpecialCodeIndex::VTIME] = 0;
    termios::tcsetattr(tty, OptionalActions::Now, &quiet).map_err(|err| err.to_string())?;
    let restore = Restore { tty, saved };
    let mut typed = Vec::new();
    let result = loop {
        let mut byte = [0u8];
        match (&*restore.tty).read(&mut byte) {
            Ok(0) | Err(_) => break Err("the terminal closed".to_owned()),
            Ok(_) => {}
        }
        match byte[0] {
            b'\r' | b'\n' => break String::from_utf8(typed).map_err(|_| "not UTF-8 text".into()),
            0x03 | 0x04 => break Err("cancelled".to_owned()),
            0x7f | 0x08 => {
                // Drop a whole character, however many bytes it took.
                while let Some(last) = typed.pop() {
                    if last & 0xC0 != 0x80 {
                        break;
                    }
                }
            }
            0x15 => typed.clear(),
            other => typed.push(other),
        }
    };
    drop(restore);
    result
}

struct Restore<'t> {
    tty: &'t std::fs::File,
    saved: termios::Termios,
}

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        let _ = termios::tcsetattr(self.tty, OptionalActions::Now, &self.saved);
    }
}
