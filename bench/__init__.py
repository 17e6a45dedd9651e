"""Benchmarks: each runs with one command and prints its figures against the limit it targets."""
