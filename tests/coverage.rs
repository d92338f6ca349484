//! Placeholder until its first test lands.

mod support;
