"""A local stand-in for Discord that an unmodified discord.py client connects to.

Request bodies are checked against Discord's OpenAPI description, found at the path in the environment
variable DISCORD_STANDIN_SPEC, else beside the project (see `discord_standin.spec`); without it the
sandbox says that validation is off (`Sandbox.validation_off`).
"""
