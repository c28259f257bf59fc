//! A CloudFormation endpoint on loopback that answers from a script: each action has a queue
//! of replies; the last reply of a queue repeats. Every call is recorded, so a test can check
//! what the client sent. An action without a script gets a 400 `UnscriptedAction` error,
//! which makes the test fail loudly. JSON-protocol services (ECS) are answered on the same
//! port: their action is the `X-Amz-Target` header's operation, and their replies are JSON
//! ([`Reply::json`]).

use std::collections::{HashMap, VecDeque};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use crate::http;
use crate::xml;

/// One scripted answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The body: XML, or JSON for JSON-protocol services.
    pub body: String,
    /// The content type.
    pub content_type: &'static str,
}

impl Reply {
    /// A 200 answer with the XML `body`.
    pub fn ok(body: String) -> Self {
        Self {
            status: 200,
            body,
            content_type: "text/xml",
        }
    }

    /// A 200 answer of a JSON-protocol service (ECS) with `body`.
    pub fn json(body: serde_json::Value) -> Self {
        Self {
            status: 200,
            body: body.to_string(),
            content_type: "application/x-amz-json-1.1",
        }
    }

    /// An error answer of a JSON-protocol service (`ServiceNotFoundException`, ...).
    pub fn json_error(status: u16, code: &str, message: &str) -> Self {
        Self {
            status,
            body: serde_json::json!({"__type": code, "message": message}).to_string(),
            content_type: "application/x-amz-json-1.1",
        }
    }

    /// A CloudFormation error answer (`ValidationError`, `Throttling`, ...).
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        Self {
            status,
            body: xml::error(code, message),
            content_type: "text/xml",
        }
    }
}

/// One request the endpoint received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// The `Action` parameter.
    pub action: String,
    /// Every form parameter.
    pub params: Vec<(String, String)>,
}

impl Call {
    /// The value of parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

type Script = HashMap<String, VecDeque<Reply>>;

/// The action a request asks for and its parameters: a JSON-protocol operation (from
/// `X-Amz-Target`) with its `Body`, a CloudFormation form's `Action`, or for S3's
/// `PUT /bucket/key` (path style), `PutObject` with the `Path` (without the query).
fn action_of(request: &http::Request) -> (String, Vec<(String, String)>) {
    if let Some(target) = &request.target {
        let operation = target.rsplit('.').next().unwrap_or_default().to_owned();
        let body = String::from_utf8_lossy(&request.body).into_owned();
        return (operation, vec![("Body".to_owned(), body)]);
    }
    if request.method == "PUT" {
        let path = request.path.split('?').next().unwrap_or_default();
        let params = vec![("Path".to_owned(), path.to_owned())];
        return ("PutObject".to_owned(), params);
    }
    let params = http::form_pairs(&request.body);
    let action = params
        .iter()
        .find(|(key, _)| key == "Action")
        .map(|(_, value)| value.clone())
        .unwrap_or_default();
    (action, params)
}

/// The scripted endpoint; it serves until the test process ends.
#[derive(Debug)]
pub struct ScriptedEndpoint {
    port: u16,
    script: Arc<Mutex<Script>>,
    calls: Arc<Mutex<Vec<Call>>>,
}

impl ScriptedEndpoint {
    /// Starts serving on a free loopback port.
    pub fn start() -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("a free loopback port");
        let port = listener.local_addr().expect("bound address").port();
        let script: Arc<Mutex<Script>> = Arc::default();
        let calls: Arc<Mutex<Vec<Call>>> = Arc::default();
        let (thread_script, thread_calls) = (script.clone(), calls.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let Ok(request) = http::read_request(&mut stream) else {
                    continue;
                };
                let (action, params) = action_of(&request);
                let reply = {
                    let mut script = thread_script.lock().unwrap_or_else(|p| p.into_inner());
                    match script.get_mut(&action) {
                        Some(queue) if queue.len() > 1 => queue.pop_front(),
                        Some(queue) => queue.front().cloned(),
                        None => None,
                    }
                }
                .unwrap_or_else(|| {
                    Reply::error(
                        400,
                        "UnscriptedAction",
                        &format!("no reply scripted for {action}"),
                    )
                });
                thread_calls
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(Call { action, params });
                let _ = http::write_response(
                    &mut stream,
                    reply.status,
                    reply.content_type,
                    &reply.body,
                );
            }
        });
        Self {
            port,
            script,
            calls,
        }
    }

    /// The endpoint URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Queues replies for `action` (the last one repeats once the others are used).
    pub fn script(&self, action: &str, replies: impl IntoIterator<Item = Reply>) -> &Self {
        self.script
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(action.to_owned())
            .or_default()
            .extend(replies);
        self
    }

    /// Every call so far, in order.
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The actions called so far, in order.
    pub fn actions(&self) -> Vec<String> {
        self.calls().into_iter().map(|call| call.action).collect()
    }
}
