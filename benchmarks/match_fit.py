"""Fit find-peers' signal weights as a conditional logit over real exchanges, and estimate it honestly.

Each real exchange is one choice among the candidate countries: the provider it went to. The score
``Σ w_s s`` is the log-odds of a conditional (multinomial) logit, so the weights that make the real
providers most likely, under an L2 penalty and kept ≥ 0 (a signal may not count against a provider), are
the maximum-likelihood weights. The penalty is chosen by leave-one-query-out inside the training cases; the
estimate of the whole procedure is nested leave-one-query-out (:func:`nested_weights`): the exchanges of one
project are one query and are held out together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

#: The signals whose weights are fitted (prior ties stay shown but uncounted: see the README).
FITTED_SIGNALS = ("evidence", "depth", "text", "region", "language", "income", "treaties")
#: L2 penalties cross-validation chooses among.
PENALTIES = (0.1, 1.0, 10.0)


@dataclass(frozen=True)
class Choice:
    """One real exchange: the candidates' signals (rows) and the row of the real provider (None: not a candidate)."""

    signals: np.ndarray
    chosen: int | None


def fit(choices: Sequence[Choice], penalty: float) -> np.ndarray:
    """Return the non-negative weights maximising the penalised conditional-logit likelihood."""
    usable = [c for c in choices if c.chosen is not None]
    width = choices[0].signals.shape[1]

    def loss(weights: np.ndarray) -> tuple[float, np.ndarray]:
        value, gradient = penalty * weights @ weights, 2 * penalty * weights
        for choice in usable:
            scores = choice.signals @ weights
            top = scores.max()
            odds = np.exp(scores - top)
            total = odds.sum()
            value -= scores[choice.chosen] - top - np.log(total)
            gradient -= choice.signals[choice.chosen] - (odds / total) @ choice.signals
        return value, gradient

    return minimize(loss, np.zeros(width), jac=True, method="L-BFGS-B", bounds=[(0, None)] * width).x


def rank(choice: Choice, weights: np.ndarray) -> int | None:
    """Return the real provider's rank under ``weights`` (ties counted in its favour), or None."""
    if choice.chosen is None:
        return None
    scores = choice.signals @ weights
    return int((scores > scores[choice.chosen]).sum()) + 1


def _without(choices: Sequence[Choice], groups: Sequence[str], group: str) -> list[Choice]:
    return [choice for choice, other in zip(choices, groups, strict=True) if other != group]


def _queries(choices: Sequence[Choice], groups: Sequence[str] | None) -> list[str]:
    """Each choice's query name (default: every choice its own query)."""
    return list(groups) if groups is not None else [str(n) for n in range(len(choices))]


def choose_penalty(choices: Sequence[Choice], groups: Sequence[str] | None = None) -> float:
    """Return the penalty with the best leave-one-group-out MRR on ``choices`` (the smaller one on a tie).

    ``groups`` names each choice's query (default: each its own); a query's choices are held out together.
    """
    groups = _queries(choices, groups)
    best, chosen = -1.0, PENALTIES[0]
    for penalty in PENALTIES:
        reciprocal = []
        for held, group in zip(choices, groups, strict=True):
            found = rank(held, fit(_without(choices, groups, group), penalty))
            reciprocal.append(1 / found if found else 0.0)
        if np.mean(reciprocal) > best + 1e-12:
            best, chosen = float(np.mean(reciprocal)), penalty
    return chosen


def fit_weights(choices: Sequence[Choice], groups: Sequence[str] | None = None) -> tuple[np.ndarray, float]:
    """Return the weights fitted on every choice, with the penalty leave-one-group-out chose for them."""
    penalty = choose_penalty(choices, groups)
    return fit(choices, penalty), penalty


def nested_weights(choices: Sequence[Choice], groups: Sequence[str] | None = None) -> list[np.ndarray]:
    """Return, for each choice, the weights fitted (penalty included) without its query: nested leave-one-query-out.

    ``groups`` names each choice's query (default: each its own); all choices of the held-out query are left out
    of its fit, the inner penalty choice included.
    """
    groups = _queries(choices, groups)
    fitted: dict[str, np.ndarray] = {}
    for group in groups:
        if group not in fitted:
            rest = [g for g in groups if g != group]
            fitted[group] = fit_weights(_without(choices, groups, group), rest)[0]
    return [fitted[group] for group in groups]


def as_weights(values: np.ndarray, signals: Sequence[str] = FITTED_SIGNALS) -> dict[str, float]:
    """Return fitted values as a weights mapping, rounded to two decimals."""
    return {name: round(float(value), 2) for name, value in zip(signals, values, strict=True)}
