//! Kotlin: a sealed interface per operation with `Unknown(raw)`, and a
//! decoder that needs no JSON library (the envelope is four members), so it
//! fits OkHttp, Ktor and generated clients alike.

use std::fmt::Write;

use super::patch::PatchBody;
use super::{OperationCodes, banner, camel, pascal};

pub(super) fn file(title: &str, ops: &[OperationCodes], patches: &[PatchBody]) -> String {
    let mut s = banner("//", title);
    s.push_str(
        r#"package contract.errors

/** One field that broke a rule: where (`owner.id`, `tags[0]`), which rule, and the message to show. */
data class FieldViolation(val field: String, val code: String, val message: String)

/** Every error body: a stable `code`, a short localized `message`, the fields at fault, the request id. */
data class ApiError(
    val code: String,
    val message: String,
    val fields: List<FieldViolation>,
    val requestId: String,
) {
    companion object {
        /**
         * The envelope in an error response's body (OkHttp's `response.body?.string()`, Ktor's
         * `bodyAsText()`, a generated client's `ClientException` body), or null when it is not
         * one. No JSON library needed: the envelope is read by [EnvelopeReader].
         */
        fun decode(body: String?): ApiError? {
            if (body == null) return null
            return try {
                val root = EnvelopeReader(body).document() as? Map<*, *> ?: return null
                val code = root["code"] as? String ?: return null
                val message = root["message"] as? String ?: return null
                val requestId = root["request_id"] as? String ?: return null
                val fields = (root["fields"] as? List<*>).orEmpty().mapNotNull { f ->
                    (f as? Map<*, *>)?.let {
                        FieldViolation(
                            it["field"] as? String ?: "",
                            it["code"] as? String ?: "",
                            it["message"] as? String ?: "",
                        )
                    }
                }
                ApiError(code, message, fields, requestId)
            } catch (e: IllegalArgumentException) {
                null
            }
        }
    }
}

/** A small JSON reader, enough for the envelope: objects, arrays, strings, and the rest skipped. */
private class EnvelopeReader(private val s: String) {
    private var i = 0

    fun document(): Any? {
        val v = value()
        space()
        require(i == s.length) { "trailing data" }
        return v
    }

    private fun space() {
        while (i < s.length && s[i].isWhitespace()) i++
    }

    private fun value(): Any? {
        space()
        require(i < s.length) { "end of input" }
        return when (s[i]) {
            '{' -> obj()
            '[' -> arr()
            '"' -> str()
            else -> scalar()
        }
    }

    private fun obj(): Map<String, Any?> {
        val out = LinkedHashMap<String, Any?>()
        i++
        space()
        if (i < s.length && s[i] == '}') { i++; return out }
        while (true) {
            space()
            val key = str()
            space()
            require(i < s.length && s[i] == ':') { "expected :" }
            i++
            out[key] = value()
            space()
            require(i < s.length) { "end of input" }
            when (s[i++]) {
                ',' -> continue
                '}' -> return out
                else -> throw IllegalArgumentException("expected , or }")
            }
        }
    }

    private fun arr(): List<Any?> {
        val out = ArrayList<Any?>()
        i++
        space()
        if (i < s.length && s[i] == ']') { i++; return out }
        while (true) {
            out += value()
            space()
            require(i < s.length) { "end of input" }
            when (s[i++]) {
                ',' -> continue
                ']' -> return out
                else -> throw IllegalArgumentException("expected , or ]")
            }
        }
    }

    private fun str(): String {
        require(i < s.length && s[i] == '"') { "expected a string" }
        i++
        val b = StringBuilder()
        while (true) {
            require(i < s.length) { "unterminated string" }
            val c = s[i++]
            when (c) {
                '"' -> return b.toString()
                '\\' -> {
                    require(i < s.length) { "unterminated escape" }
                    when (val e = s[i++]) {
                        'n' -> b.append('\n')
                        't' -> b.append('\t')
                        'r' -> b.append('\r')
                        'b' -> b.append('\b')
                        'f' -> b.append('\u000C')
                        'u' -> {
                            require(i + 4 <= s.length) { "short \\u escape" }
                            b.append(s.substring(i, i + 4).toInt(16).toChar())
                            i += 4
                        }
                        else -> b.append(e)
                    }
                }
                else -> b.append(c)
            }
        }
    }

    private fun scalar(): Any? {
        val start = i
        while (i < s.length && s[i] !in ",}] \t\r\n") i++
        val word = s.substring(start, i)
        return when (word) {
            "true" -> true
            "false" -> false
            "null" -> null
            else -> word.toDoubleOrNull() ?: throw IllegalArgumentException("not JSON: $word")
        }
    }
}
"#,
    );
    for op in ops {
        let name = format!("{}ErrorCode", pascal(&op.id));
        let _ = write!(
            s,
            "\n/** The codes of `{}` ({}); [Unknown] for one added after this kit. */\nsealed interface {name} {{\n    val raw: String\n",
            op.label, op.id
        );
        for code in op.distinct_codes() {
            let _ = writeln!(
                s,
                "    data object {} : {name} {{ override val raw = \"{code}\" }}",
                pascal(code)
            );
        }
        let _ = write!(
            s,
            "    data class Unknown(override val raw: String) : {name}\n\n    companion object {{\n        fun of(raw: String): {name} = when (raw) {{\n"
        );
        for code in op.distinct_codes() {
            let _ = writeln!(s, "            \"{code}\" -> {}", pascal(code));
        }
        let _ = write!(
            s,
            "            else -> Unknown(raw)\n        }}\n\n        fun of(error: ApiError): {name} = of(error.code)\n    }}\n}}\n"
        );
    }
    if !patches.is_empty() {
        s.push_str(KOTLIN_JSON);
    }
    for patch in patches {
        let _ = write!(
            s,
            "\n/**\n * `{}` as a patch: only the properties set are sent, `null` included, so a field\n * can be cleared (the generated model drops nulls). Send [toJson] as the body.\n */\nclass {}Patch {{\n    private val fields = LinkedHashMap<String, Any?>()\n\n",
            patch.name, patch.name
        );
        for p in &patch.properties {
            let _ = writeln!(
                s,
                "    /** {} */\n    fun `{}`(value: {}?) = apply {{ fields[\"{}\"] = value }}\n",
                p.doc("null"),
                camel(&p.name),
                p.scalar.pick(["String", "Long", "Double", "Boolean"]),
                p.name
            );
        }
        s.push_str("    /** The JSON body. */\n    fun toJson(): String = jsonOf(fields)\n}\n");
    }
    s
}

/// A JSON writer for patch bodies: strings, numbers, booleans and `null`.
const KOTLIN_JSON: &str = r#"
private fun jsonOf(fields: Map<String, Any?>): String =
    fields.entries.joinToString(",", "{", "}") { (k, v) -> jsonString(k) + ":" + jsonValue(v) }

private fun jsonValue(v: Any?): String = when (v) {
    null -> "null"
    is String -> jsonString(v)
    is Boolean, is Long, is Int -> v.toString()
    is Double -> if (v.isFinite()) v.toString() else throw IllegalArgumentException("not a JSON number: $v")
    else -> throw IllegalArgumentException("not a patch value: $v")
}

private fun jsonString(s: String): String {
    val b = StringBuilder("\"")
    for (c in s) {
        when {
            c == '"' -> b.append("\\\"")
            c == '\\' -> b.append("\\\\")
            c < ' ' -> b.append(String.format("\\u%04x", c.code))
            else -> b.append(c)
        }
    }
    return b.append('"').toString()
}
"#;
