"""Stage between core and the specs: the block types a design places, behind one registry.

Each type is one module: its spec model, what it checks and resolves, how it is placed, how its item
draws itself with a medium's pen, the preflight rules its item holds itself to, and the files its
content key covers (base.py). Adding a block type is one module and one line here, or, from outside
the package, one call of `register_block_type`.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import BaseModel, Field

from assets_pipeline.blocks import chart, figure, image, qr, rect, ring, stack, text
from assets_pipeline.blocks.base import BlockType

BLOCK_TYPES: dict[str, BlockType] = {module.BLOCK.name: module.BLOCK for module in (rect, ring, text, image, qr, stack,
                                                                                     figure, chart)}

# what a design's `blocks:` may hold, told apart by `type`
if TYPE_CHECKING:  # a type checker cannot read a union built at run time: to it, any block model
    Block = Any
else:
    class Block:
        """Any registered block type's model, told apart by `type`: the union is made of the registry as it
        is when a model holding blocks is built, and `register_block_type` builds those models again."""

        @classmethod
        def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
            models = tuple(block_type.model for block_type in BLOCK_TYPES.values())
            return handler(Annotated[Union[models], Field(discriminator="type")])  # noqa: UP007 (built at run time)

# the models whose fields hold blocks, innermost first: built again when the registry changes
_HOLDERS: list[type[BaseModel]] = [stack.StackBlock]
stack.StackBlock.model_rebuild(_types_namespace={"Block": Block})


def holds_blocks(*models: type[BaseModel]) -> None:
    """Models (outer after inner) that hold blocks: built again whenever a block type is registered."""
    _HOLDERS.extend(models)


def register_block_type(block_type: BlockType | ModuleType) -> BlockType:
    """Add a block type at run time (a module with a `BLOCK`, or the BlockType itself): designs may use
    it from now on, in stacks too."""
    found = block_type.BLOCK if isinstance(block_type, ModuleType) else block_type
    if not isinstance(found, BlockType):
        raise TypeError(f"not a block type: {found!r}")
    if found.name in BLOCK_TYPES:
        raise ValueError(f"block type {found.name!r} is registered already")
    BLOCK_TYPES[found.name] = found
    _rebuild()
    return found


def unregister_block_type(name: str) -> None:
    """Take a block type out of the registry again (the end of a test that added one)."""
    if BLOCK_TYPES.pop(name, None) is not None:
        _rebuild()


def _rebuild() -> None:
    for model in _HOLDERS:
        model.model_rebuild(force=True)
