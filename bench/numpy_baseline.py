"""NumPy baselines for bench/run.ts, written the way a careful researcher would (vectorised, float64).

Reads a JSON job on stdin and prints a JSON result: median seconds over repetitions of
  - "estimator": truncated GPOMDP on a tabular softmax policy, vectorised across trajectories (and across
    `width_multiplier` independent estimates at once, e.g. agents), sparse P as (S*A, b) successor and
    cumulative-probability tables, actions by inverse-CDF search over each row of π;
  - "exact": the policy-gradient theorem with NumPy's dense solver (np.linalg.solve, LAPACK gesv) for
    V = (I − γP_π)⁻¹ r_π and d_ρ = (1−γ)(I − γP_π)⁻ᵀ ρ, then Q, A and ∇J = d_ρ π A / (1−γ).
The MDP comes in the job (the same Garnet as the TypeScript side), so both solve the same problem.
"""
import json
import sys
import time

import numpy as np


def softmax_rows(theta):
    z = theta - theta.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def gpomdp(next_states, cum_probs, R, pi, rho, gamma, K, width, rng):
    """ĝ for `width` trajectories at once, returned as the mean over them (one S×A table)."""
    S, A = pi.shape
    cum_pi = np.cumsum(pi, axis=1)
    cum_rho = np.cumsum(rho)
    s = np.minimum(np.searchsorted(cum_rho, rng.random(width), side="right"), S - 1)
    visits = np.empty((K, width), dtype=np.int64)
    discounted = np.empty((K, width))
    disc = 1.0
    rows = np.arange(width)
    for t in range(K):
        a = np.minimum((rng.random(width)[:, None] > cum_pi[s]).sum(axis=1), A - 1)
        sa = s * A + a
        visits[t] = sa
        discounted[t] = disc * R[sa]
        disc *= gamma
        if t + 1 < K:
            j = np.minimum((rng.random(width)[:, None] > cum_probs[sa]).sum(axis=1), cum_probs.shape[1] - 1)
            s = next_states[sa, j]
    G = np.cumsum(discounted[::-1], axis=0)[::-1]  # reward-to-go G_t
    W = np.bincount(visits.ravel(), weights=G.ravel(), minlength=S * A).reshape(S, A)
    return (W - pi * W.sum(axis=1, keepdims=True)) / width


def exact_gradient(P_dense, R, pi, rho, gamma):
    S, A = pi.shape
    P_pi = np.einsum("sa,sat->st", pi, P_dense)
    r_pi = (pi * R).sum(axis=1)
    M = np.eye(S) - gamma * P_pi
    V = np.linalg.solve(M, r_pi)
    d = (1 - gamma) * np.linalg.solve(M.T, rho)
    Q = R + gamma * P_dense @ V
    adv = Q - V[:, None]
    return d[:, None] * pi * adv / (1 - gamma)


def median_seconds(fn, reps, clock=time.perf_counter):
    """Median over `reps` calls after one warm-up; the estimator passes process CPU time (as the other
    estimator timings of the bench: on a shared machine a wall clock counts waiting for a core), the dense
    solve keeps the wall clock (LAPACK may use several threads)."""
    fn()
    times = []
    for _ in range(reps):
        t = clock()
        fn()
        times.append(clock() - t)
    return float(np.median(times))


def main():
    job = json.load(sys.stdin)
    S, A, gamma = job["S"], job["A"], job["gamma"]
    if isinstance(job["R"], str):
        # The exact job names raw little-endian files (bench/run.ts's mdpFiles) instead of JSON arrays.
        for key, dtype in (("R", "<f8"), ("theta", "<f8"), ("rho", "<f8"), ("next", "<i4"), ("prob", "<f8")):
            job[key] = np.fromfile(job[key], dtype=dtype)
    R = np.array(job["R"]).reshape(S, A)
    theta = np.array(job["theta"]).reshape(S, A)
    rho = np.array(job["rho"])
    pi = softmax_rows(theta)
    out = {"numpy": np.__version__}
    if job["kind"] == "estimator":
        nxt = np.array(job["next"], dtype=np.int64).reshape(S * A, -1)
        cum = np.cumsum(np.array(job["prob"]).reshape(S * A, -1), axis=1)
        rng = np.random.default_rng(0)
        K, M = job["K"], job["M"]
        results = {}
        for mult in job["width_multipliers"]:
            secs = median_seconds(lambda: gpomdp(nxt, cum, R.ravel(), pi, rho, gamma, K, M * mult, rng), job["reps"], time.process_time)
            results[str(mult)] = {"seconds": secs, "steps_per_second": K * M * mult / secs}
        out["estimator"] = results
        # The gradient of one estimate, for a sanity check of the baseline against the TypeScript one.
        out["grad"] = gpomdp(nxt, cum, R.ravel(), pi, rho, gamma, K, job["check_width"], np.random.default_rng(1)).ravel().tolist()
    else:
        P = np.zeros((S * A, S))
        nxt = job["next"]
        prob = job["prob"]
        b = len(nxt) // (S * A)
        rows = np.repeat(np.arange(S * A), b)
        np.add.at(P, (rows, np.asarray(nxt)), np.asarray(prob))
        P = P.reshape(S, A, S)
        out["seconds"] = median_seconds(lambda: exact_gradient(P, R, pi, rho, gamma), job["reps"])
        out["grad"] = exact_gradient(P, R, pi, rho, gamma).ravel().tolist()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
