"""The lesson notebooks' sources: one ``<scene-id>.py`` per lesson in jupytext's percent format.

They are data, not modules (nothing imports them): ``mlv notebooks`` (:mod:`mlv.scripts.notebooks`)
reads them from this package and builds each into a ``.ipynb``. They live in the package so that
an installed mlv can build its notebooks without the repository.
"""
