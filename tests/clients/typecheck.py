"""The generated-type check: every schema property of a spec, as each client
generator typed it, compared with the type the spec intends.

usage: typecheck.py SPEC OUT_DIR [--markdown FILE]

OUT_DIR holds one folder per generator, as `.ci/clients` writes them:
kotlin/ (openapi-generator `kotlin`), swift5/, swift6/, python/ (`python`,
pydantic v2), dart/ (`dart-dio`), typescript/schema.ts (openapi-typescript)
and zod/zod.gen.ts (@hey-api/openapi-ts with its zod plugin).

For every property of every object schema (components, and what requests and
responses reach), each language's generated type is reduced to a canonical
form (`string`, `int64`, `list<ref:Seminar>`, `enum:Role`, ...) and compared
with the spec's. A failure is any of:
  - an empty class (a model with no members where the spec has properties or
    enum values), or a missing model;
  - an untyped value (Kotlin `Any`, Swift `AnyCodable`, Python `Any`, Dart
    `JsonObject`, TypeScript `unknown`) where the spec has a type;
  - an enum that is a wrapper (Swift `case typeString(String)`, a Python
    `actual_instance` model) or lacks one of the spec's values;
  - a type other than the intended one (a `String` for an enum, an `Int`
    for an int64);
  - null-check pollution: a response property that is required and not
    nullable, generated optional or nullable (DESIGN.md section 4);
  - a lost null: a nullable property generated non-nullable (decoding the
    null fails).
It prints the failures and, with --markdown, writes the per-language table.
Exit status 1 when anything fails.
"""
import json
import os
import re
import sys

LANGS = ["kotlin", "swift5", "swift6", "typescript", "zod", "python", "dart"]
TITLES = {"kotlin": "Kotlin", "swift5": "Swift 5", "swift6": "Swift 6", "typescript": "TypeScript",
          "zod": "TS zod", "python": "Python", "dart": "Dart"}
PREFIX = "#/components/schemas/"


# ---- sources --------------------------------------------------------------------
def strip_comments(src):
    """source without // and /* */ comments (strings kept; doc comments hold quotes)"""
    out, i, quote = [], 0, None
    while i < len(src):
        c = src[i]
        if quote:
            out.append(c)
            if c == "\\" and i + 1 < len(src):
                out.append(src[i + 1])
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'`":
            quote = c
            out.append(c)
        elif src.startswith("/*", i):
            i = src.index("*/", i) + 1
        elif src.startswith("//", i):
            while i < len(src) and src[i] != "\n":
                i += 1
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def sources(root, suffix, comments=True):
    for dirpath, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            if f.endswith(suffix):
                text = open(os.path.join(dirpath, f), encoding="utf-8").read()
                yield f, (strip_comments(text) if comments else text)


def close(src, i, pairs="()[]{}<>"):
    """index of the bracket closing src[i]"""
    opening, closing = pairs[0::2], pairs[1::2]
    depth, quote = 0, None
    for j in range(i, len(src)):
        c = src[j]
        if quote:
            if c == quote and src[j - 1] != "\\":
                quote = None
        elif c in "\"'`":
            quote = c
        elif c in opening and not (c == "<" and src[j - 1] == "="):
            depth += 1
        elif c in closing and not (c == ">" and src[j - 1] in "=-"):
            depth -= 1
            if depth == 0:
                return j
    raise ValueError("unbalanced")


def split_top(s, seps):
    parts, depth, quote, cur = [], 0, None, []
    for i, c in enumerate(s):
        if quote:
            if c == quote and s[i - 1] != "\\":
                quote = None
        elif c in "\"'`":
            quote = c
        elif c in "([{<":
            depth += 1
        elif c in ")]}" or (c == ">" and s[i - 1] not in "=-"):
            depth -= 1
        elif c in seps and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(c)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


