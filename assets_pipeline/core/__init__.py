"""Shared ground every stage stands on: errors (`file:line: message`), limits, Vietnamese text rules,
colour, fonts, QR codes, boxes, the base of spec models. Imports nothing else of the package."""
