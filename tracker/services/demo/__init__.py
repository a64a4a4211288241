"""The demo council: its programmes and their history."""
