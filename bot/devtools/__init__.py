"""Lantern's developer tools: the demo community, the test harness and the terminal sandbox."""
