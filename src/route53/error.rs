//! Errors of Route 53 requests, with AWS's Code, Message, HTTP status and request id.

use std::fmt;

#[derive(Debug)]
pub enum ApiError {
    Todo,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for ApiError {}
