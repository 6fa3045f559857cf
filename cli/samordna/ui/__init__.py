"""Terminal interaction (prompts). Not imported by the core."""
