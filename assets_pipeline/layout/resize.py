"""Magic resize: one design at every size, by dropping blocks instead of shrinking text.

Each text has a minimum size (9 px by default on screen). When a format is too small for every
block at its minimum, the build leaves out blocks that have a `priority`, lowest first, and says
which. Inside a `stack` the survivors take over the space of the blocks that dropped, so at
320 × 50 the slogan gets the whole banner once the badge and the unit's name have gone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from assets_pipeline.blocks import BLOCK_TYPES
from assets_pipeline.blocks.base import ResolvedBlock
from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.geometry import Box
from assets_pipeline.layout.items import Item
from assets_pipeline.layout.place import block_box, place_block
from assets_pipeline.plan.jobs import Job


class _Misfit(Exception):
    def __init__(self, error: SpecError, block: ResolvedBlock, root: ResolvedBlock):
        super().__init__(str(error))
        self.error, self.block, self.root = error, block, root


def member_box(slot: Box, block: ResolvedBlock) -> Box:
    """A member's `box` is a fraction of its slot in the stack."""
    x, y, w, h = block.box
    return Box(slot.x + x * slot.width, slot.y + y * slot.height,
               min(w, 1 - x) * slot.width, min(h, 1 - y) * slot.height)


def stack_slots(stack: ResolvedBlock, box: Box, alive: list[ResolvedBlock]) -> list[tuple[ResolvedBlock, Box]]:
    """Share the stack's length between the members still in it, in order, `gap` apart."""
    if not alive:
        return []
    shares = {id(m): s for m, s in zip(stack.members, stack.shares)}
    column = stack.direction == "column"
    length = box.height if column else box.width
    gap = stack.gap * length
    available = length - gap * (len(alive) - 1)
    total = sum(shares[id(m)] for m in alive)
    slots = []
    position = box.y if column else box.x
    for member in alive:
        size = available * shares[id(member)] / total
        slot = Box(box.x, position, box.width, size) if column else Box(position, box.y, size, box.height)
        slots.append((member, member_box(slot, member)))
        position += size + gap
    return slots


def _place_one(job: Job, block: ResolvedBlock, box: Box, dropped: set[int], root: ResolvedBlock,
               items: list[Item]) -> None:
    """A block, or a container's (a stack's) living members in their slots; a misfit names the top-level block."""
    if BLOCK_TYPES[block.kind].place is not None:
        try:
            items.append(place_block(job, block, box))
        except SpecError as exc:
            raise _Misfit(exc, block, root) from None
        return
    alive = [m for m in block.members if id(m) not in dropped]
    for member, area in stack_slots(block, box, alive):
        _place_one(job, member, area, dropped, root, items)


def _place(job: Job, dropped: set[int]) -> list[Item]:
    items: list[Item] = []
    for block in job.blocks:
        if id(block) not in dropped:
            _place_one(job, block, block_box(job, block), dropped, block, items)
    return items


def _still_in(block: ResolvedBlock, dropped: set[int]) -> Iterator[ResolvedBlock]:
    """The block and everything in it that has not dropped out."""
    if id(block) in dropped:
        return
    yield block
    for member in block.members:
        yield from _still_in(member, dropped)


def place_blocks(job: Job) -> tuple[list[Item], list[str]]:
    """Every block that fits, and the labels of those dropped, in the order they dropped.

    When a block does not fit, the candidates are the blocks whose space it could take over: the
    blocks of its outermost stack (itself included), or itself alone outside a stack. The one with
    the lowest priority goes (on a tie, the later one); without candidates the misfit is the
    user's error to fix.
    """
    dropped: set[int] = set()
    labels: list[str] = []
    while True:
        try:
            return _place(job, dropped), labels
        except _Misfit as misfit:
            candidates = [b for b in _still_in(misfit.root, dropped) if b.priority is not None]
            if not candidates:
                raise misfit.error from None
            victim = min(reversed(candidates), key=lambda b: cast(int, b.priority))
            dropped.add(id(victim))
            labels.append(victim.label)
