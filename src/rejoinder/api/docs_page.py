"""A browsable page for the OpenAPI spec, rendered on the server: no CDN, no JavaScript."""

from __future__ import annotations

import json
from html import escape
from typing import Any


def _schema_ref(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f'<a href="#schema-{escape(name)}">{escape(name)}</a>'
    if schema.get("type") == "array" and "items" in schema:
        return f"array of {_schema_ref(schema['items'])}"
    if "anyOf" in schema:
        return " | ".join(_schema_ref(s) for s in schema["anyOf"])
    return escape(str(schema.get("type", "object")))


def render_docs(spec: dict[str, Any]) -> str:
    info = spec.get("info", {})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(info.get('title', 'API'))} API</title>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "padding:0 1rem;color:#222}code,pre{background:#f4f4f4;padding:.1em .3em}"
        ".op{border-top:1px solid #ddd;padding:.5rem 0}.m{font-weight:700;display:inline-block;"
        "min-width:4.5rem}table{border-collapse:collapse}td,th{border:1px solid #ddd;"
        "padding:.2rem .5rem;text-align:left}</style></head><body>",
        f"<h1>{escape(info.get('title', 'API'))} {escape(info.get('version', ''))}</h1>",
        f"<p>{escape(info.get('summary', ''))} The machine-readable spec is "
        "<a href='/api/v1/openapi.json'>openapi.json</a>. Errors are "
        "<code>application/problem+json</code> with a stable <code>code</code>.</p>",
        "<h2>Endpoints</h2>",
    ]
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            parts.append("<div class='op'>")
            parts.append(f"<span class='m'>{escape(method.upper())}</span>"
                         f"<code>{escape(path)}</code> {escape(op.get('summary', ''))}")
            if op.get("description"):
                parts.append(f"<p>{escape(op['description'])}</p>")
            params = op.get("parameters", [])
            if params:
                parts.append("<table><tr><th>parameter</th><th>in</th><th>type</th>"
                             "<th>required</th></tr>")
                for p in params:
                    parts.append(
                        f"<tr><td>{escape(p['name'])}</td><td>{escape(p['in'])}</td>"
                        f"<td>{_schema_ref(p.get('schema', {}))}</td>"
                        f"<td>{'yes' if p.get('required') else 'no'}</td></tr>"
                    )
                parts.append("</table>")
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                parts.append(f"<p>Body: {_schema_ref(body.get('schema', {}))}</p>")
            responses = ", ".join(escape(code) for code in op.get("responses", {}))
            parts.append(f"<p>Responses: {responses}</p></div>")
    parts.append("<h2>Schemas</h2>")
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        parts.append(f"<h3 id='schema-{escape(name)}'>{escape(name)}</h3>")
        parts.append(f"<pre>{escape(json.dumps(schema, indent=2))}</pre>")
    parts.append("</body></html>")
    return "".join(parts)
