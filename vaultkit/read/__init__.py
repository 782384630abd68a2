"""Reading stage: files on disk -> parsed notes (no meaning yet)."""
