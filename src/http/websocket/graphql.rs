//! GraphQL subscriptions over a WebSocket: the graphql-transport-ws protocol (the GraphQL
//! over WebSocket spec that graphql-ws, Apollo and Hasura speak). The session sends
//! `connection_init`, waits for `connection_ack`, subscribes with the request's GraphQL
//! body, and hands each `next` payload on as one line of the response's body (NDJSON, so
//! each is an event in the Events view); `complete` closes the session normally, `error`
//! fails it with the server's errors.

use bytes::Bytes;

/// The subprotocol the server must agree to.
pub const SUBPROTOCOL: &str = "graphql-transport-ws";

/// The one subscription a session makes.
const ID: &str = "1";

pub fn connection_init() -> String {
    r#"{"type":"connection_init","payload":{}}"#.to_owned()
}

/// The subscribe message for `payload`, the GraphQL body as prepared (`{"query", "variables"}`).
pub fn subscribe(payload: &Bytes) -> Result<String, String> {
    let payload: serde_json::Value = serde_json::from_slice(payload)
        .map_err(|err| format!("the GraphQL body is not JSON: {err}"))?;
    Ok(serde_json::json!({ "id": ID, "type": "subscribe", "payload": payload }).to_string())
}

pub fn pong() -> String {
    r#"{"type":"pong"}"#.to_owned()
}

/// What a server's message means for the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerMessage {
    Ack,
    /// One result: its payload, compact, ending in a line break.
    Next(Bytes),
    /// The subscription failed: the server's errors.
    Error(String),
    Complete,
    Ping,
    /// A pong, or a message for another id: nothing to do.
    Other,
}

/// Reads a text message from the server; a message that is not the protocol's is an error.
pub fn read(text: &str) -> Result<ServerMessage, String> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|err| format!("the server's message is not JSON ({err}): {text:.200}"))?;
    let kind = value["type"].as_str().unwrap_or_default();
    let ours = value["id"].as_str().is_none_or(|id| id == ID);
    Ok(match kind {
        "connection_ack" => ServerMessage::Ack,
        "next" if ours => {
            let mut line = value["payload"].to_string();
            line.push('\n');
            ServerMessage::Next(Bytes::from(line))
        }
        "error" if ours => ServerMessage::Error(value["payload"].to_string()),
        "complete" if ours => ServerMessage::Complete,
        "ping" => ServerMessage::Ping,
        "pong" | "next" | "error" | "complete" => ServerMessage::Other,
        other => {
            return Err(format!(
                "`{other}` is not a graphql-transport-ws message: {text:.200}"
            ));
        }
    })
}

/// The body to subscribe with when `body` is a GraphQL request whose operation is a
/// subscription (`{"query": "subscription …", "variables": …}`, as a GraphQL body is sent).
pub fn subscription_body(body: &crate::http::PreparedBody) -> Option<Bytes> {
    let crate::http::PreparedBody::Bytes(bytes) = body else {
        return None;
    };
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let query = value.get("query")?.as_str()?;
    is_subscription(query).then(|| bytes.clone())
}

/// Whether a GraphQL document's operation is a subscription: its first word (past comments)
/// is `subscription`.
pub fn is_subscription(document: &str) -> bool {
    document
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim())
        .find(|line| !line.is_empty())
        .is_some_and(|line| {
            line.split(|c: char| !c.is_alphanumeric() && c != '_')
                .next()
                .is_some_and(|word| word == "subscription")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_protocol_s_messages_read_and_write() {
        assert_eq!(read(r#"{"type":"connection_ack"}"#), Ok(ServerMessage::Ack));
        assert_eq!(
            read(r#"{"id":"1","type":"next","payload":{"data":{"n":1}}}"#),
            Ok(ServerMessage::Next(Bytes::from("{\"data\":{\"n\":1}}\n")))
        );
        assert_eq!(
            read(r#"{"id":"2","type":"next","payload":{}}"#),
            Ok(ServerMessage::Other)
        );
        assert_eq!(
            read(r#"{"id":"1","type":"complete"}"#),
            Ok(ServerMessage::Complete)
        );
        assert!(read(r#"{"type":"start"}"#).unwrap_err().contains("`start`"));
        assert!(read("nope").is_err());
        let payload = Bytes::from(r#"{"query":"subscription { n }"}"#);
        let message: serde_json::Value =
            serde_json::from_str(&subscribe(&payload).unwrap()).unwrap();
        assert_eq!(
            message,
            serde_json::json!({"id": "1", "type": "subscribe", "payload": {"query": "subscription { n }"}})
        );
    }

    #[test]
    fn a_subscription_is_known_by_its_first_word() {
        assert!(is_subscription("# ticks\nsubscription Ticks { tick }"));
        assert!(is_subscription("subscription{tick}"));
        assert!(!is_subscription("query { subscription }"));
        assert!(!is_subscription("{ tick }"));
    }
}
