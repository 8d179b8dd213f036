#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an origin library is told (the association's request 5): `export notification
/// for ORIGIN using FP to DIR`.
///
/// For every other system that holds copies of the origin's records, one CSV: the
/// origin's own values for each record found there (which the origin already holds),
/// where it was found (that system's file hash and line) and when it was registered
/// there, if that system records it. A cover letter, in Japanese and English, lists the
/// systems, the counts, the files by hash, the recipe and the evidence log's head.
///
/// Nothing about anyone else goes in: rows come from the origin's own dataset, and a
/// receiving system contributes only the place and the registration date of a copy —
/// never its values, which may hold more than the origin gave.
struct NotificationPacket {
    struct Receiver {
        var name: String
        var source: String
        var rows: [(originRow: Int, copyLine: Int64, registered: String?)]
    }

    let origin: Dataset
    let recipe: Recipe
    let receivers: [Receiver]

    static func make(origin: Dataset, recipe: Recipe, others: [Dataset], key: CaseKey?,
                     isCancelled: @escaping @Sendable () -> Bool, range: SourceRange) throws -> NotificationPacket {
        let originBound = try recipe.bind(to: origin.table, datasetName: origin.name, range: range)
        let originPrints = try Fingerprinter(bound: originBound, key: key).compute(origin.table, isCancelled: isCancelled)
        var byPrint: [String: [Int]] = [:]
        for row in 0..<origin.table.rowCount where originPrints.present[row] {
            byPrint[originPrints.hex(row), default: []].append(row)
        }
        var receivers: [Receiver] = []
        for other in others {
            guard let bound = try? recipe.bind(to: other.table, datasetName: other.name, range: range) else { continue }
            let prints = try Fingerprinter(bound: bound, key: key).compute(other.table, isCancelled: isCancelled)
            let lines = other.table.column(named: "_line")
            let registered = other.table.fields.firstIndex { $0.role == .registered }.map { other.table.columns[$0] }
            var rows: [(Int, Int64, String?)] = []
            for row in 0..<other.table.rowCount where prints.present[row] {
                guard let originRows = byPrint[prints.hex(row)] else { continue }
                var line: Int64 = 0
                if case .integer(let value)? = lines?.value(at: row) { line = value }
                for originRow in originRows { rows.append((originRow, line, registered?.value(at: row).text)) }
            }
            guard !rows.isEmpty else { continue }
            receivers.append(Receiver(name: other.name, source: other.sourceFile?.sha256 ?? "", rows: rows))
        }
        return NotificationPacket(origin: origin, recipe: recipe, receivers: receivers)
    }

    /// Writes the packet into `directory` (created owner-only); returns the files written.
    func write(to directory: String, journal: (path: String, entries: Int, head: String)?, operatorName: String,
               range: SourceRange) throws(Diagnostic) -> [String] {
        var info = stat()
        if stat(directory, &info) != 0 {
            guard mkdir(directory, 0o700) == 0 else {
                throw Diagnostic("cannot create '\(directory)': \(String(cString: strerror(errno)))", at: range)
            }
        } else if (info.st_mode & S_IFMT) != S_IFDIR {
            throw Diagnostic("'\(directory)' is not a directory", at: range)
        }
        var written: [String] = []
        let originColumns = origin.table.visibleIndices
        for receiver in receivers {
            var rows: [[Value]] = []
            for copy in receiver.rows {
                var values = originColumns.map { origin.table.columns[$0].value(at: copy.originRow) }
                values.append(origin.table.column(named: "_line")?.value(at: copy.originRow) ?? .null)
                values += [.text(receiver.name), .text(receiver.source), .integer(copy.copyLine),
                           copy.registered.map(Value.text) ?? .null]
                rows.append(values)
            }
            let schema = originColumns.map { (origin.table.fields[$0].name, origin.table.fields[$0].type) }
                + [("origin_line", ColumnType.integer), ("found_in", .text), ("found_file_sha256", .text),
                   ("found_line", .integer), ("registered_there", .text)]
            let table = Table.build(schema, rows: rows)
            let sink = BufferSink()
            DelimitedWriter(delimiter: UInt8(ascii: ",")).write(table, columns: Array(table.fields.indices), to: sink)
            let path = directory + "/" + Loader.sanitizedName(receiver.name) + ".csv"
            try FileOutput.writeAtomically(sink.bytes, to: path, pathRange: range)
            written.append(path)
        }
        let cover = directory + "/README.md"
        try FileOutput.writeAtomically(Array(coverLetter(journal: journal, operatorName: operatorName).utf8), to: cover,
                                       pathRange: range)
        written.append(cover)
        return written
    }

    func coverLetter(journal: (path: String, entries: Int, head: String)?, operatorName: String) -> String {
        let total = receivers.reduce(0) { $0 + $1.rows.count }
        let file = origin.sourceFile
        var text = """
        # 個人情報の流出に関するご通知 / Notification of records found in other systems

        ## 日本語

        \(origin.name) の利用者記録のうち、他のシステムで見つかったものをお知らせします。
        見つかった記録は \(receivers.count) 件のシステムで合計 \(total) 件です。各システムの一覧
        （CSV）には、貴館がすでに保有している貴館自身の値と、見つかった場所（ファイルの
        SHA-256 と行番号）、そのシステムでの登録日のみを記載しています。他の方の情報は含みません。

        ## English

        Records of \(origin.name) were found in \(receivers.count) other system(s), \(total) copies in all.
        Each system's CSV lists, for every copy found there, your own values for the record
        (which you already hold), where it was found (that system's file, by SHA-256, and the
        line) and when it was registered there, if that system records it. Nothing about any
        other person is included.

        ## Systems / 見つかったシステム

        | system / システム | copies / 件数 | file sha256 / ファイル | registered there / 登録日 |
        | --- | ---: | --- | --- |

        """
        for receiver in receivers {
            let dates = Set(receiver.rows.compactMap(\.registered)).sorted()
            let span = dates.isEmpty ? "—" : (dates.count == 1 ? dates[0] : "\(dates.first!) … \(dates.last!)")
            text += "| \(receiver.name) | \(receiver.rows.count) | `\(receiver.source)` | \(span) |\n"
        }
        text += """

        ## How the records were matched / 照合の方法

        - fingerprint / フィンガープリント: `\(recipe.name) = \(recipe.definition)` (keyers \(recipe.header))
        - origin file / 貴館のファイル: `\(file?.path ?? origin.name)`, sha256 `\(file?.sha256 ?? "")`
        - prepared by / 作成者: \(operatorName), \(Clock.timestamp())

        """
        if let journal {
            text += "- evidence log / 作業記録: `\(journal.path)`, \(journal.entries) entries, head `\(journal.head)`\n"
        }
        return text
    }
}
