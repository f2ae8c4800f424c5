"""mlv: machine learning from first principles, as narrated lecture videos.

The installed distribution is this one namespace. The repository keeps its four layers as
top-level folders, mapped into it by ``package-dir`` in ``pyproject.toml``:

``mlv.algorithms``  NumPy algorithms and the exact runs each lesson shows (``algorithms/``)
``mlv.derivations`` SymPy derivations and the checker that proves them (``derivations/``)
``mlv.scenes``      Manim scenes, narration and the catalog (``scenes/``)
``mlv.scripts``     the ``mlv`` CLI, render pipeline, stitching, notes and slides (``scripts/``)
"""