# ---- the spec -------------------------------------------------------------------
class Spec:
    def __init__(self, path):
        self.doc = json.load(open(path, encoding="utf-8"))
        self.schemas = self.doc.get("components", {}).get("schemas", {})

    def resolve(self, ref):
        node = self.doc
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def enum_values(self, schema):
        """the values of a string enum: `enum`, or a union of string constants
        (the shape some generators break on, but an enum all the same)"""
        if isinstance(schema.get("enum"), list) and "properties" not in schema:
            return [v for v in schema["enum"] if v is not None]
        for key in ("oneOf", "anyOf"):
            branches = [b for b in schema.get(key, []) if b != {"type": "null"}]
            if branches and all("const" in b or "enum" in b for b in branches):
                return [v for b in branches for v in ([b["const"]] if "const" in b else b["enum"])]
        return None

    def is_enum(self, schema):
        return self.enum_values(schema) is not None

    def intended_nullable(self, s):
        return None in s.get("enum", []) or {"type": "null"} in s.get("oneOf", []) + s.get("anyOf", [])

    def intended(self, s):
        """(canonical type, nullable) of a property schema"""
        if "$ref" in s:
            name = s["$ref"][len(PREFIX):]
            target = self.schemas.get(name, {})
            if self.is_enum(target):
                return f"enum:{name}", self.intended_nullable(target)
            if "properties" in target or "oneOf" in target or "anyOf" in target:
                return f"ref:{name}", False
            return self.intended(target)
        for key in ("oneOf", "anyOf"):
            if key in s:
                branches = [b for b in s[key] if b != {"type": "null"}]
                nullable = len(branches) < len(s[key])
                if len(branches) == 1:
                    t, n = self.intended(branches[0])
                    return t, nullable or n
                return "union<" + ",".join(self.intended(b)[0] for b in branches) + ">", nullable
        types = s.get("type")
        types = types if isinstance(types, list) else [types] if types else []
        nullable = "null" in types
        types = [t for t in types if t != "null"]
        if len(types) != 1:
            return ("any" if not types else "union<" + ",".join(types) + ">"), nullable
        t = types[0]
        if "enum" in s:
            return "enum[" + ",".join(str(v) for v in s["enum"] if v is not None) + "]", nullable
        if t == "string":
            return {"date-time": "datetime", "date": "date"}.get(s.get("format"), "string"), nullable
        if t == "integer":
            return {"int32": "int32"}.get(s.get("format"), "int64"), nullable
        if t == "array":
            return f"list<{self.intended(s.get('items', {}))[0]}>", nullable
        if t == "object" and "properties" not in s:
            extra = s.get("additionalProperties")
            return (f"map<{self.intended(extra)[0]}>" if isinstance(extra, dict) else "any"), nullable
        return t, nullable

    def usage(self):
        """component name -> set of 'request'/'response' that reach it"""
        seen = {}

        def walk(node, where):
            if isinstance(node, list):
                for n in node:
                    walk(n, where)
            elif isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith(PREFIX):
                    name = ref[len(PREFIX):]
                    if where not in seen.setdefault(name, set()):
                        seen[name].add(where)
                        walk(self.schemas.get(name), where)
                for k, v in node.items():
                    if k not in ("examples", "example", "default", "enum", "const"):
                        walk(v if not (isinstance(v, str) and k == "$ref") else None, where)
                if isinstance(ref, str) and not ref.startswith(PREFIX):
                    walk(self.resolve(ref), where)

        for item in self.doc.get("paths", {}).values():
            for op in item.values():
                if isinstance(op, dict):
                    walk(op.get("parameters"), "request")
                    walk(op.get("requestBody"), "request")
                    walk(op.get("responses"), "response")
        return seen

    def properties(self):
        """(schema, property, canonical, nullable, required, class, usage) per property"""
        usage = self.usage()
        rows = []
        for name, schema in sorted(self.schemas.items()):
            props = dict(schema.get("properties", {}))
            required = set(schema.get("required", []))
            for part in schema.get("allOf", []):
                part = self.resolve(part["$ref"]) if "$ref" in part else part
                props.update(part.get("properties", {}))
                required |= set(part.get("required", []))
            for prop, sub in props.items():
                canon, nullable = self.intended(sub)
                req = prop in required
                if sub.get("x-patch") or sub.get("x-contract-class") == "tri-state":
                    klass = "tri-state"
                else:
                    klass = ("required" if req else "optional") + ("-nullable" if nullable else "")
                rows.append((name, prop, canon, nullable, req, klass, usage.get(name, set())))
        return rows


