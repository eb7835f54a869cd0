//! Load runs started from the TUI (`Ctrl-L`): what the prompt asked for (`-c 50 -z 30s`,
//! `courier load`'s words), and each request's latest run: its snapshots as they come (one a
//! second), the series the charts draw, its end. The response pane shows a request's run in
//! place of its response until a newer exchange of the request (a send, a past exchange or an
//! example opened) takes it back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::http::ExchangeId;
use crate::load::{Ended, Point, Snapshot, Stop, Summary};

/// What the user asked for: `courier load`'s shape flags.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadSpec {
    pub concurrency: usize,
    pub stop: Stop,
    pub rate: Option<f64>,
    /// As typed, to offer again next time.
    pub text: String,
}

/// What the prompt offers the first time.
pub const DEFAULT_SPEC: &str = "-c 10 -z 10s";

impl LoadSpec {
    /// Reads `-c N`, `-n COUNT` or `-z DURATION`, `--rate R`; says what is wrong otherwise.
    pub fn parse(text: &str) -> Result<LoadSpec, String> {
        let mut spec = LoadSpec {
            concurrency: 10,
            stop: Stop::After(Duration::from_secs(10)),
            rate: None,
            text: text.trim().to_owned(),
        };
        let mut words = text.split_whitespace();
        while let Some(flag) = words.next() {
            let value = words
                .next()
                .ok_or_else(|| format!("`{flag}` needs a value"))?;
            let number = || {
                value
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("`{flag} {value}`: a whole number above 0"))
            };
            match flag {
                "-c" | "--concurrency" => {
                    spec.concurrency = usize::try_from(number()?.min(100_000)).unwrap_or(1)
                }
                "-n" | "--requests" => spec.stop = Stop::Count(number()?),
                "-z" | "--duration" => {
                    let duration = humantime::parse_duration(value)
                        .map_err(|e| format!("`-z {value}`: {e}"))?;
                    spec.stop = Stop::After(duration);
                }
                "--rate" => {
                    let rate = value
                        .parse::<f64>()
                        .ok()
                        .filter(|r| (0.001..=10_000_000.0).contains(r))
                        .ok_or_else(|| {
                            format!("`--rate {value}`: between 0.001 and 10,000,000 a second")
                        })?;
                    spec.rate = Some(rate);
                }
                other => {
                    return Err(format!(
                        "`{other}`: the load takes -c N, -n COUNT or -z DURATION, --rate R"
                    ));
                }
            }
        }
        Ok(spec)
    }
}

/// Where a run is.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadState {
    /// The request is being prepared and authorized.
    Preparing,
    Running,
    Ended(Ended),
    Failed(String),
}

/// A request's latest load run.
#[derive(Debug, Clone)]
pub struct LoadRun {
    pub id: u64,
    pub spec: LoadSpec,
    pub state: LoadState,
    /// The newest snapshot (the summary's totals once it ended).
    pub latest: Option<Snapshot>,
    /// One point a second, for the charts.
    pub series: Vec<Point>,
    pub cut_off: u64,
    /// The request's latest exchange when the run began: the run is shown until a newer
    /// one (a send, a past exchange or an example opened) takes the response pane back.
    pub over: Option<ExchangeId>,
}

impl LoadRun {
    pub fn is_active(&self) -> bool {
        matches!(self.state, LoadState::Preparing | LoadState::Running)
    }
}

/// Each request's latest load run.
#[derive(Debug, Default)]
pub struct LoadRuns {
    runs: HashMap<PathBuf, LoadRun>,
    next_id: u64,
    /// The spec typed last, offered again.
    last_spec: Option<String>,
}

impl LoadRuns {
    /// A new run of `request`, over its latest exchange `over`; the id of the run it
    /// replaces when that one is going.
    pub fn begin(
        &mut self,
        request: &Path,
        spec: LoadSpec,
        over: Option<ExchangeId>,
    ) -> (u64, Option<u64>) {
        self.next_id += 1;
        self.last_spec = Some(spec.text.clone());
        let run = LoadRun {
            id: self.next_id,
            spec,
            state: LoadState::Preparing,
            latest: None,
            series: Vec::new(),
            cut_off: 0,
            over,
        };
        let replaced = self
            .runs
            .insert(request.to_owned(), run)
            .filter(LoadRun::is_active)
            .map(|old| old.id);
        (self.next_id, replaced)
    }

