"""A local stand-in for Discord: REST, gateway and a driver API for tests."""