# ---- generated models: name -> Model ----------------------------------------------
class Model:
    def __init__(self, kind, props=None, values=None, raw=""):
        self.kind = kind          # "object", "enum", "alias" (of a scalar), "wrapper", "empty"
        self.props = props or {}  # json name -> (type spelling, optional/nullable)
        self.values = values or []
        self.raw = raw


def norm(name):
    return re.sub(r"[^a-z0-9]", "", name.lower())


def kotlin(root):
    models = {}
    for _, src in sources(root, ".kt"):
        for m in re.finditer(r"\benum\s+class\s+(\w+)\s*\(", src):
            body = src[m.end():]
            models.setdefault(m.group(1), Model("enum", values=re.findall(r'@Json\(name\s*=\s*"([^"]*)"\)', body[:body.find("}")])))
        for m in re.finditer(r"\b(data\s+)?class\s+(\w+)\s*\(", src):
            start = m.end() - 1
            body = src[start + 1:close(src, start)]
            props, pending = {}, None
            for line in body.splitlines():
                ann = re.search(r'@Json\(name\s*=\s*"([^"]*)"\)', line)
                if ann:
                    pending = ann.group(1)
                v = re.search(r"\bva[lr]\s+(`[^`]+`|\w+)\s*:\s*(.+?)\s*(?:=\s*(.+?))?\s*,?\s*$", line)
                if v:
                    typ = v.group(2).strip()
                    opt = typ.endswith("?")
                    props[pending or v.group(1).strip("`")] = (typ.rstrip("?"), opt)
                    pending = None
            if m.group(2) not in models or models[m.group(2)].kind != "enum":
                models[m.group(2)] = Model("object" if props else "empty", props)
    return models


def swift(root):
    models = {}
    for _, src in sources(root, ".swift"):
        for m in re.finditer(r"public\s+(?:indirect\s+)?(struct|enum)\s+(\w+)\s*:\s*([^{]*)\{", src):
            kind, name, bases = m.groups()
            start = m.end() - 1
            body = src[start + 1:close(src, start, "{}")]
            if kind == "enum":
                if bases.split(",")[0].strip() == "String":
                    models[name] = Model("enum", values=re.findall(r'case\s+\w+\s*=\s*"([^"]*)"', body))
                elif "CodingKey" not in bases:
                    models[name] = Model("wrapper", raw=" ".join(re.findall(r"case\s+(\w+\([^)]*\))", body)))
                continue
            top = re.sub(r"\{[^{}]*\}", "", re.sub(r"\{[^{}]*\}", "", body))  # drop nested bodies
            keys = dict(re.findall(r'case\s+(\w+)\s*=\s*"([^"]*)"', body))
            props = {}
            for v in re.finditer(r"^\s*public\s+(?:private\(set\)\s+)?var\s+(`?\w+`?)\s*:\s*(.+?)\s*(?:=.*)?$", top, re.M):
                ident, typ = v.group(1).strip("`"), v.group(2)
                props[keys.get(ident, ident)] = (typ.rstrip("?"), typ.endswith("?"))
            models[name] = Model("object" if props else "empty", props)
    return models


