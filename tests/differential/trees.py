"""Parse trees as plain data: parsing, dropping positions, and naming the
first place where two trees differ."""


def is_position(key):
    """Byte offsets into the text, which insertions shift."""
    return key == "stmt_len" or key.endswith(
        ("location", "list_start", "list_end"))


def parse(parser, sql):
    """The statements of `sql` as plain data without positions, or None
    when libpg_query rejects the text."""
    try:
        raw = parser.parse_sql(sql)
    except Exception:
        return None
    return tuple(without_positions(stmt.stmt(skip_none=True)) for stmt in raw)


def without_positions(node):
    if isinstance(node, tuple):
        return tuple(without_positions(item) for item in node)
    if isinstance(node, dict):
        return {key: without_positions(value) for key, value in node.items()
                if not is_position(key)}
    return node


def first_difference(want, got, path=()):
    """(path, wanted, got) at the first difference, or None when equal.

    The path names each step by node type and field, with list indexes.
    """
    if isinstance(want, dict) and isinstance(got, dict):
        if want.get("@") != got.get("@"):
            return path, want.get("@"), got.get("@")
        step = (want["@"],) if "@" in want else ()
        for key in sorted(want.keys() | got.keys()):
            diff = first_difference(want.get(key), got.get(key),
                                    path + step + (key,))
            if diff:
                return diff
        return None
    if isinstance(want, tuple) and isinstance(got, tuple):
        if len(want) != len(got):
            return path, want, got
        for i, (a, b) in enumerate(zip(want, got)):
            diff = first_difference(a, b, path + (i,))
            if diff:
                return diff
        return None
    return None if want == got else (path, want, got)


def describe(diff):
    path, want, got = diff
    return f"{dotted(path)}: want {brief(want)}, got {brief(got)}"


def dotted(path, with_indexes=True):
    steps = (f"[{s}]" if isinstance(s, int) else f".{s}" for s in path
             if with_indexes or not isinstance(s, int))
    return "".join(steps).lstrip(".")


def brief(value, limit=120):
    text = repr(strings(value))
    return text if len(text) <= limit else text[:limit - 3] + "..."


def strings(value):
    """A name list shown as its identifiers, which reads far better."""
    if isinstance(value, tuple) and all(
            isinstance(v, dict) and v.get("@") == "String" for v in value):
        return [v["sval"] for v in value]
    return value
