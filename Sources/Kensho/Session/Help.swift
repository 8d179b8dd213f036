/// The text of `help [topic]`. Kept next to the language so it stays in step with it.
enum Help {
    static let overview = """
    kensho — an investigation notebook for data-leak cases

    statements (end at a newline or ';'; a line starting with '|' continues the one before)
      load PATH [as NAME] [with k=v, ...]   a CSV/TSV, JSON/JSONL or SQLite file, a glob, or a directory tree
      NAME = PIPELINE                       keep a result as a dataset
      PIPELINE                              evaluate and print: SOURCE | OPERATOR | ...
      fingerprint NAME = FIELD[:KEYER] + ...   a recipe that finds one person across systems
      role DS.COL = ROLE                    correct a column's role (roles DS shows them)
      export PIPELINE to PATH [as FORMAT] [masked]   also: export findings to PATH
      set NAME = VALUE                      format, maxrows, width, mask, operator, key
      attach postgres "URL" as WH           a PostgreSQL warehouse, for sweeps beyond memory
      push DS using FP to WH [with personal=none|masked|all]   also: push "FILE" (streamed)
      untag LABEL [where ...], note LABEL "text", save PATH
      describe DS, history, help [topic]

    sources:    a dataset, union A, B, ..., datasets, roles DS, rejects DS, findings,
                occurrences FP [in ...], matrix FP [in ...], diff A B (two trees)
    operators:  where, select, derive, sort, limit, distinct, count, count by,
                join / left join / semijoin / antijoin (on a column or a fingerprint),
                fingerprint FP [as COL], tag LABEL [note "..."]
    every row carries _dataset, _source (file sha256) and _line (where it was read);
    personal columns are masked in tables (set mask = off to see them)

    help topics: load, trees, diff, pipeline, operators, expressions, functions, join,
                 fingerprint, keyers, roles, occurrences, matrix, tag, mask, journal,
                 export, set, warehouse, examples
    """

