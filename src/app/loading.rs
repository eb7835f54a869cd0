//! Where a load run meets the rest of the app: `Ctrl-L` asks how to load the selected request
//! (a prompt with `courier load`'s words), the answer starts a run of the request as edited
//! (`Cmd::StartLoad` with a `SendPlan`, as a send has), `Ctrl-X` stops it, its snapshots and
//! its end come in as messages; any newer exchange of the request brings its response back
//! in the response pane.

use std::path::{Path, PathBuf};

use super::load_view::LoadSpec;
use super::tree_ops::Prompt;
use super::{App, Cmd, Msg, layers::Layer};

impl App {
    /// The load run the response pane shows for the selected request, if any.
    pub fn current_load(&self) -> Option<&super::load_view::LoadRun> {
        let path = self.selected_request()?;
        let latest = self.sends.get(path).map(|response| response.exchange);
        self.loads.shown(path, latest)
    }

    /// `Ctrl-L`: asks how to load the selected request.
    pub(super) fn ask_load_spec(&mut self) -> Vec<Cmd> {
        let Some(path) = self.selected_request().map(Path::to_owned) else {
            self.notice = Some("Select a request to load it.".to_owned());
            return Vec::new();
        };
        let offered = self.loads.spec_to_offer().to_owned();
        self.layers
            .open(Layer::Prompt(Prompt::load_spec(path, &offered)));
        Vec::new()
    }

    /// The prompt's answer: a run of `request` as `text` says (or why not, in the footer).
    pub(super) fn start_load(&mut self, request: PathBuf, text: &str) -> Vec<Cmd> {
        let spec = match LoadSpec::parse(text) {
            Ok(spec) => spec,
            Err(message) => {
                self.notice = Some(format!("Load: {message}"));
                return Vec::new();
            }
        };
        let origin = self.now.unwrap_or_else(std::time::Instant::now);
        let plan = self.send_plan(request.clone(), origin);
        let latest = self.sends.get(&request).map(|response| response.exchange);
        let (run, replaced) = self.loads.begin(&request, spec.clone(), latest);
        let mut cmds = Vec::new();
        if let Some(old) = replaced {
            cmds.push(Cmd::StopLoad { run: old });
        }
        cmds.push(Cmd::StartLoad {
            run,
            plan: Box::new(plan),
            spec,
        });
        cmds
    }

    /// `Ctrl-X` on a request whose load run is going: stops it. False when there is none.
    pub(super) fn stop_selected_load(&mut self) -> Option<Vec<Cmd>> {
        let path = self.selected_request()?;
        let run = self.loads.active(path)?;
        self.notice = Some("Stopping the load run…".to_owned());
        Some(vec![Cmd::StopLoad { run }])
    }

    pub(super) fn on_load_message(&mut self, message: Msg) -> Vec<Cmd> {
        match message {
            Msg::LoadProgress {
                request,
                run,
                snapshot,
            } => self.loads.progress(&request, run, *snapshot),
            Msg::LoadFinished {
                request,
                run,
                result,
            } => {
                if let Err(message) = &result {
                    self.notice = Some(format!("Load: {message}"));
                }
                self.loads
                    .finished(&request, run, result.map(|summary| *summary));
            }
            _ => {}
        }
        Vec::new()
    }
}
