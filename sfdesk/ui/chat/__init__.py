"""The Chat panel: its controller (conversations, streaming replies into the store) and, later,
its view."""
