#!/usr/bin/env python3
"""The plain-script peer of the tree_diff workload: hash every file of two trees with
hashlib and classify every path with set logic, by the rules kensho's `diff A B` follows
(DESIGN.md section 3). Prints `class,n` lines, as `kensho ... | count by class` does.

    tree_diff.py BEFORE AFTER

same      the path is in both, the content unchanged
modified  the path is in both, the content changed
moved     a new path whose content sat at exactly one path before, sits at exactly one
          path now, and whose old path is gone
copied    any other new path whose content existed before
deleted   a path gone, unless it was the old path of a move
new       a new path with content not seen before
"""

import hashlib
import os
import sys
from collections import defaultdict


def manifest(root):
    out = {}
    for d, _, files in os.walk(root):
        for name in files:
            full = os.path.join(d, name)
            h = hashlib.sha256()
            with open(full, "rb") as f:
                while chunk := f.read(1 << 20):
                    h.update(chunk)
            out[os.path.relpath(full, root)] = h.hexdigest()
    return out


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    before, after = manifest(argv[0]), manifest(argv[1])
    paths_before, paths_after = defaultdict(list), defaultdict(list)
    for p, h in before.items():
        paths_before[h].append(p)
    for p, h in after.items():
        paths_after[h].append(p)
    n = dict.fromkeys(("same", "modified", "moved", "copied", "deleted", "new"), 0)
    moved_from = set()
    for p, h in after.items():
        if p in before:
            n["same" if before[p] == h else "modified"] += 1
        elif h not in paths_before:
            n["new"] += 1
        elif len(paths_before[h]) == 1 and len(paths_after[h]) == 1 and paths_before[h][0] not in after:
            n["moved"] += 1
            moved_from.add(paths_before[h][0])
        else:
            n["copied"] += 1
    n["deleted"] = sum(1 for p in before if p not in after and p not in moved_from)
    print("class,n")
    for c, k in sorted(n.items(), key=lambda x: -x[1]):
        if k:
            print(f"{c},{k}")


if __name__ == "__main__":
    main(sys.argv[1:])
