//! What the user sees while the engine works: one line per event, a live progress bar per
//! stack when standard error is a terminal, and the approval and confirmation prompts.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, IsTerminal, Write};
use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Out;
use super::render;
use crate::deploy::{Approval, ApprovalRequest, DeployEvent, Reporter};

/// Prints the engine's events to `out`; asks approval on the terminal.
pub struct TerminalReporter<'a> {
    out: Mutex<Out<'a>>,
    bars: Option<MultiProgress>,
    state: Mutex<State>,
    /// Held while a prompt waits for an answer, so that stacks deploying at once ask in turn.
    prompt: Mutex<()>,
    approve_all: bool,
    verb: &'static str,
}

#[derive(Default)]
struct State {
    bars: BTreeMap<String, ProgressBar>,
    running: BTreeSet<String>,
}

impl<'a> TerminalReporter<'a> {
    /// A reporter printing to `out`; `verb` says what starts on a stack (`deploying`,
    /// `destroying`). `approve_all` answers approval requests with yes; else the terminal is
    /// asked, and without a terminal the request is refused.
    pub fn new(out: Out<'a>, verb: &'static str, approve_all: bool) -> Self {
        let interactive = std::io::stderr().is_terminal();
        Self {
            out: Mutex::new(out),
            bars: interactive
                .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
            state: Mutex::new(State::default()),
            prompt: Mutex::new(()),
            approve_all,
            verb,
        }
    }

    /// The stacks started and not finished (what keeps running in AWS after Ctrl-C).
    pub fn running(&self) -> Vec<String> {
        self.lock_state().running.iter().cloned().collect()
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes `text` to the output, above the progress bars.
    pub fn print(&self, text: &str) {
        let mut out = self
            .out
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let write = |out: &mut Out<'a>| {
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
        };
        match &self.bars {
            Some(bars) => bars.suspend(|| write(&mut out)),
            None => write(&mut out),
        }
    }

    fn bar(&self, stack: &str, total: usize) -> Option<ProgressBar> {
        let bars = self.bars.as_ref()?;
        let mut state = self.lock_state();
        let bar = state.bars.entry(stack.to_owned()).or_insert_with(|| {
            let bar = bars.add(ProgressBar::new(total as u64));
            bar.set_style(
                ProgressStyle::with_template(
                    "{prefix:.bold} [{bar:30}] {pos}/{len} resources {elapsed} {wide_msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.set_prefix(stack.to_owned());
            bar
        });
        Some(bar.clone())
    }
}

impl Reporter for TerminalReporter<'_> {
    fn event(&self, event: DeployEvent) {
        match &event {
            DeployEvent::Started { stack, region } => {
                self.lock_state().running.insert(stack.clone());
                self.print(&format!("{stack}: {} in {region}\n", self.verb));
            }
            DeployEvent::Notice { stack, message } => {
                self.print(&format!("{stack}: {message}\n"));
            }
            DeployEvent::ChangeSet {
                stack,
                changes,
                security,
                ..
            } => {
                let mut text = format!("{stack}: change set with {} change(s)\n", changes.len());
                if !changes.is_empty() {
                    text.push_str(&render::change_table(changes));
                    text.push('\n');
                }
                text.push_str(&render::security_tables(security));
                self.print(&text);
            }
            DeployEvent::Progress {
                stack,
                event,
                done,
                total,
                elapsed,
            } => {
                if let Some(bar) = self.bar(stack, *total) {
                    bar.set_length(*total as u64);
                    bar.set_position(*done as u64);
                    if event.is_failure() {
                        bar.set_message(format!("failed: {}", event.logical_id));
                    }
                }
                let reason = event
                    .reason
                    .as_deref()
                    .map(|reason| format!(" ({reason})"))
                    .unwrap_or_default();
                self.print(&format!(
                    "{stack} | {done}/{total} | {:>6.1}s | {:<28} | {} | {}{reason}\n",
                    elapsed.as_secs_f64(),
                    event.status,
                    event.resource_type,
                    event.logical_id,
                ));
            }
            DeployEvent::ServiceDeployment {
                stack,
                service,
                state,
            } => {
                self.print(&format!(
                    "{stack} | release | {}\n",
                    render::service_deployment(service, state)
                ));
            }
            DeployEvent::Finished { stack, .. } => {
                let bar = {
                    let mut state = self.lock_state();
                    state.running.remove(stack);
                    state.bars.remove(stack)
                };
                if let Some(bar) = bar {
                    bar.finish_and_clear();
                }
            }
        }
    }

    fn approve(&self, request: &ApprovalRequest) -> Approval {
        if self.approve_all {
            return Approval::Approved;
        }
        let reasons = request.reasons.join("; ");
        if !std::io::stdin().is_terminal() {
            return Approval::Unanswerable(format!(
                "approval needed because {reasons}, and there is no terminal to ask: review the changes above, then rerun with --yes or --require-approval never"
            ));
        }
        let _turn = self
            .prompt
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let question = format!(
            "{}: approval needed: {reasons}.\nDeploy these changes? [y/N] ",
            request.stack
        );
        if ask(&question, self.bars.as_ref()) {
            Approval::Approved
        } else {
            Approval::Declined
        }
    }
}

/// Asks `question` on standard error and reads a yes/no answer from standard input
/// (anything but `y` or `yes` is no).
pub fn ask(question: &str, bars: Option<&MultiProgress>) -> bool {
    let read = || {
        let mut stderr = std::io::stderr();
        let _ = write!(stderr, "{question}");
        let _ = stderr.flush();
        let mut answer = String::new();
        if std::io::stdin().lock().read_line(&mut answer).is_err() {
            return false;
        }
        matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
    };
    match bars {
        Some(bars) => bars.suspend(read),
        None => read(),
    }
}
