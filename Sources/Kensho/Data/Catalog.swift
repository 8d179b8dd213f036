/// The session's datasets by name, in the order they were created (the order
/// `datasets` lists them and globs expand).
public struct Catalog: Sendable {
    private var byName: [String: Dataset] = [:]
    public private(set) var names: [String] = []

    public init() {}

    public subscript(name: String) -> Dataset? { byName[name] }

    public mutating func put(_ dataset: Dataset) {
        if byName[dataset.name] == nil { names.append(dataset.name) }
        byName[dataset.name] = dataset
    }

    public var datasets: [Dataset] { names.compactMap { byName[$0] } }

    /// Looks a name up, or fails with a diagnostic suggesting the nearest name.
    public func resolve(_ name: QualifiedName) throws(Diagnostic) -> Dataset {
        if let dataset = byName[name.dotted] { return dataset }
        let lowered = name.dotted.lowercased()
        let folded = names.filter { $0.lowercased() == lowered }
        if folded.count == 1 { return byName[folded[0]]! }
        if names.isEmpty {
            throw Diagnostic("unknown dataset '\(name.dotted)'", at: name.range, hint: "nothing is loaded yet; try: load FILE")
        }
        throw Diagnostic("unknown dataset '\(name.dotted)'", at: name.range,
                         hint: Suggestion.hint(for: name.dotted, in: names) ?? "see 'datasets'")
    }
}
