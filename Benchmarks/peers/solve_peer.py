#!/usr/bin/env python3
"""Solves one exported placeplan problem (placeplan-problem/1, written by `placeplan-bench --export`)
with one peer and prints one JSON line: {peer, status, coverage, quality, seconds, peak_mb, ...}.

    solve_peer.py cpsat|highs|cbc|ffd PROBLEM.json TIME_LIMIT

The model is SPEC §4 exactly, on the same candidates x[m,q,i] placeplan builds (quants, on/avoid
and capacity already applied; dominated quants already dropped, as placeplan does):
  Σ_{q,i} x[m,q,i] = replicas(m)·y[m];  Σ_q x[m,q,i] ≤ 1 per instance (per host with spread: host);
  Σ footprint·x ≤ capacity per instance (exact: footprints and capacities divided by the gcd of
  the footprints, capacity rounded down, which keeps every integer solution and no other);
  y[m] = 1 for required models.
Objective, lexicographic like placeplan's: phase 1 maximises coverage Σ priority·y; phase 2
holds coverage ≥ phase 1's and maximises quality Σ priority·quality(q)·x ÷ replicas, started
from phase 1's solution. Both phases share one budget of TIME_LIMIT seconds of solver time,
counted from the start of phase 1 (phase 2 gets what is left, at least 0.05 s) — as placeplan
does. Python model building is not in that budget but is in `seconds` (wall time of this script).
CP-SAT needs integer objectives: quality weights are multiplied by 1000 × lcm(replicas) and
rounded (exact for SPEC's three-decimal qualities); reported quality is always recomputed from
the exported float weights. Every answer is re-checked in exact integer arithmetic.
Solvers run with their defaults on this machine (CP-SAT picks its worker count from the cores).
"""
import json
import math
import resource
import sys
import time
from functools import reduce

