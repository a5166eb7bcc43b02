//! A real SMTP server for delivery tests: Python's `aiosmtpd` (installed by `scripts/test`)
//! on a free loopback port, storing what it receives in a Maildir the test reads.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use assay_server::config::{Settings, SmtpSecurity};

pub struct SmtpServer {
    pub port: u16,
    maildir: PathBuf,
    child: Child,
    _dir: tempfile::TempDir,
}

/// One message as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: String,
    pub from: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
}

/// A loopback port nothing listens on (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Points `settings` at an SMTP server on `port` (plain SMTP: it is on the loopback).
pub fn configure(settings: &mut Settings, port: u16) {
    settings.smtp_host = Some("127.0.0.1".to_owned());
    settings.smtp_port = Some(port);
    settings.smtp_security = SmtpSecurity::None;
    settings.smtp_from = "Assay <assay@acme.test>".to_owned();
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        Self::start_on(free_port()).await
    }

    pub async fn start_on(port: u16) -> SmtpServer {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let maildir = dir.path().join("mail");
        let handler = [
            OsString::from("aiosmtpd.handlers.Mailbox"),
            maildir.clone().into(),
        ];
        Self::spawn(port, dir, maildir, &handler).await
    }

    /// A mail server that refuses every recipient for good (`550 5.1.1 … User unknown`),
    /// as a receiving server does for an address that does not exist.
    pub async fn start_refusing() -> SmtpServer {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::write(dir.path().join("refusing.py"), REFUSING_HANDLER).expect("the handler");
        let maildir = dir.path().join("mail");
        Self::spawn(free_port(), dir, maildir, &["refusing.Refuse".into()]).await
    }

    /// Starts `aiosmtpd` on `port` with `handler` (a class path and its arguments; the
    /// class may live in `dir`).
    async fn spawn(
        port: u16,
        dir: tempfile::TempDir,
        maildir: PathBuf,
        handler: &[OsString],
    ) -> SmtpServer {
        let mut child = Command::new("python3")
            .env("PYTHONPATH", dir.path())
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("-c")
            .args(handler)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m aiosmtpd should start (scripts/test installs aiosmtpd)");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return SmtpServer {
                    port,
                    maildir,
                    child,
                    _dir: dir,
                };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not start listening on port {port}");
    }

    /// Every message received so far, oldest first.
    pub fn received(&self) -> Vec<Received> {
        let mut files: Vec<_> = ["new", "cur"]
            .iter()
            .filter_map(|sub| std::fs::read_dir(self.maildir.join(sub)).ok())
            .flatten()
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .collect();
        files.sort_by_key(|path| {
            std::fs::metadata(path)
                .and_then(|m| m.modified())
                .unwrap_or(std::time::SystemTime::UNIX_EPOCH)
        });
        files
            .iter()
            .map(|path| parse(&std::fs::read(path).expect("a stored message")))
            .collect()
    }

    /// Waits (up to ten seconds) until `count` messages have arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..200 {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "expected {count} messages, the SMTP server has {}",
            self.received().len()
        );
    }
}

/// An aiosmtpd handler that refuses every recipient permanently.
const REFUSING_HANDLER: &str = "\
class Refuse:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return '550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table' % address
";

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn parse(raw: &[u8]) -> Received {
    use mailparse::MailHeaderMap;
    let mail = mailparse::parse_mail(raw).expect("a well-formed message");
    let header = |name: &str| mail.headers.get_first_value(name).unwrap_or_default();
    let mut text = String::new();
    let mut html = String::new();
    for part in mail.parts() {
        match part.ctype.mimetype.as_str() {
            "text/plain" => text = part.get_body().expect("text part"),
            "text/html" => html = part.get_body().expect("html part"),
            _ => {}
        }
    }
    Received {
        to: header("To"),
        from: header("From"),
        subject: header("Subject"),
        message_id: header("Message-ID"),
        text,
        html,
    }
}
