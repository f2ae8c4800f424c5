"""The layout check: at the end of every beat, no two text or math objects overlap and none leaves
the frame's safe area. ``LessonScene`` records a :class:`Snapshot` per beat; tests assert
:func:`problems` is empty for every scene, so a crowded frame fails CI."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import DecimalNumber, MathTex, Mobject, SingleStringMathTex, Tex, Text

from mlv.scenes import style

TEXT_TYPES = (Text, MathTex, SingleStringMathTex, Tex, DecimalNumber)
OVERLAP_TOLERANCE = 0.02     # scene units: glyph boxes may touch, not overlap


@dataclass(frozen=True)
class Box:
    label: str
    lo: np.ndarray      # (x, y) lower-left
    hi: np.ndarray      # (x, y) upper-right


@dataclass(frozen=True)
class Snapshot:
    beat: str
    boxes: tuple[Box, ...]


def _is_text(m: Mobject) -> bool:
    from mlv.scenes.components.readout import LiveNumber

    return isinstance(m, TEXT_TYPES + (LiveNumber,))


def _visible(m: Mobject) -> bool:
    fam = m.family_members_with_points()
    if not fam:
        return False
    return any(max(np.max(f.get_fill_opacity()), np.max(f.get_stroke_opacity())) > 0.05
               for f in fam if hasattr(f, "get_fill_opacity"))


def _label(m: Mobject) -> str:
    for attr in ("text", "tex_string", "number"):
        v = getattr(m, attr, None)
        if v not in (None, ""):
            return f"{type(m).__name__}({str(v)[:40]!r})"
    return type(m).__name__


def text_boxes(mobjects) -> list[Box]:
    """Bounding boxes of the visible text-like mobjects (outermost ones: a MathTex counts once,
    not once per glyph)."""
    out: list[Box] = []

    def walk(m: Mobject) -> None:
        if _is_text(m):
            if _visible(m):
                lo, hi = m.get_corner(np.array([-1, -1, 0])), m.get_corner(np.array([1, 1, 0]))
                out.append(Box(_label(m), lo[:2], hi[:2]))
            return
        for sub in m.submobjects:
            walk(sub)

    for m in mobjects:
        walk(m)
    return out


def problems(snapshot: Snapshot) -> list[str]:
    """What is wrong with one snapshot: boxes leaving the safe area, pairs overlapping."""
    half_w = style.FRAME_WIDTH / 2 - style.SAFE_MARGIN / 2
    half_h = style.FRAME_HEIGHT / 2 - style.SAFE_MARGIN / 2
    out = []
    for b in snapshot.boxes:
        if b.lo[0] < -half_w or b.hi[0] > half_w or b.lo[1] < -half_h or b.hi[1] > half_h:
            out.append(f"[{snapshot.beat}] {b.label} leaves the safe area")
    boxes = snapshot.boxes
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, c = boxes[i], boxes[j]
            overlap = np.minimum(a.hi, c.hi) - np.maximum(a.lo, c.lo)
            if np.all(overlap > OVERLAP_TOLERANCE):
                out.append(f"[{snapshot.beat}] {a.label} overlaps {c.label}")
    return out
