/// A keyer turns a raw value into a canonical form (DESIGN §4), so the same person's
/// value compares equal across systems that wrote it differently.
///
/// Keyers are versioned: a change to any keyer's output is a new version, and old
/// versions stay available, so a fingerprint computed today can be recomputed and
/// compared with one computed by another party years later. This module is pure — no
/// I/O, no global mutable state — and works on UTF-8 bytes.
public protocol Keyer: Sendable {
    var id: KeyerID { get }

    /// Appends the canonical form of `input` (valid UTF-8) to `output`.
    ///
    /// Returns `.empty` when nothing is left (a blank name gives no key) and
    /// `.invalid(reason)` when the value cannot be read (an impossible date, which is
    /// never guessed); in both cases `output` is left as it was.
    func key(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> KeyResult
}

/// A keyer's name and version, written `name@1`.
public struct KeyerID: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var version: Int

    public init(_ name: String, _ version: Int) {
        self.name = name
        self.version = version
    }

    public var description: String { "\(name)@\(version)" }
}

/// What keying a value produced.
public enum KeyResult: Equatable, Sendable {
    case ok
    case empty
    case invalid(String)
}

extension Keyer {
    /// The canonical form of a string, nil when empty or invalid (tests, small uses).
    public func key(_ string: String) -> String? {
        var string = string
        var output: [UInt8] = []
        let result = string.withUTF8 { key($0, into: &output) }
        return result == .ok ? String(decoding: output, as: UTF8.self) : nil
    }

    /// The full result for a string: the canonical form or why there is none.
    public func keyResult(_ string: String) -> (KeyResult, String) {
        var string = string
        var output: [UInt8] = []
        let result = string.withUTF8 { key($0, into: &output) }
        return (result, String(decoding: output, as: UTF8.self))
    }
}
