//! API errors: a stable string `code`, the HTTP status that goes with it, and a message naming
//! the offending input (parameter, value and list index where there is one).
//!
//! Bad input is 4xx; 5xx is reserved for limits on the server's side (`Overloaded`, `Timeout`)
//! and bugs (`Internal`).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use corridor_model::LookupError;
use corridor_routing::{AccessError, QueryError, ResolveError};
use corridor_search::{Interrupt, NoRouteReason, RouteError};
use serde::Serialize;
use utoipa::ToSchema;

/// The stable machine-readable error codes. Clients branch on these, never on messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub enum ErrorCode {
    /// The request is malformed: a missing or unknown parameter, a parameter given twice,
    /// unparseable JSON, a wrong content type.
    InvalidQuery,
    /// A parameter has a value that is not allowed (not a number, out of range, unknown mode,
    /// country, corridor or border).
    InvalidValue,
    /// A place name matches no location of the network and no place of the place index;
    /// `suggestions` lists the closest spellings.
    UnknownLocation,
    /// A place name matches several locations of the network; `suggestions` lists them.
    AmbiguousLocation,
    /// The place is known but is not a location of the corridor network, and the parameter
    /// takes only those (`avoid_location`, `/v1/table`'s `sources` and `targets`);
    /// `suggestions` lists the nearest locations of the network (their great-circle km are in
    /// the message).
    OutsideNetwork,
    /// The origin or destination is a place outside the corridor network and no terminal can
    /// be reached from it by an estimated truck leg (none within the dataset's `[access]
    /// max_km` over land borders open to trucks, or the dataset has no `[access]` figures);
    /// `suggestions` lists the nearest terminals regardless of reach (their great-circle km
    /// are in the message).
    NoAccess,
    /// Origin and destination are the same location.
    SameLocation,
    /// The origin or destination is itself excluded by an avoid constraint.
    EndpointExcluded,
    /// No route exists; `reason` says why (constraints, corridor, break of gauge,
    /// disconnected).
    NoRoute,
    /// A coordinate is too far from anything: on the OSRM endpoints, farther than the snap
    /// limit from every location; on `/v1`, with no known place within 150 km to tell its
    /// country (at sea?).
    NoSegment,
    /// The request exceeds a size limit (body bytes, locations, list entries).
    TooBig,
    /// An API key is configured and the request did not carry it.
    Unauthorized,
    /// Too many requests are being worked on; retry after `Retry-After` seconds.
    Overloaded,
    /// The request did not finish within the server's time budget (its search is stopped, not
    /// left running).
    Timeout,
    /// A search reached the server's work limit (labels of one multi-criteria search): the
    /// request asks for more than the server does for one client; narrow it (fewer
    /// constraints, no departure time) or run it from the CLI.
    TooComplex,
    /// No such endpoint.
    NotFound,
    /// The endpoint exists but not for this HTTP method.
    MethodNotAllowed,
    /// A dataset reload was rejected; the previous dataset keeps serving. `diagnostics` lists
    /// the problems.
    InvalidDataset,
    /// `/v1/assign` cannot run on the served dataset: the embedded capacity or demand tables
    /// do not fit it (a reloaded custom dataset; `diagnostics` lists why), or the assignment
    /// failed.
    AssignmentUnavailable,
    /// A bug in the server.
    Internal,
}

