import Foundation

/// What each statement does.
extension Session {
    func perform(_ statement: Statement, range: SourceRange, source: SourceText) throws -> StatementRecord.Outcome {
        switch statement {
        case .load(let load):
            return try performLoad(load)
        case .bind(let name, let pipeline):
            let table = try evaluate(pipeline)
            let dataset = Dataset(name: name.dotted, table: table, origin: .derived(statement: source.slice(range)))
            put(dataset)
            note("\(name.dotted): \(TableRenderer.grouped(table.rowCount)) row\(table.rowCount == 1 ? "" : "s")")
            return .bound(name: name.dotted, rows: table.rowCount, table: table)
        case .query(let pipeline):
            let table = try evaluate(pipeline)
            print(table)
            return .result(table)
        case .export(let export):
            return try performExport(export)
        case .set(let name, let value):
            let valueRange: SourceRange
            switch value { default: valueRange = SourceRange(name.range.end, range.end) }
            let confirmation = try settings.apply(name, value, valueRange: valueRange)
            return .setting(confirmation)
        case .describe(let name):
            let dataset = try catalog.resolve(name)
            describe(dataset)
            return .info
        case .history:
            let rows = history.dropLast().enumerated().map { [Value.integer(Int64($0.offset + 1)), .text($0.element)] }
            print(Table.build([("n", .integer), ("statement", .text)], rows: Array(rows)))
            return .info
        case .help(let topic):
            output.write(try Help.text(for: topic, range: range))
            return .info
        case .fingerprint, .role, .roles, .attach, .push, .untag, .note, .save:
            throw Diagnostic("'\(Session.keyword(of: statement))' is not implemented in this version of kensho",
                             at: SourceRange(range.start, range.start + Session.keyword(of: statement).utf8.count))
        case .rejects(let name):
            let dataset = try catalog.resolve(name)
            print(CatalogListing.rejects(dataset))
            return .info
        }
    }

    static func keyword(of statement: Statement) -> String {
        switch statement {
        case .fingerprint: return "fingerprint"
        case .role: return "role"
        case .roles: return "roles"
        case .attach: return "attach"
        case .push: return "push"
        case .untag: return "untag"
        case .note: return "note"
        case .save: return "save"
        default: return "statement"
        }
    }

    func evaluate(_ pipeline: Pipeline) throws -> Table {
        try PipelineEvaluator(catalog: catalog, functions: functions, isCancelled: isCancelled).evaluate(pipeline)
    }

    // MARK: - load

    private func performLoad(_ load: LoadStatement) throws -> StatementRecord.Outcome {
        let options: LoadOptions
        do { options = try LoadOptions(load.options) }
        let loader = Loader(isCancelled: isCancelled)
        let plan: [(path: String, name: String)]
        do { plan = try loader.plan(.init(path: load.path, alias: load.alias?.text, options: options)) } catch {
            throw error.placed(at: load.pathRange)
        }
        // All files load before any is added: a glob either loads completely or not at all.
        var datasets: [Dataset] = []
        for (path, name) in plan {
            if isCancelled() { throw Cancelled() }
            datasets += try loader.load(path: path, name: name, options: options, nameIsAlias: name == load.alias?.text)
        }
        var files: [SourceFile] = []
        var rows = 0
        for dataset in datasets {
            put(dataset)
            guard let file = dataset.sourceFile else { continue }
            // The tables of one database share its file: record it once.
            if !files.contains(where: { $0.path == file.path && $0.sha256 == file.sha256 }) { files.append(file) }
            rows += dataset.table.rowCount
            let columns = dataset.table.visibleIndices.count
            var text = "\(dataset.name): \(TableRenderer.grouped(dataset.table.rowCount)) rows, \(columns) columns from \(file.path)\n"
            text += "  \(file.format), \(file.layout); \(file.encoding.description); \(TableRenderer.grouped(file.size)) bytes\n"
            text += "  sha256 \(file.sha256)\n"
            if !dataset.loadIssues.isEmpty {
                let first = dataset.loadIssues[0]
                text += "  warning: \(dataset.loadIssues.count) record\(dataset.loadIssues.count == 1 ? "" : "s") kept with problems"
                text += " (first at line \(first.line): \(first.reason)); see: rejects \(dataset.name)\n"
            }
            note(text)
        }
        return .loaded(files, rows: rows)
    }

    // MARK: - export

    private func performExport(_ export: ExportStatement) throws -> StatementRecord.Outcome {
        guard case .pipeline(let pipeline) = export.subject else {
            throw Diagnostic("this export is not implemented in this version of kensho", at: export.pathRange)
        }
        let table = try evaluate(pipeline)
        let format = try ExportFormat.resolve(export.format, path: export.path)
        let written = try ExportWriter(path: export.path, pathRange: export.pathRange, inputs: inputPaths)
            .write(table, as: format)
        note("exported \(TableRenderer.grouped(table.rowCount)) rows to \(export.path) (\(format.rawValue), unmasked)\n  sha256 \(written.sha256)")
        return .exported(path: export.path, rows: table.rowCount, sha256: written.sha256)
    }

    /// Paths of every loaded input, so an export never overwrites evidence.
    var inputPaths: [String] {
        catalog.datasets.compactMap { $0.sourceFile?.path }
    }

    // MARK: - describe

    private func describe(_ dataset: Dataset) {
        if let file = dataset.sourceFile {
            note("\(dataset.name): loaded from \(file.path)\n  \(file.format), \(file.layout); \(file.encoding.description)\n  \(TableRenderer.grouped(file.size)) bytes, sha256 \(file.sha256)")
        } else if case .derived(let statement) = dataset.origin {
            note("\(dataset.name): derived by: \(statement)")
        }
        let table = dataset.table
        var rows: [[Value]] = []
        for (index, field) in table.fields.enumerated() {
            let column = table.columns[index]
            var filled = 0
            for row in 0..<table.rowCount where !column.isNull(row) { filled += 1 }
            let distinct = (try? GroupIndex(keys: KeyColumns([column]), rowCount: table.rowCount, groupNulls: true))?.groupCount ?? 0
            rows.append([.text(field.name), .text(field.type.rawValue), .integer(Int64(filled)),
                         .integer(Int64(table.rowCount - filled)), .integer(Int64(distinct)),
                         field.isProvenance ? .text("provenance") : .null])
        }
        print(Table.build([("column", .text), ("type", .text), ("filled", .integer), ("null", .integer),
                           ("distinct", .integer), ("note", .text)], rows: rows))
        if !dataset.loadIssues.isEmpty {
            note("\(dataset.loadIssues.count) record(s) kept with problems; see: rejects \(dataset.name)")
        }
    }
}
