"""Lantern's logic, kept free of discord imports where it can be."""
