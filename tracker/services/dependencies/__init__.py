"""Dependencies between programmes: what a milestone waits for in other programmes, and whom it holds up."""
