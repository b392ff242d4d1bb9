//! Dart: an enhanced enum per operation with `unknown`, and `ApiError`
//! read from what dio hands over (a decoded map, or the body's text).

use std::fmt::Write;

use super::patch::PatchBody;
use super::{OperationCodes, banner, camel, pascal};

/// Dart's reserved words a code could collide with: a trailing `_` is added.
const RESERVED: &[&str] = &[
    "assert",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "default",
    "do",
    "else",
    "enum",
    "in",
    "is",
    "new",
    "null",
    "switch",
    "values",
    "index",
    "name",
    "hashCode",
    "runtimeType",
];

/// A patch builder's method for property `name`: only Dart's reserved
/// words are renamed (an enum's own members do not matter there).
fn method(name: &str) -> String {
    let name = camel(name);
    if RESERVED[..16].contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

fn member(code: &str) -> String {
    let name = camel(code);
    if RESERVED.contains(&name.as_str()) || name == "unknown" || name == "raw" {
        format!("{name}_")
    } else {
        name
    }
}

pub(super) fn file(title: &str, ops: &[OperationCodes], patches: &[PatchBody]) -> String {
    let mut s = banner("//", title);
    s.push_str(
        r#"import 'dart:convert';

/// One field that broke a rule: where (`owner.id`, `tags[0]`), which rule, and the message to show.
class FieldViolation {
  const FieldViolation(this.field, this.code, this.message);
  final String field;
  final String code;
  final String message;
}

/// Every error body: a stable `code`, a short localized `message`, the fields at fault, the request id.
class ApiError {
  const ApiError(this.code, this.message, this.fields, this.requestId);
  final String code;
  final String message;
  final List<FieldViolation> fields;
  final String requestId;

  /// The envelope in an error response's body (dio's `DioException.response?.data`: a map, or
  /// the text), or null when it is not one.
  static ApiError? decode(Object? body) {
    Object? value = body;
    if (body is String) {
      try {
        value = jsonDecode(body);
      } on FormatException {
        return null;
      }
    }
    if (value is! Map) return null;
    final code = value['code'], message = value['message'], requestId = value['request_id'];
    if (code is! String || message is! String || requestId is! String) return null;
    final fields = <FieldViolation>[];
    final raw = value['fields'];
    if (raw is List) {
      for (final f in raw) {
        if (f is Map) {
          fields.add(FieldViolation('${f['field'] ?? ''}', '${f['code'] ?? ''}', '${f['message'] ?? ''}'));
        }
      }
    }
    return ApiError(code, message, fields, requestId);
  }
}
"#,
    );
    for op in ops {
        let name = format!("{}ErrorCode", pascal(&op.id));
        let _ = write!(
            s,
            "\n/// The codes of `{}` ({}); [{name}.unknown] for one added after this kit\n/// (`ApiError.code` keeps its text).\nenum {name} {{\n",
            op.label, op.id
        );
        for code in op.distinct_codes() {
            let _ = writeln!(s, "  {}('{code}'),", member(code));
        }
        let _ = write!(
            s,
            "  unknown('');\n\n  const {name}(this.raw);\n  final String raw;\n\n  static {name} of(String raw) =>\n      values.firstWhere((c) => c != unknown && c.raw == raw, orElse: () => unknown);\n}}\n"
        );
    }
    for patch in patches {
        let _ = write!(
            s,
            "\n/// `{}` as a patch: only the properties set are sent, `null` included, so a field can\n/// be cleared (the generated built_value model skips nulls). Send [toJson] as dio's `data`.\nclass {}Patch {{\n  final Map<String, Object?> _fields = {{}};\n",
            patch.name, patch.name
        );
        for p in &patch.properties {
            let _ = write!(
                s,
                "\n  /// {}\n  {}Patch {}({}? value) {{\n    _fields['{}'] = value;\n    return this;\n  }}\n",
                p.doc("null"),
                patch.name,
                method(&p.name),
                p.scalar.pick(["String", "int", "double", "bool"]),
                p.name
            );
        }
        s.push_str("\n  /// The JSON body, `null` values kept.\n  Map<String, Object?> toJson() => Map.of(_fields);\n}\n");
    }
    s
}
