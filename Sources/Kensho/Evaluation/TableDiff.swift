/// `diff A B by FP`: two versions of a table (an export from before and one from after)
/// compared person by person (DESIGN §3).
///
/// Rows are paired by fingerprint: a fingerprint only in B is `added`, only in A is
/// `removed`, in both with any shared column's value different is `changed`, and the
/// `changed` column names the columns that differ. Where one side holds a fingerprint
/// several times, copies are paired in line order and the extra ones are added or
/// removed. Rows without a fingerprint cannot be paired and are counted, not guessed.
/// Columns: `class`, `fingerprint`, `changed`, `old_source`, `old_line`, then the new
/// side's provenance (the old side's for removed rows).
enum TableDiff {
    struct Side {
        var name: String
        var table: Table
        var fingerprints: Fingerprinter.Result
    }

    struct Outcome {
        var table: Table
        var unpaired: (old: Int, new: Int)
    }

    static func compare(old: Side, new: Side) -> Outcome {
        // Fingerprint → rows, in line order, for each side.
        func index(_ side: Side) -> [String: [Int]] {
            var rows: [String: [Int]] = [:]
            for row in 0..<side.table.rowCount where side.fingerprints.present[row] {
                rows[side.fingerprints.hex(row), default: []].append(row)
            }
            return rows
        }
        let oldRows = index(old)
        let newRows = index(new)
        let common = old.table.fields.filter { !$0.isProvenance }.map(\.name)
            .filter { name in new.table.fields.contains { $0.name == name && !$0.isProvenance } }
        let oldColumns = common.map { old.table.column(named: $0)! }
        let newColumns = common.map { new.table.column(named: $0)! }

        var rows: [[Value]] = []
        func provenance(_ side: Side, _ row: Int) -> [Value] {
            ["_dataset", "_source", "_line"].map { name in side.table.column(named: name)?.value(at: row) ?? .null }
        }
        // Walk the new side in line order, then what is left of the old side.
        var oldUsed: [String: Int] = [:]
        for row in 0..<new.table.rowCount where new.fingerprints.present[row] {
            let fingerprint = new.fingerprints.hex(row)
            let used = oldUsed[fingerprint, default: 0]
            guard let candidates = oldRows[fingerprint], used < candidates.count else {
                rows.append([.text("added"), .text(fingerprint), .null, .null, .null] + provenance(new, row))
                continue
            }
            oldUsed[fingerprint] = used + 1
            let oldRow = candidates[used]
            let differing = common.indices.filter { oldColumns[$0].value(at: oldRow).text != newColumns[$0].value(at: row).text }
            guard !differing.isEmpty else { continue }
            let source = old.table.column(named: "_source")?.value(at: oldRow) ?? .null
            let line = old.table.column(named: "_line")?.value(at: oldRow) ?? .null
            rows.append([.text("changed"), .text(fingerprint), .text(differing.map { common[$0] }.joined(separator: ", ")),
                         source, line] + provenance(new, row))
        }
        for row in 0..<old.table.rowCount where old.fingerprints.present[row] {
            let fingerprint = old.fingerprints.hex(row)
            let paired = min(oldUsed[fingerprint, default: 0], newRows[fingerprint]?.count ?? 0)
            guard let position = oldRows[fingerprint]?.firstIndex(of: row), position >= paired else { continue }
            rows.append([.text("removed"), .text(fingerprint), .null, .null, .null] + provenance(old, row))
        }
        var table = Table.build([("class", .text), ("fingerprint", .text), ("changed", .text), ("old_source", .text),
                                 ("old_line", .integer), ("_dataset", .text), ("_source", .text), ("_line", .integer)],
                                rows: rows)
        for index in 5..<8 { table.fields[index].isProvenance = true }
        let unpaired = (old.fingerprints.missing, new.fingerprints.missing)
        return Outcome(table: table, unpaired: unpaired)
    }
}
