import wave

import pytest

from mlv.scenes import catalog
from mlv.scenes.lesson import caption_lines
from mlv.scenes.narration import (
    MIN_BEAT_SECONDS,
    WORDS_PER_MINUTE,
    Beat,
    Cue,
    EspeakVoice,
    Narration,
    SilentVoice,
    get_voice,
    to_srt,
    to_vtt,
    wav_duration,
)


def test_srt_and_vtt_format():
    cues = [Cue(0.0, 1.5, "one", "a"), Cue(1.5, 3723.25, "two", "b")]
    assert to_srt(cues) == ("1\n00:00:00,000 --> 00:00:01,500\none\n\n"
                            "2\n00:00:01,500 --> 01:02:03,250\ntwo\n")
    assert to_vtt(cues).startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.500\none\n")
    assert "01:02:03.250" in to_vtt(cues)


def test_silent_voice_uses_words_per_minute():
    text = " ".join(["word"] * 30)
    assert SilentVoice().speak(text).duration == pytest.approx(30 * 60 / WORDS_PER_MINUTE)
    assert SilentVoice().speak("hi").duration == MIN_BEAT_SECONDS


def test_unknown_voice_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="klingon"):
        get_voice("klingon", tmp_path)


def test_espeak_voice_writes_a_wav_whose_length_is_the_duration(tmp_path):
    voice = EspeakVoice(tmp_path)
    short = voice.speak("Gradient descent.")
    long = voice.speak("Gradient descent walks downhill, one small step at a time, until the "
                       "slope is zero.")
    with wave.open(str(long.path)) as f:
        assert f.getnframes() > 0
    assert long.duration == pytest.approx(wav_duration(long.path))
    assert long.duration > short.duration > 0.3
    again = voice.speak("Gradient descent.")            # cached: same file, not re-synthesised
    assert again.path == short.path


def test_narration_rejects_duplicate_keys():
    with pytest.raises(ValueError, match="duplicate"):
        Narration(Beat("a", "x"), Beat("a", "y"))


@pytest.mark.parametrize("entry", catalog.SCENES, ids=lambda e: e.id)
def test_every_beat_fits_two_caption_lines(entry):
    narration = catalog.script(entry).narration
    assert len(narration) >= 2
    for beat in narration:
        assert len(caption_lines(beat.text)) <= 2, beat.key
