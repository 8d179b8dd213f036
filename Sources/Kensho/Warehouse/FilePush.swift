/// `push "FILE" using FP to WH`: a CSV or TSV file streamed into a warehouse without
/// being loaded — scan a slice of whole records, key it, COPY it, drop it — so a file
/// larger than memory can be pushed.
///
/// Memory is bounded by the slice (32 MiB of file): the slice, its decoded copy (CP932
/// and EUC-JP), its columns and fingerprints, and the 1 MiB COPY buffer — a few hundred
/// MiB at most, whatever the file's size. Every slice is read with the same loader as
/// `load` (encoding, delimiter and header decided on the first slice and then fixed),
/// and its rows keep the whole file's SHA-256 and their physical line in it, so the
/// warehouse holds the same rows a `load` then `push` would have sent.
final class FilePush {
    let path: String
    let datasetName: String
    let sha256: String
    let size: Int
    private var slices: RecordSlices
    private var options: LoadOptions
    private let isCancelled: @Sendable () -> Bool
    /// Decided on the first slice.
    private var header: [UInt8]?
    private var headerLines = 0
    private var roles: [String: RoleAssignment] = [:]
    private(set) var encoding: EncodingDecision?
    private(set) var rowsRead = 0
    /// Bytes of the file read so far.
    var bytesRead: Int { slices.bytesRead }
    private(set) var recordsWithProblems = 0

    init(path: String, datasetName: String, options: LoadOptions, sliceSize: Int = 32 << 20,
         isCancelled: @escaping @Sendable () -> Bool) throws {
        if let format = options.format, !["csv", "tsv"].contains(format) {
            throw Diagnostic("push \"FILE\" streams CSV and TSV files, not \(format)",
                             notes: ["load the file, then push the dataset: push NAME using FP to WH"])
        }
        if let encoding = options.encoding, encoding.hasPrefix("utf-16") || encoding.hasPrefix("utf16") {
            throw Diagnostic("push \"FILE\" streams UTF-8, CP932 and EUC-JP, not \(encoding)",
                             notes: ["load the file, then push the dataset: push NAME using FP to WH"])
        }
        (sha256, size) = try RecordSlices.sha256(of: path)
        self.path = path
        self.datasetName = datasetName
        self.isCancelled = isCancelled
        var options = options
        let isTSV = options.format == "tsv" || path.lowercased().hasSuffix(".tsv") || path.lowercased().hasSuffix(".tab")
        options.format = isTSV ? "tsv" : "csv"
        if options.delimiter == nil {
            options.delimiter = isTSV ? UInt8(ascii: "\t") : try FilePush.sniffDelimiter(path)
        }
        self.options = options
        slices = try RecordSlices(path: path, delimiter: options.delimiter!, sliceSize: sliceSize)
    }

    /// The next slice as a table, fingerprinted; nil at the end of the file, once its
    /// bytes are known to be the ones hashed before the first row was sent.
    func next(recipe: Recipe, key: CaseKey?, fingerprintRange: SourceRange) throws -> WarehousePush.Batch? {
        if isCancelled() { throw Cancelled() }
        let linesBefore = slices.linesBefore
        guard let slice = try slices.next() else {
            let read = SHA256Digest.hex(slices.hasher.finalize())
            if read != sha256 || slices.bytesRead != size {
                throw Diagnostic("'\(path)' changed while it was pushed: sha256 \(sha256) before, \(read) after",
                                 notes: ["nothing was kept in the warehouse; push it again once it is no longer being written"])
            }
            return nil
        }
        let first = header == nil
        var dataset: Dataset
        do {
            let bytes = first ? slice : header! + slice
            let file = bytes.withUnsafeBytes { FileBytes(path: path, copying: $0) }
            dataset = try withExtendedLifetime(file) {
                try CSVLoader(path: path, options: options, datasetName: datasetName, isCancelled: isCancelled).load(file)
            }
        } catch var diagnostic as Diagnostic {
            if !first, let line = diagnostic.fileLocation?.line {
                diagnostic.fileLocation?.line = line - headerLines + linesBefore
                diagnostic.fileLocation?.byteOffset = nil
            }
            throw diagnostic
        }
        if first {
            try decideOnFirstSlice(&dataset, slice)
        } else {
            for (column, assignment) in roles { dataset.assign(assignment, to: column) }
        }
        recordsWithProblems += dataset.loadIssues.count
        let table = relocated(dataset.table, lineShift: first ? 0 : linesBefore - headerLines)
        let bound = try recipe.bind(to: table, datasetName: datasetName, range: fingerprintRange)
        let fingerprints = try Fingerprinter(bound: bound, key: key).compute(table, isCancelled: isCancelled)
        defer { rowsRead += table.rowCount }
        return .init(table: table, fingerprints: fingerprints, firstOrdinal: rowsRead)
    }

    /// Fixes what later slices must read the same way: the encoding, the header (whose
    /// bytes are put in front of every later slice) and the roles.
    private func decideOnFirstSlice(_ dataset: inout Dataset, _ slice: [UInt8]) throws {
        dataset.assignRoles()
        roles = dataset.roles
        let source = dataset.sourceFile!
        encoding = source.encoding
        if source.encoding.name.hasPrefix("utf-16") {
            throw Diagnostic("'\(path)' is UTF-16: push \"FILE\" streams UTF-8, CP932 and EUC-JP",
                             notes: ["load the file, then push the dataset: push NAME using FP to WH"])
        }
        options.encoding = source.encoding.name
        let hasHeader = !source.layout.contains("no header")
        options.header = hasHeader
        header = []
        if hasHeader {
            let bomLength = slice.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            let body = Array(slice[bomLength...])
            let end = RecordSlices.firstBoundary(in: body, delimiter: options.delimiter!).map { $0 + 1 } ?? body.count
            header = Array(body[..<end])
            headerLines = header!.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        }
    }

    /// The slice's table with the whole file's SHA-256 as `_source` and each row's line
    /// in the whole file as `_line`.
    private func relocated(_ table: Table, lineShift: Int) -> Table {
        guard let lineIndex = table.index(of: "_line"), let sourceIndex = table.index(of: "_source"),
              let datasetIndex = table.index(of: "_dataset") else { return table }
        var lines: [Int64] = []
        lines.reserveCapacity(table.rowCount)
        let column = table.columns[lineIndex]
        for row in 0..<table.rowCount {
            if case .integer(let line) = column.value(at: row) { lines.append(line + Int64(lineShift)) } else { lines.append(0) }
        }
        let provenance = Provenance.columns(dataset: datasetName, sha256: sha256, lines: lines)
        var copy = table
        copy.columns[datasetIndex] = provenance.columns[0]
        copy.columns[sourceIndex] = provenance.columns[1]
        copy.columns[lineIndex] = provenance.columns[2]
        return copy
    }

    /// The delimiter of the file's first 64 KiB, as `load` would sniff it.
    private static func sniffDelimiter(_ path: String) throws -> UInt8 {
        let slices = try RecordSlices(path: path, delimiter: UInt8(ascii: ","), sliceSize: 64 << 10)
        let head = try slices.next() ?? []
        return head.withUnsafeBufferPointer { CSVSniffer.sniffDelimiter($0, preferTab: false) }
    }
}
