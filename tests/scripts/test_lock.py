"""The renders lock (one writer at a time) and the sweep of what killed runs left behind."""
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from mlv.scripts.errors import MlvError
from mlv.scripts.lock import UNFINISHED, renders_lock, sweep

HOLD = textwrap.dedent("""
    import sys
    from mlv.scripts.lock import renders_lock
    with renders_lock(sys.argv[1], clean=False):
        print("held", flush=True)
        sys.stdin.readline()              # hold until the test closes our stdin
    print("released", flush=True)
""")

WAIT = textwrap.dedent("""
    import sys, time
    from mlv.scripts.lock import renders_lock
    with renders_lock(sys.argv[1], clean=False):
        print("got", time.monotonic(), flush=True)
""")


def _python(code, *args, **kw):
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def test_a_second_run_says_whom_it_waits_for_then_waits(tmp_path):
    renders = tmp_path / "renders"
    holder = _python(HOLD, renders, stdin=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert (renders / ".lock").read_text().strip() == str(holder.pid)
        waiter = _python(WAIT, renders)
        time.sleep(1.5)
        assert waiter.poll() is None                    # still blocked behind the holder
        released_at = time.monotonic()
        holder.stdin.close()                            # the holder finishes
        out, err = waiter.communicate(timeout=30)
    finally:
        holder.kill()
        holder.wait()
    assert waiter.returncode == 0, err
    lines = err.strip().splitlines()
    assert lines == [f"mlv: waiting for another mlv run (pid {holder.pid}) to finish "
                     f"with {renders}"]                  # said once
    got_at = float(out.split()[1])
    assert got_at >= released_at
    assert not renders.exists()          # made for runs that wrote nothing: nothing is left


def test_the_lock_leaves_nothing_behind(tmp_path):
    with renders_lock(tmp_path / "new") as r:
        assert (r / ".lock").read_text().strip() == str(os.getpid())
    assert not (tmp_path / "new").exists()
    (tmp_path / "old").mkdir()
    with renders_lock(tmp_path / "old"):
        (tmp_path / "old" / "out.mp4").write_bytes(b"x")
    assert sorted(p.name for p in (tmp_path / "old").iterdir()) == ["out.mp4"]


def test_a_lock_on_a_removed_file_is_taken_again(tmp_path):
    """A waiter woken on a lock file its holder removed takes the lock on the new file."""
    renders = tmp_path / "r"
    holder = _python(HOLD, renders, stdin=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == "held"
        waiters = [_python(WAIT, renders) for _ in range(3)]
        time.sleep(1.0)
        holder.stdin.close()
        outs = [w.communicate(timeout=30) for w in waiters]
    finally:
        holder.kill()
        holder.wait()
    assert all(w.returncode == 0 for w in waiters), outs
    assert len({o.split()[1] for o, _ in outs}) == 3


@pytest.mark.parametrize("where, words", [
    ("file", "it is a file"),
    ("file/renders", "cannot create the renders folder"),
    ("r", "is a folder"),
])
def test_a_renders_folder_that_cannot_be_made_is_one_clear_error(tmp_path, where, words):
    (tmp_path / "file").write_text("x")
    (tmp_path / "r" / ".lock").mkdir(parents=True)
    renders = tmp_path / where
    with pytest.raises(MlvError) as info, renders_lock(renders):
        pass
    assert words in str(info.value) and "\n" not in str(info.value)


def _touch(p: Path, data: bytes = b"x") -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


def test_sweep_removes_only_what_killed_runs_left(tmp_path):
    r = tmp_path / "renders"
    keep = [_touch(r / "low" / "scenes" / "a.mp4"), _touch(r / "low" / "scenes" / "a.json"),
            _touch(r / "low" / "chapter1.mp4"), _touch(r / "low" / "mini" / "course.mp4"),
            _touch(r / "low" / "slides" / "chapter1" / "index.html"),
            _touch(r / ".audio" / "0123456789abcdef01234567.wav"),
            _touch(r / ".cache" / "proofs.json"),
            _touch(r / ".work" / "low" / "a.log"),
            _touch(r / ".work" / "low" / "a" / "Tex" / "f.svg"),
            _touch(r / ".work" / "low" / "a" / "texts" / "t.svg"),
            _touch(r / ".work" / "notes" / "low" / "frames" / "a-00-abc.png"),
            _touch(r / ".git" / "config"),                     # not mlv's: never walked
            _touch(r / "somebody.part")]
    litter = [_touch(r / "low" / "scenes" / ".a.mp4.x1y2z3w4.part"),
              _touch(r / "low" / ".chapter1.srt.abcdefgh.part"),
              _touch(r / ".cache" / "proofs.jsonq8w7e6r5.tmp"),
              _touch(r / ".audio" / "tmpa8s7d6f5.wav"),
              _touch(r / ".work" / "low" / "b.record.json"),
              _touch(r / ".work" / "low" / "a" / "videos" / "480p15" / "partial.mp4"),
              _touch(r / ".work" / "low" / "b" / UNFINISHED),
              _touch(r / ".work" / "low" / "b" / "Tex" / "half.svg"),
              _touch(r / ".work" / "stitch-k2j3h4g5" / "silent.mp4"),
              _touch(r / ".work" / "low" / "a" / "stitch-x" / "out.mp4"),
              _touch(r / ".work" / "notes" / "low" / "chapter1-abcd1234" / "notes.tex"),
              _touch(r / "low" / "slides" / ".chapter2-u7y6t5r4" / "site" / "index.html")]
    removed = sweep(r)
    assert all(p.exists() for p in keep), [p for p in keep if not p.exists()]
    assert not any(p.exists() for p in litter), [p for p in litter if p.exists()]
    assert not (r / ".work" / "low" / "b").exists()       # an unfinished worker's whole folder
    assert removed and all(r in p.parents for p in removed)
    assert sweep(r) == []                                   # nothing left to do


def test_sweep_puts_back_a_deck_whose_replacement_never_arrived(tmp_path):
    slides = tmp_path / "r" / "low" / "slides"
    _touch(slides / ".chapter1-old" / "index.html", b"old deck")
    _touch(slides / ".chapter2-old" / "index.html", b"older deck")
    _touch(slides / "chapter2" / "index.html", b"new deck")
    sweep(tmp_path / "r")
    assert (slides / "chapter1" / "index.html").read_bytes() == b"old deck"
    assert (slides / "chapter2" / "index.html").read_bytes() == b"new deck"
    assert sorted(p.name for p in slides.iterdir()) == ["chapter1", "chapter2"]


def test_folders_made_for_the_lock_go_when_nothing_was_written(tmp_path):
    with renders_lock(tmp_path / "a" / "b" / "renders"):
        pass
    assert list(tmp_path.iterdir()) == []
    with renders_lock(tmp_path / "a" / "b" / "renders") as r:
        _touch(r / "low" / "x.mp4")
    assert (tmp_path / "a" / "b" / "renders" / "low" / "x.mp4").exists()
