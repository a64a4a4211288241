"""Capacity to change: service teams, their capacity, and the change days programmes land on them."""
