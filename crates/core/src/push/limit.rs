//! Size bounds on what a portal sends, enforced while the bytes arrive, before a whole message
//! is in memory: a hostile or broken portal (or whoever sits in its place on the network)
//! could otherwise make the app buffer an event or a response without end.
//!
//! The event stream is bounded below the SSE parser: [`bound_events`] counts the bytes since
//! the last event boundary (a blank line) and fails the stream the moment one event grows past
//! [`MAX_EVENT_BYTES`], without passing that chunk on. Other responses are read chunk by
//! chunk up to [`MAX_RESPONSE_BYTES`] by [`read_body`].

use futures_util::{Stream, StreamExt as _, future};
use zweifaktor_protocol::envelope::MAX_ENVELOPE_LEN;

use super::PushError;

/// Largest server-sent event accepted, counted from the end of the previous event with every
/// field line (`event:`, `data:`, `id:`, comments) and line break: an envelope is at most
/// [`MAX_ENVELOPE_LEN`] (16 KiB), so twice that leaves ample room for the framing.
pub(crate) const MAX_EVENT_BYTES: usize = 2 * MAX_ENVELOPE_LEN;

/// Largest body of a response that is not the stream: 64 envelopes of the largest size
/// (1 MiB). The biggest legitimate answer is the list of open challenges, and a user has a
/// few logins open at a time, not dozens.
pub(crate) const MAX_RESPONSE_BYTES: usize = 64 * MAX_ENVELOPE_LEN;

/// Counts the bytes of the event in progress across the chunks of a stream.
///
/// Lines end with CRLF, LF or CR, and an empty line ends an event (the WHATWG HTML standard,
/// "Server-sent events", §9.2.5 and §9.2.6).
#[derive(Debug)]
struct EventBound {
    /// The most bytes one event may have.
    limit: usize,
    /// Bytes since the last event boundary.
    event_len: usize,
    /// Bytes since the last line break.
    line_len: usize,
    /// The last byte was a CR, so an LF right after it ends the same line.
    after_cr: bool,
}

impl EventBound {
    /// A counter at the start of a stream.
    fn new(limit: usize) -> Self {
        Self {
            limit,
            event_len: 0,
            line_len: 0,
            after_cr: false,
        }
    }

    /// Counts `chunk`; fails when the event in progress exceeds the limit.
    fn feed(&mut self, chunk: &[u8]) -> Result<(), PushError> {
        for &byte in chunk {
            let after_cr = std::mem::replace(&mut self.after_cr, byte == b'\r');
            match byte {
                b'\n' if after_cr => continue,
                b'\r' | b'\n' if self.line_len == 0 => {
                    self.event_len = 0;
                    continue;
                }
                b'\r' | b'\n' => self.line_len = 0,
                _ => self.line_len += 1,
            }
            self.event_len += 1;
            if self.event_len > self.limit {
                return Err(PushError::TooLarge { limit: self.limit });
            }
        }
        Ok(())
    }
}

/// The byte stream of an SSE response with each event bounded to `limit` bytes.
///
/// Network errors become [`PushError::Network`]; an event over the limit yields one
/// [`PushError::TooLarge`] (the offending chunk is dropped) and ends the stream, so the caller
/// drops the connection and its reconnect rules apply.
pub(crate) fn bound_events<S, B>(bytes: S, limit: usize) -> impl Stream<Item = Result<B, PushError>>
where
    S: Stream<Item = Result<B, reqwest::Error>>,
    B: AsRef<[u8]>,
{
    bytes.scan(Some(EventBound::new(limit)), |state, chunk| {
        let Some(bound) = state.as_mut() else {
            return future::ready(None);
        };
        let item = match chunk {
            Ok(chunk) => bound.feed(chunk.as_ref()).map(|()| chunk),
            Err(err) => Err(PushError::Network(err)),
        };
        if matches!(item, Err(PushError::TooLarge { .. })) {
            *state = None;
        }
        future::ready(Some(item))
    })
}

/// Reads the body of `response`, at most `limit` bytes of it: a declared length above the
/// limit is refused before reading, and reading stops as soon as the bytes received pass it.
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, PushError> {
    let too_large = PushError::TooLarge { limit };
    if response
        .content_length()
        .is_some_and(|declared| declared > limit as u64)
    {
        return Err(too_large);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(PushError::Network)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fed(limit: usize, chunks: &[&[u8]]) -> Result<(), PushError> {
        let mut bound = EventBound::new(limit);
        chunks.iter().try_for_each(|chunk| bound.feed(chunk))
    }

    #[test]
    fn an_event_of_exactly_the_limit_passes_and_one_more_byte_fails() {
        // "data: 1234\n" is 11 bytes; the blank line that ends it is not counted.
        assert!(fed(11, &[b"data: 1234\n\n"]).is_ok());
        assert!(matches!(
            fed(10, &[b"data: 1234\n\n"]),
            Err(PushError::TooLarge { limit: 10 })
        ));
    }

    #[test]
    fn every_line_ending_ends_events_and_counts_start_afresh() {
        for ending in [&b"\n\n"[..], b"\r\n\r\n", b"\r\r"] {
            let event = [&b"data: 1234"[..], ending].concat();
            let many: Vec<&[u8]> = std::iter::repeat_n(&event[..], 100).collect();
            assert!(fed(16, &many).is_ok(), "{ending:?}");
        }
    }

    #[test]
    fn many_lines_without_a_blank_line_are_one_event() {
        let line = b"data: 1234\n";
        let lines: Vec<&[u8]> = std::iter::repeat_n(&line[..], 10).collect();
        assert!(fed(100, &lines).is_err());
        assert!(fed(110, &lines).is_ok());
    }

    #[test]
    fn counting_carries_across_chunks() {
        // A CRLF split across chunks is one line break, not a blank line.
        assert!(fed(12, &[b"data: 1234\r", b"\n", b"data"]).is_err());
        assert!(fed(12, &[b"data: 1234\r", b"\n", b"\r\n", b"data"]).is_ok());
    }
}
