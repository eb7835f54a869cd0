//! The layers over the panes: help, the finder, a question to answer, a one-line prompt, the
//! preview of the rendered request, the environment picker. One stack, newest on top: keys go
//! to the top layer (and only there), drawing goes from the bottom up, and the panes lie under
//! them all. A layer of a kind already open replaces it, so each kind is open at most once.

use super::confirm::Confirm;
use super::disk_changes::Changes;
use super::environments::EnvironmentPicker;
use super::finder::Finder;
use super::history_list::HistoryList;
use super::keymap::Context;
use super::past_diff::PastDiff;
use super::preview::Preview;
use super::tree_ops::Prompt;

/// What a key did to a layer, for the app to carry out: each layer's component takes its own
/// keys (`Finder::key`, `Prompt::key`, `EnvironmentPicker::key`, `Confirm::key`) and answers
/// with one of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerReply<T> {
    /// The layer took the key and stays open.
    Stay,
    /// The layer closes with nothing done.
    Close,
    /// The layer closes with its answer.
    Answer(T),
    /// Help opens over the layer.
    Help,
    /// The layer closes and Courier quits (asking first when edits are unsaved).
    Quit,
    /// Text copied or cut from the layer's line, for the clipboard.
    Copied(String),
}

#[derive(Debug)]
pub enum Layer {
    /// The keys of the focused pane and the global ones; any key closes it.
    Help,
    /// `Ctrl-P`: find a request by name.
    Finder(Finder),
    /// A question that must be answered first (quit with unsaved edits, delete, send
    /// invalid JSON).
    Confirm(Confirm),
    /// A name or a value being typed (new item, rename, `Ctrl-G`).
    Prompt(Prompt),
    /// `P`: the request as it would be sent, or why it does not render.
    Preview(Result<Preview, String>),
    /// `Ctrl-N`: the collection's environments.
    EnvironmentPicker(EnvironmentPicker),
    /// A request's file on disk beside the user's edits; any key closes it.
    Changes(Changes),
    /// `H`: past exchanges.
    HistoryList(HistoryList),
    /// Two past exchanges compared, over the list.
    PastDiff(PastDiff),
    /// `Ctrl-O`: an open WebSocket session's saved messages.
    MessagePicker(super::saved_messages::MessagePicker),
    /// `M`: the mock server's log.
    MockLog(super::mock_panel::MockLog),
}

impl Layer {
    /// The keymap context of its keys; None for help and the preview, which any key closes.
    pub fn context(&self) -> Option<Context> {
        match self {
            Layer::Help | Layer::Preview(_) | Layer::Changes(_) => None,
            Layer::Finder(_) => Some(Context::Finder),
            Layer::Confirm(confirm) => Some(confirm.context()),
            Layer::Prompt(_) => Some(Context::Line),
            Layer::EnvironmentPicker(_) => Some(Context::EnvironmentPicker),
            Layer::MessagePicker(_) => Some(Context::MessagePicker),
            Layer::HistoryList(list) => Some(list.context()),
            Layer::PastDiff(_) => Some(Context::HistoryDiff),
            Layer::MockLog(_) => Some(Context::MockLog),
        }
    }

    /// Whether the pane under it loses its focus marker while it is open.
    pub fn takes_focus(&self) -> bool {
        matches!(
            self,
            Layer::Help
                | Layer::Finder(_)
                | Layer::Confirm(_)
                | Layer::Prompt(_)
                | Layer::Changes(_)
        )
    }

    /// Whether mouse clicks on the panes under it are ignored while it is open.
    pub fn blocks_mouse(&self) -> bool {
        matches!(
            self,
            Layer::Finder(_) | Layer::Confirm(_) | Layer::Prompt(_) | Layer::Changes(_)
        )
    }

    fn same_kind(&self, other: &Layer) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

#[derive(Debug, Default)]
pub struct Layers(Vec<Layer>);

impl Layers {
    /// Opens `layer` on top (closing one of its kind that was open).
    pub fn open(&mut self, layer: Layer) {
        self.0.retain(|open| !open.same_kind(&layer));
        self.0.push(layer);
    }

    /// The layer keys go to.
    pub fn top(&self) -> Option<&Layer> {
        self.0.last()
    }

    pub fn top_mut(&mut self) -> Option<&mut Layer> {
        self.0.last_mut()
    }

    /// Closes the top layer and gives it back.
    pub fn close_top(&mut self) -> Option<Layer> {
        self.0.pop()
    }

    /// Closes every layer that `is` picks.
    pub fn close(&mut self, is: impl Fn(&Layer) -> bool) {
        self.0.retain(|layer| !is(layer));
    }

    /// The open layers, bottom first (the order they are drawn in).
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Layer> {
        self.0.iter()
    }

    pub fn any(&self, is: impl Fn(&Layer) -> bool) -> bool {
        self.0.iter().any(is)
    }

    pub fn help_open(&self) -> bool {
        self.any(|layer| matches!(layer, Layer::Help))
    }

    pub fn finder(&self) -> Option<&Finder> {
        self.0.iter().find_map(|layer| match layer {
            Layer::Finder(finder) => Some(finder),
            _ => None,
        })
    }

    pub fn confirm(&self) -> Option<&Confirm> {
        self.0.iter().find_map(|layer| match layer {
            Layer::Confirm(confirm) => Some(confirm),
            _ => None,
        })
    }

    pub fn prompt(&self) -> Option<&Prompt> {
        self.0.iter().find_map(|layer| match layer {
            Layer::Prompt(prompt) => Some(prompt),
            _ => None,
        })
    }

    pub fn preview(&self) -> Option<&Result<Preview, String>> {
        self.0.iter().find_map(|layer| match layer {
            Layer::Preview(preview) => Some(preview),
            _ => None,
        })
    }

    pub fn history_list(&self) -> Option<&HistoryList> {
        self.0.iter().find_map(|layer| match layer {
            Layer::HistoryList(list) => Some(list),
            _ => None,
        })
    }

    pub fn history_list_mut(&mut self) -> Option<&mut HistoryList> {
        self.0.iter_mut().find_map(|layer| match layer {
            Layer::HistoryList(list) => Some(list),
            _ => None,
        })
    }

    pub fn past_diff_mut(&mut self) -> Option<&mut PastDiff> {
        self.0.iter_mut().find_map(|layer| match layer {
            Layer::PastDiff(diff) => Some(diff),
            _ => None,
        })
    }

    pub fn environment_picker(&self) -> Option<&EnvironmentPicker> {
        self.0.iter().find_map(|layer| match layer {
            Layer::EnvironmentPicker(picker) => Some(picker),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_layer_is_on_top_and_a_kind_opens_once() {
        let mut layers = Layers::default();
        layers.open(Layer::Help);
        layers.open(Layer::Preview(Err("no".into())));
        assert!(matches!(layers.top(), Some(Layer::Preview(_))));
        layers.open(Layer::Help);
        assert!(matches!(layers.top(), Some(Layer::Help)));
        assert_eq!(layers.iter().count(), 2, "help moved up, not doubled");
        layers.close(|layer| matches!(layer, Layer::Help));
        assert!(!layers.help_open());
        assert!(layers.preview().is_some());
        assert!(layers.close_top().is_some());
        assert!(layers.top().is_none());
    }
}
