"""Accounts: users, sign-in and API tokens."""