def python(root):
    models = {}
    for _, src in sources(root, ".py", comments=False):
        for m in re.finditer(r"^class\s+(\w+)\((\w+)(?:,\s*(\w+))?\):\n(.*?)(?=^\S|\Z)", src, re.M | re.S):
            name, base, base2, body = m.groups()
            if base2 == "Enum" or base == "Enum":
                models[name] = Model("enum", values=re.findall(r"^\s+\w+\s*=\s*'([^']*)'", body, re.M))
            elif "actual_instance" in body:
                models[name] = Model("wrapper", raw="actual_instance: " + (re.search(r"actual_instance:\s*(.+)", body).group(1)))
            else:
                props = {}
                for v in re.finditer(r"^    (\w+): (.+?)(?: = (.+))?$", body, re.M):
                    ident, typ, default = v.groups()
                    if typ.startswith("ClassVar"):
                        continue
                    alias = re.search(r'alias="([^"]*)"', default or "")
                    optional = bool(default) and (default == "None" or "default=None" in default)
                    nullable = typ.startswith("Optional[")
                    if nullable:
                        typ = typ[len("Optional["):-1]
                    props[alias.group(1) if alias else ident] = (typ, optional or nullable)
                models[name] = Model("object" if props else "empty", props)
    return models


def dart(root):
    models = {}
    for _, src in sources(root, ".dart"):
        for m in re.finditer(r"class\s+(\w+)\s+extends\s+EnumClass\s*\{", src):
            body = src[m.end():close(src, m.end() - 1, "{}")]
            models[m.group(1)] = Model("enum", values=re.findall(r"wireName:\s*r'([^']*)'", body))
        for m in re.finditer(r"abstract\s+class\s+(\w+)\s+implements\s+Built<", src):
            start = src.index("{", m.end())
            body = src[start + 1:close(src, start, "{}")]
            props = {}
            for v in re.finditer(r"@BuiltValueField\(wireName:\s*r'([^']*)'\)\s*(\S.*?)\s+get\s+\w+;", body):
                typ = v.group(2)
                props[v.group(1)] = (typ.rstrip("?"), typ.endswith("?"))
            if re.search(r"\bOneOf get oneOf;", body):
                models[m.group(1)] = Model("wrapper", raw="OneOf get oneOf")
            else:
                models[m.group(1)] = Model("object" if props else "empty", props)
    return models


def ts_members(body):
    members = {}
    for part in split_top(body.strip()[1:-1], ";,\n"):
        mm = re.match(r'^(?:readonly\s+)?("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z_$][\w$]*)\s*(\?)?\s*:\s*(.*)$', part, re.S)
        if mm:
            name = mm.group(1).strip("\"'")
            members[name] = (mm.group(2) == "?", mm.group(3).strip())
    return members


def typescript(path):
    src = strip_comments(open(path, encoding="utf-8").read())
    m = re.search(r"export\s+interface\s+components\s*\{", src)
    schemas = ts_members(ts_members(src[m.end() - 1:close(src, m.end() - 1, "{}") + 1])["schemas"][1])
    models = {}
    for name, (_, typ) in schemas.items():
        alts = split_top(typ, "|")
        if all(re.fullmatch(r'"[^"]*"', a) for a in alts):
            models[name] = Model("enum", values=[a.strip('"') for a in alts])
        elif typ.startswith("{"):
            props = {}
            for p, (opt, t) in ts_members(typ).items():
                parts = split_top(t, "|")
                null = "null" in parts
                props[p] = (" | ".join(x for x in parts if x != "null"), opt or null)
            models[name] = Model("object" if props else "empty", props)
        elif re.fullmatch(r"string|number|boolean|integer", typ):
            models[name] = Model("alias", raw=typ)
        else:
            models[name] = Model("wrapper", raw=typ)
    return models


