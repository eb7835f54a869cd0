//! The real `courier` binary in a pseudo-terminal, driven by keys and read off a vt100 screen,
//! as a user would: a session with everything it wrote kept, and the keys it sends.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// What the terminal was asked to do besides drawing: a response that gets through raw would
/// show up here.
#[derive(Default)]
pub struct Effects {
    pub titles: Vec<Vec<u8>>,
    pub clipboard_writes: Vec<Vec<u8>>,
    pub bells: usize,
}

impl vt100::Callbacks for Effects {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], data: &[u8]) {
        self.clipboard_writes.push(data.to_vec());
    }
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }
}

/// A running Courier in a pseudo-terminal, with everything it wrote kept.
pub struct Session {
    pub writer: Box<dyn Write + Send>,
    pub screen: Arc<Mutex<vt100::Parser<Effects>>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    pub fn start(collections: &Path, home: &Path) -> Session {
        Session::start_with(collections, home, &[])
    }

    pub fn start_with(collections: &Path, home: &Path, env: &[(&str, &str)]) -> Session {
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_courier"));
        command.arg(collections);
        for (name, value) in env {
            command.env(name, value);
        }
        Session::spawn(command, home)
    }

    /// `courier ARGS` (a subcommand) in the terminal, with its state in `home`.
    pub fn run(args: &[&str], home: &Path) -> Session {
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_courier"));
        command.args(args);
        Session::spawn(command, home)
    }

    fn spawn(mut command: CommandBuilder, home: &Path) -> Session {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 140,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        command.env("COURIER_HOME", home);
        command.env("TERM", "xterm-256color");
        command.cwd(home);
        let child = pty.slave.spawn_command(command).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let size = |n: u16| std::num::NonZeroU16::new(n).unwrap();
        let parser = vt100::Parser::new_with_callbacks(size(40), size(140), 0, Effects::default());
        let screen = Arc::new(Mutex::new(parser));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (screen_in, raw_in) = (screen.clone(), raw.clone());
        std::thread::spawn(move || {
            let _master = pty.master; // keep the terminal open while we read
            let mut buffer = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                screen_in.lock().unwrap().process(&buffer[..n]);
                raw_in.lock().unwrap().extend_from_slice(&buffer[..n]);
            }
        });
        Session {
            writer,
            screen,
            raw,
            child,
        }
    }

    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text` (at most 10 s, so a broken build fails, not hangs).
    pub fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!(
            "the screen never showed {text:?}; it shows:\n{}",
            self.contents()
        );
    }

    /// Waits until `holds` is true of the screen (at most 10 s): a frame lands row by row, so
    /// what a whole frame shows is waited for, not read once.
    pub fn wait_until(&self, what: &str, holds: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if holds(&self.contents()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!(
            "the screen never showed {what}; it shows:\n{}",
            self.contents()
        );
    }

    /// Waits until the screen no longer shows `text` (at most 10 s).
    pub fn wait_without(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if !self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!("the screen still shows {text:?}:\n{}", self.contents());
    }

    /// Sends keys as a terminal would, then pauses so a lone Esc is not read as Alt.
    pub fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(80));
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "courier did not exit");
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

pub const CTRL_P: &str = "\x10";
pub const CTRL_R: &str = "\x12";
pub const CTRL_S: &str = "\x13";
pub const CTRL_Q: &str = "\x11";
pub const CTRL_X: &str = "\x18";
pub const CTRL_O: &str = "\x0f";
pub const CTRL_L: &str = "\x0c";
pub const CTRL_U: &str = "\x15";
pub const ESC: &str = "\x1b";
pub const END: &str = "\x1b[F";

/// A test that fails half-way must not leave its Courier running.
impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn demo_copy(root: &Path) -> PathBuf {
    let collections = root.join("collections");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("collections/demo"),
        &collections.join("demo"),
    );
    collections
}