impl ErrorCode {
    /// The code as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidQuery => "InvalidQuery",
            ErrorCode::InvalidValue => "InvalidValue",
            ErrorCode::UnknownLocation => "UnknownLocation",
            ErrorCode::AmbiguousLocation => "AmbiguousLocation",
            ErrorCode::OutsideNetwork => "OutsideNetwork",
            ErrorCode::NoAccess => "NoAccess",
            ErrorCode::SameLocation => "SameLocation",
            ErrorCode::EndpointExcluded => "EndpointExcluded",
            ErrorCode::NoRoute => "NoRoute",
            ErrorCode::NoSegment => "NoSegment",
            ErrorCode::TooBig => "TooBig",
            ErrorCode::Unauthorized => "Unauthorized",
            ErrorCode::Overloaded => "Overloaded",
            ErrorCode::Timeout => "Timeout",
            ErrorCode::TooComplex => "TooComplex",
            ErrorCode::NotFound => "NotFound",
            ErrorCode::MethodNotAllowed => "MethodNotAllowed",
            ErrorCode::InvalidDataset => "InvalidDataset",
            ErrorCode::AssignmentUnavailable => "AssignmentUnavailable",
            ErrorCode::Internal => "Internal",
        }
    }

    /// The HTTP status of the code on the `/v1` API. (The OSRM endpoints answer 400 for every
    /// input error, as OSRM does.)
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::InvalidQuery
            | ErrorCode::InvalidValue
            | ErrorCode::UnknownLocation
            | ErrorCode::AmbiguousLocation
            | ErrorCode::OutsideNetwork
            | ErrorCode::SameLocation
            | ErrorCode::EndpointExcluded
            | ErrorCode::NoSegment
            | ErrorCode::TooBig => StatusCode::BAD_REQUEST,
            ErrorCode::NoRoute
            | ErrorCode::NoAccess
            | ErrorCode::TooComplex
            | ErrorCode::InvalidDataset
            | ErrorCode::AssignmentUnavailable => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Timeout => StatusCode::GATEWAY_TIMEOUT,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// All codes, for documentation and tests.
    pub const ALL: [ErrorCode; 20] = [
        ErrorCode::InvalidQuery,
        ErrorCode::InvalidValue,
        ErrorCode::UnknownLocation,
        ErrorCode::AmbiguousLocation,
        ErrorCode::OutsideNetwork,
        ErrorCode::NoAccess,
        ErrorCode::SameLocation,
        ErrorCode::EndpointExcluded,
        ErrorCode::NoRoute,
        ErrorCode::NoSegment,
        ErrorCode::TooBig,
        ErrorCode::Unauthorized,
        ErrorCode::Overloaded,
        ErrorCode::Timeout,
        ErrorCode::TooComplex,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::InvalidDataset,
        ErrorCode::AssignmentUnavailable,
        ErrorCode::Internal,
    ];
}

/// One dataset problem in a rejected reload.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct DiagnosticBody {
    /// `error` or `warning`.
    pub severity: String,
    /// File within the dataset.
    pub file: String,
    /// 1-based line, where the problem is on one line.
    pub line: Option<usize>,
    /// Column or key, where the problem is in one field.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl DiagnosticBody {
    /// The wire form of a loader diagnostic.
    pub fn new(d: &corridor_io::Diagnostic) -> Self {
        DiagnosticBody {
            severity: match d.severity {
                corridor_io::Severity::Error => "error".into(),
                corridor_io::Severity::Warning => "warning".into(),
            },
            file: d.file.clone(),
            line: d.line,
            field: d.field.clone(),
            message: d.message.clone(),
        }
    }
}

/// The JSON body of every error response.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable error code.
    pub code: ErrorCode,
    /// What went wrong, naming the offending input.
    pub message: String,
    /// The offending parameter (`from`, `avoid_location`, `coordinates`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// The offending value as given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// 0-based index of the offending entry of a list parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// Close matches for an unknown or ambiguous location, as "Name (ID, CC)" (the ID is a
    /// valid value of the parameter); for `OutsideNetwork` and `NoAccess`, the nearest
    /// locations or terminals, the same way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestions: Option<Vec<String>>,
    /// Why there is no route (`NoRoute` only), human-readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Why there is no route, machine-readable: `constraints`, `outside_corridor`,
    /// `break_of_gauge`, `disconnected`, `too_late`, `no_departure` or `resources`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_kind: Option<String>,
    /// Dataset problems (`InvalidDataset`, `AssignmentUnavailable`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<Vec<DiagnosticBody>>,
}

/// An error response: a [`ErrorBody`] with its HTTP status and headers.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// The JSON body (boxed: errors travel through many `Result`s and should stay small).
    pub body: Box<ErrorBody>,
    /// `Retry-After` seconds, for `Overloaded` and `Timeout`.
    pub retry_after: Option<u32>,
}

