"""Feature cogs: one feature each, thin: parse the interaction, call a service, render a reply."""
