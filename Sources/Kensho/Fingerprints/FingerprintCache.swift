import Synchronization

/// Fingerprints already computed in this session, so `occurrences`, `matrix`, joins on
/// a fingerprint and the `fingerprint` operator do not key and hash the same columns
/// again: an investigator asks many questions of the same datasets, and keying a
/// million rows costs about a second.
///
/// An entry is keyed by the identity of the column storage it read (text ranges and row
/// maps are immutable objects, so the same objects mean the same values), the recipe's
/// definition and the case key's id. An entry keeps those columns alive, so their
/// identities cannot be reused by other storage while it is cached. It holds at most
/// `capacity` results, dropping the oldest.
final class FingerprintCache: Sendable {
    static let capacity = 32

    struct Key: Hashable {
        var storage: [ObjectIdentifier?]
        var counts: [Int]
        var recipe: String
        var keyID: String?
    }

    private let entries = Mutex<[(key: Key, columns: [Column], result: Fingerprinter.Result)]>([])

    /// The key for a bound recipe over `table`, or nil when a column is not text (such
    /// columns are converted on the fly and not worth caching).
    static func key(_ bound: BoundRecipe, table: Table, caseKey: CaseKey?) -> Key? {
        var storage: [ObjectIdentifier?] = []
        for index in bound.columns {
            let column = table.columns[index]
            guard case .text(let text) = column.storage else { return nil }
            storage.append(text.ranges.identity)
            storage.append(column.rows.map(ObjectIdentifier.init))
        }
        let definition = zip(bound.columns, bound.keyers).map { "\($0):\($1.id)" }.joined(separator: "+")
        return Key(storage: storage, counts: [table.rowCount], recipe: bound.recipe.header + "|" + definition,
                   keyID: caseKey?.id)
    }

    func result(for key: Key) -> Fingerprinter.Result? {
        entries.withLock { list in list.first { $0.key == key }?.result }
    }

    func store(_ result: Fingerprinter.Result, for key: Key, columns: [Column]) {
        entries.withLock { list in
            list.removeAll { $0.key == key }
            list.append((key, columns, result))
            if list.count > FingerprintCache.capacity { list.removeFirst(list.count - FingerprintCache.capacity) }
        }
    }
}

extension Fingerprinter {
    /// Fingerprints of `table`, from the cache when the same columns were keyed before.
    func compute(_ table: Table, cache: FingerprintCache?, isCancelled: () -> Bool) throws -> Result {
        guard let cache, let cacheKey = FingerprintCache.key(bound, table: table, caseKey: key) else {
            return try compute(table, isCancelled: isCancelled)
        }
        if let cached = cache.result(for: cacheKey) { return cached }
        let result = try compute(table, isCancelled: isCancelled)
        cache.store(result, for: cacheKey, columns: bound.columns.map { table.columns[$0] })
        return result
    }
}
