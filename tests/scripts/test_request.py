"""The render request, the renders layout and publishing a scene as a set (no rendering)."""
import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from mlv.scenes import catalog
from mlv.scenes.narration import VOICES
from mlv.scripts import pipeline
from mlv.scripts.media import matches, publish_set
from mlv.scripts.renders import MEDIA_FILES, QUALITIES, UNFINISHED, Renders, is_temporary
from mlv.scripts.request import RenderRequest


def gdi(**params):
    return replace(catalog.by_id("gradient-descent-intuition"), params=tuple(params.items()))


# ----------------------------------------------------------------------------------- request


def test_a_request_keeps_only_the_overrides_typed_and_names_the_render_after_them(tmp_path):
    # steps=12 is the default: dropped; an int given for a float parameter becomes a float
    r = RenderRequest(gdi(lr=1, steps=12), "low", "none", tmp_path)
    assert r.params == {"lr": 1.0} and isinstance(r.params["lr"], float)
    assert r.name == "gradient-descent-intuition--lr=1"
    assert r.full_params == {"lr": 1.0, "theta0": -1.0, "steps": 12}
    assert RenderRequest(gdi(), "low", "none", tmp_path).name == "gradient-descent-intuition"
    assert r.video == tmp_path / "low" / "scenes" / "gradient-descent-intuition--lr=1.mp4"
    assert r.record == r.video.with_suffix(".json")
    assert r.scratch == tmp_path / ".work" / "low" / r.name
    assert r.staged(".mp4") == r.scratch / "out" / f"{r.name}.mp4"


def test_the_scene_inputs_come_from_the_request_alone(tmp_path, monkeypatch):
    for var in ("MLV_PARAMS", "MLV_VOICE", "MLV_AUDIO_DIR", "MLV_SCENE_AUDIO"):
        monkeypatch.setenv(var, "garbage")              # nothing reads these any more
    inputs = RenderRequest(gdi(lr=1.1), "medium", "espeak", tmp_path).inputs()
    assert dict(inputs.params) == {"lr": 1.1, "theta0": -1.0, "steps": 12}
    assert inputs.voice == "espeak"
    assert inputs.audio_dir == (tmp_path / ".audio").resolve()
    assert inputs.mux_audio is False                    # the worker builds the exact track
    assert not any(k.startswith("MLV_") for k in pipeline.WORKER_ENV)


def test_a_request_goes_to_the_worker_as_json_and_comes_back_equal(tmp_path):
    r = RenderRequest(replace(gdi(lr=1.1, steps=8), title="Too far"), "high", "espeak",
                      tmp_path)
    back = RenderRequest.from_json(r.to_json())
    assert back == r and back.params == {"lr": 1.1, "steps": 8}
    assert isinstance(back.params["steps"], int) and back.title == "Too far"
    card = catalog.by_id("chapter-2-title")
    r = RenderRequest(replace(card, params=(("title", "Clusters"),)), "low", "none", tmp_path)
    assert RenderRequest.from_json(r.to_json()).full_params == {"number": 2, "title": "Clusters"}


@pytest.mark.parametrize("change, words", [
    (dict(quality="ultra"), "unknown quality 'ultra'"),
    (dict(voice="klingon"), "unknown voice 'klingon'"),
    (dict(entry=gdi(lr=9.0)), "out of range"),
    (dict(entry=gdi(eta=1.0)), "has no parameter 'eta'"),
])
def test_a_bad_request_is_refused(tmp_path, change, words):
    fields = dict(entry=gdi(), quality="low", voice="none", renders=tmp_path)
    with pytest.raises(ValueError, match=words):
        RenderRequest(**{**fields, **change})
    good = json.loads(RenderRequest(**fields).to_json())
    text = json.dumps({**good, **{k: v for k, v in change.items() if isinstance(v, str)}})
    if text != json.dumps(good):
        with pytest.raises(ValueError, match=words):
            RenderRequest.from_json(text)
    with pytest.raises(ValueError, match="exactly"):
        RenderRequest.from_json(json.dumps({**good, "extra": 1}))


def test_qualities_and_voices_are_defined_once():
    from click import Choice

    from mlv.scripts import cli
    from mlv.scripts.notes import notes_command
    from mlv.scripts.renders import QUALITIES as q

    assert list(q) == ["low", "medium", "high", "4k"] and VOICES == ("none", "espeak", "piper")
    for command in (cli.render, cli.chapter, cli.course, cli.slides, notes_command):
        opts = {p.name: p.type for p in command.params if isinstance(p.type, Choice)}
        assert list(opts["quality"].choices) == list(QUALITIES), command.name
        assert list(opts["voice"].choices) == list(VOICES), command.name


# ------------------------------------------------------------------------------------ layout


def test_the_layout_names_every_output(tmp_path):
    layout = Renders(tmp_path)
    assert layout.chapter_video("low", 2) == tmp_path / "low" / "chapter2.mp4"
    assert layout.course_video("high", "courses/mini.toml") == \
        tmp_path / "high" / "mini" / "course.mp4"
    assert layout.slides_dir("low", 1) == tmp_path / "low" / "slides" / "chapter1"
    assert layout.notes_dir("low") == tmp_path / "low" / "notes"
    tmp = Renders.temporary(layout.chapter_video("low", 2))
    assert tmp.parent == tmp_path / "low" and is_temporary(tmp.name)
    assert not is_temporary("chapter2.mp4") and not is_temporary("0123abcd.wav")
    deck = layout.slides_dir("low", 1)
    assert Renders.building(deck).parent == deck.parent
    assert Renders.building(deck).name.startswith(".chapter1-")
    assert Renders.aside(deck).name == ".chapter1-old"