T0 = time.monotonic()


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def load(path):
    with open(path) as f:
        p = json.load(f)
    c = p["candidates"]
    n = len(c["item"])
    items, bins = p["items"], p["bins"]
    g = reduce(math.gcd, c["footprint"], 0) or 1
    fp = [f // g for f in c["footprint"]]
    cap = [b["capacity"] // g for b in bins]
    by_item = [[] for _ in items]
    by_bin = [[] for _ in bins]
    groups = {}
    for j in range(n):
        m, b = c["item"][j], c["bin"][j]
        by_item[m].append(j)
        by_bin[b].append(j)
        key = (m, -1 - bins[b]["host"]) if items[m]["spread_host"] else (m, b)
        groups.setdefault(key, []).append(j)
    return dict(p=p, n=n, items=items, bins=bins, item=c["item"], bin=c["bin"], w=c["weight"],
                fp=fp, cap=cap, by_item=by_item, by_bin=by_bin,
                groups=[v for v in groups.values() if len(v) > 1])


def evaluate(P, xs):
    """coverage, quality and violations of a 0/1 choice of candidates (exact integers)."""
    chosen = [j for j in range(P["n"]) if xs[j]]
    copies = [0] * len(P["items"])
    used = [0] * len(P["bins"])
    seen = set()
    bad = 0
    for j in chosen:
        m, b = P["item"][j], P["bin"][j]
        copies[m] += 1
        used[b] += P["fp"][j]
        key = (m, -1 - P["bins"][b]["host"]) if P["items"][m]["spread_host"] else (m, b)
        if key in seen:
            bad += 1
        seen.add(key)
    cov = 0
    for m, it in enumerate(P["items"]):
        if copies[m] == 0:
            bad += 1 if it["required"] else 0
        elif copies[m] != it["replicas"]:
            bad += 1
        else:
            cov += it["priority"]
    bad += sum(1 for b in range(len(P["bins"])) if used[b] > P["cap"][b])
    quality = sum(P["w"][j] for j in sorted(chosen))
    return cov, quality, bad


def remaining(limit, start):
    return max(0.05, limit - (time.monotonic() - start))


def int_weights(P):
    L = reduce(lambda a, b: a * b // math.gcd(a, b), [it["replicas"] for it in P["items"]], 1)
    return [round(w * 1000 * L) for w in P["w"]]


# ---------------------------------------------------------------- CP-SAT

def solve_cpsat(P, limit):
    from ortools.sat.python import cp_model
    m = cp_model.CpModel()
    x = [m.NewBoolVar("") for _ in range(P["n"])]
    y = []
    for it in P["items"]:
        lo = 1 if it["required"] else 0
        y.append(m.NewIntVar(lo, 1, ""))
    for mi, js in enumerate(P["by_item"]):
        r = P["items"][mi]["replicas"]
        m.Add(sum(x[j] for j in js) == r * y[mi])
    for g in P["groups"]:
        m.AddAtMostOne([x[j] for j in g])
    for b, js in enumerate(P["by_bin"]):
        if js and sum(P["fp"][j] for j in js) > P["cap"][b]:
            m.Add(cp_model.LinearExpr.WeightedSum([x[j] for j in js], [P["fp"][j] for j in js]) <= P["cap"][b])
    pr = [it["priority"] for it in P["items"]]
    cov = cp_model.LinearExpr.WeightedSum(y, pr)
    m.Maximize(cov)
    start = time.monotonic()
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = limit
    st1 = s.Solve(m)
    if st1 == cp_model.INFEASIBLE:
        return "infeasible", None, {}
    if st1 not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "unknown", None, {}
    c1 = round(s.ObjectiveValue())
    bound1 = s.BestObjectiveBound()
    x1 = [s.BooleanValue(v) for v in x]
    m.Add(cov >= c1)
    for j, v in enumerate(x):
        m.AddHint(v, x1[j])
    for mi, v in enumerate(y):
        m.AddHint(v, 1 if any(x1[j] for j in P["by_item"][mi]) else 0)
    wi = int_weights(P)
    m.Maximize(cp_model.LinearExpr.WeightedSum(x, wi))
    s2 = cp_model.CpSolver()
    s2.parameters.max_time_in_seconds = remaining(limit, start)
    st2 = s2.Solve(m)
    if st2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        xs = [s2.BooleanValue(v) for v in x]
        proven = st1 == cp_model.OPTIMAL and st2 == cp_model.OPTIMAL
        return ("optimal" if proven else "feasible"), xs, {"coverage_bound": math.floor(bound1 + 1e-6)}
    return "feasible", x1, {"coverage_bound": math.floor(bound1 + 1e-6), "phase2": "no solution"}


# ---------------------------------------------------------------- HiGHS and CBC share the row build

def rows(P):
    """(coefficients {col: val}, lo, hi) rows over columns x[0..n) then y[0..items)."""
    n = P["n"]
    out = []
    for mi, js in enumerate(P["by_item"]):
        r = P["items"][mi]["replicas"]
        out.append(({**{j: 1.0 for j in js}, n + mi: -float(r)}, 0.0, 0.0))
    for g in P["groups"]:
        out.append(({j: 1.0 for j in g}, -math.inf, 1.0))
    for b, js in enumerate(P["by_bin"]):
        if js and sum(P["fp"][j] for j in js) > P["cap"][b]:
            out.append(({j: float(P["fp"][j]) for j in js}, -math.inf, float(P["cap"][b])))
    return out


def solve_highs(P, limit):
    import highspy
    import numpy as np
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    n, k = P["n"], len(P["items"])
    pr = [float(it["priority"]) for it in P["items"]]
    lower = np.array([0.0] * n + [1.0 if it["required"] else 0.0 for it in P["items"]])
    upper = np.ones(n + k)
    cost = np.array([0.0] * n + pr)
    h.addCols(n + k, cost, lower, upper, 0, np.array([], dtype=np.int32), np.array([], dtype=np.int32), np.array([]))
    h.changeColsIntegrality(n + k, np.arange(n + k, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * (n + k)))
    R = rows(P)
    starts, idx, val, lo, hi = [], [], [], [], []
    for coefs, l, u in R:
        starts.append(len(idx))
        for c, v in coefs.items():
            idx.append(c)
            val.append(v)
        lo.append(l if l != -math.inf else -highspy.kHighsInf)
        hi.append(u)
    h.addRows(len(R), np.array(lo), np.array(hi), len(idx), np.array(starts, dtype=np.int32), np.array(idx, dtype=np.int32), np.array(val))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    start = time.monotonic()
    h.setOptionValue("time_limit", float(limit))
    h.run()
    ms1 = h.getModelStatus()
    if ms1 == highspy.HighsModelStatus.kInfeasible:
        return "infeasible", None, {}
    info = h.getInfo()
    if info.primal_solution_status != 2:
        return "unknown", None, {}
    sol1 = list(h.getSolution().col_value)
    c1 = round(info.objective_function_value)
    bound1 = info.mip_dual_bound
    opt1 = ms1 == highspy.HighsModelStatus.kOptimal
    h.addRow(c1 - 0.5, highspy.kHighsInf, k, np.arange(n, n + k, dtype=np.int32), np.array(pr))
    h.changeColsCost(n + k, np.arange(n + k, dtype=np.int32), np.array(list(P["w"]) + [0.0] * k))
    try:
        s = highspy.HighsSolution()
        s.col_value = sol1
        s.value_valid = True
        h.setSolution(s)
    except Exception:
        pass
    h.setOptionValue("time_limit", float(remaining(limit, start)))
    h.run()
    ms2 = h.getModelStatus()
    info2 = h.getInfo()
    extra = {"coverage_bound": math.floor(bound1 + 1e-6)}
    if info2.primal_solution_status == 2:
        xs = [v > 0.5 for v in list(h.getSolution().col_value)[:n]]
        proven = opt1 and ms2 == highspy.HighsModelStatus.kOptimal
        return ("optimal" if proven else "feasible"), xs, extra
    return "feasible", [v > 0.5 for v in sol1[:n]], {**extra, "phase2": "no solution"}


def solve_cbc(P, limit):
    import pulp
    n = P["n"]
    prob = pulp.LpProblem("placeplan", pulp.LpMaximize)
    x = [pulp.LpVariable(f"x{j}", cat="Binary") for j in range(n)]
    y = [pulp.LpVariable(f"y{m}", lowBound=1 if it["required"] else 0, upBound=1, cat="Integer") for m, it in enumerate(P["items"])]
    cols = x + y
    for i, (coefs, lo, hi) in enumerate(rows(P)):
        e = pulp.LpAffineExpression([(cols[c], v) for c, v in coefs.items()])
        if lo == hi:
            prob += (e == lo), f"r{i}"
        else:
            prob += (e <= hi), f"r{i}"
    cov = pulp.LpAffineExpression([(y[m], it["priority"]) for m, it in enumerate(P["items"])])
    prob.setObjective(cov)
    start = time.monotonic()
    st = prob.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=limit))
    # sol_status: 1 optimal, 2 integer feasible (time limit), 0 none, -1 infeasible
    if prob.status == pulp.LpStatusInfeasible or prob.sol_status == pulp.LpSolutionInfeasible:
        return "infeasible", None, {}
    if prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        return "unknown", None, {}
    opt1 = prob.sol_status == pulp.LpSolutionOptimal
    x1 = [(v.value() or 0) > 0.5 for v in x]
    c1 = round(pulp.value(prob.objective))
    prob += (cov >= c1), "coverage_held"
    prob.setObjective(pulp.LpAffineExpression([(x[j], P["w"][j]) for j in range(n)]))
    for v, val in zip(x, x1):
        v.setInitialValue(1 if val else 0)
    try:
        prob.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=remaining(limit, start), warmStart=True))
    except pulp.PulpSolverError as e:  # CBC 2.10.3 exits non-zero on some tiny time limits
        return "feasible", x1, {"phase2": f"cbc failed: {str(e)[:40]}"}
    if prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        xs = [(v.value() or 0) > 0.5 for v in x]
        proven = opt1 and prob.sol_status == pulp.LpSolutionOptimal
        return ("optimal" if proven else "feasible"), xs, {}
    return "feasible", x1, {"phase2": "no solution"}