def zod(path):
    src = strip_comments(open(path, encoding="utf-8", errors="replace").read())
    models = {}
    for m in re.finditer(r"export\s+const\s+z(\w+)\s*=\s*", src):
        name, rest = m.group(1), src[m.end():]
        if rest.startswith("z.enum("):
            models[name] = Model("enum", values=re.findall(r"'([^']*)'", rest[:rest.index(")")]))
        elif rest.startswith("z.intersection(z.unknown(),"):
            # `allOf` beside `properties`: zod refuses integers in it
            # ("Unmergable intersection"), so the body cannot be sent.
            models[name] = Model("wrapper", raw="z.intersection(z.unknown(), ...)")
        elif rest.startswith("z.object("):
            start = src.index("{", m.end())
            body = src[start:close(src, start, "{}") + 1]
            props = {}
            for p, (_, t) in ts_members(body).items():
                opt = bool(re.search(r"\.(nullable|nullish|optional)\(\)", t))
                props[p] = (re.sub(r"\.(nullable|nullish|optional|default)\([^()]*\)", "", t), opt)
            models[name] = Model("object" if props else "empty", props)
        elif m2 := re.match(r"(z\.[\w.]+\(\)(?:\.\w+\((?:[^()]|\([^()]*\))*\))*);", rest):
            models[name] = Model("alias", raw=m2.group(1))
    return models


def load(out_dir):
    d = lambda *p: os.path.join(out_dir, *p)
    return {
        "kotlin": kotlin(d("kotlin")), "swift5": swift(d("swift5")), "swift6": swift(d("swift6")),
        "typescript": typescript(d("typescript", "schema.ts")), "zod": zod(d("zod", "zod.gen.ts")),
        "python": python(d("python")), "dart": dart(d("dart")),
    }


