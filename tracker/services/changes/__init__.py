"""Change requests: raising, withdrawing and deciding them, and reading them for the pages."""
