"""The spec files (YAML with line numbers) as validated models: campaign, units, formats, designs,
procedures; loaded, cross-checked, every problem reported as `file:line: message`. Imports only `core`."""
