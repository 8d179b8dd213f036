/// Keyed fingerprints exchanged between organisations (DESIGN §6): `export fingerprints
/// of DS using FP to PATH` and `load PATH with format=fingerprints`.
///
/// Two libraries that hold the same case key can ask "are any of these people in my
/// system?" without showing each other a single name: each exports HMAC fingerprints,
/// the other loads them and joins. The file is CSV with one row per record:
///
///     fingerprint,recipe,header,key
///     3f0c…,person,name@1+date@1+phone@1,key:5b1e0c2a9d4f7a31
///
/// Unkeyed fingerprints are refused for export: a SHA-256 of a name, a birth date and a
/// phone number can be reversed by trying likely values. A loaded set is compared only
/// with fingerprints made the same way — the same keyer versions and the same key id —
/// and anything else is an error, never a silent zero matches.
enum FingerprintExchange {
    static let columns = ["fingerprint", "recipe", "header", "key"]

    static func table(_ result: Fingerprinter.Result, recipe: Recipe, key: CaseKey) -> Table {
        var rows: [[Value]] = []
        for row in 0..<result.present.count where result.present[row] {
            rows.append([.text(result.hex(row)), .text(recipe.name), .text(recipe.header), .text(key.id)])
        }
        return Table.build(columns.map { ($0, ColumnType.text) }, rows: rows)
    }

    /// What a loaded exchange table says about how its fingerprints were made.
    struct Provenance: Equatable {
        var header: String
        var key: String
    }

    /// The header and key of an exchange table, or nil when `table` is not one.
    static func provenance(of table: Table) throws(Diagnostic) -> Provenance? {
        guard let headerIndex = table.index(of: "header"), let keyIndex = table.index(of: "key"),
              table.index(of: "fingerprint") != nil else { return nil }
        guard table.rowCount > 0 else { return Provenance(header: "", key: "") }
        let header = table.columns[headerIndex].value(at: 0).text ?? ""
        let key = table.columns[keyIndex].value(at: 0).text ?? ""
        for row in 1..<table.rowCount {
            if table.columns[headerIndex].value(at: row).text != header || table.columns[keyIndex].value(at: row).text != key {
                throw Diagnostic("a fingerprint set mixes keyer versions or keys (rows 1 and \(row + 1) differ)")
            }
        }
        return Provenance(header: header, key: key)
    }

    /// Refuses to compare fingerprints made another way.
    static func checkComparable(_ set: Provenance, recipe: Recipe, key: CaseKey?, name: String,
                                range: SourceRange) throws(Diagnostic) {
        if set.header.isEmpty { return }
        guard set.header == recipe.header else {
            throw Diagnostic("'\(name)' holds fingerprints made with \(set.header), but '\(recipe.name)' uses \(recipe.header)",
                             at: range, hint: "they cannot be compared; agree on the same recipe and keyer versions")
        }
        guard let key else {
            throw Diagnostic("'\(name)' holds fingerprints keyed with \(set.key); set the same case key first",
                             at: range, hint: "set key = env:NAME")
        }
        guard set.key == key.id else {
            throw Diagnostic("'\(name)' holds fingerprints keyed with \(set.key), this session's key is \(key.id)",
                             at: range, hint: "they cannot be compared; both sides must use the same case key")
        }
    }
}
