/// The investigation's findings: tags on rows and notes on labels (DESIGN §3, the
/// `tag` operator, `untag`, `note`, the `findings` source).
///
/// A tag attaches to a row's identity — the dataset it was loaded as, its source file's
/// SHA-256 and its line — not to a position in some result, so the same statement run
/// again on the same evidence tags the same rows, and replay reproduces the findings.
/// Each tagging records who (the session's operator) and when (the statement's time);
/// tagging a row again with the same label keeps the first record.
public struct FindingLog: Sendable {
    public struct Tag: Sendable, Hashable {
        public var label: String
        public var note: String?
        public var dataset: String
        public var source: String
        public var line: Int64
        public var operatorName: String
        public var time: String
    }

    public struct LabelNote: Sendable, Hashable {
        public var label: String
        public var text: String
        public var operatorName: String
        public var time: String
    }

    public private(set) var tags: [Tag] = []
    public private(set) var notes: [LabelNote] = []
    private var index: Set<TagKey> = []

    struct TagKey: Hashable {
        var label: String
        var dataset: String
        var source: String
        var line: Int64
    }

    public init() {}

    /// Adds tags; returns how many rows were newly tagged.
    @discardableResult
    public mutating func add(_ newTags: [Tag]) -> Int {
        var added = 0
        for tag in newTags {
            let key = TagKey(label: tag.label, dataset: tag.dataset, source: tag.source, line: tag.line)
            guard index.insert(key).inserted else { continue }
            tags.append(tag)
            added += 1
        }
        return added
    }

    /// Removes the tags `keep` rejects; returns how many were removed.
    @discardableResult
    public mutating func remove(where shouldRemove: (Int, Tag) -> Bool) -> Int {
        var kept: [Tag] = []
        for (position, tag) in tags.enumerated() {
            if shouldRemove(position, tag) {
                index.remove(TagKey(label: tag.label, dataset: tag.dataset, source: tag.source, line: tag.line))
            } else {
                kept.append(tag)
            }
        }
        let removed = tags.count - kept.count
        tags = kept
        return removed
    }

    public mutating func addNote(_ note: LabelNote) { notes.append(note) }

    public var labels: [String] {
        var seen: Set<String> = []
        return tags.map(\.label).filter { seen.insert($0).inserted }
    }

    /// The `findings` source: one row per tagged row, in tagging order.
    public var table: Table {
        let rows: [[Value]] = tags.map { tag in
            [.text(tag.label), tag.note.map(Value.text) ?? .null, .text(tag.operatorName), .text(tag.time),
             .text(tag.dataset), .text(tag.source), .integer(tag.line)]
        }
        // The provenance of each tagged row is shown: it is what a finding cites.
        return Table.build([("label", .text), ("note", .text), ("operator", .text), ("time", .text),
                            ("_dataset", .text), ("_source", .text), ("_line", .integer)], rows: rows)
    }
}
