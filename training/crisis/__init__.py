"""The crisis-language corpus, and the training and export of the model that ships in bot/data/safety."""
