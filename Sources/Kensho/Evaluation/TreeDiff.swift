/// `diff A B`: what happened to each path between two tree manifests, A before and B
/// after — the audit hashdeep does, with a class for every path.
///
/// Paths are matched by their bytes (`_path_hex`), contents by SHA-256. A path in both
/// is `same` or `modified`. A path only in B holds `new` content when that content was
/// nowhere in A. Otherwise the content came from somewhere, and the one question is
/// whether it *moved*: only when it sat at exactly one path in A, sits at exactly one
/// path in B, and its old path is gone. Then the old path gets no row of its own; its
/// story is the `moved` row. In every other case the new path is `copied` (old_path =
/// the smallest of the content's paths in A, by bytes) and an old path that is gone is
/// `deleted` — also when identical copies live on elsewhere. That is the point: a
/// guessed move would hide a deletion (hashdeep reports nothing when a file is
/// deleted while a copy remains, its issue #64), and for a leak investigation the
/// deleted file is the finding.
///
/// One row per path, sorted by path bytes, then class; columns `class`, `path`,
/// `old_path` (the path in A the row's content or path comes from; null for `new`),
/// `sha256` (now; null for `deleted`), `old_sha256` (before; null for `new`), `size`
/// (now, or before for `deleted`). Provenance comes from the manifest `path` is in (B,
/// or A for `deleted`): `_dataset`, `_source`, `_line`, `_path_hex`, plus
/// `_old_path_hex` for the exact bytes of `old_path`.
struct TreeDiff {
    enum Change: String, CaseIterable {
        case same, modified, moved, copied, deleted, new
    }

    /// One output row: its class, and its rows in B (`after`) and A (`before`), -1 for none.
    struct Entry {
        var change: Change
        var after: Int
        var before: Int
    }

    let before: Manifest
    let after: Manifest
    let isCancelled: @Sendable () -> Bool

    /// Compares two datasets; `ranges` place errors on the names as typed.
    static func compare(_ a: Dataset, _ b: Dataset, ranges: (SourceRange, SourceRange),
                        isCancelled: @escaping @Sendable () -> Bool) throws -> Table {
        let diff = TreeDiff(before: try manifest(a, at: ranges.0), after: try manifest(b, at: ranges.1),
                            isCancelled: isCancelled)
        return diff.table(try diff.entries(ranges: ranges))
    }

    func entries(ranges: (SourceRange, SourceRange)) throws -> [Entry] {
        let pathKeysA = KeyColumns([before.pathHex]), pathKeysB = KeyColumns([after.pathHex])
        let contentKeysB = KeyColumns([after.sha256])
        let pathsA = try GroupIndex(keys: pathKeysA, rowCount: before.count, groupNulls: false, isCancelled: isCancelled)
        let pathsB = try GroupIndex(keys: pathKeysB, rowCount: after.count, groupNulls: false, isCancelled: isCancelled)
        try TreeDiff.checkUnique(before, pathsA, at: ranges.0)
        try TreeDiff.checkUnique(after, pathsB, at: ranges.1)
        let contentsA = try GroupIndex(keys: KeyColumns([before.sha256]), rowCount: before.count, groupNulls: false,
                                       isCancelled: isCancelled)
        let contentsB = try GroupIndex(keys: contentKeysB, rowCount: after.count, groupNulls: false,
                                       isCancelled: isCancelled)

        var entries: [Entry] = []
        entries.reserveCapacity(max(before.count, after.count))
        var movedAway = [Bool](repeating: false, count: before.count)
        var smallestPath: [Int: Int] = [:]
        for row in 0..<after.count {
            if row & 0xFFFF == 0xFFFF, isCancelled() { throw LoadCancelled() }
            if let group = pathsA.find(pathKeysB, row: row) {
                let old = Int(pathsA.firstRow[group])
                let same = TreeDiff.equalBytes(before.sha256, old, after.sha256, row)
                entries.append(Entry(change: same ? .same : .modified, after: row, before: old))
                continue
            }
            guard let content = contentsA.find(contentKeysB, row: row) else {
                entries.append(Entry(change: .new, after: row, before: -1))
                continue
            }
            let source = Int(contentsA.firstRow[content])
            let soleBefore = contentsA.sizes[content] == 1
            let soleNow = contentsB.sizes[Int(contentsB.groupOfRow[row])] == 1
            if soleBefore, soleNow, pathsB.find(pathKeysA, row: source) == nil {
                movedAway[source] = true
                entries.append(Entry(change: .moved, after: row, before: source))
            } else {
                let origin = smallestPath[content] ?? smallest(in: content, of: contentsA)
                smallestPath[content] = origin
                entries.append(Entry(change: .copied, after: row, before: origin))
            }
        }
        for row in 0..<before.count where !movedAway[row] && pathsB.find(pathKeysA, row: row) == nil {
            entries.append(Entry(change: .deleted, after: -1, before: row))
        }
        return sorted(entries)
    }

    /// The row of a content group in A whose path has the smallest bytes.
    private func smallest(in group: Int, of contents: GroupIndex) -> Int {
        var best = Int(contents.firstRow[group])
        var row = Int(contents.nextRow[best])
        while row >= 0 {
            if TreeDiff.compareBytes(before.pathHex, row, before.pathHex, best) < 0 { best = row }
            row = Int(contents.nextRow[row])
        }
        return best
    }

    /// By path bytes (hex sorts as the bytes do), then class name.
    private func sorted(_ entries: [Entry]) -> [Entry] {
        entries.sorted { x, y in
            let (columnX, rowX) = x.after >= 0 ? (after.pathHex, x.after) : (before.pathHex, x.before)
            let (columnY, rowY) = y.after >= 0 ? (after.pathHex, y.after) : (before.pathHex, y.before)
            let order = TreeDiff.compareBytes(columnX, rowX, columnY, rowY)
            return order != 0 ? order < 0 : x.change.rawValue < y.change.rawValue
        }
    }

    static func equalBytes(_ a: Column, _ i: Int, _ b: Column, _ j: Int) -> Bool {
        compareBytes(a, i, b, j) == 0
    }

    /// memcmp order of two non-null text cells.
    static func compareBytes(_ a: Column, _ i: Int, _ b: Column, _ j: Int) -> Int {
        guard let x = a.textBytes(i), let y = b.textBytes(j) else { return 0 }
        return TreeWalker.compare(x, y)
    }
}
