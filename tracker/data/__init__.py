"""Data files shipped with the app (read with importlib.resources, so an installed copy finds them)."""
