//! Checks of a parsed config, each error naming the file, domain and record.