impl ApiError {
    /// An error with the code's default status and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            status: code.status(),
            body: Box::new(ErrorBody {
                code,
                message: message.into(),
                parameter: None,
                value: None,
                index: None,
                suggestions: None,
                reason: None,
                reason_kind: None,
                diagnostics: None,
            }),
            retry_after: match code {
                ErrorCode::Overloaded | ErrorCode::Timeout => Some(1),
                _ => None,
            },
        }
    }

    /// `InvalidQuery` naming a parameter.
    pub fn invalid_query(parameter: &str, message: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::InvalidQuery, message).param(parameter)
    }

    /// `InvalidValue` for `parameter=value`; the message is prefixed with both.
    pub fn invalid_value(parameter: &str, value: &str, why: impl std::fmt::Display) -> Self {
        ApiError::new(ErrorCode::InvalidValue, format!("{parameter}={value}: {why}")).param(parameter).value(value)
    }

    /// Sets the offending parameter.
    pub fn param(mut self, parameter: &str) -> Self {
        self.body.parameter = Some(parameter.to_string());
        self
    }

    /// Sets the offending value, cut to its first [`MAX_ECHO_CHARS`] characters (a 60 KB
    /// place name is not sent back whole) with "…" marking the cut.
    pub fn value(mut self, value: &str) -> Self {
        self.body.value = Some(match value.char_indices().nth(MAX_ECHO_CHARS) {
            Some((at, _)) => format!("{}…", &value[..at]),
            None => value.to_string(),
        });
        self
    }

    /// Sets the index of the offending list entry.
    pub fn index(mut self, index: usize) -> Self {
        self.body.index = Some(index);
        self
    }

    /// Overrides the HTTP status (the OSRM endpoints answer 400 for all input errors).
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// A location lookup failure for `parameter` (entry `index` of a list parameter).
    pub fn lookup(e: LookupError, parameter: &str, index: Option<usize>) -> Self {
        let name = match index {
            Some(i) => format!("{parameter}[{i}]"),
            None => parameter.to_string(),
        };
        let (code, query, suggestions) = match &e {
            LookupError::Unknown { query, suggestions } => (ErrorCode::UnknownLocation, query, suggestions),
            LookupError::Ambiguous { query, candidates } => (ErrorCode::AmbiguousLocation, query, candidates),
        };
        let mut err = ApiError::new(code, format!("{name}: {e}")).param(parameter).value(query);
        err.body.index = index;
        err.body.suggestions = Some(suggestions.clone());
        err
    }

    /// A place that could not be resolved, for `parameter` (entry `index` of a list parameter;
    /// `value` is what was given).
    pub fn resolve(e: &ResolveError, parameter: &str, index: Option<usize>, value: &str) -> Self {
        let name = match index {
            Some(i) => format!("{parameter}[{i}]"),
            None => parameter.to_string(),
        };
        let (code, suggestions) = match e {
            ResolveError::Query(_) => (ErrorCode::InvalidValue, None),
            ResolveError::Unknown { suggestions, .. } => (ErrorCode::UnknownLocation, Some(suggestions)),
            ResolveError::Ambiguous { candidates, .. } => (ErrorCode::AmbiguousLocation, Some(candidates)),
            ResolveError::Nowhere { .. } => (ErrorCode::NoSegment, None),
        };
        let mut err = ApiError::new(code, format!("{name}: {e}")).param(parameter).value(value);
        err.body.index = index;
        err.body.suggestions = suggestions.cloned();
        err
    }

    /// A route query ([`corridor_routing::Query`]) that cannot run as given: `InvalidValue`
    /// when the value is bad (malformed, out of range, naming nothing the network knows),
    /// `InvalidQuery` when the parameter cannot be given (or not without another). The message
    /// is the query's own in the API's spelling (`avoid_country[1] RUS: expected ...`), and the
    /// parameter, value and list index are set.
    pub fn query(e: &QueryError) -> Self {
        let code = if e.refused { ErrorCode::InvalidQuery } else { ErrorCode::InvalidValue };
        let mut err = ApiError::new(code, e.api()).param(e.param.api_name());
        if !e.refused {
            err = err.value(&e.value);
        }
        err.body.index = e.index;
        err
    }

    /// A place outside the network given to `parameter`, which takes locations of the network
    /// only; `nearest` are the nearest locations as "Name (ID, CC) 123 km" (the suggestions
    /// drop the km).
    pub fn outside_network(
        parameter: &str,
        index: Option<usize>,
        value: &str,
        place: &str,
        nearest: Vec<String>,
    ) -> Self {
        let name = match index {
            Some(i) => format!("{parameter}[{i}]"),
            None => parameter.to_string(),
        };
        let mut err = ApiError::new(
            ErrorCode::OutsideNetwork,
            format!(
                "{name}: {place} is not a location of the corridor network, and {parameter} takes only those (nearest: {})",
                nearest.join(", ")
            ),
        )
        .param(parameter)
        .value(value);
        err.body.index = index;
        err.body.suggestions = Some(nearest.iter().map(|s| without_km(s)).collect());
        err
    }

    /// A place of `parameter` (`from` or `to`, given as `value`) that cannot be joined to the
    /// network.
    pub fn access(e: &AccessError, parameter: &str, value: &str) -> Self {
        match e {
            AccessError::Same(_) => ApiError::new(ErrorCode::SameLocation, e.to_string()),
            AccessError::NoFigures { .. } => {
                ApiError::new(ErrorCode::NoAccess, format!("{parameter}: {e}")).param(parameter).value(value)
            }
            AccessError::NoTerminal { nearest, .. } => {
                let mut err =
                    ApiError::new(ErrorCode::NoAccess, format!("{parameter}: {e}")).param(parameter).value(value);
                err.body.suggestions = Some(nearest.iter().map(|s| without_km(s)).collect());
                err
            }
        }
    }

    /// The error of a failed route search.
    pub fn route(e: &RouteError) -> Self {
        match e {
            RouteError::SameLocation(_) => ApiError::new(ErrorCode::SameLocation, e.to_string()),
            RouteError::EndpointExcluded { .. } => ApiError::new(ErrorCode::EndpointExcluded, e.to_string()),
            RouteError::InvalidRequest(_) => ApiError::new(ErrorCode::InvalidValue, e.to_string()),
            RouteError::Interrupted(Interrupt::Deadline) => ApiError::new(ErrorCode::Timeout, e.to_string()),
            RouteError::Interrupted(Interrupt::Labels(_)) => ApiError::new(ErrorCode::TooComplex, e.to_string()),
            RouteError::NoRoute { reason, reason_text, .. } => {
                let mut err = ApiError::new(ErrorCode::NoRoute, e.to_string());
                err.body.reason = Some(reason_text.clone());
                err.body.reason_kind = Some(reason_kind(reason).to_string());
                err
            }
        }
    }

    /// A bug: logged, and answered with 500 `Internal` without internal details.
    pub fn internal(what: impl std::fmt::Display) -> Self {
        tracing::error!(error = %what, "internal error");
        ApiError::new(ErrorCode::Internal, "internal server error (logged); please report it")
    }
}

/// "Name (ID, CC)" of "Name (ID, CC) 123 km", so that a suggestion is a valid place.
fn without_km(s: &str) -> String {
    match s.strip_suffix(" km").and_then(|r| r.rsplit_once(' ')) {
        Some((label, km)) if km.parse::<f64>().is_ok() => label.to_string(),
        _ => s.to_string(),
    }
}

/// Most characters of an offending value an error echoes back.
pub const MAX_ECHO_CHARS: usize = 200;

/// The machine-readable name of a no-route reason.
pub fn reason_kind(reason: &NoRouteReason) -> &'static str {
    match reason {
        NoRouteReason::Constraints { .. } => "constraints",
        NoRouteReason::OutsideCorridor => "outside_corridor",
        NoRouteReason::BreakOfGauge { .. } => "break_of_gauge",
        NoRouteReason::Disconnected => "disconnected",
        NoRouteReason::TooLate { .. } => "too_late",
        NoRouteReason::NoDeparture => "no_departure",
        NoRouteReason::Resources => "resources",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status, Json(*self.body)).into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}
