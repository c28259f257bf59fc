//! moto's server with the patch layer of `testing/emulator/launcher` (outputs and exports
//! after change sets, export guards, `ListImports`, models for the types plain moto skips),
//! started for a test on a free loopback port and stopped when dropped.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::http;

/// The Python of the virtual environment `scripts/install-tools.sh` fills: `$MOTO_PYTHON`,
/// else `target/tools/venv/bin/python` of this repository.
pub fn python() -> PathBuf {
    if let Some(path) = std::env::var_os("MOTO_PYTHON") {
        return path.into();
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/tools/venv/bin/python")
}

/// The launcher script that patches moto, then runs its server.
pub fn launcher() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("launcher/launcher.py")
}

/// A running moto server.
#[derive(Debug)]
pub struct Moto {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Moto {
    /// Starts the patched moto on a free loopback port and waits until it answers.
    ///
    /// # Panics
    /// When moto is not installed (run `scripts/install-tools.sh`) or does not start within
    /// 60 s: a deploy test must not pass without its emulator.
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts it with launcher options (`--acm-certificate ARN`: a certificate the account
    /// holds, for templates that name an existing one).
    ///
    /// # Panics
    /// As [`Moto::start`].
    pub fn start_with(options: &[&str]) -> Self {
        let python = python();
        assert!(
            python.exists(),
            "moto is not installed at {}: run `bash scripts/install-tools.sh` (the README's test command does)",
            python.display()
        );
        let mut last_error = String::new();
        for _attempt in 0..3 {
            let port = free_port();
            let log = std::env::temp_dir().join(format!("moto-{port}.log"));
            let log_file = std::fs::File::create(&log).expect("moto log file");
            let child = Command::new(&python)
                .arg(launcher())
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .args(options)
                .stdin(Stdio::null())
                .stdout(log_file.try_clone().expect("moto log file"))
                .stderr(log_file)
                .spawn()
                .unwrap_or_else(|error| panic!("cannot start {}: {error}", python.display()));
            let mut moto = Self { child, port, log };
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                if let Ok(Some(status)) = moto.child.try_wait() {
                    last_error = format!("moto exited with {status}: {}", moto.log_text());
                    break;
                }
                if http::send(port, "GET", "/moto-api/").is_ok_and(|code| code == 200) {
                    return moto;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            if last_error.is_empty() {
                last_error = format!("moto did not answer on port {port} within 60 s");
            }
        }
        panic!("{last_error}");
    }

    /// The endpoint URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Forgets every resource and stack (`POST /moto-api/reset`).
    pub fn reset(&self) {
        let code = http::send(self.port, "POST", "/moto-api/reset").expect("moto reset");
        assert_eq!(code, 200, "moto reset answered {code}");
    }

    /// Whether moto logs `text` within 5 s (it writes a traceback after answering the request
    /// that failed).
    pub fn logs(&self, text: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.log_text().contains(text) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// What moto has logged so far (for failure messages).
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}
