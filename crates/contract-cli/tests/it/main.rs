//! Integration tests of the `contract` library and binary.

mod cli;
mod client_kit;
