"""Specs → Jobs: each design × unit × variant × format with every text, colour and file resolved, and a
video design's clip with its frame-exact timeline."""
