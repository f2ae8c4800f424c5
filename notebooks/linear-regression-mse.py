# %% [markdown]
# # Linear regression: the mean squared error
#
# *Chapter 1, lesson 2 of the mlv course (`linear-regression-mse`). The video and the lecture
# notes show these same numbers; here you compute them, change them and check what you expect.*
#
# Thirty points $(x_i, y_i)$: which straight line describes them best? The model is a line,
#
# $$\hat y = w x + b,$$
#
# with two numbers to choose, the slope $w$ and the intercept $b$. For any line each point
# misses by a **residual** $y_i - \hat y_i$. Squaring the residuals (so misses above and below
# both count, and big misses count more) and averaging them gives the **mean squared error**
#
# $$\mathrm{MSE}(w, b) = \frac{1}{n}\sum_{i=1}^{n} \bigl(y_i - (w x_i + b)\bigr)^2 .$$
#
# To improve a line step by step we need the slope of the error in each parameter. The chain
# rule gives (derived and proven below)
#
# $$\frac{\partial\,\mathrm{MSE}}{\partial w} = -\frac{2}{n}\sum_{i} x_i\,(y_i - \hat y_i),
# \qquad \frac{\partial\,\mathrm{MSE}}{\partial b} = -\frac{2}{n}\sum_{i} (y_i - \hat y_i).$$
#
# Both are averages of residuals; where both are zero the line is the **least-squares** fit.

# %%
import numpy as np

from mlv.algorithms import linear_regression as lr
from mlv.algorithms.lessons import mse_lesson
from mlv.scripts import notebook_plots as plots
from mlv.scripts import notebook_tools as tools

plots.use()
SCENE = "linear-regression-mse"

# %% [markdown]
# ## The lesson's numbers
#
# The video's data (the seeded points of the training lesson), its deliberately poor first
# guess $(w, b) = (0.6, 6)$ and the least-squares line.

# %%
tools.show_params(SCENE)
lesson = mse_lesson()
print(f"{len(lesson.x)} points; the guess w = {lesson.guess[0]:g}, b = {lesson.guess[1]:g} has "
      f"MSE {lesson.mse_guess:.2f}")
print(f"least squares: w = {lesson.best[0]:.4f}, b = {lesson.best[1]:.4f}, "
      f"MSE {lesson.mse_best:.4f}")


# %% [markdown]
# ## The data, the lines and their residuals
#
# The residuals of each line are the vertical segments (red): the guess misses by a lot, the
# least-squares line by as little as a straight line can. Right: the MSE as $w$ changes with
# $b$ held at its least-squares value, a parabola whose bottom is the least-squares $w$.

# %%
def show_line(ax, x, y, w, b, title):
    plots.points(ax, np.column_stack([x, y]), label="data")
    y_hat = w * x + b
    ax.vlines(x, np.minimum(y, y_hat), np.maximum(y, y_hat), color=plots.colour("residual"),
              linewidth=1.2, label="residuals")
    plots.line(ax, w, b, (float(x.min()) - 0.5, float(x.max()) + 0.5), label="ŷ = w x + b")
    ax.set(xlabel="x", ylabel="y", title=f"{title}: MSE = {lr.mse(x, y, w, b):.2f}")
    plots.legend(ax, loc="upper left")


fig, ax = plots.figure(3, width=4.3, height=3.6)
show_line(ax[0], lesson.x, lesson.y, *lesson.guess, "the guess")
show_line(ax[1], lesson.x, lesson.y, *lesson.best, "least squares")
ws = np.linspace(lesson.best[0] - 1.0, lesson.best[0] + 1.0, 201)
plots.loss_curve(ax[2], ws, lr.mse(lesson.x, lesson.y, ws, np.full_like(ws, lesson.best[1])),
                 xlabel="w", ylabel="MSE")
plots.optimum(ax[2], lesson.best[0], lesson.mse_best, label="least-squares w")
ax[2].set_title("MSE over w (b at its best)")
ax[2].xaxis.label.set_color(plots.colour("w"))
plots.legend(ax[2], loc="upper center")

# %% [markdown]
# ## The numbers
#
# The lesson's numbers, computed above: they are the numbers the video says and the lecture
# notes print.

# %%
numbers = {"points n": len(lesson.x), "guess w": lesson.guess[0], "guess b": lesson.guess[1],
           "MSE of the guess": lesson.mse_guess, "least-squares w": float(lesson.best[0]),
           "least-squares b": float(lesson.best[1]), "least-squares MSE": lesson.mse_best}
tools.show_numbers(numbers)

# %% [markdown]
# ## The derivations
#
# The two gradients, step by step. Each step is checked by the course's checker (symbolically,
# with the sums written out for $n = 1, \dots, 5$, and numerically) and the result compared
# with an independent `sympy.diff`.

# %%
derivations = tools.lesson_derivations(["mse"])
tools.show_derivations(derivations)

