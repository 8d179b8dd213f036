/// Every keyer, by name and version: what recipes (`name:kana`), `normalize(x, KEYER)`
/// and fingerprint headers (`name@1+date@1+phone@1`) refer to.
///
/// The keyers and their contracts (each type's documentation has the details):
///
/// | keyer | output |
/// |---|---|
/// | `raw@1` | the bytes as they are |
/// | `text@1` | NFKC, lower-case, white space collapsed to one ASCII space and trimmed, hyphen variants as `-`, ー as `-` only between ASCII letters or digits; NFC UTF-8 |
/// | `name@1` | `text` without spaces and middle dots (・ ･ ·); 々 and ー kept, variant kanji not folded |
/// | `kana@1` | `name` with katakana as hiragana (half-width kana are full-width after NFKC); ー kept |
/// | `digits@1` | the ASCII digits of the NFKC form |
/// | `phone@1` | `digits`, with a `+81`/`81`/`0081` country code turned into the trunk 0 when a national number follows; fewer than 9 digits is invalid |
/// | `date@1` | `yyyy-mm-dd` from western and Japanese era forms; impossible, out-of-era and ambiguous dates are invalid, never guessed |
/// | `email@1` | trimmed and lower-cased, nothing else |
/// | `postal@1` | the 7 digits of a Japanese postal code; other lengths are invalid |
///
/// Every keyer returns `.empty` for empty or white-space-only input and
/// `.invalid("not valid UTF-8")` for malformed text (except `raw`, which copies any
/// bytes). A keyer's output never changes within a version: a change is a new version,
/// registered next to the old one, so keys computed years apart stay comparable.
/// See `Folding` for how the text keyers avoid Foundation's slow NFKC.
public enum KeyerRegistry {
    /// Every registered keyer, every version, in the order of the table above.
    public static var all: [any Keyer] {
        [
            RawKeyer(), TextKeyer(), NameKeyer(), KanaKeyer(), DigitsKeyer(), PhoneKeyer(), DateKeyer(),
            EmailKeyer(), PostalKeyer(),
        ]
    }

    /// The keyers' names, each once, in the order of `all`.
    public static var names: [String] {
        var names: [String] = []
        for keyer in all where !names.contains(keyer.id.name) {
            names.append(keyer.id.name)
        }
        return names
    }

    /// The keyer called `name` (any case), at `version`, or at its latest version when
    /// `version` is nil. `name` may carry the version itself, as in `text@1`. Nil when
    /// there is no such keyer or version.
    public static func keyer(named name: String, version: Int? = nil) -> (any Keyer)? {
        var name = name.lowercased()
        var version = version
        if let at = name.lastIndex(of: "@") {
            guard let written = Int(name[name.index(after: at)...]), version == nil || version == written else {
                return nil
            }
            version = written
            name = String(name[..<at])
        }
        let candidates = all.filter { $0.id.name == name }
        if let version {
            return candidates.first { $0.id.version == version }
        }
        return candidates.max { $0.id.version < $1.id.version }
    }
}
