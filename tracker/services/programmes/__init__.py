"""Programmes: their key facts, team, stage, status updates, returns, history and overview."""
