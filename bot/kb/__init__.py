"""The knowledge base: YAML schema, loading with file:line errors, and hot reload."""
