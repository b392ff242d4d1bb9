//! Swift: an enum per operation with `unknown(String)`, and `ApiError`
//! decoded with `JSONDecoder` from the body's `Data`.

use std::fmt::Write;

use super::patch::PatchBody;
use super::{OperationCodes, banner, camel, pascal};

/// Swift keywords a code could collide with: written in backticks.
const KEYWORDS: [&str; 20] = [
    "associatedtype",
    "class",
    "default",
    "deinit",
    "enum",
    "extension",
    "fileprivate",
    "func",
    "import",
    "init",
    "internal",
    "let",
    "operator",
    "private",
    "protocol",
    "public",
    "static",
    "struct",
    "subscript",
    "var",
];

fn case_name(code: &str) -> String {
    let name = camel(code);
    if KEYWORDS.contains(&name.as_str()) {
        format!("`{name}`")
    } else {
        name
    }
}

pub(super) fn file(title: &str, ops: &[OperationCodes], patches: &[PatchBody]) -> String {
    let mut s = banner("//", title);
    s.push_str(
        r#"import Foundation

/// One field that broke a rule: where (`owner.id`, `tags[0]`), which rule, and the message to show.
public struct FieldViolation: Decodable, Equatable, Sendable {
    public let field: String
    public let code: String
    public let message: String
}

/// Every error body: a stable `code`, a short localized `message`, the fields at fault, the request id.
public struct ApiError: Decodable, Equatable, Sendable, Error {
    public let code: String
    public let message: String
    public let fields: [FieldViolation]
    public let requestId: String

    enum CodingKeys: String, CodingKey {
        case code, message, fields
        case requestId = "request_id"
    }

    /// The envelope in an error response's body (URLSession's `Data`), or nil when it is not one.
    public static func decode(_ body: Data) -> ApiError? {
        try? JSONDecoder().decode(ApiError.self, from: body)
    }
}
"#,
    );
    for op in ops {
        let name = format!("{}ErrorCode", pascal(&op.id));
        let codes = op.distinct_codes();
        let _ = write!(
            s,
            "\n/// The codes of `{}` ({}); `.unknown` for one added after this kit.\npublic enum {name}: Equatable, Sendable {{\n",
            op.label, op.id
        );
        for code in &codes {
            let _ = writeln!(s, "    case {}", case_name(code));
        }
        s.push_str(
            "    case unknown(String)\n\n    public init(_ raw: String) {\n        switch raw {\n",
        );
        for code in &codes {
            let _ = writeln!(s, "        case \"{code}\": self = .{}", case_name(code));
        }
        s.push_str("        default: self = .unknown(raw)\n        }\n    }\n\n    public init(_ error: ApiError) {\n        self.init(error.code)\n    }\n\n    public var raw: String {\n        switch self {\n");
        for code in &codes {
            let _ = writeln!(s, "        case .{}: return \"{code}\"", case_name(code));
        }
        s.push_str("        case .unknown(let raw): return raw\n        }\n    }\n}\n");
    }
    if !patches.is_empty() {
        s.push_str(SWIFT_PATCH);
    }
    for patch in patches {
        let _ = write!(
            s,
            "\n/// `{}` as a patch: only the properties set are sent, `null` included, so a field can\n/// be cleared (the generated model's `encodeIfPresent` drops nil). Encode it as the body.\npublic struct {}Patch: Encodable, Sendable {{\n    private var fields: [(String, PatchValue)] = []\n\n    public init() {{}}\n",
            patch.name, patch.name
        );
        for p in &patch.properties {
            let name = &p.name;
            let _ = write!(
                s,
                "\n    /// {}\n    public func {}(_ value: {}?) -> Self {{\n        var copy = self\n        copy.fields.removeAll {{ $0.0 == \"{name}\" }}\n        copy.fields.append((\"{name}\", value.map(PatchValue.{}) ?? .null))\n        return copy\n    }}\n",
                p.doc("nil"),
                case_name(name),
                p.scalar.pick(["String", "Int64", "Double", "Bool"]),
                p.scalar.pick(["string", "integer", "number", "boolean"]),
            );
        }
        s.push_str("\n    public func encode(to encoder: Encoder) throws {\n        var container = encoder.container(keyedBy: PatchKey.self)\n        for (name, value) in fields {\n            try container.encode(value, forKey: PatchKey(stringValue: name))\n        }\n    }\n}\n");
    }
    s
}

/// The values and keys of patch bodies.
const SWIFT_PATCH: &str = r#"
/// A value in a patch body: `null` is sent as `null`.
public enum PatchValue: Encodable, Sendable {
    case string(String)
    case integer(Int64)
    case number(Double)
    case boolean(Bool)
    case null

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let v): try container.encode(v)
        case .integer(let v): try container.encode(v)
        case .number(let v): try container.encode(v)
        case .boolean(let v): try container.encode(v)
        case .null: try container.encodeNil()
        }
    }
}

struct PatchKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
"#;
