"""Validate request bodies the bot sends against Discord's official OpenAPI description.

The description is Discord's `specs/openapi.json` (github.com/discord/discord-api-spec). It is looked
for at the path in the environment variable DISCORD_STANDIN_SPEC when that is set, else at
`../shared/discord-api-spec/openapi.json` beside the project's root (:data:`DEFAULT_SPEC_PATH`).
Without it nothing is checked, and the sandbox says so (`Sandbox.validation_off`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

__all__ = ["DEFAULT_SPEC_PATH", "SPEC_PATH_VARIABLE", "SpecValidator", "default_spec_path"]

# Beside a source checkout; an installed package has nothing there, hence the variable and `--spec`.
DEFAULT_SPEC_PATH: Path = Path(__file__).resolve().parents[1].parent / "shared" / "discord-api-spec" / "openapi.json"
SPEC_PATH_VARIABLE = "DISCORD_STANDIN_SPEC"


def default_spec_path() -> Path:
    """Where the description is looked for when no path is given: $DISCORD_STANDIN_SPEC, else beside the project."""
    configured = os.environ.get(SPEC_PATH_VARIABLE, "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_SPEC_PATH


_SPEC_URI = "urn:discord-api-spec:openapi"
_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})
_REPR_LIMIT = 80
_API_PREFIX = re.compile(r"^/api(?:/v\d+)?(?=/)")

# Keywords whose value is worth quoting next to the failure ("maxLength 2000", "enum [4, 5]").
_VALUE_RULES = frozenset(
    {
        "maxLength",
        "minLength",
        "maxItems",
        "minItems",
        "maxProperties",
        "minProperties",
        "maximum",
        "minimum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "multipleOf",
        "pattern",
        "type",
        "enum",
        "const",
    }
)

# Deliberate deviations from the published spec, applied once when it is loaded:
#
# 1. SnowflakeType (a decimal string with a pattern) also accepts a non-negative integer below 2**64.
#    Discord accepts ids as JSON integers, and discord.py sends many that way: message_reference ids,
#    allowed_mentions users/roles, attachments[].id (the upload index 0, 1, ...), sticker_ids,
#    bulk-delete message ids, permission overwrite ids, role/member role ids, select default values,
#    emoji ids, recipient_id, ...
# 2. Permission bitfields in request schemas (role ``permissions``, overwrite ``allow``/``deny``,
#    ``default_member_permissions``, install-params ``permissions``) are typed integer-only in the spec,
#    but Discord documents them as strings and discord.py sends strings for roles and for
#    PUT /channels/{id}/permissions/{id}; both forms are accepted. Integer limits stay as they are.
# 3. Operations described only as multipart/form-data without a payload_json part (sticker and
#    application-attachment uploads): the file parts are not required of the parsed body, and a missing
#    body is fine, since the caller cannot pass file parts as JSON.
# 4. Tightened, not widened: the spec allows 4000 characters of ``content`` in message create/edit and
#    forum-thread messages (the Nitro-user limit); bots are limited to 2000, which is also what the spec
#    says for every webhook and interaction message schema.
# 5. The spec marks every JSON request body "required", including ones Discord takes empty (DELETE
#    /guilds/{id}/bans/{id} from discord.py carries no body): a missing body is judged as {} (or null).
#
# Also applied, with identical meaning (checked against the unmodified spec on thousands of mutated
# payloads): const-unions become ``enum``s, and ``type``-discriminated unions validate only the member
# the instance's ``type`` names. Together they make component/option/callback bodies ~6x faster.
#
# Known blind spots of the spec itself: PATCH /channels/{id} and POST /channels/{id}/threads are anyOf
# unions of all-optional object schemas without additionalProperties, so nearly any object passes them.
_CONST_BRANCH_KEYS = frozenset({"const", "title", "description"})
_UNION_SIBLING_KEYS = frozenset({"x-discord-union", "title", "description"})
_SNOWFLAKE_INT: dict[str, Any] = {"type": "integer", "minimum": 0, "maximum": 2**64 - 1}
_PERMISSION_FIELDS = frozenset({"permissions", "allow", "deny", "default_member_permissions"})
_PERMISSION_STRING: dict[str, Any] = {"type": "string", "pattern": "^(0|[1-9][0-9]*)$", "maxLength": 20}
_BOT_CONTENT_LIMIT = 2000
_CONTENT_4000_SCHEMAS = (
    "MessageCreateRequest",
    "MessageEditRequestPartial",
    "BaseCreateMessageCreateRequest",
)


# --------------------------------------------------------------------------------------------------
# Spec transformation
# --------------------------------------------------------------------------------------------------


def _widen(schema: dict[str, Any], alternative: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, alternative]}


def _widen_permission_fields(node: object) -> None:
    """Let integer-typed permission bitfields in request schemas also be decimal strings."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for name in _PERMISSION_FIELDS & props.keys():
                prop = props[name]
                types = prop.get("type") if isinstance(prop, dict) else None
                if types == "integer" or (isinstance(types, list) and "integer" in types):
                    props[name] = _widen(prop, _PERMISSION_STRING)
        for value in node.values():
            _widen_permission_fields(value)
    elif isinstance(node, list):
        for value in node:
            _widen_permission_fields(value)


