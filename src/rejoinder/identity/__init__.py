"""Reader sign-in: per-site identity settings, providers, tokens and reserved names."""