# ---- generated spelling -> canonical ----------------------------------------------
def canon(lang, t, models, owner):
    t = t.strip()

    def named(n):
        n = n.split(".")[-1]
        model = models.get(n) or next((v for k, v in models.items() if norm(k) in (norm(n), "model" + norm(n))), None)
        if model is None:
            return f"?{n}"
        if model.kind == "alias":
            return canon(lang, model.raw, models, owner)
        return {"enum": "enum:", "object": "ref:"}.get(model.kind, model.kind + " class ") + n

    def inner(s):
        return canon(lang, s, models, owner)

    if lang == "kotlin":
        t = re.sub(r"\b(kotlin\.collections|kotlin|java\.time|java\.math)\.", "", t)
        simple = {"String": "string", "Int": "int32", "Long": "int64", "Double": "number", "Float": "number",
                  "BigDecimal": "number", "Boolean": "boolean", "OffsetDateTime": "datetime",
                  "LocalDate": "date", "Any": "any"}
        if t in simple:
            return simple[t]
        if m := re.fullmatch(r"List<(.+)>", t):
            return f"list<{inner(m.group(1))}>"
        if m := re.fullmatch(r"Map<String,\s*(.+)>", t):
            return f"map<{inner(m.group(1))}>"
        if "." in t:  # Owner.Inline enum class
            m = models.get(t.split(".")[-1])
            return "enum[" + ",".join(m.values) + "]" if m and m.kind == "enum" else f"?{t}"
        return named(t)
    if lang in ("swift5", "swift6"):
        simple = {"String": "string", "Int": "int", "Int32": "int32", "Int64": "int64", "Double": "number",
                  "Float": "number", "Decimal": "number", "Bool": "boolean", "Date": "date|datetime",
                  "AnyCodable": "any", "JSONValue": "any"}
        if t in simple:
            return simple[t]
        if m := re.fullmatch(r"\[String:\s*(.+)\]", t):
            return f"map<{inner(m.group(1))}>"
        if m := re.fullmatch(r"\[(.+)\]", t):
            return f"list<{inner(m.group(1))}>"
        return named(t)
    if lang == "python":
        if m := re.fullmatch(r"Annotated\[(.+?),\s*Field\(.*\)\]", t):
            t = m.group(1)
        simple = {"StrictStr": "string", "str": "string", "StrictInt": "int", "int": "int",
                  "StrictFloat": "number", "float": "number", "Union[StrictFloat, StrictInt]": "number",
                  "StrictBool": "boolean", "bool": "boolean", "datetime": "datetime", "date": "date",
                  "Any": "any", "object": "any", "Dict[str, Any]": "any"}
        if t in simple:
            return simple[t]
        if m := re.fullmatch(r"List\[(.+)\]", t):
            return f"list<{inner(m.group(1))}>"
        if m := re.fullmatch(r"Dict\[str,\s*(.+)\]", t):
            return f"map<{inner(m.group(1))}>"
        return named(t)
    if lang == "dart":
        simple = {"String": "string", "int": "int", "double": "number", "num": "number", "bool": "boolean",
                  "DateTime": "datetime", "Date": "date", "JsonObject": "any", "Object": "any"}
        if t in simple:
            return simple[t]
        if m := re.fullmatch(r"BuiltList<(.+)>", t):
            return f"list<{inner(m.group(1))}>"
        if m := re.fullmatch(r"BuiltMap<String,\s*(.+)>", t):
            return f"map<{inner(m.group(1))}>"
        return named(t)
    if lang == "typescript":
        if t in ("string", "number", "boolean"):
            return {"number": "number"}.get(t, t)
        if t in ("unknown", "any", "Record<string, never>", "Record<string, unknown>"):
            return "any"
        if m := re.fullmatch(r'components\["schemas"\]\["([^"]+)"\]', t):
            return named(m.group(1))
        if m := re.fullmatch(r"(.+)\[\]", t):
            return f"list<{inner(m.group(1).strip('()'))}>"
        if m := re.fullmatch(r"\{\s*\[key: string\]:\s*(.+?);?\s*\}", t, re.S):
            return f"map<{inner(m.group(1))}>"
        alts = split_top(t, "|")
        if all(re.fullmatch(r'"[^"]*"', a) for a in alts):
            return "enum[" + ",".join(a.strip('"') for a in alts) + "]"
        return f"?{t}"
    if lang == "zod":
        t = re.sub(r"(?<=\))\.(min|max|gte|lte|gt|lt|regex|length)\((?:[^()]|\([^()]*\))*\)", "", t)
        simple = {"z.string()": "string", "z.email()": "string", "z.iso.datetime()": "datetime", "z.iso.date()": "date",
                  "z.int()": "int32", "z.number()": "number", "z.coerce.bigint()": "int64(bigint)",
                  "z.boolean()": "boolean", "z.unknown()": "any", "z.any()": "any"}
        if t in simple:
            return simple[t]
        if m := re.fullmatch(r"z\.array\((.+)\)", t, re.S):
            return f"list<{inner(m.group(1))}>"
        if m := re.fullmatch(r"z\.record\(z\.string\(\),\s*(.+)\)", t, re.S):
            return f"map<{inner(m.group(1))}>"
        if m := re.fullmatch(r"z\.enum\(\[(.*)\]\)", t, re.S):
            return "enum[" + ",".join(re.findall(r"'([^']*)'", m.group(1))) + "]"
        if m := re.fullmatch(r"z(\w+)", t):
            return named(m.group(1))
        return f"?{t}"
    raise ValueError(lang)


def display(lang, t):
    """a generated spelling, shortened for the table"""
    t = re.sub(r"\b(kotlin\.collections|kotlin|java\.time|java\.math)\.", "", t)
    t = re.sub(r"Annotated\[(.+?),\s*Field\(.*?\)\]", r"\1", t)
    t = re.sub(r"(?<=\))\.(min|max|gte|lte|gt|lt|regex|length)\((?:[^()]|\([^()]*\))*\)", "", t)
    return " ".join(t.replace('components["schemas"]["', "").replace('"]', "").split())


# Where a language's spelling is coarser than the spec's, these stand for it.
COARSE = {
    "int": {"int32", "int64"},            # Swift Int (64-bit), Python int, Dart int
    "number": {"int32", "int64", "number"},  # TypeScript number
    "date|datetime": {"date", "datetime"},   # Swift Date
    "int64(bigint)": {"int64"},           # hey-api zod: int64 coerced to bigint
}


