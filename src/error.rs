//! The top-level error of a run and the exit code it maps to.
