//! Request bodies the demo server has no use for (`GET /json` with a body pasted into it) are
//! still read to the end. A server that closes a connection with unread request bytes makes
//! the kernel answer with a reset, and the reset throws away the response bytes not yet sent:
//! a slow reader saw its 100 MB body cut at 83 MB. Every request's body is wrapped in
//! [`Drained`], which reads what the handler left once it is dropped.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming, SizeHint};

/// Past this much of a body nobody wanted, the demo server stops reading (and resets).
const MAX_DRAIN: usize = 1 << 30;

/// A request body that is read to its end even when the handler does not read it.
#[derive(Debug)]
pub struct Drained(Option<Incoming>);

impl Drained {
    pub fn new(body: Incoming) -> Self {
        Drained(Some(body))
    }
}

impl Body for Drained {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        match self.get_mut().0.as_mut() {
            Some(body) => Pin::new(body).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.0.as_ref().is_none_or(Body::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.0
            .as_ref()
            .map_or_else(SizeHint::default, Body::size_hint)
    }
}

impl Drop for Drained {
    fn drop(&mut self) {
        if let Some(body) = self.0.take()
            && !body.is_end_stream()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(drain(body));
        }
    }
}

async fn drain(mut body: Incoming) {
    let mut read = 0;
    while let Some(Ok(frame)) = body.frame().await {
        read += frame.data_ref().map_or(0, Bytes::len);
        if read > MAX_DRAIN {
            break;
        }
    }
}