def _const_unions_to_enums(node: object) -> None:
    """Rewrite ``oneOf: [{const: a}, {const: b}, ...]`` (how the spec spells enumerations) as ``enum``.

    The two are equivalent for distinct constants; ``enum`` is checked in one step instead of one
    sub-validation per constant, which makes component and option unions several times faster.
    """
    if isinstance(node, dict):
        branches = node.get("oneOf")
        if (
            isinstance(branches, list)
            and branches
            and all(isinstance(b, dict) and "const" in b and b.keys() <= _CONST_BRANCH_KEYS for b in branches)
        ):
            values = [b["const"] for b in branches]
            if len({json.dumps(v, sort_keys=True) for v in values}) == len(values):
                del node["oneOf"]
                node["enum"] = values
        for value in node.values():
            _const_unions_to_enums(value)
    elif isinstance(node, list):
        for value in node:
            _const_unions_to_enums(value)


def _discriminator(schema: object) -> list[Any] | None:
    """The ``type`` values an object schema requires, if it is a ``type``-discriminated union member."""
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return None
    if "type" not in (schema.get("required") or ()):
        return None
    prop = (schema.get("properties") or {}).get("type")
    values = prop.get("enum") if isinstance(prop, dict) else None
    return list(values) if isinstance(values, list) and values else None


