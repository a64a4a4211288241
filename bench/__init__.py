"""Benchmarks: a synthetic council portfolio generator and timings of the risk scan against it."""
