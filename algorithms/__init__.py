"""NumPy implementations of every algorithm the course shows.

Each public function is pure: data and hyper-parameters in (with an explicit ``random_state`` where
randomness is involved), a :class:`~algorithms.trajectory.Trajectory` out. Nothing here imports
manim or touches NumPy's global random state.
"""
from mlv.algorithms.trajectory import Trajectory

__all__ = ["Trajectory"]
