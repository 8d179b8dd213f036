/// The provenance pseudo-columns every loaded row carries: `_dataset` (the dataset it
/// was loaded as), `_source` (the SHA-256 of its file) and `_line` (the 1-based physical
/// line where its record starts, or a row number, offset or rowid for other formats).
public enum Provenance {
    public static func columns(dataset: String, sha256: String, lines: UnsafeBufferPointer<Int32>) -> (fields: [Field], columns: [Column]) {
        columns(dataset: dataset, sha256: sha256, lines: lines.map(Int64.init))
    }

    public static func columns(dataset: String, sha256: String, lines: [Int64]) -> (fields: [Field], columns: [Column]) {
        var arena = ByteArenaBuilder(capacity: 128)
        let nameRange = arena.append(dataset)
        let hashRange = arena.append(sha256)
        let shared = arena.finish()
        // `_dataset` and `_source` hold one value each: one range, and every row mapped
        // to it through a map the two columns share (4 bytes a row for both, where a
        // range per row cost 16; a sweep of 1.5M rows keeps 18 MB less).
        let everyRow = RowMap([Int32](repeating: 0, count: lines.count))
        let names = Column(.text(TextStorage(arena: shared, ranges: [nameRange])), rows: everyRow)
        let hashes = Column(.text(TextStorage(arena: shared, ranges: [hashRange])), rows: everyRow)
        let lineColumn = Column(.integer(lines, valid: []))
        return (
            [Field(name: "_dataset", type: .text, isProvenance: true),
             Field(name: "_source", type: .text, isProvenance: true),
             Field(name: "_line", type: .integer, isProvenance: true)],
            [names, hashes, lineColumn]
        )
    }
}