    static let topics: [String: String] = [
        "warehouse": """
        attach postgres "postgresql://USER@HOST:PORT/DB" as WH
          a PostgreSQL-compatible server (one PostgreSQL, postgres_fdw shards, Citus) for
          sweeps too big for memory. The password comes from PGPASSWORD or ~/.pgpass, never
          from the URL (a URL holding one is refused and masked); TLS when the server offers it.
        push DS using FP to WH [with personal=none|masked|all]
          keys DS here and sends its fingerprints, provenance (_source, _line) and origin
          signals (postal area, registration date, id shape) with COPY; personal columns only
          when asked (masked: as the screen shows them). Rows go to a staging table that
          becomes the dataset's rows only when every row is in: a failed, cancelled or cut
          push leaves nothing. Pushing a dataset again replaces it.
        push "FILE" using FP to WH [with personal=..., encoding=..., delimiter=..., header=...]
          streams a CSV/TSV file in 32 MiB slices without loading it (bounded memory)
        then, in the warehouse, as SQL (the SQL and the result digest are journaled):
          occurrences FP in WH.*          matrix FP in WH.*         WH.name | ...
          occurrences FP in WH.a, WH.b    DS | semijoin WH.name on FP   (joins on a fingerprint)
        """,
        "load": """
        load PATH [as NAME] [with k=v, ...]
          PATH is a file, or a glob ("dumps/*/patrons.csv") that loads each match as its own
          dataset, named after the part of the path that differs. Quote paths with spaces.
          options: format=csv|tsv|json|jsonl|sqlite, encoding=auto|utf-8|cp932|euc-jp|utf-16,
                   delimiter=',', header=true|false|auto, table=NAME, errors=strict|replace
          the format follows the extension (.csv .tsv .json .jsonl .ndjson .sqlite .sqlite3 .db)
          unless given. Prints rows, columns, the detected layout and encoding (with
          confidence), the file's size and SHA-256. CSV records with the wrong number of
          fields are kept and listed by: rejects NAME
          json: an array of objects, or an object holding one (table=KEY picks it); jsonl:
            one object per line. Nested objects become dotted columns (address.city),
            arrays their JSON text; _line is the line where a record starts
          sqlite: every table as NAME.TABLE (table=T loads one, named by 'as' or NAME.T);
            read from the bytes kensho hashed, never opened by SQLite; _line is the rowid
          A directory loads as a tree manifest (see: help trees); format=dir says so explicitly.
        example:  load examples/case/minatokita.csv as minato
        """,
        "trees": """
        load DIR [as NAME]   (or: load PATH with format=dir)
          one row per regular file under DIR, sorted by path bytes: path (relative, names
          decoded from UTF-8 or CP932, undecodable bytes as %XX), size, sha256, modified
          (UTC). The hidden _path_hex holds the exact name bytes; _line is the row number;
          _source and the printed sha256 are the SHA-256 of the manifest (path NUL sha256
          SP size LF per file), so a copy of the tree with other times has the same one.
          Symbolic links are listed in rejects and never followed; fifos and devices are
          skipped; an unreadable file keeps its row without a sha256 and is a warning.
        example:  load examples/case/web/before; load examples/case/web/after
        """,
        "diff": """
        diff A B            A and B are tree manifests, A before and B after
          one row per path: class, path, old_path, sha256, old_sha256, size
          same      same path, same content          modified  same path, other content
          moved     the content sat at exactly one path in A, sits at exactly one other
                    path in B, and its old path is gone (the old path has no row)
          copied    the content was in A and still is, or had or has other copies;
                    old_path is its smallest path in A
          deleted   a path that is gone, also when a copy of its content remains
          new       content that was nowhere in A
          A part of a tree diffs too: news = before | where path like 'news/%'
        diff A B by FP      two versions of a table: added, removed and changed rows (changed fields named)
        example:  diff before after | where class = 'deleted'
        """,
        "pipeline": """
        SOURCE | OPERATOR | OPERATOR ...
          a pipeline reads a dataset (or union A, B / datasets / rejects DS) and passes the
          table through operators. Bind it with NAME = ..., or print it.
        example:  minato | where 住所 like '%港北%' | count by 郵便番号
        """,
        "operators": """
        where EXPR                       keep rows where EXPR is true
        select ITEM, ...                 col, col as new, EXPR as new
        derive NAME = EXPR, ...          add or replace columns
        sort KEY [desc], ...             stable; nulls last
        limit N
        distinct [COL, ...]              distinct values (or distinct rows)
        count                            number of rows (column n)
        count by COL, ...                rows per value, largest first
        join DS on KEY [= KEY]           also: left join, semijoin, antijoin
        """,
        "join": """
        LEFT | join DS on KEY            KEY names a column on both sides
        LEFT | join DS on a = b          a on the left, b in DS
        left join keeps unmatched left rows (right side null); semijoin keeps left rows
        that have a match, antijoin those that have none. Null keys never match.
        """,
        "expressions": """
        literals 'text' "text" 12 3.5 true false null; columns by name, `quoted name`,
        or qualified (ds.col). Operators: = != < <= > >=, and or not, + - * / %,
        || (concatenate), x in (a, b), x is [not] null, x like 'a%_' , x ~ 'regex'
        comparing text with a number is an error: quote the number
        """,
        "functions": """
        lower(x) upper(x) trim(x) length(x) (characters) substr(x, start[, len]) (from 1)
        replace(x, 'find', 'put') coalesce(a, b, ...) int(x) float(x) text(x) abs(x)
        round(x[, digits]) year(date) normalize(x, keyer)
        """,
        "export": """
        export PIPELINE to PATH [as csv|tsv|json|jsonl|md|html]
          the format follows the file extension unless given. Files are written whole or
          not at all, owner-readable only, and never over a loaded input. Exports include
          the provenance columns _dataset, _source, _line.
        export findings to PATH [as md|html] [unmasked]
          the investigation report: inputs with hashes, findings per label and system,
          whose data is in whose system, tree diffs, the journal's head hash
        export notification for ORIGIN using FP to DIR
          one packet per receiving system with only ORIGIN's own records, plus a cover
          letter in Japanese and English
        export fingerprints of DS using FP to PATH
          keyed fingerprints only (set key = env:NAME first), for another library to
          load with format=fingerprints and join on FP
        """,
        "set": """
        set format = table|csv|tsv|json|jsonl|md    how results print
        set maxrows = N                             rows shown in a table (default 40)
        set width = N                               widest column shown (default 40)
        set mask = on|off|all                       masking of personal columns
        set operator = NAME                         who is investigating (journaled)
        """,
        "fingerprint": """
        fingerprint NAME = FIELD[:KEYER[@VERSION]] [+ FIELD[:KEYER]]...
          FIELD is a role (name, kana, birthdate, phone, email, postal, address, id) or a
          column. Without a keyer a role uses its own (name→name, kana→kana,
          birthdate→date, phone→phone, ...) and a column uses text.
          The fingerprint is SHA-256 over the fields' canonical forms, length-prefixed,
          with the keyer versions (name@1+date@1+phone@1) in the key; with
          'set key = env:VAR' it is HMAC-SHA256 under that key. A row with an empty or
          invalid field gets none and never matches; describe counts such rows.
        use:  DS | fingerprint person       adds the fingerprint as a column
              A | join B on person          joins by fingerprint
              occurrences person / matrix person
        example:  fingerprint person = name + birthdate + phone
        """,
        "keyers": """
        keyers turn a value into its canonical form; each is versioned (name@1):
          raw      bytes as they are
          text     NFKC, lower case, spaces collapsed, hyphen variants unified
          name     text without spaces and middle dots; keeps 々 and ー
          kana     name, katakana as hiragana, half-width kana as full-width
          digits   the digits only
          phone    digits; +81 / 81 / 0081 becomes 0
          date     yyyy-mm-dd from 1975/4/3, 19750403, 昭和50年4月3日, S50.4.3, 令和元年...;
                   impossible dates (平成32年, Feb 30) are invalid, never guessed
          email    trimmed, lower case
          postal   the 7 digits of a Japanese postal code
        try one:  DS | select normalize(氏名, kana) as k
        """,
        "roles": """
        roles DS                  each column's role and the evidence (a header or value shapes)
        role DS.COL = ROLE        set it (ROLE = none clears it)
          roles: name, kana, birthdate, phone, email, postal, address, id, registered.
          Recipes name roles, so one recipe fits exports with different headers; personal
          roles are masked in tables; registration dates are evidence of origin.
        """,
        "occurrences": """
        occurrences FP [in DS, DS, ... | in *]
          every fingerprint found in two or more datasets, one row per copy: fingerprint,
          spread (how many datasets hold it), _dataset, _source, _line, then the copy's
          own values by role. Without 'in', every loaded file.
        example:  occurrences person | count by _dataset
        """,
        "matrix": """
        matrix FP [in ...]
          one row per pair of datasets sharing fingerprints: a, b, shared, likely_origin
          and evidence. The origin is argued from the shared records' postal area (a
          library's patrons live in its own area), then registration dates (the origin
          registered them earlier; a receiver often in one batch), then id numbering,
          then how many systems each side shares with. The evidence says which decided.
        """,
        "tag": """
        DS | ... | tag LABEL [note "text"]    tag the rows passing through (they pass on)
        findings                              every tagged row: label, note, operator, time,
                                              _dataset, _source, _line
        untag LABEL [where EXPR]              remove tags (EXPR over the findings columns)
        note LABEL "text"                     a note on a finding as a whole
        export findings to PATH
          tags attach to the row's identity (dataset, file hash, line), so replaying the
          journal reproduces them.
        """,
        "mask": """
        set mask = on      personal columns masked in tables (the default): 山田 *,
                           ***-****-5678, 1975-**-**, ****@example.jp
        set mask = off     show values (journaled)
        set mask = all     mask in every format, exports included
        export ... masked  mask one export
        """,
        "journal": """
        every session is journaled to sessions/ (or --journal PATH; --no-journal to opt out):
        each statement as typed, then a '--=' line with its time, status, input hashes,
        row count, result digest and a chain hash.
          kensho verify LOG      checks the chain, prints the head hash (exit 3 if edited)
          kensho replay LOG      re-runs, checks every input and result (exit 3 on divergence)
          save PATH              copies the journal so far
        """,
        "examples": """
        load "examples/case/*.csv"
        datasets
        roles shiohama
        fingerprint person = name + birthdate + phone
        matrix person
        occurrences person | count by _dataset
        shiohama | semijoin minatokita on person | tag from_minatokita | count
        export findings to findings.csv
        (the whole investigation: kensho run examples/walkthrough.kensho)
        """,
    ]

    static func text(for topic: String?, range: SourceRange) throws(Diagnostic) -> String {
        guard let topic else { return overview + "\n" }
        let key = topic.trimmingCharacters(in: .whitespaces)
        if let text = topics[key] { return text + "\n" }
        let aliases = ["where": "operators", "select": "operators", "sort": "operators", "count": "operators",
                       "derive": "operators", "distinct": "operators", "limit": "operators",
                       "union": "pipeline", "datasets": "pipeline", "format": "set", "maxrows": "set",
                       "functions": "functions", "expression": "expressions", "left join": "join",
                       "semijoin": "join", "antijoin": "join", "rejects": "load", "tree": "trees",
                       "dir": "trees", "manifest": "trees"]
        if let alias = aliases[key], let text = topics[alias] { return text + "\n" }
        throw Diagnostic("no help on '\(key)'", at: range,
                         hint: Suggestion.hint(for: key, in: Array(topics.keys) + Array(aliases.keys))
                             ?? "topics: " + topics.keys.sorted().joined(separator: ", "))
    }
}

import Foundation