# ---------------------------------------------------------------- first-fit decreasing

def solve_ffd(P, limit):
    """Required models first, then by priority density (priority ÷ (replicas × smallest footprint));
    each copy goes to the first instance (in problem order) where some quant fits, at the best
    quality that fits there; a model whose copies do not all fit is left out. No search."""
    items = P["items"]
    free = list(P["cap"])
    xs = [False] * P["n"]
    by_item_bin = []
    for mi, js in enumerate(P["by_item"]):
        d = {}
        for j in js:
            d.setdefault(P["bin"][j], []).append(j)
        for b in d:
            d[b].sort(key=lambda j: -P["w"][j])
        by_item_bin.append(d)

    def density(mi):
        js = P["by_item"][mi]
        if not js:
            return -1.0
        return items[mi]["priority"] / (items[mi]["replicas"] * min(P["fp"][j] for j in js))

    order = sorted(range(len(items)), key=lambda mi: (not items[mi]["required"], -density(mi), mi))
    for mi in order:
        it = items[mi]
        chosen, used_bins, used_hosts = [], set(), set()
        for _ in range(it["replicas"]):
            pick = None
            for b in sorted(by_item_bin[mi]):
                host = P["bins"][b]["host"]
                if b in used_bins or (it["spread_host"] and host in used_hosts):
                    continue
                for j in by_item_bin[mi][b]:
                    if P["fp"][j] <= free[b]:
                        pick = j
                        break
                if pick is not None:
                    break
            if pick is None:
                break
            b = P["bin"][pick]
            chosen.append(pick)
            used_bins.add(b)
            used_hosts.add(P["bins"][b]["host"])
            free[b] -= P["fp"][pick]
        if len(chosen) == it["replicas"]:
            for j in chosen:
                xs[j] = True
        else:
            for j in chosen:
                free[P["bin"][j]] += P["fp"][j]
    return "heuristic", xs, {}


PEERS = {"cpsat": solve_cpsat, "highs": solve_highs, "cbc": solve_cbc, "ffd": solve_ffd}


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in PEERS:
        print(f"usage: solve_peer.py {'|'.join(PEERS)} PROBLEM.json TIME_LIMIT", file=sys.stderr)
        sys.exit(64)
    peer, path, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
    out = {"peer": peer}
    try:
        P = load(path)
        out["load_seconds"] = round(time.monotonic() - T0, 3)
        status, xs, extra = PEERS[peer](P, limit)
        out.update(extra)
        out["status"] = status
        if xs is not None:
            cov, q, bad = evaluate(P, xs)
            out["coverage"], out["quality"] = cov, q
            if bad:
                out["status"] = "invalid"
                out["error"] = f"{bad} violated constraints in exact arithmetic"
    except Exception as e:  # report, never crash silently
        out["status"] = "error"
        out["error"] = f"{type(e).__name__}: {e}"
    out["seconds"] = round(time.monotonic() - T0, 3)
    out["peak_mb"] = round(peak_mb(), 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