def _dispatch_unions(spec: dict[str, Any]) -> None:
    """Rewrite ``type``-discriminated oneOf/anyOf unions so only the member the instance names is checked.

    A union of ``$ref``s to object schemas that each require ``type`` from pairwise disjoint sets of
    values accepts an instance exactly when it is an object whose ``type`` is one of those values and
    the member for that value accepts it. Saying so with ``if``/``then`` means one member is validated
    instead of all of them (the spec's component, option and callback unions), and an unknown ``type``
    is reported as such rather than as "not valid under any of the given schemas".
    """
    schemas: dict[str, Any] = spec["components"]["schemas"]
    prefix = "#/components/schemas/"
    found: list[dict[str, Any]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key in ("oneOf", "anyOf"):
                if isinstance(node.get(key), list):
                    found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    for node in found:
        key = "oneOf" if "oneOf" in node else "anyOf"
        branches = node[key]
        if len(branches) < 2 or not node.keys() - {key} <= _UNION_SIBLING_KEYS:
            continue
        members: list[tuple[list[Any], dict[str, Any]]] = []
        seen: set[str] = set()
        for branch in branches:
            ref = branch.get("$ref") if isinstance(branch, dict) and branch.keys() == {"$ref"} else None
            if not isinstance(ref, str) or not ref.startswith(prefix):
                break
            values = _discriminator(schemas.get(ref[len(prefix) :]))
            keys = {json.dumps(v, sort_keys=True) for v in values or ()}
            if values is None or keys & seen or len(keys) != len(values):
                break
            seen |= keys
            members.append((values, branch))
        else:
            del node[key]
            node["type"] = "object"
            node["required"] = ["type"]
            union = [v for values, _ in members for v in values]
            with contextlib.suppress(TypeError):
                union.sort()
            node["properties"] = {"type": {"enum": union}}
            node["allOf"] = [
                {"if": {"required": ["type"], "properties": {"type": {"enum": values}}}, "then": branch}
                for values, branch in members
            ]


def _adjust_spec(spec: dict[str, Any]) -> None:
    """Apply, in place, the deliberate deviations from the published spec listed at the top of the module."""
    schemas: dict[str, Any] = spec["components"]["schemas"]

    # 0. Not deviations, speed-ups with identical meaning: const-unions become enums, and
    #    type-discriminated unions check only the member the instance's ``type`` names.
    _const_unions_to_enums(spec)
    _dispatch_unions(spec)

    # 1. Snowflakes may be JSON integers as well as decimal strings.
    schemas["SnowflakeType"] = _widen(schemas["SnowflakeType"], _SNOWFLAKE_INT)

    # 2. Permission bitfields may be decimal strings as well as integers (request schemas only).
    for name, schema in schemas.items():
        if not name.endswith("Response"):
            _widen_permission_fields(schema)
    for item in spec.get("paths", {}).values():
        for method, operation in item.items():
            if method in _METHODS and isinstance(operation, dict) and "requestBody" in operation:
                _widen_permission_fields(operation["requestBody"])

    # 3. Multipart-only uploads (stickers, application attachments, invite target users): the caller can
    #    only hand over the non-file form fields, so the binary file parts are not required here.
    for item in spec.get("paths", {}).values():
        for method, operation in item.items():
            if method in _METHODS and isinstance(operation, dict):
                content = (operation.get("requestBody") or {}).get("content") or {}
                form = (content.get("multipart/form-data") or {}).get("schema")
                if "application/json" not in content and isinstance(form, dict) and "required" in form:
                    props = form.get("properties") or {}
                    form["required"] = [
                        name for name in form["required"] if (props.get(name) or {}).get("contentEncoding") != "binary"
                    ]

    # 4. Bot message content: tighten 4000 -> 2000 where the spec carries the Nitro-user limit.
    for name in _CONTENT_4000_SCHEMAS:
        content = schemas.get(name, {}).get("properties", {}).get("content")
        if isinstance(content, dict) and content.get("maxLength", 0) > _BOT_CONTENT_LIMIT:
            content["maxLength"] = _BOT_CONTENT_LIMIT


# --------------------------------------------------------------------------------------------------
# Path matching
# --------------------------------------------------------------------------------------------------


@dataclass
class _Node:
    literal: dict[str, _Node] = field(default_factory=dict)
    param: _Node | None = None
    template: str | None = None
    methods: frozenset[str] = frozenset()


def _split(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def _normalise_request_path(path: str) -> str:
    path = path.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        path = "/" + path
    return _API_PREFIX.sub("", path)


def _match(node: _Node, segments: list[str], index: int, method: str) -> str | None:
    """Depth-first match preferring literal segments over ``{param}`` ones at every position."""
    if index == len(segments):
        return node.template if method in node.methods else None
    child = node.literal.get(segments[index])
    if child is not None:
        found = _match(child, segments, index + 1, method)
        if found is not None:
            return found
    if node.param is not None:
        return _match(node.param, segments, index + 1, method)
    return None


# --------------------------------------------------------------------------------------------------
# Error formatting
# --------------------------------------------------------------------------------------------------


def _short(value: object) -> str:
    text = repr(value)
    if len(text) > _REPR_LIMIT:
        text = text[: _REPR_LIMIT - 3] + "..."
    return text


_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _json_path(parts: Iterable[object]) -> str:
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and _IDENTIFIER.match(part):
            out += f".{part}"
        else:
            out += f"[{json.dumps(part)}]"
    return out


def _union_hint(error: ValidationError) -> str:
    """For a union no branch of which fits: the ``type`` values the branches would have accepted."""
    expected: list[Any] = []
    for sub in error.context or ():
        if list(sub.relative_path) == ["type"] and sub.validator == "enum":
            expected.extend(v for v in sub.validator_value if v not in expected)
    if not expected:
        return ""
    try:
        ordered = sorted(expected)
    except TypeError:
        ordered = sorted(expected, key=repr)
    return f"; expected $.type in {_short(ordered)}"


def _describe(error: ValidationError) -> str:
    message = error.message
    full = repr(error.instance)
    if len(full) > _REPR_LIMIT:
        message = message.replace(full, _short(error.instance))
    if len(message) > 4 * _REPR_LIMIT:
        message = message[: 4 * _REPR_LIMIT - 3] + "..."
    rule = str(error.validator)
    if rule in _VALUE_RULES:
        rule = f"{rule} {_short(error.validator_value)}"
    elif rule == "additionalProperties" and error.validator_value is False:
        rule = "additionalProperties false"
    elif rule in ("anyOf", "oneOf"):
        rule += _union_hint(error)
    return f"{_json_path(error.absolute_path)}: {message} ({rule})"


def _error_order(error: ValidationError) -> list[tuple[int, int, str]]:
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path]


def _branch_mismatched(errors: list[ValidationError]) -> bool:
    """Whether a union branch failed on its discriminator (its ``type`` field or the value's JSON type)."""
    for error in errors:
        path = list(error.relative_path)
        if not path and error.validator == "type":
            return True
        if path == ["type"] and error.validator in ("enum", "const"):
            return True
    return False


def _leaf_errors(error: ValidationError) -> Iterator[ValidationError]:
    """Replace an anyOf/oneOf failure by the errors of the branch the instance was meant for."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        yield error
        return
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        branch = sub.relative_schema_path[0]
        branches.setdefault(branch if isinstance(branch, int) else -1, []).append(sub)
    candidates = [errs for errs in branches.values() if not _branch_mismatched(errs)]
    if not candidates:
        yield error
        return
    # Several plausible branches (no discriminator): report the one that came closest.
    best = min(candidates, key=len)
    for sub in best:
        yield from _leaf_errors(sub)


# --------------------------------------------------------------------------------------------------
# Validator
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Operation:
    validator: Draft202012Validator | None
    required: bool


_NO_BODY = _Operation(validator=None, required=False)


def _pointer(*parts: str) -> str:
    return "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def _body_schema_pointer(template: str, method: str, request_body: Mapping[str, Any]) -> str | None:
    content = request_body.get("content") or {}
    if "application/json" in content and "schema" in content["application/json"]:
        return _pointer("paths", template, method, "requestBody", "content", "application/json", "schema")
    multipart = content.get("multipart/form-data")
    if multipart and "schema" in multipart:
        props = multipart["schema"].get("properties") or {}
        if "payload_json" in props:
            return _pointer(
                "paths",
                template,
                method,
                "requestBody",
                "content",
                "multipart/form-data",
                "schema",
                "properties",
                "payload_json",
            )
        return _pointer("paths", template, method, "requestBody", "content", "multipart/form-data", "schema")
    return None


def _is_empty(body: object) -> bool:
    return body is None or body == {} or body == []


class SpecValidator:
    """Check request bodies against Discord's OpenAPI description (loaded once per process and path)."""

    _cache: dict[Path, SpecValidator] = {}  # noqa: RUF012 - process-wide cache, by design
    _cache_lock = threading.Lock()

    def __init__(self, spec: dict[str, Any]) -> None:
        _adjust_spec(spec)
        self._spec = spec
        self._registry: Registry[Any] = Registry().with_resource(_SPEC_URI, DRAFT202012.create_resource(spec))
        self._root = _Node()
        for template, item in spec.get("paths", {}).items():
            node = self._root
            for segment in _split(template):
                if segment.startswith("{") and segment.endswith("}"):
                    if node.param is None:
                        node.param = _Node()
                    node = node.param
                else:
                    node = node.literal.setdefault(segment, _Node())
            node.template = template
            node.methods = frozenset(m.upper() for m in item if m in _METHODS)
        self._operations: dict[tuple[str, str], _Operation] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: Path | None = None) -> SpecValidator | None:
        """The validator for the spec at ``path`` (default: :func:`default_spec_path`), or None if absent."""
        given = Path(path) if path is not None else default_spec_path()
        cached = cls._cache.get(given)
        if cached is not None:
            return cached
        resolved = given.resolve()
        with cls._cache_lock:
            cached = cls._cache.get(resolved)
            if cached is None:
                if not resolved.is_file():
                    return None
                with resolved.open(encoding="utf-8") as fh:
                    cached = cls(json.load(fh))
                cls._cache[resolved] = cached
            cls._cache[given] = cached
            return cached

    # -- public API ---------------------------------------------------------------------------------

    def knows(self, method: str, path: str) -> bool:
        """Whether the spec describes ``method path`` (path after the API base, e.g. ``/channels/1``)."""
        return self._template(method, path) is not None

    def validate(self, method: str, path: str, body: object) -> list[str]:
        """Human-readable problems with ``body`` as the request body of ``method path`` ([] = valid)."""
        method = method.upper()
        template = self._template(method, path)
        if template is None:
            return []
        op = self._operation(method, template)
        label = f"{method} {template}"
        if op.validator is None:
            if _is_empty(body):
                return []
            return [f"{label}: $: the spec defines no request body for this operation, but one was sent"]
        if body is None:
            if not op.required:
                return []
            # The spec marks every JSON body required, even where Discord takes an empty one (DELETE ban):
            # a missing body is fine wherever JSON null or {} would be.
            if op.validator.is_valid(None):
                return []
            problems = self._problems(op.validator, {})
            return [f"{label}: no request body sent, but {p}" for p in problems]
        return [f"{label}: {p}" for p in self._problems(op.validator, body)]

    # -- internals ----------------------------------------------------------------------------------

    def _template(self, method: str, path: str) -> str | None:
        return _match(self._root, _split(_normalise_request_path(path)), 0, method.upper())

    def _operation(self, method: str, template: str) -> _Operation:
        key = (method, template)
        op = self._operations.get(key)
        if op is not None:
            return op
        with self._lock:
            op = self._operations.get(key)
            if op is None:
                op = self._compile(method, template)
                self._operations[key] = op
        return op

    def _compile(self, method: str, template: str) -> _Operation:
        operation = self._spec["paths"][template][method.lower()]
        request_body = operation.get("requestBody")
        if not request_body:
            return _NO_BODY
        pointer = _body_schema_pointer(template, method.lower(), request_body)
        if pointer is None:
            return _NO_BODY
        validator = Draft202012Validator({"$ref": _SPEC_URI + pointer}, registry=self._registry)
        json_body = "application/json" in (request_body.get("content") or {})
        return _Operation(validator=validator, required=json_body and bool(request_body.get("required")))

    @staticmethod
    def _problems(validator: Draft202012Validator, body: object) -> list[str]:
        errors = sorted(validator.iter_errors(body), key=_error_order)
        out: list[str] = []
        for error in errors:
            for leaf in _leaf_errors(error):
                text = _describe(leaf)
                if text not in out:
                    out.append(text)
        return out
