#!/usr/bin/env python3
"""The trade-off between predicting engagement and resisting a bot ring, for score designs
built from reactions alone (docs/VALIDATION.md, "The frontier").

A compact re-implementation of the model's structure (decayed established and crowd sums, the
crowd logarithm, Who from the previous day's standing, the repeat discount, the calibrated 1-100
scale) with the pieces a design might change: a slow-decaying memory of engagement, a term for
distinct days reacted to, a per-day logarithm of the crowd, a gentler Who. For each design it
replays Twitter15/16 as `resonance evaluate` reads it, calibrates the scale (mean 40, p95 63),
reports Spearman rho and NDCG@100 at the four cutoffs against "reactions received", and replays
the attack suite's world (AttackWorld.swift) with 0, 1 and 3 established engagers to report the
baseline and the gains of the ring, the control and the superfan. It reproduces the baseline
figures of `resonance evaluate` exactly; its own default-design figures are close to, not equal
to, the Swift model's (no What factor, no lasting bonus).

    .deps/venv/bin/pip install numpy     # once
    .deps/venv/bin/python scripts/score-frontier.py [DATA]      # about 40 s a design on one core
"""
import collections, csv, datetime, gzip, json, math, os, sys
import numpy as np

from ranking_metrics import ndcg, spearman

DAY = 86400.0
CUTOFFS = ["2015-01-01", "2015-07-01", "2016-01-01", "2016-07-01"]


def load(path):
    seen, events = set(), []
    with gzip.open(path, "rt", newline="") as f:
        rows = csv.reader(f); next(rows)
        for _, root, _, parent, _, child, child_tweet, _, seconds, kind in rows:
            t = int(seconds)
            if kind == "source":
                events.append((t, 0, child, None, root))
                continue
            rid = (child_tweet, child, parent, kind)
            if rid in seen:
                continue
            seen.add(rid)
            if kind.startswith("new_tweet"):
                events.append((t, 0, child, None, root))  # the reply is a post of the child
            if parent == child:
                continue
            w = 1.0 if kind.startswith("same") else 0.7
            events.append((t, 1, parent, child, root, w))
    events.sort(key=lambda e: e[0])
    return events


