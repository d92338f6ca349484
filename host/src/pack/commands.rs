//! The `host pack` and `host trust` commands.

use crate::cli::{PackCommand, TrustCommand};

pub fn pack(_command: PackCommand) -> anyhow::Result<u8> {
    anyhow::bail!("todo")
}

pub fn trust(_command: TrustCommand) -> anyhow::Result<u8> {
    anyhow::bail!("todo")
}
