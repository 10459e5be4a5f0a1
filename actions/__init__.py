"""Custom actions: turn a dialogue into facts, call `knowledge`, render the result."""
