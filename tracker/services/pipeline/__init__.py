"""The prioritised pipeline: scores, the council's weights and envelope, the ranked page and scenarios."""
