//! What can happen to the UI ([`Msg`]) and what `update` asks the runtime to do about it
//! ([`Cmd`]). Every variant says what brings it or what carrying it out means.

use std::path::PathBuf;

use crossterm::event::{KeyEvent, MouseEvent};

use super::SendPlan;
use super::tree_ops::TreeOp;
use super::{inspect, preview, sends};
use crate::http::{EngineEvent, ExchangeId};
use crate::store::{LoadedRequest, Workspace};

/// Everything that can happen to the UI.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// Text was pasted (bracketed paste): arrives whole, not key by key.
    Paste(String),
    /// A mouse click or wheel turn.
    Mouse(MouseEvent),
    /// The terminal changed size.
    Resize { width: u16, height: u16 },
    /// The collections were (re)loaded from disk, at start or after a change on disk.
    WorkspaceLoaded(Workspace),
    /// The engine reported on an exchange.
    Engine(EngineEvent),
    /// A send could not start because the request needs another request's response first
    /// (`{{response …}}`): `dependency` is that request's file.
    NeedsResponse {
        exchange: ExchangeId,
        dependency: PathBuf,
        reason: String,
    },
    /// A send waits for an answer: the request has a `{{prompt …}}` not yet answered.
    NeedsAnswer {
        exchange: ExchangeId,
        label: String,
        secret: bool,
    },
    /// A request's `before_send` hooks ran: what they did, and the variables they set (session
    /// values from now on).
    HooksRan {
        notes: Vec<String>,
        variables: Vec<(String, String)>,
    },
    /// A send could not start: the request did not prepare (unknown variable, bad URL…).
    SendRejected {
        exchange: ExchangeId,
        message: String,
    },
    /// Time passes; sent only while an exchange is in flight, to move the elapsed-time display.
    Tick,
    /// A second of load run `run` of `request`: the run so far.
    LoadProgress {
        request: PathBuf,
        run: u64,
        snapshot: Box<crate::load::Snapshot>,
    },
    /// Load run `run` of `request` ended: its summary, or why it could not run.
    LoadFinished {
        request: PathBuf,
        run: u64,
        result: Result<Box<crate::load::Summary>, String>,
    },
    /// What the mock (`M`) did.
    Mock(super::mock_panel::MockMessage),
    /// A request was written to disk, as given.
    Saved(Box<LoadedRequest>),
    /// Writing a request failed.
    SaveFailed { path: PathBuf, message: String },
    /// Unsaved edits found in the draft journal at start (after a crash or a kill).
    DraftsRestored(Vec<crate::store::JournalDraft>),
    /// A tree operation changed the files; the tree as reloaded, and the item to select.
    TreeChanged {
        workspace: Workspace,
        select: Option<PathBuf>,
    },
    /// A tree operation failed, with the reason.
    TreeOpFailed(String),
    /// The user's editor closed: the body's new text, or why it could not be edited.
    EditedExternally {
        request: PathBuf,
        result: Result<String, String>,
    },
    /// A body search got further.
    SearchProgress {
        exchange: ExchangeId,
        id: u64,
        progress: crate::body::search::Progress,
    },
    /// Where the object or array opened on a pretty line closes (None: it opens none).
    Folded {
        exchange: ExchangeId,
        start: u64,
        end: Option<u64>,
    },
    /// The selected request, rendered for the preview (or why it does not render).
    Previewed {
        path: PathBuf,
        result: Result<preview::Preview, String>,
    },
    /// The past exchanges of `scope` that `query` keeps, newest first, or why there are
    /// none to show.
    HistoryLoaded {
        scope: super::history_list::Scope,
        query: String,
        rows: Result<Vec<super::history_list::PastRow>, String>,
    },
    /// The request past exchange `id` sent, as its file would hold it (or why it cannot be
    /// had), to send again or edit.
    PastRequestLoaded {
        id: i64,
        then: super::history_list::PastUse,
        request: Result<Box<crate::store::LoadedRequest>, String>,
    },
    /// The examples of `request`, by name (or why they cannot be listed).
    ExamplesLoaded {
        request: PathBuf,
        rows: Result<Vec<super::examples::ExampleRow>, String>,
    },
    /// An example of `request` was saved (its name), or why not.
    ExampleSaved {
        request: PathBuf,
        result: Result<String, String>,
    },
    /// Past exchanges `old` and `new` compared, as rows to show.
    PastCompared {
        old: i64,
        new: i64,
        rows: Result<Vec<crate::history::diff_lines::DiffRow>, String>,
    },
    /// The environments that were active when Courier last ran.
    EnvironmentsRestored(std::collections::BTreeMap<PathBuf, String>),
    /// Something for the footer: how a save or a copy went.
    Notice(String),
    /// A jq filter ran over a body (or could not).
    JqDone {
        exchange: ExchangeId,
        id: u64,
        result: Result<crate::body::jq::JqOutput, crate::body::jq::JqError>,
    },
    /// A JSON body was checked as it arrived (`runtime::json_check`): why it is not JSON, if
    /// it is not. Comes when the body is whole, or sooner when it is already not JSON.
    JsonChecked {
        exchange: ExchangeId,
        error: Option<String>,
    },
    /// A finished response was checked against its request's assertions, and its captures
    /// taken (`runtime::checks`).
    Checked {
        exchange: ExchangeId,
        results: Vec<crate::check::AssertionResult>,
        captured: Vec<(String, String)>,
    },
    /// The value on pretty line `line` of a body and its JSON path, for an assertion on it
    /// (`a` in the response pane); None when the line has no value.
    ValueAt {
        exchange: ExchangeId,
        found: Option<crate::body::json_path::PathAt>,
    },
    /// An image body was decoded (or could not be).
    PictureDecoded {
        exchange: ExchangeId,
        result: Result<
            std::sync::Arc<crate::body::picture::Picture>,
            crate::body::picture::PictureError,
        >,
    },
    /// A picture was fitted to the pane for the terminal's graphics.
    PictureFitted {
        exchange: ExchangeId,
        fitted: super::picture::Fitted,
    },
}