    /// The spec to offer in the prompt.
    pub fn spec_to_offer(&self) -> &str {
        self.last_spec.as_deref().unwrap_or(DEFAULT_SPEC)
    }

    fn run_mut(&mut self, request: &Path, id: u64) -> Option<&mut LoadRun> {
        self.runs.get_mut(request).filter(|run| run.id == id)
    }

    /// A second's snapshot of run `id` (ignored when the request has a newer run).
    pub fn progress(&mut self, request: &Path, id: u64, snapshot: Snapshot) {
        if let Some(run) = self.run_mut(request, id) {
            run.state = LoadState::Running;
            if let Some(point) = &snapshot.latest {
                run.series.push(point.clone());
            }
            run.latest = Some(snapshot);
        }
    }

    /// Run `id` ended, with its summary or why it could not run.
    pub fn finished(&mut self, request: &Path, id: u64, result: Result<Summary, String>) {
        if let Some(run) = self.run_mut(request, id) {
            match result {
                Ok(summary) => {
                    run.state = LoadState::Ended(summary.ended);
                    run.series = summary.series;
                    run.cut_off = summary.cut_off;
                    run.latest = Some(summary.totals);
                }
                Err(message) => run.state = LoadState::Failed(message),
            }
        }
    }

    /// The run the response pane shows for `request` whose latest exchange is `latest`:
    /// its run, unless an exchange began since.
    pub fn shown(&self, request: &Path, latest: Option<ExchangeId>) -> Option<&LoadRun> {
        self.runs.get(request).filter(|run| run.over == latest)
    }

    /// The id of `request`'s run when it is still going.
    pub fn active(&self, request: &Path) -> Option<u64> {
        self.runs
            .get(request)
            .filter(|run| run.is_active())
            .map(|run| run.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_reads_load_s_flags_and_says_what_is_wrong() {
        let spec = LoadSpec::parse("-c 25 -n 1000 --rate 50").expect("good");
        assert_eq!(spec.concurrency, 25);
        assert_eq!(spec.stop, Stop::Count(1000));
        assert_eq!(spec.rate, Some(50.0));
        let spec = LoadSpec::parse("-z 1m30s").expect("good");
        assert_eq!(spec.stop, Stop::After(Duration::from_secs(90)));
        assert!(LoadSpec::parse("-c 0").unwrap_err().contains("above 0"));
        assert!(LoadSpec::parse("-c").unwrap_err().contains("needs a value"));
        assert!(LoadSpec::parse("--fast yes").unwrap_err().contains("-c N"));
    }

    #[test]
    fn a_newer_run_replaces_the_older_whose_snapshots_are_ignored() {
        let mut runs = LoadRuns::default();
        let request = Path::new("/c/r.json");
        let spec = LoadSpec::parse(DEFAULT_SPEC).expect("default");
        let (first, _) = runs.begin(request, spec.clone(), None);
        let (second, replaced) = runs.begin(request, spec, Some(ExchangeId(4)));
        assert_eq!(replaced, Some(first));
        runs.finished(request, first, Err("late".into()));
        let shown = runs.shown(request, Some(ExchangeId(4)));
        assert_eq!(shown.map(|r| r.id), Some(second));
        assert_eq!(runs.active(request), Some(second));
        runs.finished(request, second, Err("cannot connect".into()));
        assert_eq!(runs.active(request), None);
        let shown = runs.shown(request, Some(ExchangeId(4)));
        assert!(matches!(
            shown.map(|r| &r.state),
            Some(LoadState::Failed(_))
        ));
        // An exchange since (a send): the response pane shows its response.
        assert!(runs.shown(request, Some(ExchangeId(5))).is_none());
    }
}
