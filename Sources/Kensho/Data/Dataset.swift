/// A named table in the session's catalog, and where it came from.
public struct Dataset: Sendable {
    public var name: String
    public var table: Table
    public var origin: Origin
    /// Rows the loader kept but flagged (wrong field count, text after a quote).
    public var loadIssues: [LoadIssue]

    public enum Origin: Sendable {
        case file(SourceFile)
        /// Bound with `NAME = PIPELINE`; the statement as typed.
        case derived(statement: String)
    }

    public init(name: String, table: Table, origin: Origin, loadIssues: [LoadIssue] = []) {
        self.name = name
        self.table = table
        self.origin = origin
        self.loadIssues = loadIssues
    }

    public var sourceFile: SourceFile? {
        if case .file(let file) = origin { return file }
        return nil
    }
}

/// An input file as loaded: the evidence record of what was read.
public struct SourceFile: Sendable, Hashable {
    public var path: String
    public var sha256: String
    public var size: Int
    public var modified: Double
    /// `csv`, `tsv`, `json`, ...
    public var format: String
    /// A short account of how the file was read: delimiter, header, ...
    public var layout: String
    public var encoding: EncodingDecision
}

/// Which text encoding a file was read as, and how sure the loader was.
public struct EncodingDecision: Sendable, Hashable {
    public var name: String
    /// `auto` when detected, `given` when named in `with encoding=`, or how else the
    /// loader knows (`declared by the database`).
    public var how: String
    public var confidence: Double
    public var replacedBytes: Int = 0

    public var description: String {
        var text: String
        switch how {
        case "auto": text = "\(name) (auto, confidence \(String(format: "%.2f", confidence)))"
        case "given": text = "\(name) (given)"
        default: text = "\(name) (\(how))"
        }
        if replacedBytes > 0 { text += ", \(replacedBytes) undecodable bytes replaced" }
        return text
    }
}

/// A problem with one record that did not stop the load.
public struct LoadIssue: Sendable, Hashable {
    public var line: Int
    public var byteOffset: Int
    public var reason: String
}

import Foundation
