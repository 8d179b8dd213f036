/// What a column holds about a person, whatever its header says (DESIGN §4). A recipe
/// names roles, so one recipe runs over datasets whose headers and column orders differ;
/// rendering masks the personal ones (DESIGN §6).
public enum Role: String, Sendable, CaseIterable, Hashable {
    case name, kana, birthdate, phone, email, postal, address, id
    /// When the record was registered in its system: not personal, but evidence of
    /// which system held a record first (the matrix uses it to suggest an origin).
    case registered

    /// Header words (compared after trimming, case-insensitively) that name each role.
    static let headerSynonyms: [Role: [String]] = [
        .name: ["氏名", "名前", "name", "full_name", "fullname", "patron_name", "利用者名", "お名前", "姓名"],
        .kana: ["カナ", "フリガナ", "ふりがな", "ﾌﾘｶﾞﾅ", "ｶﾅ", "name_kana", "kana", "氏名カナ", "氏名（カナ）", "よみ", "読み"],
        .birthdate: ["生年月日", "birthdate", "birth_date", "dob", "date_of_birth", "birthday", "誕生日"],
        .phone: ["電話", "電話番号", "tel", "phone", "telephone", "phone_number", "携帯", "携帯電話", "連絡先電話番号"],
        .email: ["メール", "email", "e-mail", "mail", "メールアドレス", "email_address"],
        .postal: ["郵便番号", "〒", "zip", "zipcode", "zip_code", "postal_code", "postcode"],
        .address: ["住所", "address", "所在地", "addr"],
        .id: ["利用者番号", "カード番号", "card_no", "card_number", "user_id", "id", "patron_id", "会員番号", "利用者id"],
        .registered: ["登録日", "registered", "registration_date", "registered_at", "登録年月日", "入会日", "created_at"],
    ]

    /// Roles whose values are personal data: masked in tables by default.
    public var isPersonal: Bool { self != .registered }

    /// The keyer a recipe uses for this role unless it names another.
    public var defaultKeyer: String {
        switch self {
        case .name: return "name"
        case .kana: return "kana"
        case .birthdate: return "date"
        case .phone: return "phone"
        case .email: return "email"
        case .postal: return "postal"
        case .address: return "text"
        case .id: return "text"
        case .registered: return "date"
        }
    }

    /// The role a header names, if any.
    public static func forHeader(_ header: String) -> Role? {
        let key = header.trimmingCharacters(in: .whitespaces).lowercased()
        for role in Role.allCases where headerSynonyms[role]!.contains(where: { $0.lowercased() == key }) {
            return role
        }
        return nil
    }
}

/// A column's role and why kensho thinks so.
public struct RoleAssignment: Sendable, Hashable {
    public var role: Role
    /// "header '氏名'", "values: 97% phone-shaped (161 of 166)", "set by: role x.tel = phone".
    public var evidence: String
}

import Foundation
