#!/usr/bin/env python3
"""polars peer for the fingerprint workloads: the best-effort person key an analyst can
write in polars, counted the way kensho counts its fingerprints. Prints one number.

    keyed_polars.py distinct FILE      distinct keys in one patron file
    keyed_polars.py join A B           rows of A joining rows of B on the key
    keyed_polars.py sweep DIR          rows whose key is in two or more of DIR/*.csv

The key: for each of name, birthdate and phone, NFKC, lower case, and every space,
hyphen-like character and bracket removed; the three joined with '|' and hashed with
SHA-256 (the polars-hash plugin when it is installed, else hashlib through
map_elements, one Python call per row: the notes of the report say which). Columns are
found by the header names the generator's three vendors use, mapped by hand: what
kensho's role inference does. What this key cannot do (era dates, y/m/d without zero
padding, hiragana/katakana, ...) is listed in Benchmarks/README.md.
"""

import glob
import hashlib
import os
import sys

import polars as pl

try:
    import polars_hash as plh
except ImportError:
    plh = None

CLEAN = r"[\s\u3000\-‐‑–—－−()（）]"
ROLES = {"name": ("氏名", "名前", "name"), "birthdate": ("生年月日", "birthdate"),
         "phone": ("電話番号", "電話", "tel")}


def norm(col):
    return pl.col(col).str.normalize("NFKC").str.to_lowercase().str.replace_all(CLEAN, "")


def keyed(lf):
    cols = lf.collect_schema().names()
    pick = {role: next(c for c in names if c in cols) for role, names in ROLES.items()}
    k = pl.concat_str([norm(pick["name"]), norm(pick["birthdate"]), norm(pick["phone"])], separator="|")
    if plh is not None:
        return lf.with_columns(k.alias("_k")).with_columns(plh.col("_k").chash.sha2_256().alias("key"))
    return lf.with_columns(k.map_elements(lambda s: hashlib.sha256(s.encode()).hexdigest(),
                                          return_dtype=pl.String).alias("key"))


def scan(path):
    return pl.scan_csv(path, infer_schema=False)


def main(argv):
    if len(argv) >= 2 and argv[0] == "distinct":
        n = keyed(scan(argv[1])).select(pl.col("key").n_unique()).collect().item()
    elif len(argv) >= 3 and argv[0] == "join":
        a, b = keyed(scan(argv[1])).select("key"), keyed(scan(argv[2])).select("key")
        n = a.join(b, on="key").select(pl.len()).collect().item()
    elif len(argv) >= 2 and argv[0] == "sweep":
        files = sorted(glob.glob(os.path.join(argv[1], "*.csv")))
        rows = pl.concat([keyed(scan(f)).select("key", pl.lit(i).alias("file")) for i, f in enumerate(files)])
        n = rows.filter(pl.col("file").n_unique().over("key") >= 2).select(pl.len()).collect().item()
    else:
        sys.exit(__doc__)
    print("hashing:", "polars-hash" if plh is not None else "hashlib via map_elements", file=sys.stderr)
    print(n)


if __name__ == "__main__":
    main(sys.argv[1:])
