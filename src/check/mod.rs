//! Checks of a compiled stage beyond what the build itself needs: today the
//! ARM limits of each output template file.

mod limits;

pub use limits::{MAX_PARAMETERS, MAX_RESOURCES, MAX_TEMPLATE_BYTES, check_limits, check_written};
