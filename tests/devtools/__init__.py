"""Tests of the demo and its tools."""
