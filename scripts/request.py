"""A render request: which scene, with which parameters, at which quality and voice, where.

The CLI builds one :class:`RenderRequest` per scene, once (from ``mlv render ID --set ...``, a
chapter of the catalog, or a course manifest), and everything downstream reads it: the pipeline
names the scene's files after it (:attr:`RenderRequest.name`) and keys its cache on it, the
worker process gets it as JSON on its command line (:meth:`RenderRequest.to_json`), and a Dask
worker gets the same JSON. The worker turns it into the scene's
:class:`~mlv.scenes.script.SceneInputs` (:meth:`RenderRequest.inputs`) and builds the scene as
``Scene(inputs=...)``: no environment variable carries any of it.

This module imports nothing heavy (no manim).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlv.scenes.catalog import SceneEntry
from mlv.scenes.narration import VOICES
from mlv.scenes.params import file_suffix, overrides, resolve
from mlv.scripts.renders import QUALITIES, Renders

if TYPE_CHECKING:
    from mlv.scenes.script import SceneInputs


@dataclass(frozen=True)
class RenderRequest:
    """One scene to render.

    Attributes
    ----------
    entry : SceneEntry
        The scene: its catalog entry (id, the module and class that draw it, its title, which is
        the chapter marker's in stitched videos and may come from a manifest), with the typed
        parameter overrides in ``entry.params`` (only values that differ from the defaults,
        sorted; validated when the request is made).
    quality : str
        One of :data:`~mlv.scripts.renders.QUALITIES`.
    voice : str
        One of :data:`~mlv.scenes.narration.VOICES`.
    renders : Path
        The renders folder the scene is rendered for (its layout: :attr:`layout`).
    """

    entry: SceneEntry
    quality: str
    voice: str
    renders: Path = field(default_factory=lambda: Renders.default().root)

    def __post_init__(self) -> None:
        if self.quality not in QUALITIES:
            raise ValueError(f"unknown quality {self.quality!r}; choose one of: "
                             f"{', '.join(QUALITIES)}")
        if self.voice not in VOICES:
            raise ValueError(f"unknown voice {self.voice!r}; choose one of: {', '.join(VOICES)}")
        # validated and canonical: typed values, only those that differ from the defaults
        full = resolve(self.entry.id, self.entry.params)
        object.__setattr__(self, "entry", replace(self.entry,
                                                  params=overrides(self.entry.id, full)))
        object.__setattr__(self, "renders", Path(self.renders))

    @classmethod
    def of(cls, entries: Iterable[SceneEntry], quality: str, voice: str,
           renders: str | Path | Renders) -> list[RenderRequest]:
        """One request per entry, all for the same quality, voice and renders folder."""
        root = renders.root if isinstance(renders, Renders) else Path(renders)
        return [cls(e, quality, voice, root) for e in entries]

    # ------------------------------------------------------------------------------- the scene
    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def params(self) -> dict[str, Any]:
        """The parameter overrides (values that differ from the scene's defaults)."""
        return dict(self.entry.params)

    @property
    def full_params(self) -> dict[str, Any]:
        """The scene's full parameter set: its defaults updated with :attr:`params`."""
        return resolve(self.entry.id, self.entry.params)

    @property
    def name(self) -> str:
        """The render's name, which its files are named after: the id, plus the parameter
        overrides (``optimizers--lr=0.1``). Quality and voice are not in it: each quality has
        its own folder, and a render with another voice replaces the one before."""
        return self.entry.id + file_suffix(self.entry.id, self.entry.params)

    @property
    def title(self) -> str:
        return self.entry.title

    @property
    def layout(self) -> Renders:
        return Renders(self.renders)

    def inputs(self, audio_dir: Path | None = None, *, mux_audio: bool = False) -> SceneInputs:
        """What the scene is built from: its full parameter set and the voice, whose audio is
        cached in ``audio_dir`` (by default the renders folder's audio cache). The worker builds
        the narration track itself from the timeline, so manim does not mux audio."""
        from mlv.scenes.script import SceneInputs

        return SceneInputs(params=self.full_params, voice=self.voice,
                           audio_dir=(audio_dir or self.layout.audio).resolve(),
                           mux_audio=mux_audio)

    # ----------------------------------------------------------------------------------- files
    @property
    def video(self) -> Path:
        """Where the scene's video is published."""
        return self.layout.scene_video(self.quality, self.name)

    @property
    def record(self) -> Path:
        """Where the scene's record is published (beside its video)."""
        return self.layout.scene_record(self.quality, self.name)

    @property
    def scratch(self) -> Path:
        return self.layout.scratch(self.quality, self.name)

    def staged(self, ext: str) -> Path:
        """A file the worker leaves for its parent to publish (``.mp4``, ``.srt``, ``.vtt``,
        ``.json``)."""
        return self.layout.staged(self.quality, self.name, ext)

    @property
    def log(self) -> Path:
        return self.layout.log(self.quality, self.name)

    # ------------------------------------------------------------------------------------ JSON
    def to_json(self) -> str:
        """The request as JSON (what the worker reads from its command line)."""
        return json.dumps({"entry": asdict(self.entry), "quality": self.quality,
                           "voice": self.voice, "renders": str(self.renders)})

    @classmethod
    def from_json(cls, text: str | bytes) -> RenderRequest:
        """The request :meth:`to_json` wrote (validated again: :class:`ValueError` if not)."""
        data = json.loads(text)
        if not isinstance(data, Mapping) or set(data) != {"entry", "quality", "voice",
                                                          "renders"}:
            raise ValueError("a render request has exactly: entry, quality, voice, renders")
        return cls(SceneEntry(**data["entry"]), data["quality"], data["voice"],
                   Path(data["renders"]))

    def elsewhere(self, renders: str | Path) -> RenderRequest:
        """The same scene rendered for another renders folder (a Dask worker's own)."""
        return replace(self, renders=Path(renders))
