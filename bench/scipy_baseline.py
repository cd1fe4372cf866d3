"""SciPy baselines of the sparse exact gradient for bench/run.ts (Debian's python3-scipy; run with /usr/bin/python3).

Reads a JSON job on stdin naming raw little-endian files of a tabular MDP written by the bench (P's successors
`next` as int32 and probabilities `prob` as float64, b per row of the S·A rows; R, θ, ρ as float64) and prints
JSON: for each method, the median CPU seconds (time.process_time) over `reps` calls after one warm-up of the
whole exact gradient, its iterations, and whether it met fedpg-lab's error guarantee, checked on its true
residuals: ‖r_π − (I − γP_π) V‖∞ ≤ 1e-14 max|r_π| and ‖ρ − (I − γP_π)ᵀ x‖₁ ≤ 1e-14 (d = (1−γ) x).

One gradient: softmax; P_π as a CSR matrix built directly from P's rows (row s holds the A·b entries
π(a|s)·P(s'|s,a), repeated columns left for the product to add: O(nnz), where the sparse product Π·P and
I − γP_π as a sparse matrix cost 20–25 ms at S = 10⁴); I − γP_π and its transpose as LinearOperators
(x − γ P_π x, and x − γ P_πᵀ x through the CSC view P_π.T, no transposition); the two solves; Q = R + γ P V;
∇J = d_ρ π (Q − V) / (1−γ).
Methods: scipy.sparse.linalg.spsolve (SuperLU on the assembled matrix; only for S ≤ `direct_max`: its fill-in
on a random sparse graph grows like S², 87–123 s at S = 10⁴ on the development machine) and the Krylov
solvers bicgstab, tfqmr, qmr, gmres (restart 20) and lgmres, each asked for the 2-norm residual that implies
the guarantee (atol, tol = 0), from the starting points fedpg-lab uses (V₀ = r + γ/(1−γ)·mean(r),
x₀ = ρ + γ/((1−γ)S)). The bench runs it with OPENBLAS_NUM_THREADS=1 (CPU time would otherwise count
BLAS threads spinning; the sparse products are single-threaded anyway).
"""
import json
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
import scipy.sparse.linalg as spla

TOL = 1e-14


def load(job):
    S, A, b = job["S"], job["A"], job["b"]
    nxt = np.fromfile(job["next"], dtype="<i4")
    prob = np.fromfile(job["prob"], dtype="<f8")
    P = sp.csr_matrix((prob, nxt, np.arange(0, S * A * b + 1, b)), shape=(S * A, S))
    R = np.fromfile(job["R"], dtype="<f8").reshape(S, A)
    theta = np.fromfile(job["theta"], dtype="<f8").reshape(S, A)
    rho = np.fromfile(job["rho"], dtype="<f8")
    return S, A, b, P, R, theta, rho


def gradient(method, S, A, b, P, R, theta, rho, gamma, stats):
    z = theta - theta.max(axis=1, keepdims=True)
    e = np.exp(z)
    pi = e / e.sum(axis=1, keepdims=True)
    K = sp.csr_matrix((P.data * np.repeat(pi.ravel(), b), P.indices, np.arange(0, S * A * b + 1, A * b)), shape=(S, S))
    KT = K.T
    r = (pi * R).sum(axis=1)
    if method == "spsolve":
        lu = spla.splu((sp.identity(S, format="csc") - gamma * K).tocsc())
        V = lu.solve(r)
        x = lu.solve(rho, trans="T")
        its = (0, 0)
        M = sp.identity(S, format="csr") - gamma * K
        MT = M.T
    else:
        M = spla.LinearOperator((S, S), matvec=lambda v: v - gamma * (K @ v), rmatvec=lambda v: v - gamma * (KT @ v), dtype=float)
        MT = spla.LinearOperator((S, S), matvec=lambda v: v - gamma * (KT @ v), rmatvec=lambda v: v - gamma * (K @ v), dtype=float)
        v0 = r + gamma / (1 - gamma) * r.mean()
        x0 = rho + gamma / (1 - gamma) / S
        atol_v = 0.5 * TOL * np.abs(r).max()
        atol_x = 0.5 * TOL / np.sqrt(S)
        counts = []  # iterations of the two solves

        def solve(Mat, rhs, start, atol):
            n = [0]

            def cb(_):
                n[0] += 1

            if method == "gmres":
                out, _ = spla.gmres(Mat, rhs, x0=start, tol=0, atol=atol, restart=20, maxiter=50, callback=cb, callback_type="pr_norm")
            elif method == "lgmres":
                out, _ = spla.lgmres(Mat, rhs, x0=start, tol=0, atol=atol, maxiter=50, callback=cb)
            else:
                out, _ = getattr(spla, method)(Mat, rhs, x0=start, tol=0, atol=atol, maxiter=1000, callback=cb)
            counts.append(n[0])
            return out

        V = solve(M, r, v0, atol_v)
        x = solve(MT, rho, x0, atol_x)
        its = tuple(counts)
    if stats is not None:
        stats["iterations"] = its
        stats["met"] = bool(np.abs(r - M @ V).max() <= TOL * np.abs(r).max() and np.abs(rho - MT @ x).sum() <= TOL)
    d = (1 - gamma) * x
    Q = R + gamma * (P @ V).reshape(S, A)
    return d[:, None] * pi * (Q - V[:, None]) / (1 - gamma)


def serve(job):
    """bench/sideBySide.ts's SciPy side: one warm-up of every method, one line of JSON (each method's
    iterations and whether it met the guarantee), then for every method name read from stdin one timed
    gradient with it, its CPU seconds on a line."""
    S, A, b, P, R, theta, rho = load(job)
    gamma = job["gamma"]
    ready = {"scipy": scipy.__version__, "methods": {}}
    for method in job["methods"]:
        stats = {}
        gradient(method, S, A, b, P, R, theta, rho, gamma, stats)
        ready["methods"][method] = {"iterations": stats["iterations"], "met": stats["met"]}
    print(json.dumps(ready), flush=True)
    for line in sys.stdin:
        method = line.strip()
        t = time.process_time()
        gradient(method, S, A, b, P, R, theta, rho, gamma, None)
        print(json.dumps(time.process_time() - t), flush=True)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(json.loads(sys.stdin.readline()))
        return
    job = json.load(sys.stdin)
    S, A, b, P, R, theta, rho = load(job)
    gamma = job["gamma"]
    out = {"scipy": scipy.__version__, "methods": {}}
    methods = (["spsolve"] if S <= job.get("direct_max", 0) else []) + job.get("methods", ["bicgstab", "tfqmr", "qmr", "gmres", "lgmres"])
    for method in methods:
        stats = {}
        g = gradient(method, S, A, b, P, R, theta, rho, gamma, stats)
        times = []
        for _ in range(job["reps"]):
            t = time.process_time()
            gradient(method, S, A, b, P, R, theta, rho, gamma, None)
            times.append(time.process_time() - t)
        out["methods"][method] = {"seconds": float(np.median(times)), "all": times, "iterations": stats["iterations"], "met": stats["met"]}
        if method == job.get("grad_of", "bicgstab"):
            out["grad"] = g.ravel().tolist() if S * A <= 4000 else None
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
