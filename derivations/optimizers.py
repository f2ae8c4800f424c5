"""The optimizers' update rules written out, and why Adam's bias correction works (chapter 1,
``optimizers``; the code is ``algorithms.optimizers._update``).

    SGD       on the saddle x^2 - y^2: y_{t+1} = y_t - eta d/dy (x^2 - y^2) = (1 + 2 eta) y_t, so
              plain gradient descent leaves the ridge exponentially; x_{t+1} = (1 - 2 eta) x_t.
    momentum  theta_{t+1} = theta_t + v_{t+1},  v_{t+1} = beta v_t - eta g_t,
              v_t = theta_t - theta_{t-1}
              =>   theta_{t+1} = theta_t - eta g_t + beta (theta_t - theta_{t-1})
    RMSProp   first step from s_0 = 0:
              -eta g / (sqrt((1 - rho) g^2) + eps) ~ -eta sign(g) / sqrt(1 - rho)
    Adam      for a constant gradient g (or E[g_k] = g: every step below is linear in the g_k):
              m_t = (1 - beta1) sum_{k=1}^t beta1^{t-k} g = (1 - beta1^t) g,  so m_hat_t = g;
              v_hat_t = g^2 likewise, and every step is -eta g / (|g| + eps): about eta per
              coordinate.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from mlv.derivations._build import A, D, M, P, frac, neg
from mlv.derivations.steps import Derivation, Reference, Step

eta = sp.Symbol("eta", positive=True)
beta = sp.Symbol("beta", positive=True)
beta1, beta2 = sp.symbols("beta_1 beta_2", positive=True)
rho = sp.Symbol("rho", positive=True)
eps = sp.Symbol("epsilon", positive=True)
g = sp.Symbol("g", real=True)
x_t, y_t = sp.symbols("x_t y_t", real=True)
theta_t, theta_prev = sp.Symbol("theta_t", real=True), sp.Symbol("theta_t-1", real=True)
v_t, v_next = sp.Symbol("v_t", real=True), sp.Symbol("v_{t+1}", real=True)
g_t = sp.Symbol("g_t", real=True)
t = sp.Symbol("t", integer=True, positive=True)
k = sp.Symbol("k", integer=True, positive=True)
j = sp.Symbol("j", integer=True, nonnegative=True)
m_t, v_hat = sp.Symbol("m_t", real=True), sp.Symbol("v_t", positive=True)

UNIT = {beta: (0.05, 0.95), beta1: (0.05, 0.95), beta2: (0.05, 0.999), rho: (0.05, 0.95),
        eps: (1e-3, 0.1)}


def _saddle(coord: sp.Symbol, id_: str) -> Derivation:
    f = A(P(x_t, 2), neg(P(y_t, 2)))
    slope = M(2, x_t) if coord == x_t else M(-2, y_t)
    factor = A(1, M(-2, eta)) if coord == x_t else A(1, M(2, eta))
    lesson = ("(1 − 2η) < 1: x shrinks towards the saddle point" if coord == x_t else
              "(1 + 2η) > 1: y grows every step, so gradient descent escapes the saddle "
              "exponentially")
    steps = (
        Step(A(coord, M(-1, eta, D(f, coord))),
             "gradient descent on the saddle f = x² − y²: a step against the slope"),
        Step(A(coord, M(-1, eta, slope)), f"∂f/∂{coord.name[0]} = {sp.latex(slope)}"),
        Step(M(factor, coord), lesson),
    )
    return Derivation(id=id_, title=f"SGD on the saddle: the {coord.name[0]} update",
                      lhs=sp.latex(sp.Symbol(coord.name[0] + "_{t+1}")), steps=steps,
                      scalars=(x_t, y_t, eta),
                      reference=Reference("the step with sp.diff of x² − y²",
                                          coord - eta * sp.diff(x_t**2 - y_t**2, coord)))


def momentum() -> Derivation:
    steps = (
        Step(A(theta_t, v_next), "momentum moves by the velocity"),
        Step(A(theta_t, A(M(beta, v_t), M(-1, eta, g_t))),
             "the velocity keeps a fraction β of the last one and adds −η g"),
        Step(A(theta_t, M(-1, eta, g_t), M(beta, A(theta_t, neg(theta_prev)))),
             "the last velocity is the last step taken, θ_t − θ_{t−1}: Polyak's heavy ball"),
    )
    return Derivation(id="momentum-heavy-ball", title="Momentum as a heavy ball",
                      lhs=r"\theta_{t+1}", steps=steps,
                      scalars=(theta_t, theta_prev, g_t, eta, beta),
                      where={v_next: A(M(beta, v_t), M(-1, eta, g_t)),
                             v_t: A(theta_t, neg(theta_prev))}, ranges=UNIT,
                      reference=Reference("momentum simulated with its velocity state: v₀ = 0, "
                                          "four steps ending at θ_{t−1}, θ_t, then one with g_t",
                                          function=simulated_momentum))


def simulated_momentum(**v: Any) -> float:
    """θ_{t+1} from the update rule run with its state: ``v <- beta v - eta g``,
    ``theta <- theta + v`` from ``v = 0``, three warm-up steps with arbitrary gradients, a fourth
    whose gradient makes the run pass through θ_{t-1} then θ_t (the rule is the same after a
    shift of θ), and the last with g_t."""
    eta, b_ = v["eta"], v["beta"]
    theta, vel = 0.0, 0.0
    for grad in (0.7, -1.3, 0.4):
        vel = b_ * vel - eta * grad
        theta += vel
    shift = v["theta_t-1"] - theta                  # the run is at θ_{t-1} now
    theta += shift
    grad = (b_ * vel - (v["theta_t"] - theta)) / eta    # the step that lands on θ_t
    vel = b_ * vel - eta * grad
    theta += vel
    vel = b_ * vel - eta * v["g_t"]
    return theta + vel


def rmsprop_first_step() -> Derivation:
    s0 = sp.Integer(0)
    steps = (
        Step(M(-1, eta, frac(g, A(sp.sqrt(A(M(rho, s0), M(A(1, neg(rho)), P(g, 2)))), eps))),
             "RMSProp's first step, from s₀ = 0: s₁ = ρ s₀ + (1 − ρ) g²"),
        Step(M(-1, eta, frac(g, A(sp.sqrt(M(A(1, neg(rho)), P(g, 2))), eps))), "s₀ = 0"),
        Step(M(-1, eta, frac(g, A(M(sp.sqrt(A(1, neg(rho))), sp.Abs(g)), eps))),
             "√(g²) = |g|: for ε ≪ |g| the step is η/√(1 − ρ) per coordinate (≈ 3.2 η at "
             "ρ = 0.9), whatever the size of g"),
    )
    return Derivation(id="rmsprop-first-step", title="RMSProp's first step",
                      lhs=r"\theta_1 - \theta_0", steps=steps, scalars=(g, eta, rho, eps),
                      ranges=UNIT,
                      reference=Reference("RMSProp's update run once from s₀ = 0 in floating "
                                          "point", function=simulated_rmsprop_step))


def simulated_rmsprop_step(**v: Any) -> float:
    """``s <- rho s + (1 - rho) g**2``, ``step = -eta g / (sqrt(s) + eps)`` from ``s = 0``."""
    s = v["rho"] * 0.0 + (1 - v["rho"]) * v["g"] ** 2
    return float(-v["eta"] * v["g"] / (np.sqrt(s) + v["epsilon"]))


def adam_moment(second: bool = False) -> Derivation:
    b_ = beta2 if second else beta1
    q = P(g, 2) if second else g
    name = "v" if second else "m"
    geo = sp.Sum(P(b_, A(t, neg(k))), (k, 1, t))
    mfun = sp.Function(name)
    closed = sp.rsolve(mfun(t) - b_ * mfun(t - 1) - (1 - b_) * (g**2 if second else g),
                       mfun(t), {mfun(0): 0})
    steps = (
        Step(M(A(1, neg(b_)), sp.Sum(M(P(b_, A(t, neg(k))), q), (k, 1, t))),
             f"unroll {name}_k = β {name}_(k−1) + (1 − β) {sp.latex(q)} from {name}_0 = 0: the "
             "k-th gradient has been shrunk t − k times"),
        Step(M(A(1, neg(b_)), q, geo), f"{sp.latex(q)} is the same at every step: out of the sum"),
        Step(M(A(1, neg(b_)), q, sp.Sum(P(b_, j), (j, 0, A(t, -1)))), "reindex j = t − k"),
        Step(M(A(1, neg(b_)), q, frac(A(1, neg(P(b_, t))), A(1, neg(b_)))),
             "finite geometric sum: Σ_{j<t} βʲ = (1 − βᵗ)/(1 − β)"),
        Step(M(A(1, neg(P(b_, t))), q),
             f"(1 − β) cancels: {name}_t is biased towards 0 by the factor (1 − βᵗ)"),
    )
    return Derivation(id=f"adam-{'second' if second else 'first'}-moment",
                      title=f"Adam's {'second' if second else 'first'} moment for a constant "
                            "gradient", lhs=f"{name}_t", steps=steps, scalars=(g, b_), n=t,
                      reference=Reference("sp.rsolve of the recurrence", closed),
                      ranges=UNIT)


def adam_bias_correction(second: bool = False) -> Derivation:
    b_ = beta2 if second else beta1
    q = P(g, 2) if second else g
    name = r"\hat{v}_t" if second else r"\hat{m}_t"
    raw = M(A(1, neg(b_)), sp.Sum(M(P(b_, A(t, neg(k))), q), (k, 1, t)))
    steps = (
        Step(frac(raw, A(1, neg(P(b_, t)))),
             "the bias correction divides by 1 − βᵗ; the moment unrolled (E[g_k] = g for every "
             "k: the expectation goes through this linear sum)"),
        Step(frac(M(A(1, neg(P(b_, t))), q), A(1, neg(P(b_, t)))),
             "the sum is (1 − βᵗ) times the gradient (derived above)"),
        Step(q, "the correction exactly undoes the bias: an unbiased estimate at every t"),
    )
    what = (f"Adam's {'second' if second else 'first'} moment run t steps from 0 with a "
            "constant gradient, then divided by 1 − βᵗ")
    return Derivation(id=f"adam-bias-correction-{'v' if second else 'm'}",
                      title="Adam's bias correction", lhs=name, steps=steps, scalars=(g, b_),
                      n=t, ranges=UNIT,
                      reference=Reference(what, function=simulated_corrected_moment(second)))


def simulated_corrected_moment(second: bool) -> Any:
    """The bias-corrected moment from the recurrence ``m <- beta m + (1 - beta) g`` (of ``g**2``
    for the second moment), run ``t`` times from 0 in floating point."""
    def corrected(**v: Any) -> float:
        b_ = v["beta_2" if second else "beta_1"]
        q = v["g"] ** 2 if second else v["g"]
        m = 0.0
        for _ in range(int(v["t"])):
            m = b_ * m + (1 - b_) * q
        return float(m / (1 - b_ ** int(v["t"])))

    return corrected


def adam_step() -> Derivation:
    mh, vh = sp.Symbol(r"\hat{m}_t", real=True), sp.Symbol(r"\hat{v}_t", positive=True)
    steps = (
        Step(M(-1, eta, frac(mh, A(sp.sqrt(vh), eps))), "Adam's step"),
        Step(M(-1, eta, frac(g, A(sp.sqrt(P(g, 2)), eps))),
             "with a constant gradient the corrected moments are g and g² (derived above)"),
        Step(M(-1, eta, frac(g, A(sp.Abs(g), eps))),
             "√(g²) = |g|: a step of about η per coordinate, whatever the size of g"),
    )
    return Derivation(id="adam-constant-gradient-step", title="Adam's step size",
                      lhs=r"\theta_{t+1} - \theta_t", steps=steps, scalars=(g, eta, eps),
                      where={mh: g, vh: g**2}, ranges=UNIT,
                      reference=Reference("Adam run 10 steps with a constant gradient "
                                          "(β₁ = 0.9, β₂ = 0.999): every step",
                                          function=simulated_adam_steps))


def simulated_adam_steps(**v: Any) -> np.ndarray:
    """Kingma & Ba's Algorithm 1 with a constant gradient ``g``: the first 10 steps."""
    b1, b2, g_, eps_, eta_ = 0.9, 0.999, v["g"], v["epsilon"], v["eta"]
    m = s = 0.0
    out = []
    for step in range(1, 11):
        m = b1 * m + (1 - b1) * g_
        s = b2 * s + (1 - b2) * g_**2
        out.append(-eta_ * (m / (1 - b1**step)) / (np.sqrt(s / (1 - b2**step)) + eps_))
    return np.array(out)


def derivations() -> list[Derivation]:
    return [_saddle(x_t, "sgd-saddle-x"), _saddle(y_t, "sgd-saddle-y"), momentum(),
            rmsprop_first_step(), adam_moment(), adam_moment(second=True),
            adam_bias_correction(), adam_bias_correction(second=True), adam_step()]


def sgd_saddle_x() -> Derivation:
    return _saddle(x_t, "sgd-saddle-x")


def sgd_saddle_y() -> Derivation:
    return _saddle(y_t, "sgd-saddle-y")
