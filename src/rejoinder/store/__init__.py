"""Tables, queries and migrations: the only place that writes SQL."""
