"""The voices' pronunciation lexicon, their speech cache (counted in syntheses) and the audio they
write, decoded: sample rate, length and loudness. Piper's tests need the `voice` extra."""
import shutil
import wave

import numpy as np
import pytest

from mlv.scenes import catalog, narration
from mlv.scenes.narration import (
    LEXICON,
    VOICES,
    EspeakVoice,
    PiperVoice,
    get_voice,
    lexicon,
    piper_model,
    pronounce,
)
from mlv.scripts.errors import MlvError

HAS_ESPEAK = shutil.which("espeak-ng") is not None
HAS_PIPER = piper_model() is not None
needs_espeak = pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng is not installed")
needs_piper = pytest.mark.skipif(not HAS_PIPER, reason="the voice extra is not installed")


def decode(path):
    """(sample rate, samples in [-1, 1]) of a 16-bit mono WAV."""
    with wave.open(str(path), "rb") as f:
        assert f.getnchannels() == 1 and f.getsampwidth() == 2
        rate, frames = f.getframerate(), f.readframes(f.getnframes())
    return rate, np.frombuffer(frames, dtype="<i2").astype(float) / 32768.0


def assert_speech(path, *, rate=None, min_seconds=0.3):
    sr, x = decode(path)
    if rate is not None:
        assert sr == rate
    assert len(x) / sr >= min_seconds
    assert np.sqrt(np.mean(x ** 2)) > 0.01            # not silent
    assert np.max(np.abs(x)) <= 1.0


# --------------------------------------------------------------------------------------- lexicon


@pytest.mark.parametrize("written, said", [
    ("k-means", "k means"), ("ReLU", "ray-loo"), ("tanh", "tanch"), ("PCA", "P C A"),
    ("argmin", "arg min"), ("RMSProp", "R M S prop"), ("Adam", "Adam"), ("XOR", "ex or"),
    ("softmax", "soft max"), ("MLP", "M L P"),
    ("x_1", "x 1"), ("w_{ij}", "w ij"), ("x₁₂", "x 12"),
    ("η", "eta"), ("σ", "sigma"), ("θ", "theta"), ("λ", "lambda"), ("∂", "partial"),
    ("ŷ", "y hat"), ("ŷ = wx + b", "y hat equals wx plus b"), ("η = 0.15", "eta equals 0.15"),
    ("σ²", "sigma squared"), ("Wᵀ", "W transpose"),
])
def test_the_lexicon_says_what_the_voice_got_wrong(written, said):
    assert pronounce(written) == said
    assert pronounce(f"Then {written}, again.") == f"Then {said}, again."


def test_words_match_whole_and_case_sensitively():
    assert pronounce("the ReLUs and ReLU's") == "the ray-loos and ray-loo's"
    assert pronounce("pca tanhx Xtanh mytanh") == "pca tanhx Xtanh mytanh"
    assert pronounce("k-means++") == "k means plus plus"
    assert pronounce("multi-PCA") == "multi-PCA"          # a hyphenated compound is left alone


def test_a_lexicon_file_is_data(tmp_path):
    path = tmp_path / "lex.toml"
    path.write_text('[words]\n"foo" = "bar"\n[symbols]\n"@" = "at"\n'
                    '[[rules]]\npattern = \'(\\d)%\'\nreplace = \'\\1 percent\'\n')
    say = lexicon(path)
    assert say("foo @ 5% food") == "bar at 5 percent food"
    assert LEXICON.name == "lexicon.toml" and LEXICON.is_file()


def test_every_beat_of_the_course_is_said_in_plain_words():
    seen = 0
    for entry in catalog.SCENES:
        for beat in catalog.script(entry).narration:
            said = pronounce(beat.spoken)
            seen += 1
            assert said.strip() and "  " not in said, beat.key
            assert not set(said) & set("$_{}\\^=ηθσλμ∂∇ŷ"), (entry.id, beat.key, said)
            # what the lexicon does not name stays as the spoken text has it
            assert len(said.split()) >= len(beat.spoken.split()) * 0.9, beat.key
    assert seen > 100


# --------------------------------------------------------------------------------- speech cache


def available_voices():
    out = []
    if HAS_ESPEAK:
        out.append("espeak")
    if HAS_PIPER:
        out.append("piper")
    return out