def same(intended, got, lang):
    if intended == got:
        return True
    # openapi-typescript types numbers as `number` and dates as `string`
    if lang == "typescript" and (got, intended) in (
            ("number", "int32"), ("number", "int64"), ("string", "datetime"), ("string", "date")):
        return True
    if intended in COARSE.get(got, ()):
        return True
    ta, tb = re.fullmatch(r"(\w+)<(.+)>", intended), re.fullmatch(r"(\w+)<(.+)>", got)
    if ta and tb and ta.group(1) == tb.group(1):
        return same(ta.group(2), tb.group(2), lang)
    # an inline enum spelled as the generator's own nested enum
    if intended.startswith("enum[") and got.startswith("enum["):
        return set(intended[5:-1].split(",")) <= set(got[5:-1].split(","))
    return False


# ---- the check --------------------------------------------------------------------
def main():
    spec_path, out_dir = sys.argv[1], sys.argv[2]
    markdown = sys.argv[sys.argv.index("--markdown") + 1] if "--markdown" in sys.argv else None
    spec = Spec(spec_path)
    generated = load(out_dir)
    failures = {lang: [] for lang in LANGS}

    def find(lang, name):
        ms = generated[lang]
        return ms.get(name) or next((v for k, v in ms.items() if norm(k) in (norm(name), "model" + norm(name))), None)

    # enums: a real enum with every value
    for name, schema in sorted(spec.schemas.items()):
        if not spec.is_enum(schema):
            continue
        values = spec.enum_values(schema)
        for lang in LANGS:
            m = find(lang, name)
            if m is None:
                failures[lang].append(f"{name}: no generated enum")
            elif m.kind != "enum":
                failures[lang].append(f"{name}: enum generated as {m.kind} {m.raw}".rstrip())
            elif missing := [v for v in values if v not in m.values]:
                failures[lang].append(f"{name}: enum lacks {', '.join(missing)}")

    rows = []
    for name, prop, intended, nullable, required, klass, usage in spec.properties():
        cells = {}
        for lang in LANGS:
            m = find(lang, name)
            where = f"{name}.{prop}"
            if m is None or m.kind != "object":
                failures[lang].append(f"{where}: model {name} is {'missing' if m is None else m.kind}")
                cells[lang] = "—"
                continue
            got = m.props.get(prop)
            if got is None:
                failures[lang].append(f"{where}: not in the generated {name}")
                cells[lang] = "—"
                continue
            spelling, optional = got
            c = canon(lang, spelling, generated[lang], name)
            cells[lang] = display(lang, spelling) + ("?" if optional else "")
            if c == "any" and intended != "any":
                failures[lang].append(f"{where}: untyped ({spelling}), the spec says {intended}")
            elif not same(intended, c, lang):
                failures[lang].append(" ".join(f"{where}: {spelling} ({c}), the spec says {intended}".split()))
            if "response" in usage:
                if optional and not nullable and required:
                    failures[lang].append(f"{where}: null-check pollution: {spelling}? for a required, non-nullable response property")
            if nullable and not optional:
                failures[lang].append(f"{where}: lost null: {spelling} for a nullable property")
        rows.append((name, prop, klass, intended + ("?" if nullable else ""), cells))

    total = 0
    for lang in LANGS:
        total += len(failures[lang])
        print(f"  {TITLES[lang]:10} {len(failures[lang])} problem(s)")
        for f in failures[lang]:
            print(f"      {f}")
    print(f"  {len(rows)} properties checked in {len(LANGS)} languages: {total} problem(s)")

    if markdown:
        with open(markdown, "w", encoding="utf-8") as fh:
            fh.write("| property | class | spec | " + " | ".join(TITLES[l] for l in LANGS) + " |\n")
            fh.write("|---|---|---|" + "---|" * len(LANGS) + "\n")
            for name, prop, klass, intended, cells in rows:
                esc = lambda s: s.replace("|", "\\|")
                fh.write(f"| `{name}.{prop}` | {klass} | `{esc(intended)}` | "
                         + " | ".join(f"`{esc(cells[l])}`" if cells[l] != "—" else "—" for l in LANGS) + " |\n")
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
