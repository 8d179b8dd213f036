#!/usr/bin/env python3
"""Inflates a generated sweep (generate.py systems) N times, for warehouse benchmarks
larger than the generator makes in reasonable time.

Every row is written N times; replica k > 0 has k appended to the name (ASCII digits,
the same bytes in CP932 and UTF-8, kept by the name keyer), so each replica of a person
is a different person to a name-based fingerprint, and a planted copy stays a copy of
the same replica in every file that holds it. Files keep their encoding, BOM, line
endings, header and column order; rows are written replica by replica.

    python3 Benchmarks/tools/inflate-sweep.py SOURCE_DIR OUT_DIR N
"""
import csv
import io
import json
import os
import sys

NAME_HEADERS = {"氏名", "名前", "name", "full_name", "fullname", "patron_name", "利用者名", "お名前", "姓名"}


def main():
    source, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    manifest = json.load(open(os.path.join(source, "manifest.json"), encoding="utf-8"))
    os.makedirs(out, exist_ok=True)
    total = 0
    for entry in manifest["files"]:
        encoding = "cp932" if entry["encoding"] == "cp932" else "utf-8"
        newline = "\r\n" if entry["newline"] == "crlf" else "\n"
        with open(os.path.join(source, entry["file"]), encoding=encoding + ("-sig" if entry["bom"] else ""), newline="") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        name = next(i for i, h in enumerate(header) if h.strip().lower() in NAME_HEADERS)
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator=newline)
        writer.writerow(header)
        for k in range(n):
            for row in body:
                if k:
                    row = list(row)
                    row[name] = row[name] + str(k)
                writer.writerow(row)
        data = buffer.getvalue().encode(encoding)
        with open(os.path.join(out, entry["file"]), "wb") as f:
            if entry["bom"]:
                f.write(b"\xef\xbb\xbf")
            f.write(data)
        total += len(body) * n
    print(f"{len(manifest['files'])} files, {total:,} rows", file=sys.stderr)
    json.dump({"inflated_from": source, "replicas": n, "rows": total}, open(os.path.join(out, "manifest.json"), "w"))


if __name__ == "__main__":
    main()
