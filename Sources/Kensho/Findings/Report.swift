/// The investigation report (`export findings to PATH as md|html`): what a library
/// attaches to its public statement or gives its council.
///
/// It holds, in order: the inputs with their SHA-256; the findings counted per label
/// and per system, with the notes on each label; for every fingerprint recipe, the
/// matrix of whose data is in whose system; the tree diffs run in the session, with
/// every path that is not `same`; the tagged rows with their provenance; and the
/// journal's head hash, which ties the report to the evidence log that produced it.
/// Personal values are masked unless the export says `unmasked`.
struct Report {
    struct Input {
        var dataset: String
        var path: String
        var format: String
        var encoding: String
        var rows: Int
        var bytes: Int
        var sha256: String
    }

    struct Section {
        var title: String
        var text: String?
        var table: Table?
    }

    var title: String
    var generated: String
    var operatorName: String
    var tool: String
    var journal: (path: String, entries: Int, head: String)?
    var masked: Bool
    var inputs: [Input]
    var sections: [Section]
}

extension Session {
    /// Gathers everything the report shows from the session as it stands.
    func makeReport(masked: Bool) throws -> Report {
        let inputs = catalog.datasets.compactMap { dataset -> Report.Input? in
            guard let file = dataset.sourceFile else { return nil }
            return Report.Input(dataset: dataset.name, path: file.path, format: file.format,
                                encoding: file.format == "dir" ? "" : file.encoding.description,
                                rows: dataset.table.rowCount, bytes: file.size, sha256: file.sha256)
        }
        var sections: [Report.Section] = []

        // Findings per label and system.
        var counts: [[Value]] = []
        var seen: [String: Int] = [:]
        for tag in findings.tags {
            let key = tag.label + "\u{0}" + tag.dataset
            if let index = seen[key] {
                if case .integer(let n) = counts[index][2] { counts[index][2] = .integer(n + 1) }
            } else {
                seen[key] = counts.count
                counts.append([.text(tag.label), .text(tag.dataset), .integer(1)])
            }
        }
        let notes = findings.notes.map { "**\($0.label)**: \($0.text) (\($0.operatorName), \($0.time))" }
        sections.append(.init(title: "Findings by label and system",
                              text: findings.tags.isEmpty ? "No rows were tagged." : notes.joined(separator: "\n"),
                              table: findings.tags.isEmpty ? nil
                                  : Table.build([("label", .text), ("system", .text), ("rows", .integer)], rows: counts)))

        // Whose data is in whose system, per recipe.
        let evaluator = reportEvaluator()
        for name in recipes.keys.sorted() {
            guard let inputs = try? evaluator.fingerprintInputs(Name(name), scope: .all, range: .none) else { continue }
            let matrix = Matrix.table(inputs, groups: Occurrences.group(inputs))
            sections.append(.init(title: "Whose data is in whose system (fingerprint \(name) = \(recipes[name]!.definition))",
                                  text: matrix.rowCount == 0 ? "No records are shared between the systems." : nil,
                                  table: matrix.rowCount == 0 ? nil : matrix))
        }

        // Tree diffs run in this session.
        for (a, b) in treeDiffs {
            guard let before = catalog[a], let after = catalog[b],
                  let diff = try? TreeDiff.compare(before, after, ranges: (.none, .none), isCancelled: { false })
            else { continue }
            let classColumn = diff.column(named: "class")!
            var perClass: [String: Int] = [:]
            var changed: [Int32] = []
            for row in 0..<diff.rowCount {
                let change = classColumn.value(at: row).text ?? ""
                perClass[change, default: 0] += 1
                if change != "same" { changed.append(Int32(row)) }
            }
            let summary = TreeDiff.Change.allCases.map { "\($0.rawValue) \(perClass[$0.rawValue] ?? 0)" }.joined(separator: ", ")
            let shown = diff.selecting(RowMap(changed))
            let columns = ["class", "path", "old_path", "sha256"].compactMap { shown.index(of: $0) }
            sections.append(.init(title: "Web server: \(a) → \(b)", text: summary,
                                  table: Table(fields: columns.map { shown.fields[$0] }, columns: columns.map { shown.columns[$0] },
                                               rowCount: shown.rowCount)))
        }

        // The tagged rows.
        var findingsTable = findingRows()
        if masked { findingsTable = Masking.apply(to: findingsTable) }
        sections.append(.init(title: "Tagged rows, with provenance", text: nil, table: findingsTable))

        return Report(title: "Investigation report", generated: Clock.timestamp(),
                      operatorName: settings.operatorName ?? Environment.userName ?? "unknown",
                      tool: "kensho \(KenshoVersion.string)",
                      journal: journal.map { ($0.path, $0.entryCount, $0.head) }, masked: masked,
                      inputs: inputs, sections: sections)
    }

    /// Each tag with the tagged row's identifying values (by role), for the report.
    private func findingRows() -> Table {
        let roles: [Role] = [.name, .kana, .birthdate, .phone, .id]
        var rowOfLine: [String: [Int64: Int]] = [:]
        var rows: [[Value]] = []
        for tag in findings.tags {
            var values: [Value] = roles.map { _ in .null }
            if let dataset = catalog[tag.dataset] {
                if rowOfLine[tag.dataset] == nil, let lines = dataset.table.column(named: "_line") {
                    var map: [Int64: Int] = [:]
                    for row in 0..<dataset.table.rowCount {
                        if case .integer(let line) = lines.value(at: row), map[line] == nil { map[line] = row }
                    }
                    rowOfLine[tag.dataset] = map
                }
                if let row = rowOfLine[tag.dataset]?[tag.line] {
                    for (position, role) in roles.enumerated() {
                        if let index = dataset.table.fields.firstIndex(where: { $0.role == role }) {
                            values[position] = dataset.table.columns[index].value(at: row).text.map(Value.text) ?? .null
                        }
                    }
                }
            }
            rows.append([.text(tag.label), .text(tag.dataset), .integer(tag.line), .text(String(tag.source.prefix(16)))]
                        + values + [tag.note.map(Value.text) ?? .null])
        }
        var table = Table.build([("label", .text), ("system", .text), ("line", .integer), ("file sha256", .text)]
                                + roles.map { ($0.rawValue, ColumnType.text) } + [("note", .text)], rows: rows)
        for (position, role) in roles.enumerated() { table.fields[4 + position].role = role }
        return table
    }

    private func reportEvaluator() -> PipelineEvaluator {
        var evaluator = PipelineEvaluator(catalog: catalog, functions: functions, isCancelled: isCancelled)
        evaluator.recipes = recipes
        evaluator.caseKey = caseKey
        evaluator.fingerprintCache = fingerprintCache
        return evaluator
    }
}
