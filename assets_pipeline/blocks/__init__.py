"""Stage between core and the specs: the block types a design places, behind one registry.

Each type is one module: its spec model, what it checks and resolves, how it is placed, and how its
item draws itself with a medium's pen (base.py). Adding a block type is one module and one line here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import Field

from assets_pipeline.blocks import image, qr, rect, stack, text
from assets_pipeline.blocks.base import BlockType

BLOCK_TYPES: dict[str, BlockType] = {module.BLOCK.name: module.BLOCK for module in (rect, text, image, qr, stack)}

# what a design's `blocks:` may hold, told apart by `type`
if TYPE_CHECKING:  # a type checker cannot read a union built at run time: to it, any block model
    Block = Any
else:
    Block = Annotated[Union[tuple(block_type.model for block_type in BLOCK_TYPES.values())],  # noqa: UP007 (built from the registry at run time)
                      Field(discriminator="type")]
stack.StackBlock.model_rebuild(_types_namespace={"Block": Block})
