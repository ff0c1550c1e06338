"""Job → Layout: blocks placed in the format's areas by their types' own placement (blocks/), stacks
resized, clip frames laid out, and the preflight rules checked on the result. Never imports a renderer,
the engine or delivery."""
