import Crypto
import Foundation

/// An Ed25519 signature over a journal's head hash, so an examiner can show later that
/// the log they hold is the one that was signed (DESIGN §5: the head hash is "written
/// down or signed outside the log").
///
/// The signed message is `"kensho journal head 1" 0x00 <head hex> 0x00 <entry count>`.
/// A signature file is text:
///
///     kensho journal signature 1
///     entries: 28
///     head: 20ce6954…
///     public-key: <base64, 32 bytes>
///     signature: <base64, 64 bytes>
public struct HeadSignature: Sendable, Equatable {
    public var entries: Int
    public var head: String
    public var publicKey: Data
    public var signature: Data

    static let magic = "kensho journal signature 1"

    static func message(head: String, entries: Int) -> Data {
        Data("kensho journal head 1\u{0}\(head)\u{0}\(entries)".utf8)
    }

    public static func sign(head: String, entries: Int, with key: Curve25519.Signing.PrivateKey) throws -> HeadSignature {
        let signature = try key.signature(for: message(head: head, entries: entries))
        return HeadSignature(entries: entries, head: head, publicKey: key.publicKey.rawRepresentation, signature: signature)
    }

    /// True when the signature is valid for `publicKey` (or the key in the file).
    public func isValid(publicKey expected: Data? = nil) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: expected ?? publicKey) else { return false }
        return key.isValidSignature(signature, for: HeadSignature.message(head: head, entries: entries))
    }

    public var text: String {
        """
        \(HeadSignature.magic)
        entries: \(entries)
        head: \(head)
        public-key: \(publicKey.base64EncodedString())
        signature: \(signature.base64EncodedString())

        """
    }

    public static func parse(_ text: String) -> HeadSignature? {
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.first == magic else { return nil }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.range(of: ": ") else { return nil }
            fields[String(line[..<colon.lowerBound])] = String(line[colon.upperBound...])
        }
        guard let entries = fields["entries"].flatMap(Int.init), let head = fields["head"],
              let key = fields["public-key"].flatMap({ Data(base64Encoded: $0) }),
              let signature = fields["signature"].flatMap({ Data(base64Encoded: $0) }) else { return nil }
        return HeadSignature(entries: entries, head: head, publicKey: key, signature: signature)
    }
}

/// Ed25519 key files: one label line and the base64 key.
public enum SigningKeyFile {
    static let privateLabel = "kensho ed25519 private key"
    static let publicLabel = "kensho ed25519 public key"

    public static func privateText(_ key: Curve25519.Signing.PrivateKey) -> String {
        "\(privateLabel)\n\(key.rawRepresentation.base64EncodedString())\n"
    }

    public static func publicText(_ key: Curve25519.Signing.PublicKey) -> String {
        "\(publicLabel)\n\(key.rawRepresentation.base64EncodedString())\n"
    }

    public static func readPrivate(_ text: String) -> Curve25519.Signing.PrivateKey? {
        let lines = text.split(separator: "\n")
        guard lines.count >= 2, lines[0] == privateLabel, let raw = Data(base64Encoded: String(lines[1])) else { return nil }
        return try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    }

    public static func readPublic(_ text: String) -> Data? {
        let lines = text.split(separator: "\n")
        guard lines.count >= 2, lines[0] == publicLabel, let raw = Data(base64Encoded: String(lines[1])),
              raw.count == 32 else { return nil }
        return raw
    }
}
