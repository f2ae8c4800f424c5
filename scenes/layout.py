"""The layout check: what a viewer would see go wrong in a frame, found from the mobjects.

``LessonScene`` records a :class:`Snapshot` at the end of every beat and, when its inputs ask for
``layout_samples``, inside every animation too (at those fractions of its run time: a label that
only collides while the axes morph, or points that fly through the caption on their way, are
caught). Tests assert :func:`problems` is empty for every snapshot of every scene, so a crowded
or broken frame fails CI. What counts as a problem:

- a text or math object (outermost: a ``MathTex`` counts once) leaving the frame's safe area;
- two text objects overlapping (inside an animation only when both are mostly opaque, so a
  cross-fade of one label into another in the same place is not a collision);
- anything drawn, text or not, entering the caption band at the bottom (the caption's own);
- anything drawn leaving the frame.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from manim import DecimalNumber, MathTex, Mobject, SingleStringMathTex, Tex, Text, VMobject

from mlv.scenes import style

TEXT_TYPES = (Text, MathTex, SingleStringMathTex, Tex, DecimalNumber)
OVERLAP_TOLERANCE = 0.02     # scene units: glyph boxes may touch, not overlap
EDGE_TOLERANCE = 0.02        # scene units: a stroke's half width may touch an edge
VISIBLE = 0.05               # an opacity above this is drawn
OPAQUE = 0.6                 # inside an animation, text collides only above this opacity


@dataclass(frozen=True)
class Box:
    label: str
    lo: np.ndarray      # (x, y) lower-left
    hi: np.ndarray      # (x, y) upper-right
    opacity: float = 1.0


@dataclass(frozen=True)
class Snapshot:
    """The boxes of one frame: ``boxes`` (outermost text objects), ``shapes`` (every other
    visible piece with points) and ``caption`` (the beat's caption, if shown). ``during`` is
    empty at the end of a beat and says which animation, how far in, for a frame inside one."""

    beat: str
    boxes: tuple[Box, ...]
    shapes: tuple[Box, ...] = ()
    caption: tuple[Box, ...] = ()
    during: str = ""

    @property
    def where(self) -> str:
        return f"{self.beat}, {self.during}" if self.during else self.beat


def _is_text(m: Mobject) -> bool:
    from mlv.scenes.components.readout import LiveNumber

    return isinstance(m, TEXT_TYPES + (LiveNumber,))


def _opacity(m: Mobject) -> float:
    """The largest fill or stroke opacity of ``m``'s pieces (0 when it has none)."""
    best = 0.0
    for f in m.family_members_with_points():
        if isinstance(f, VMobject):
            best = max(best, float(np.max(f.get_fill_opacity())),
                       float(np.max(f.get_stroke_opacity())))
    return best


def _label(m: Mobject) -> str:
    for attr in ("text", "tex_string", "number"):
        v = getattr(m, attr, None)
        if v not in (None, ""):
            return f"{type(m).__name__}({str(v)[:40]!r})"
    return type(m).__name__


def _box(m: Mobject, label: str, opacity: float) -> Box:
    lo, hi = m.get_corner(np.array([-1, -1, 0])), m.get_corner(np.array([1, 1, 0]))
    return Box(label, lo[:2], hi[:2], opacity)


def text_boxes(mobjects: Iterable[Mobject], skip: Iterable[Mobject] = ()) -> list[Box]:
    """Bounding boxes of the visible text-like mobjects (outermost ones: a MathTex counts once,
    not once per glyph), leaving out ``skip`` and everything inside it."""
    out: list[Box] = []
    skipped = {id(m) for m in skip}

    def walk(m: Mobject) -> None:
        if id(m) in skipped:
            return
        if _is_text(m):
            opacity = _opacity(m)
            if opacity > VISIBLE:
                out.append(_box(m, _label(m), opacity))
            return
        for sub in m.submobjects:
            walk(sub)

    for m in mobjects:
        walk(m)
    return out


def shape_boxes(mobjects: Iterable[Mobject], skip: Iterable[Mobject] = ()) -> list[Box]:
    """Bounding boxes of every visible piece with points that is not inside a text object (a
    dot, a curve, an axis line, a grid line), leaving out ``skip`` and everything inside it."""
    out: list[Box] = []
    skipped = {id(m) for m in skip}

    def walk(m: Mobject) -> None:
        if id(m) in skipped or _is_text(m):
            return
        if isinstance(m, VMobject) and m.has_points():
            opacity = max(float(np.max(m.get_fill_opacity())),
                          float(np.max(m.get_stroke_opacity())) if m.get_stroke_width() else 0.0)
            if opacity > VISIBLE:
                pts = m.points
                out.append(Box(type(m).__name__, pts[:, :2].min(axis=0), pts[:, :2].max(axis=0),
                               opacity))
        for sub in m.submobjects:
            walk(sub)

    for m in mobjects:
        walk(m)
    return out


def _outside(b: Box, half_w: float, half_h: float, tol: float = 0.0) -> bool:
    return bool(b.lo[0] < -half_w - tol or b.hi[0] > half_w + tol
                or b.lo[1] < -half_h - tol or b.hi[1] > half_h + tol)


def problems(snapshot: Snapshot) -> list[str]:
    """What is wrong with one snapshot (see the module docstring), one line each."""
    where = snapshot.where
    half_w = style.FRAME_WIDTH / 2 - style.SAFE_MARGIN / 2
    half_h = style.FRAME_HEIGHT / 2 - style.SAFE_MARGIN / 2
    caption_top = style.CAPTION.top
    out = []
    for b in snapshot.boxes:
        if _outside(b, half_w, half_h):
            out.append(f"[{where}] {b.label} leaves the safe area")
        elif b.lo[1] < caption_top - OVERLAP_TOLERANCE:
            out.append(f"[{where}] {b.label} enters the caption band")
    for b in snapshot.shapes:
        if _outside(b, style.FRAME_WIDTH / 2, style.FRAME_HEIGHT / 2, EDGE_TOLERANCE):
            out.append(f"[{where}] a {b.label} leaves the frame")
        elif b.lo[1] < caption_top - EDGE_TOLERANCE:
            out.append(f"[{where}] a {b.label} enters the caption band")
    boxes = snapshot.boxes + snapshot.caption
    if snapshot.during:
        boxes = tuple(b for b in boxes if b.opacity > OPAQUE)
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, c = boxes[i], boxes[j]
            overlap = np.minimum(a.hi, c.hi) - np.maximum(a.lo, c.lo)
            if np.all(overlap > OVERLAP_TOLERANCE):
                out.append(f"[{where}] {a.label} overlaps {c.label}")
    return out