@pytest.mark.parametrize("name", available_voices())
def test_a_warm_cache_synthesises_nothing_and_an_edit_one_beat(name, tmp_path):
    beats = ["Gradient descent walks downhill.", "The ReLU is zero left of the origin.",
             "k-means alternates two steps."]
    voice = get_voice(name, tmp_path)
    first = [voice.speak(t) for t in beats]
    assert voice.synthesised == 3
    for s in first:
        assert_speech(s.path)
        assert s.duration == pytest.approx(narration.wav_duration(s.path))
    again = get_voice(name, tmp_path)                    # a new worker, same cache
    assert [again.speak(t) for t in beats] == first and again.synthesised == 0
    edited = beats[:1] + ["The ReLU is zero left of zero."] + beats[2:]
    third = [again.speak(t) for t in edited]
    assert again.synthesised == 1
    assert third[0] == first[0] and third[2] == first[2] and third[1].path != first[1].path
    # the key is what is said: a spelling the lexicon says the same way shares the audio
    assert voice.path_for("tanh") == voice.path_for("tanch")


@needs_espeak
def test_espeak_cache_key_is_text_voice_and_rate(tmp_path):
    a, b = EspeakVoice(tmp_path), EspeakVoice(tmp_path, rate=180)
    assert a.path_for("x") != b.path_for("x") != EspeakVoice(tmp_path, voice="en-gb").path_for("x")
    assert a.path_for("x") == EspeakVoice(tmp_path).path_for("x")


# ---------------------------------------------------------------------------------------- piper


@needs_piper
def test_piper_writes_speech_at_the_models_rate(tmp_path):
    voice = PiperVoice(tmp_path)
    s = voice.speak("The perceptron moves its line whenever a point is on the wrong side.")
    assert_speech(s.path, rate=22050, min_seconds=2.0)
    assert 2.0 < s.duration < 8.0


@needs_piper
def test_piper_cache_key_is_text_model_digest_and_speed(tmp_path):
    model, config = piper_model()
    voice = PiperVoice(tmp_path)
    assert voice.digest == narration.model_digest(model) and len(voice.digest) == 64
    faster = PiperVoice(tmp_path, speed=1.5)
    text = "One beat, said twice as fast as the other."
    assert voice.path_for(text) != faster.path_for(text)
    slow, fast = voice.speak(text), faster.speak(text)
    assert fast.duration < 0.85 * slow.duration
    # another model (a copy with one byte changed) is another key
    other = tmp_path / "other.onnx"
    other.write_bytes(model.read_bytes()[:1000] + b"x")
    assert PiperVoice(tmp_path, model=(other, config)).path_for(text) != voice.path_for(text)


@needs_piper
def test_piper_durations_are_the_same_on_every_run(tmp_path):
    text = "Durations do not depend on the run, so frames do not either."
    one = PiperVoice(tmp_path / "a").speak(text)
    two = PiperVoice(tmp_path / "b").speak(text)
    assert one.duration == two.duration


@needs_piper
def test_the_piper_server_answers_a_bad_request_and_keeps_serving(tmp_path):
    model, config = piper_model()
    server = narration.piper_server(model, config)
    with pytest.raises(RuntimeError, match="piper voice"):
        server.synthesise("hello", str(tmp_path / "no" / "such" / "dir.wav"))
    reply = server.synthesise("hello", str(tmp_path / "ok.wav"))
    assert reply["ok"] and reply["sample_rate"] == 22050
    assert_speech(tmp_path / "ok.wav", rate=22050)


# ---------------------------------------------------------------------------------- choosing one


def test_piper_is_one_of_the_voices_and_the_default_when_installed(monkeypatch):
    assert VOICES == ("none", "espeak", "piper")
    monkeypatch.setattr(narration, "piper_model", lambda: ("m", "c"))
    assert narration.default_voice() == "piper"
    monkeypatch.setattr(narration, "piper_model", lambda: None)
    assert narration.default_voice() == ("espeak" if HAS_ESPEAK else "none")


def test_a_missing_piper_voice_says_how_to_install_it(monkeypatch, tmp_path):
    from mlv.scripts import tools

    monkeypatch.setattr(narration, "piper_model", lambda: None)
    with pytest.raises(MlvError, match="setup.sh"):
        tools.require_for_render("piper")
    with pytest.raises(RuntimeError, match="not installed"):
        PiperVoice(tmp_path)


