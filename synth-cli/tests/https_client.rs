//! The HTTPS client the deploy engine builds itself (rustls over ring, instead of the SDK's
//! default over aws-lc): a real TLS handshake against a local `openssl s_server` whose
//! certificate no platform root trusts must fail on that certificate, which shows that the
//! client speaks TLS and checks the chain rather than failing to start or skipping it.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_types::error::display::DisplayErrorContext;
use synth_cli::aws::Session;

/// An `openssl s_server` on a free loopback port, stopped when dropped.
struct TlsServer {
    child: Child,
    port: u16,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn self_signed(dir: &Path) {
    let status = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args([
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("cert.pem"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("openssl runs");
    assert!(status.success(), "openssl made no certificate");
}

fn tls_server(dir: &Path) -> TlsServer {
    self_signed(dir);
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new("openssl")
        .args(["s_server", "-quiet", "-www", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("-cert")
        .arg(dir.join("cert.pem"))
        .arg("-key")
        .arg(dir.join("key.pem"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl s_server starts");
    let server = TlsServer { child, port };
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "s_server never listened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

#[tokio::test]
async fn the_client_does_a_tls_handshake_and_rejects_an_untrusted_certificate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = tls_server(dir.path());
    // No HTTP client here: the session supplies its own.
    let config = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("https://127.0.0.1:{}", server.port))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "testing", "testing", None, None, "test",
        )))
        .retry_config(RetryConfig::disabled())
        .build();
    let session = Session::from_config(config);
    let error = session
        .cloudformation("us-east-1")
        .describe_stacks()
        .send()
        .await
        .expect_err("an untrusted certificate is refused");
    let message = DisplayErrorContext(&error).to_string();
    assert!(
        message.contains("TLS handshake failed: invalid peer certificate"),
        "the handshake failed on the server's certificate: {message}"
    );
}
