#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The comment lines that open a journal, ended by an empty line:
///
///     -- kensho journal 1
///     -- tool: kensho 0.1.0
///     -- started: 2026-11-23T14:05:12.345Z
///     -- operator: yamada
///     -- host: audit-laptop
///     -- directory: /cases/minato-kita
///
/// The first line names the format and its version; the rest are `key: value`. The
/// whole block, empty line included, seeds the hash chain.
public struct JournalHeader: Sendable, Equatable {
    public static let magic = "-- kensho journal 1"

    public var fields: [(key: String, value: String)]

    public static func == (a: JournalHeader, b: JournalHeader) -> Bool {
        a.fields.elementsEqual(b.fields) { $0.key == $1.key && $0.value == $1.value }
    }

    public init(fields: [(key: String, value: String)]) { self.fields = fields }

    /// A header for a session starting now, here.
    public static func current(operatorName: String?) -> JournalHeader {
        JournalHeader(fields: [
            ("tool", "kensho \(KenshoVersion.string)"),
            ("started", Clock.timestamp()),
            ("operator", operatorName ?? Environment.userName ?? "unknown"),
            ("host", Environment.hostName ?? "unknown"),
            ("directory", Environment.currentDirectory ?? "unknown"),
        ])
    }

    public func value(_ key: String) -> String? { fields.first { $0.key == key }?.value }

    /// The header block as written, ending with the empty line.
    public var text: String {
        var text = JournalHeader.magic + "\n"
        for (key, value) in fields {
            text += "-- \(key): \(value.replacingLineBreaks())\n"
        }
        return text + "\n"
    }
}

extension String {
    /// Line breaks would end a header line early; they are written as spaces.
    func replacingLineBreaks() -> String {
        String(unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : Character($0) })
    }
}

/// UTC timestamps with milliseconds, independent of the local time zone.
public enum Clock {
    public static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }

    /// A file-name-safe form: 20261123T140512Z.
    public static func compactTimestamp() -> String {
        let stamp = timestamp()
        return stamp.prefix(19).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "") + "Z"
    }

    public static func monotonicMilliseconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1_000_000
    }
}

/// Facts about where kensho runs, for the journal header.
enum Environment {
    static var userName: String? {
        for name in ["KENSHO_OPERATOR", "USER", "LOGNAME"] {
            if let value = getenv(name), value.pointee != 0 { return String(cString: value) }
        }
        return nil
    }

    static var hostName: String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return nil }
        return String(cString: buffer)
    }

    static var currentDirectory: String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(cString: buffer)
    }
}

import Foundation