# %% [markdown]
# Prove every step now (this runs SymPy):

# %%
reports = tools.prove(derivations)

# %% [markdown]
# The proven results are formulas; evaluated on the data they must equal the gradient the
# algorithm uses (`mlv.algorithms.linear_regression.mse_gradient`):

# %%
by_id = {d.id: d for d in derivations}
grad_w = by_id["mse-gradient-w"].numpy_function()
grad_b = by_id["mse-gradient-b"].numpy_function()
for name, (w, b) in (("guess", lesson.guess), ("least squares", lesson.best)):
    derived = (grad_w(w=w, b=b, x=lesson.x, y=lesson.y), grad_b(w=w, b=b, x=lesson.x, y=lesson.y))
    code = lr.mse_gradient(lesson.x, lesson.y, w, b)
    print(f"{name:>13}: derived ({derived[0]:+.6f}, {derived[1]:+.6f})   "
          f"algorithm ({code[0]:+.6f}, {code[1]:+.6f})")
    assert np.allclose(derived, code, rtol=1e-10, atol=1e-10)

# %% [markdown]
# ## Exercises
#
# This lesson takes no parameters in the video, so the exercises change the lesson function's
# own argument, `mse_lesson(guess=(w, b))`. Answer in the variable `answer_N`; the cell after
# it checks your answer: it says *not answered yet* while the answer is `...`, fails with a hint
# when the answer is wrong, and explains why when it is right.
#
# The cell that sets up each exercise is collapsed, since it computes the answer: open
# it once you have answered.
#
# ### Exercise 1
#
# The data were drawn around the line $y = 1.5x + 2$. Is that true line's MSE on these 30
# points `"above"`, `"below"` or `"equal"` to the least-squares MSE? Try
# `mse_lesson(guess=(1.5, 2.0)).mse_guess`.

# %% jupyter={"source_hidden": true}
def compare_true_line() -> str:
    true = mse_lesson(guess=(1.5, 2.0))
    if np.isclose(true.mse_guess, true.mse_best, rtol=1e-12):
        return "equal"
    return "above" if true.mse_guess > true.mse_best else "below"


exercise_1 = tools.Exercise(
    1, "the true line's MSE against the least-squares MSE", choices=("above", "below", "equal"),
    solve=compare_true_line,
    explain=lambda ans: (f"{ans}: {mse_lesson(guess=(1.5, 2.0)).mse_guess:.4f} against "
                         f"{lesson.mse_best:.4f}. No line has a smaller MSE on these points than "
                         "the least-squares line, not even the one the noise was added to."),
    hint="the least-squares line minimises the MSE over every (w, b).")

# %%
answer_1 = ...  # "above", "below" or "equal"

# %%
exercise_1.check(answer_1)

# %% [markdown]
# ### Exercise 2
#
# Evaluate the derived $\partial\,\mathrm{MSE}/\partial b$ at the guess $(0.6, 6)$ (use
# `grad_b(w=..., b=..., x=lesson.x, y=lesson.y)` from above). Answer with the number, to four
# decimals. Is it positive or negative, and which way should $b$ move?

# %% jupyter={"source_hidden": true}
exercise_2 = tools.Exercise(
    2, "dMSE/db at the guess", tolerance=5e-5,
    solve=lambda: float(lr.mse_gradient(lesson.x, lesson.y, *lesson.guess)[1]),
    explain=lambda g: (f"{g:+.4f}: {'positive' if g > 0 else 'negative'}, so gradient descent "
                       f"moves b {'down' if g > 0 else 'up'}: the guess's residuals are on "
                       f"average {'negative' if g > 0 else 'positive'}."),
    hint="−2/n times the sum of the residuals y − (0.6 x + 6).")

# %%
answer_2 = ...  # a number

# %%
exercise_2.check(answer_2)

# %% [markdown]
# ### Exercise 3
#
# At the least-squares line both gradients are zero. Move only $b$ up by 1, to
# `(lesson.best[0], lesson.best[1] + 1)`: by how much does the MSE grow? Answer with a number
# to four decimals. (Hint: every residual shrinks by exactly 1.)

# %% jupyter={"source_hidden": true}
exercise_3 = tools.Exercise(
    3, "MSE growth when b moves 1 up from the optimum", tolerance=5e-5,
    solve=lambda: float(mse_lesson(guess=(lesson.best[0], lesson.best[1] + 1.0)).mse_guess
                        - lesson.mse_best),
    explain=lambda d: (f"{d:.4f}: every residual r becomes r − 1, so the MSE grows by "
                       "−2·mean(r) + 1, and mean(r) = 0 at the optimum (∂MSE/∂b = 0): exactly 1."),
    hint="expand the mean of (r − 1)² and use that the residuals average to 0 at the optimum.")

# %%
answer_3 = ...  # a number

# %%
exercise_3.check(answer_3)