def test_the_renders_root_defaults_to_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MLV_RENDERS", str(tmp_path / "r"))
    assert Renders.default().root == tmp_path / "r"
    assert RenderRequest(gdi(), "low", "none").renders == tmp_path / "r"
    monkeypatch.delenv("MLV_RENDERS")
    assert Renders.default().root == Path("renders")


# -------------------------------------------------------------------------------- publishing


def fake_render(request: RenderRequest, tag: bytes = b"") -> dict:
    """What a worker leaves (staged files and its record), without rendering anything."""
    request.staged(".mp4").parent.mkdir(parents=True)
    (request.scratch / UNFINISHED).touch()
    for ext in MEDIA_FILES:
        request.staged(ext).write_bytes(f"{request.name}{ext}".encode() + tag)
    return {"id": request.id, "deps": ["scenes/lesson.py"], "timeline": {"beats": []},
            "render_seconds": 1.0}


VERSIONS = {"manim": "test"}


def test_the_parent_publishes_the_set_record_last_and_a_split_set_is_no_cache_hit(tmp_path):
    r = RenderRequest(gdi(lr=1.1), "low", "none", tmp_path)
    res = pipeline.finish(r, fake_render(r), VERSIONS, 1.0)
    published = {ext: r.layout.scene_file("low", r.name, ext) for ext in MEDIA_FILES}
    assert res.video == published[".mp4"] and res.record["files"] == {
        ext: hashlib.sha256(p.read_bytes()).hexdigest() for ext, p in published.items()}
    assert json.loads(r.record.read_text()) == res.record
    assert not r.scratch.joinpath(UNFINISHED).exists() and not r.staged(".mp4").exists()
    assert pipeline.cached_result(r, VERSIONS) is not None
    assert pipeline.cached_result(r, {"manim": "other"}) is None     # another key
    # a run killed after it replaced the video (or only a sidecar) but before the record
    for ext in MEDIA_FILES:
        original = published[ext].read_bytes()
        published[ext].write_bytes(b"from a newer render")
        assert pipeline.cached_result(r, VERSIONS) is None, ext
        published[ext].write_bytes(original)
        assert pipeline.cached_result(r, VERSIONS) is not None
    published[".vtt"].unlink()
    assert pipeline.cached_result(r, VERSIONS) is None


def test_publishing_moves_each_file_in_order_then_writes_the_record(tmp_path, monkeypatch):
    order = []
    real = os.replace

    def replace_(src, dst, *a, **kw):
        order.append(Path(dst).name)
        return real(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", replace_)
    files = []
    for name in ("v.srt", "v.vtt", "v.mp4"):
        (tmp_path / f"staged-{name}").write_text(name)
        files.append((tmp_path / f"staged-{name}", tmp_path / "out" / name))
    publish_set(files, tmp_path / "out" / "v.json", {"files": {}})
    assert order == ["v.srt", "v.vtt", "v.mp4", "v.json"]
    assert matches({"files": {".srt": hashlib.sha256(b"v.srt").hexdigest()}},
                   {".srt": tmp_path / "out" / "v.srt"})
    assert not matches({}, {".srt": tmp_path / "out" / "v.srt"})


def test_a_remote_render_is_published_as_a_local_one(tmp_path):
    """What a Dask worker sends back (files and audio as bytes) lands through the same path."""
    r = RenderRequest(gdi(), "low", "espeak", tmp_path / "here")
    payload = {"record": {"id": r.id, "deps": [], "render_seconds": 2.0,
                          "timeline": {"beats": [{"key": "a", "audio": ".audio/abc.wav"}]}},
               "files": {ext: ext.encode() for ext in MEDIA_FILES},
               "audio": {"abc.wav": b"RIFF"}, "seconds": 2.0}
    res = pipeline.materialize(r, payload, VERSIONS)
    assert (r.layout.audio / "abc.wav").read_bytes() == b"RIFF"
    assert res.video.read_bytes() == b".mp4"
    assert res.record["timeline"]["beats"][0]["audio"] == ".audio/abc.wav"
    assert pipeline.cached_result(r, VERSIONS) is not None
    assert not (r.scratch / UNFINISHED).exists()


def test_the_sweep_takes_what_a_killed_worker_left_and_keeps_the_rest(tmp_path):
    from mlv.scripts.lock import sweep

    r = RenderRequest(gdi(), "low", "none", tmp_path)
    fake_render(r)                                   # killed before its parent published it
    done = RenderRequest(catalog.by_id("chapter-1-title"), "low", "none", tmp_path)
    pipeline.finish(done, fake_render(done), VERSIONS, 1.0)
    (done.scratch / "Tex").mkdir()
    (done.scratch / "Tex" / "f.svg").write_text("<svg/>")
    removed = sweep(tmp_path)
    assert r.scratch in removed and not r.scratch.exists()
    assert (done.scratch / "Tex" / "f.svg").exists() and done.video.exists()
    assert pipeline.cached_result(done, VERSIONS) is not None
