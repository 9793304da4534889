"""Throws `points` random darts at the unit square and counts the hits inside the quarter circle.

Seeded by the foreach item, so each activation's share of the estimate is reproducible.
"""
import random


def main(args):
    seed = args["seed"]
    points = args.get("points") or 20000
    rng = random.Random(seed)
    hits = 0
    for _ in range(points):
        x = rng.random()
        y = rng.random()
        if x * x + y * y <= 1.0:
            hits += 1
    return {"seed": seed, "hits": hits, "points": points}
