//! A response's picture, for an image body: decoded in the background once the body is
//! complete, then fitted to the size of the pane for the terminal's graphics (in the
//! background too, and again whenever that size changes). The state lives here; the runtime
//! decodes and fits, and `ui::picture` draws.

use std::sync::Arc;

use ratatui_image::protocol::Protocol;

use super::{App, Cmd, ResponseTab, layout};
use crate::body::picture::{Picture, PictureError};
use crate::body::store::{BodyKind, lock};
use crate::http::ExchangeId;

/// Columns and rows of the terminal a picture is fitted to.
pub type Cells = (u16, u16);

#[derive(Debug, Clone)]
pub enum PictureState {
    /// The body is complete and being decoded.
    Decoding,
    Decoded {
        picture: Arc<Picture>,
        /// The picture made for the terminal at one size, once made.
        fitted: Option<Fitted>,
        /// The size a fit is being made for.
        fitting: Option<Cells>,
    },
    /// Not shown as a picture, and why: the Hex view shows the bytes.
    Failed(PictureError),
}

/// A picture fitted to `cells`, encoded for the terminal's graphics.
#[derive(Clone)]
pub struct Fitted {
    pub cells: Cells,
    pub protocol: Protocol,
}

impl std::fmt::Debug for Fitted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fitted")
            .field("cells", &self.cells)
            .field("area", &self.protocol.area())
            .finish()
    }
}

impl PictureState {
    /// Whether a fit for `cells` should be asked for (none is made or being made for that
    /// size); if so, it is marked as being made.
    fn wants_fit(&mut self, cells: Cells) -> bool {
        let PictureState::Decoded {
            fitted, fitting, ..
        } = self
        else {
            return false;
        };
        if fitted.as_ref().is_some_and(|f| f.cells == cells) || *fitting == Some(cells) {
            return false;
        }
        *fitting = Some(cells);
        true
    }
}

impl App {
    /// A complete image body is decoded in the background.
    pub(super) fn decode_if_picture(response: &mut super::ResponseView) -> Option<Cmd> {
        (lock(&response.body).kind == Some(BodyKind::Image)).then(|| {
            response.picture = Some(PictureState::Decoding);
            Cmd::DecodePicture(response.exchange)
        })
    }

    pub(super) fn on_picture_decoded(
        &mut self,
        exchange: ExchangeId,
        result: Result<Arc<Picture>, PictureError>,
    ) {
        let on_screen = self
            .current_response()
            .is_some_and(|response| response.exchange == exchange);
        let Some(response) = self.sends.by_exchange_mut(exchange) else {
            return;
        };
        let failed = result.is_err();
        response.picture = Some(match result {
            Ok(picture) => PictureState::Decoded {
                picture,
                fitted: None,
                fitting: None,
            },
            Err(error) => PictureState::Failed(error),
        });
        // What cannot be shown as a picture is shown as bytes.
        if failed && on_screen && self.inspector.tab == ResponseTab::Pretty {
            self.inspector.tab = ResponseTab::Hex;
        }
    }

    pub(super) fn on_picture_fitted(&mut self, exchange: ExchangeId, fitted: Fitted) {
        if let Some(PictureState::Decoded {
            fitted: slot,
            fitting,
            ..
        }) = self
            .sends
            .by_exchange_mut(exchange)
            .and_then(|response| response.picture.as_mut())
        {
            if *fitting == Some(fitted.cells) {
                *fitting = None;
            }
            *slot = Some(fitted);
        }
    }

    /// The picture on screen, fitted to the pane as it is now: asked for when the picture is
    /// decoded, the terminal resized or another response's picture comes into view.
    pub(super) fn fit_picture(&mut self) -> Option<Cmd> {
        // Asked after every update: most responses are no picture, and the layout below
        // is what costs, so it is worked out only for one.
        let wants_picture = self.current_response().is_some_and(|response| {
            response.jq.is_none() && matches!(response.picture, Some(PictureState::Decoded { .. }))
        });
        if self.inspector.tab != ResponseTab::Pretty || !wants_picture {
            return None;
        }
        let response_area = layout::areas(self.size).response;
        let finding = self
            .current_response()
            .is_some_and(|response| self.response_finding(response));
        let [_, _, _, body] = layout::response_rows(response_area, finding);
        let area = layout::picture(body);
        let cells = (area.width, area.height);
        let response = self.current_response_mut()?;
        if cells.0 == 0 || cells.1 == 0 {
            return None;
        }
        let exchange = response.exchange;
        response
            .picture
            .as_mut()?
            .wants_fit(cells)
            .then_some(Cmd::FitPicture { exchange, cells })
    }

    /// The decoded picture of an exchange, for the runtime to fit.
    pub fn picture_of(&self, exchange: ExchangeId) -> Option<Arc<Picture>> {
        match &self.send_of(exchange)?.picture {
            Some(PictureState::Decoded { picture, .. }) => Some(picture.clone()),
            _ => None,
        }
    }

    /// Whether the response pane shows its find line (a prompt, a search or a jq filter)
    /// above `response`'s body.
    pub fn response_finding(&self, response: &super::ResponseView) -> bool {
        self.inspector.prompt.is_some()
            || (response.search.is_some() && self.inspector.tab.is_body_view())
            || (response.jq.is_some() && self.inspector.tab == ResponseTab::Pretty)
    }
}