class Model:
    """Parametric model. p: dict of constants."""

    def __init__(self, p, scale=(0.1447, 0.2227)):
        self.p = p
        self.r0, self.k = scale
        self.u = {}
        self.pairs = {}
        self.L = 1.2e9  # landmark seconds

    def g(self, t, hl):
        return 2.0 ** ((t - self.L) / (hl * DAY))

    def user(self, name):
        s = self.u.get(name)
        if s is None:
            s = self.u[name] = dict(est=0.0, crowd=0.0, reach=0.0, days=0.0, posts=0.0, lastday=-1,
                                     daycrowd=0.0, dayn=0.0, slow=0.0, sday=-1, sval=1.0, upd=-1)
        return s

    def raw(self, s, t):
        p = self.p
        f = 2.0 ** (-(t - self.L) / (p["hl"] * DAY))
        sl = 2.0 ** (-(t - self.L) / (p["slow_hl"] * DAY))
        est = s["est"] * f
        crowd = s["crowd"] * f
        dc = s["daycrowd"] * f
        c = p["crowd_scale"]
        crowd_term = c * math.log1p(crowd / c) if c < 1e9 else crowd
        r = est + p["w_crowd"] * crowd_term + p["w_daycrowd"] * dc + p["w_days"] * s["days"] * sl \
            + p["w_slow"] * s["slow"] * sl
        return r

    def score(self, s, t):
        r = self.raw(s, t)
        if r <= 0:
            return 1.0
        return 100 - 99 * (1 + r / self.r0) ** (-self.k)

    def standing(self, name, t):
        s = self.u.get(name)
        if s is None:
            return None
        day = int(t // DAY)
        if s["upd"] < day:
            return self.score(s, day * DAY)
        return s["sval"]

    def touch(self, s, t):
        day = int(t // DAY)
        if s["upd"] < day:
            s["sval"] = self.score(s, day * DAY)
            s["upd"] = day

    def post(self, author, t):
        s = self.user(author); self.touch(s, t)
        s["posts"] += self.g(t, self.p["hl"])

    def react(self, target, actor, t, how):
        p = self.p
        st = self.standing(actor, t)
        sc = 1.0 if st is None else min(max(st, 1), 100)
        s = self.user(target); self.touch(s, t)
        key = (actor, target)
        gp = self.g(t, 30)
        earlier = self.pairs.get(key, 0.0) / gp
        self.pairs[key] = self.pairs.get(key, 0.0) + gp
        rep = 1.0 if earlier == 0 else (1 + earlier) ** (-p["repeat_exp"])
        gf = self.g(t, p["hl"])
        gs = self.g(t, p["slow_hl"])
        who = p["who"](sc)
        low = sc < p["crowd_threshold"]
        w = how * rep
        if low:
            s["crowd"] += w * who * gf
            # per-day crowd: k-th crowd reaction of a day counts c/(c+n) style
            day = int(t // DAY)
            if s["lastday"] != day:
                s["dayn"] = 0.0
            c = p["day_scale"]
            before = c * math.log1p(s["dayn"] / c)
            s["dayn"] += w
            after = c * math.log1p(s["dayn"] / c)
            s["daycrowd"] += (after - before) * gf
        else:
            s["est"] += w * who * gf
        day = int(t // DAY)
        if s["lastday"] != day:
            s["days"] += gs
            s["lastday"] = day
        s["slow"] += w * who * gs * (1 if not low else p["slow_crowd"])


def calibrate(raws, mean=40, p95=63):
    r = np.sort(np.array([x for x in raws if x > 0]))
    p95raw = r[int(math.ceil(0.95 * len(r))) - 1]

    def sc(k):
        ref = p95raw / (((100 - p95) / 99) ** (-1 / k) - 1)
        return ref, k

    def m(k):
        ref, _ = sc(k)
        return float(np.mean(100 - 99 * (1 + r / ref) ** (-k)))
    lo, hi = 0.02, 20.0
    inc = m(hi) > m(lo)
    for _ in range(60):
        mid = (lo + hi) / 2
        if (m(mid) < mean) == inc:
            lo = mid
        else:
            hi = mid
    return sc((lo + hi) / 2)


def replay(events, p, scale, cutoffs):
    model = Model(p, scale)
    after_last = {}
    results = []
    cut_i = 0
    cut_secs = [int(datetime.datetime.fromisoformat(c + "T00:00:00+00:00").timestamp()) for c in cutoffs]
    count = collections.Counter()
    snap = []
    for e in events:
        t = e[0]
        while cut_i < len(cut_secs) and t >= cut_secs[cut_i]:
            ct = cut_secs[cut_i]
            users = [u for u in count]
            snap.append((ct, users, np.array([model.score(model.u[u], ct) for u in users]),
                         np.array([count[u] for u in users], dtype=float)))
            cut_i += 1
        if e[1] == 0:
            model.post(e[2], t)
        else:
            model.react(e[2], e[3], t, e[5])
            count[e[2]] += 1
            after_last[e[2]] = model.raw(model.u[e[2]], t)
    # outcomes
    out = []
    total = collections.Counter(); 
    for e in events:
        if e[1] == 1:
            total[e[2]] += 1
    for ct, users, sc, cnt in snap:
        fut = np.array([total[u] for u in users], dtype=float) - cnt
        out.append((spearman(sc, fut), ndcg(sc, fut), spearman(cnt, fut), ndcg(cnt, fut)))
    return out, list(after_last.values()), model


def attack_world(p, scale, engaged, attack):
    m = Model(p, scale)
    start = 1704067200.0
    H = 3600.0
    ev = []
    for i in range(540):
        off = i
        for post in range(3):
            ev.append((start + post * 3 * DAY + off, 0, f"m{i}"))
        for fan in range(6):
            ev.append((start + fan * DAY + 3 * H + off, 1, f"m{i}", f"fan{i}-{fan}", 1.0))
    for post in range(6):
        ev.append((start + (10 + 3 * post) * DAY, 0, "T"))
    for i in range(engaged):
        ev.append((start + 10 * DAY + i * 15 * H, 1, "T", f"m{i}", 1.0))
    for f in range(40):
        ev.append((start + 10 * DAY + f * 11 * H, 1, "T", f"fol{f}", 0.3))
    a0 = start + 30 * DAY
    if attack == "ring":
        for r in range(20):
            for b in range(500):
                ev.append((a0 + r * 170 + b * 0.3, 1, "T", f"ring{b}", 1.0))
    elif attack == "control":
        for i in range(40, 540):
            ev.append((a0 + (i - 40) * 7, 1, "T", f"m{i}", 1.0))
    elif attack == "superfan":
        for i in range(500):
            ev.append((a0 + i * 170, 1, "T", "m35", 0.3))
    ev.sort(key=lambda e: e[0])
    for e in ev:
        if e[1] == 0:
            m.post(e[2], e[0])
        else:
            m.react(e[2], e[3], e[0], e[4])
    return m.score(m.u["T"], start + 31 * DAY)


def who_exp(doubling):
    return lambda s: 2 ** ((s - 1) / doubling)


BASE = dict(hl=30, slow_hl=365, crowd_scale=3, w_crowd=1.0, w_daycrowd=0.0, w_days=0.0, w_slow=0.0,
            slow_crowd=1.0, day_scale=3, repeat_exp=2, crowd_threshold=15, who=who_exp(10))


def run(name, p, events, rounds=2):
    scale = (0.1447, 0.2227)
    for _ in range(rounds):
        out, raws, _ = replay(events, p, scale, CUTOFFS)
        scale = calibrate(raws)
    att = {}
    for eng in (0, 1, 3):
        b = attack_world(p, scale, eng, None)
        att[eng] = (b, attack_world(p, scale, eng, "ring") - b, attack_world(p, scale, eng, "control") - b,
                    attack_world(p, scale, eng, "superfan") - b)
    line = {"name": name, "scale": scale,
            "rho": [round(o[0], 3) for o in out], "ndcg": [round(o[1], 3) for o in out],
            "base_rho": [round(o[2], 3) for o in out], "base_ndcg": [round(o[3], 3) for o in out],
            "attack": {k: [round(x, 2) for x in v] for k, v in att.items()}}
    print(json.dumps(line), flush=True)
    return line


def designs():
    lin = lambda s: 1 + (s - 1) / 25
    one = lambda s: 1.0
    w25, w50 = who_exp(25), who_exp(50)
    linear = 1e12
    return {
        "default structure (30 days, crowd log 3, Who doubling 10)": dict(BASE),
        "linear crowd, gentle Who": dict(BASE, crowd_scale=linear, who=lin),
        "365-day memory, linear crowd": dict(BASE, crowd_scale=linear, w_crowd=0, w_slow=1, who=lin),
        "per-day crowd log (3), 365 days": dict(BASE, hl=365, w_crowd=0, w_daycrowd=1, day_scale=3, who=lin),
        "per-day crowd log (10), 365 days": dict(BASE, hl=365, w_crowd=0, w_daycrowd=1, day_scale=10, who=lin),
        "30 + 365 days, linear crowd, Who doubling 25": dict(BASE, crowd_scale=linear, w_slow=1, who=w25),
        "30 + 365 days + distinct days, Who doubling 25": dict(BASE, crowd_scale=linear, w_slow=1, w_days=1, who=w25),
        "365 days + distinct days, Who doubling 50": dict(BASE, crowd_scale=linear, w_crowd=0, w_slow=1, w_days=1, who=w50),
        "365 days + distinct days, no Who": dict(BASE, crowd_scale=linear, w_crowd=0, w_slow=1, w_days=1, who=one, crowd_threshold=0),
    }


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "data", "twitter1516_events.csv.gz")
    events = load(data)
    print(f"{len(events):,} events (posts and counted reactions)", flush=True)
    for name, parameters in designs().items():
        run(name, parameters, events, rounds=2)
