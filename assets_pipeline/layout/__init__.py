"""Job → Layout: blocks placed in the safe area, text fitted with its line gap, stacks resized, clip frames
laid out, and the preflight rules checked on the result. Never imports a renderer, the engine or delivery."""
