"""Use cases: fetch, check, call the domain, commit. The only layer that commits."""