def test_render_with_a_missing_piper_voice_is_one_line_and_exit_2(monkeypatch, tmp_path, capsys):
    from mlv.scripts import cli

    monkeypatch.setattr(narration, "piper_model", lambda: None)
    monkeypatch.setenv("MLV_RENDERS", str(tmp_path / "renders"))
    with pytest.raises(SystemExit) as exc:
        cli.main(["render", "chapter-1-title", "--voice", "piper"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "piper voice is not installed" in err[0] and "setup.sh" in err[0]
    assert not (tmp_path / "renders").exists()


def test_a_voiced_scenes_cache_key_covers_the_lexicon_and_the_model():
    from mlv.scripts.pipeline import tool_versions

    assert "lexicon" in tool_versions("espeak") and "lexicon" not in tool_versions("none")
    if HAS_PIPER:
        v = tool_versions("piper")
        assert v["piper-model"] == narration.model_digest(piper_model()[0])
        assert v["piper-tts"] == "1.8.0" and len(v["piper-server"]) == 64


# ------------------------------------------------------------------------------------ subtitles


def test_subtitle_cues_are_short_in_order_and_hold_the_whole_beat():
    from mlv.scenes.narration import Cue, SilentVoice, subtitle_cues

    worst = 0.0
    for entry in catalog.SCENES:
        for beat in catalog.script(entry).narration:
            speech = SilentVoice().speak(beat.spoken).duration
            cue = Cue(10.0, 10.0 + speech + narration.PAD_SECONDS, beat.written, beat.key)
            cues = subtitle_cues(cue, speech)
            assert cues[0].start == cue.start and cues[-1].end == cue.end
            assert (" ".join(c.text.replace("\n", " ") for c in cues).split()
                    == beat.written.split())
            for a, b in zip(cues, cues[1:]):
                assert a.end <= b.start + 1e-9
            for c in cues:
                assert c.start < c.end and c.key == beat.key
                lines = c.text.split("\n")
                assert len(lines) <= 2 and all(len(ln) <= 42 for ln in lines), c.text
                worst = max(worst, len(c.text) / (c.end - c.start))
    assert worst <= 20.0                                  # characters a second


def test_subtitles_follow_the_voices_sentence_timing():
    from mlv.scenes.narration import Cue, subtitle_cues

    cue = Cue(5.0, 12.0, "Short one. And a second sentence that is a good deal longer.", "k")
    cues = subtitle_cues(cue, 6.0, [1.0, 5.0])
    assert [c.text for c in cues] == ["Short one.",
                                      "And a second sentence that\nis a good deal longer."]
    assert cues[0].start == 5.0 and cues[1].start == pytest.approx(6.0)   # when it is said
    assert cues[1].end == 12.0
    # timing that does not match the text's sentences falls back to characters
    fallback = subtitle_cues(cue, 6.0, [6.0])
    assert fallback[1].start == pytest.approx(5.0 + 6.0 * 10 / (10 + 49))


def test_a_cue_said_too_fast_to_read_is_held_on_inside_its_beat():
    from mlv.scenes.narration import Cue, subtitle_cues

    text = ("Learning means choosing numbers that make an error small, and the tool for that "
            "is the gradient. Then we stop.")
    cue = Cue(2.0, 9.0, text, "k")              # 114 characters in 7 s: readable at 20 a second
    cues = subtitle_cues(cue, 5.0, [4.2, 0.8])   # ... but said at 23 a second
    assert [c.text for c in cues] == ["Learning means choosing numbers\nthat make an error small,",
                                      "and the tool for that is the gradient.", "Then we stop."]
    assert cues[0].start == 2.0 and cues[-1].end == 9.0
    for a, b in zip(cues, cues[1:]):
        assert a.end == b.start
    assert all(len(c.text) / (c.end - c.start) <= 20.0 + 1e-9 for c in cues)
    # a beat too short to read at 20 a second: the cues share it by characters
    short = subtitle_cues(Cue(0.0, 4.0, text, "k"), 3.6)
    assert short[0].start == 0.0 and short[-1].end == 4.0
    widths = [(c.end - c.start) / len(c.text.replace("\n", " ")) for c in short]
    assert max(widths) == pytest.approx(min(widths))


def test_cues_are_cut_evenly_and_after_a_clause():
    from mlv.scenes.narration import _chunks

    pieces = _chunks("First k-means, which groups points around centres by alternating two "
                     "simple steps; then PCA, which finds the directions the data vary along "
                     "most.", 42, 2)
    assert pieces[0].endswith("steps;") and len(pieces) == 2
    for p in pieces:
        lines = p.split("\n")
        assert len(lines) <= 2 and all(len(ln) <= 42 for ln in lines)
        assert abs(len(lines[0]) - len(lines[-1])) <= 12        # balanced lines
    assert _chunks("Supercalifragilisticexpialidocious" * 2, 42, 2) == [
        "Supercalifragilisticexpialidocious" * 2]              # a word longer than a line


@needs_piper
def test_piper_reports_each_sentences_length(tmp_path):
    text = "The first sentence. A second one follows it! And is there a third?"
    s = PiperVoice(tmp_path).speak(text)
    assert s.sentences is not None and len(s.sentences) == len(narration.sentences_of(text)) == 3
    assert sum(s.sentences) == pytest.approx(s.duration, abs=0.01)
    again = PiperVoice(tmp_path).speak(text)             # from the cache, with its timing
    assert again == s
