#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Export file formats (`export ... to PATH [as FORMAT]`).
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, tsv, json, jsonl, md, html

    static func resolve(_ given: Name?, path: String) throws(Diagnostic) -> ExportFormat {
        if let given {
            guard let format = ExportFormat(rawValue: given.text.lowercased()) else {
                throw Diagnostic("unknown export format '\(given.text)'", at: given.range,
                                 hint: Suggestion.hint(for: given.text, in: allCases.map(\.rawValue))
                                     ?? "formats: " + allCases.map(\.rawValue).joined(separator: ", "))
            }
            return format
        }
        let lowered = path.lowercased()
        for format in [ExportFormat.jsonl, .json, .tsv, .md, .html, .csv] where lowered.hasSuffix("." + format.rawValue) {
            return format
        }
        if lowered.hasSuffix(".ndjson") { return .jsonl }
        if lowered.hasSuffix(".markdown") { return .md }
        if lowered.hasSuffix(".htm") { return .html }
        return .csv
    }
}

/// Writes an export file safely: into a temporary file beside the target, created
/// owner-readable only (0600), flushed, then renamed over the target — so a failed or
/// cancelled export never leaves a half-written file, and a loaded input is never
/// overwritten. Exports carry the provenance columns after the visible ones.
struct ExportWriter {
    let path: String
    let pathRange: SourceRange
    let inputs: [String]

    struct Written {
        var sha256: String
        var bytes: Int
    }

    func write(_ table: Table, as format: ExportFormat, masked: Bool = false) throws -> Written {
        try refuseToOverwriteInputs()
        let columns = table.visibleIndices + table.fields.indices.filter { table.fields[$0].isProvenance }
        let buffer = BufferSink()
        switch format {
        case .csv: DelimitedWriter(delimiter: UInt8(ascii: ",")).write(table, columns: columns, to: buffer)
        case .tsv: DelimitedWriter(delimiter: UInt8(ascii: "\t")).write(table, columns: columns, to: buffer)
        case .json: JSONWriter(lines: false).write(table, columns: columns, to: buffer)
        case .jsonl: JSONWriter(lines: true).write(table, columns: columns, to: buffer)
        case .md: MarkdownWriter().write(table, columns: columns, to: buffer)
        case .html:
            let title = String(path.split(separator: "/").last ?? Substring(path))
            buffer.write(HTMLPage.document(table, columns: columns, title: title, masked: masked))
        }
        try FileOutput.writeAtomically(buffer.bytes, to: path, pathRange: pathRange)
        return Written(sha256: SHA256Digest.hex(of: buffer.bytes), bytes: buffer.bytes.count)
    }

    private func refuseToOverwriteInputs() throws(Diagnostic) {
        var target = stat()
        guard stat(path, &target) == 0 else { return }
        for input in inputs {
            var info = stat()
            if stat(input, &info) == 0, info.st_dev == target.st_dev, info.st_ino == target.st_ino {
                throw Diagnostic("refusing to overwrite '\(path)': it is a loaded input", at: pathRange,
                                 hint: "inputs are evidence; export somewhere else")
            }
        }
    }
}

/// Owner-only, all-or-nothing file writes.
public enum FileOutput {
    public static func writeAtomically(_ bytes: [UInt8], to path: String, pathRange: SourceRange = .none) throws(Diagnostic) {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw Diagnostic("cannot write '\(path)': it is a directory", at: pathRange)
        }
        guard stat(directory.isEmpty ? "/" : directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw Diagnostic("cannot write '\(path)': no such directory '\(directory)'", at: pathRange)
        }
        var template = Array("\(directory.isEmpty ? "" : directory)/.kensho-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw Diagnostic("cannot write in '\(directory)': \(String(cString: strerror(errno)))", at: pathRange)
        }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        fchmod(fd, 0o600)
        var written = 0
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return fsync(fd) == 0
        }
        let code = errno
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Diagnostic("cannot write '\(path)': \(String(cString: strerror(ok ? errno : code)))", at: pathRange)
        }
    }
}
