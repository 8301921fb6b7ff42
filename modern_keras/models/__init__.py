"""One module per model key, each the twin of legacy_tf1.models.<key>."""
