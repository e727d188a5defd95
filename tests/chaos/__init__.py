"""The fault-injection suite (`make chaos`): a stack of its own, load, one fault at a time."""