/// What `update` asks the runtime to do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Cmd {
    /// Leave the event loop and restore the terminal (skipped when a save before it failed).
    Quit,
    /// Write this request (and its body) to disk, atomically.
    Save(Box<LoadedRequest>),
    /// The drafts changed: write the draft journal soon (the runtime batches these).
    DraftsChanged,
    /// Change the shape of a collection on disk, then reload and answer with TreeChanged.
    Tree(TreeOp),
    /// Hand the terminal to the user's editor with `text` in a file ending in `extension`,
    /// then answer with EditedExternally.
    EditExternally {
        request: PathBuf,
        text: String,
        extension: String,
    },
    /// Prepare the request as `plan` has it (off the UI loop) and send it as `exchange`,
    /// writing the response's body into `body`; answer with engine events, or NeedsResponse
    /// or SendRejected when it cannot go.
    Send {
        exchange: ExchangeId,
        plan: Box<SendPlan>,
        body: sends::ResponseBody,
    },
    /// Stop an exchange in flight.
    Cancel(ExchangeId),
    /// Make a message from the request as planned (its body or a saved message, rendered)
    /// and send it on the open WebSocket session `exchange`.
    SessionMessage {
        exchange: ExchangeId,
        plan: Box<SendPlan>,
        message: super::session_view::OutgoingMessage,
    },
    /// Hand this to the open WebSocket session `exchange`: a ping, a close.
    SessionCommand {
        exchange: ExchangeId,
        command: crate::http::websocket::Command,
    },
    /// Put this text on the system clipboard (OSC 52, which also works over SSH).
    Copy(String),
    /// Decode a complete image body in the background; answer with PictureDecoded.
    DecodePicture(ExchangeId),
    /// Fit an exchange's decoded picture to `cells` (columns, rows) for the terminal's
    /// graphics, in the background; answer with PictureFitted.
    FitPicture {
        exchange: ExchangeId,
        cells: super::picture::Cells,
    },
    /// Read the past exchanges of `scope` that `query` keeps from the history; answer with
    /// HistoryLoaded.
    LoadHistory {
        scope: super::history_list::Scope,
        query: String,
    },
    /// Read the request past exchange `id` sent (`saved` is its request as saved now, whose
    /// path and name it takes); answer with PastRequestLoaded.
    LoadPastRequest {
        id: i64,
        saved: Box<crate::store::LoadedRequest>,
        then: super::history_list::PastUse,
    },
    /// Import `file` as collections in `into` (never over one that is there), then reload
    /// the tree (TreeChanged) and say how it went (Notice).
    ImportFile { file: PathBuf, into: PathBuf },
    /// List the examples of `request`; answer with ExamplesLoaded.
    LoadExamples { request: PathBuf },
    /// Replay the example in `file` as `exchange` (`sent` is the request's method and URL as
    /// written, for the Sent view): its head, its body into `body`.
    OpenExample {
        exchange: ExchangeId,
        file: PathBuf,
        sent: (String, String),
        body: super::sends::ResponseBody,
    },
    /// Save a response as an example; answer with ExampleSaved.
    SaveExample(Box<super::examples::ExampleToSave>),
    /// Compare past exchanges `old` and `new` off the UI thread; answer with PastCompared.
    ComparePast { old: i64, new: i64 },
    /// Replay the history's exchange `id` as `exchange`: its events, its body into `body`.
    OpenPast {
        exchange: ExchangeId,
        id: i64,
        body: super::sends::ResponseBody,
    },
    /// Render the request as `plan` has it for the preview; answer with Previewed.
    Preview(Box<SendPlan>),
    /// Prepare the request as `plan` has it and send it again and again as `spec` says;
    /// answer with LoadProgress each second and LoadFinished at the end (recorded in the
    /// history then).
    StartLoad {
        run: u64,
        plan: Box<SendPlan>,
        spec: super::load_view::LoadSpec,
    },
    /// Stop load run `run` at once (its summary still comes).
    StopLoad { run: u64 },
    /// Serve the collection in `collection` as a mock (`courier mock`), its paths under
    /// `environment`'s base URL; answer with MockStarted, then MockLogged as it logs.
    StartMock {
        collection: PathBuf,
        environment: Option<String>,
    },
    /// Stop the mock.
    StopMock,
    /// Save `miss` as an example in `collection` (the mock at `url`); answer with
    /// MockMissSaved.
    SaveMockMiss {
        collection: PathBuf,
        url: String,
        miss: crate::mock::record::MissedRequest,
    },
    /// Remember which environment each collection uses (written to the state directory).
    RememberEnvironments(std::collections::BTreeMap<PathBuf, String>),
    /// Find where the object or array opened on pretty line `line` closes; answer with
    /// Folded.
    Fold { exchange: ExchangeId, line: u64 },
    /// Find the value on pretty line `line` and its JSON path; answer with ValueAt.
    ValueAt { exchange: ExchangeId, line: u64 },
    /// Put (part of) a response body on the system clipboard; answer with Notice.
    CopyBody {
        exchange: ExchangeId,
        part: inspect::BodyPart,
    },
    /// Write (part of) a response body to a file; answer with Notice.
    SaveBody {
        exchange: ExchangeId,
        path: PathBuf,
        part: inspect::BodyPart,
    },
    /// Run a jq filter over a response body, off the UI thread; answer with JqDone.
    Jq {
        exchange: ExchangeId,
        id: u64,
        filter: String,
    },
    /// Search a response body in the background (a newer search of it cancels this one);
    /// answer with SearchProgress as it goes.
    Search {
        exchange: ExchangeId,
        id: u64,
        query: String,
        target: crate::body::search::Target,
    },
}
