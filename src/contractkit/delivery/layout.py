"""Where deliveries are: a deliveries root, one feed's folder, or one delivery folder.

``status`` and ``verify`` are pointed at folders of three kinds, told apart by where the
manifests are::

    <root>/<feed id>/<period>/manifest.json     a deliveries root (what ``ci`` writes)
    <feed>/<period>/manifest.json               one feed's folder
    <delivery>/manifest.json                    one delivery (one feed, one period)

A folder with no manifest at any of these depths is refused: judging it would report every
period as missing when the folder was simply the wrong one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from contractkit.delivery.manifest import MANIFEST_NAME, read_manifest
from contractkit.errors import DeliveryError

__all__ = ["DeliveriesLayout", "locate_deliveries"]


@dataclass(frozen=True)
class DeliveriesLayout:
    """What a folder given to ``status`` holds.

    Attributes:
        root: the deliveries root (``<root>/<feed id>/<period>/``).
        feed: the one feed the folder belongs to (``None`` for a deliveries root).
        feed_dir: that feed's folder of period folders (``None`` for a deliveries root).
        periods: for one delivery folder, its period label and folder (else ``None``: all
            period folders of the feed are read).
    """

    root: Path
    feed: str | None = None
    feed_dir: Path | None = None
    periods: Mapping[str, Path] | None = None


def _is_delivery(folder: Path) -> bool:
    return (folder / MANIFEST_NAME).is_file()


def _feed_of(folders: Sequence[Path], name: str, held: Collection[str]) -> str:
    """The feed id of a feed folder: its name if a contract has it, else its manifests'."""
    if name in held:
        return name
    for folder in folders:
        try:
            return read_manifest(folder).contract_id
        except DeliveryError:
            continue
    return name


def locate_deliveries(root: Path, held: Collection[str]) -> DeliveriesLayout:
    """Tell a deliveries root from a feed's folder and from one delivery folder.

    Args:
        root: an existing folder.
        held: ids of the contracts held (a feed folder named after one is that feed).

    Returns:
        The deliveries root, and the feed (and period) when ``root`` is narrower.

    Raises:
        DeliveryError: no manifest at any depth (the message names the layouts expected).
    """
    if _is_delivery(root):
        try:
            manifest = read_manifest(root)
        except DeliveryError:
            return DeliveriesLayout(root.parent.parent, root.parent.parent.name, root.parent,
                                    {root.name: root})
        return DeliveriesLayout(root.parent.parent, manifest.contract_id, root.parent,
                                {manifest.period: root})
    children = sorted(p for p in root.iterdir() if p.is_dir())
    periods = [p for p in children if _is_delivery(p)]
    if periods:
        return DeliveriesLayout(root.parent, _feed_of(periods, root.name, held), root)
    if any(_is_delivery(q) for p in children for q in p.iterdir() if q.is_dir()):
        return DeliveriesLayout(root)
    raise DeliveryError(
        f"{root}: no delivery manifest found; expected <feed id>/<period>/{MANIFEST_NAME} below "
        f"it (a deliveries root), <period>/{MANIFEST_NAME} (one feed's folder) or {MANIFEST_NAME} "
        "(one delivery)", root)
