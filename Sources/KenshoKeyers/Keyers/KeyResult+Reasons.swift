extension KeyResult {
    /// The input bytes are not well-formed UTF-8, so no text keyer can read them.
    static let notUTF8 = KeyResult.invalid("not valid UTF-8")
}
