"""The sample site and discussion `rejoinder demo` starts with."""
