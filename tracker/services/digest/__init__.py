"""The weekly risk digest: what it says, whom it goes to, and the record of what was sent."""
