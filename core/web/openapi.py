"""The OpenAPI 3 document of the JSON API, generated from the installed models."""

TYPES = {
    "char": {"type": "string"}, "text": {"type": "string"}, "selection": {"type": "string"},
    "integer": {"type": "integer"}, "float": {"type": "number"},
    "decimal": {"type": "string", "format": "decimal"}, "monetary": {"type": "string", "format": "decimal"},
    "boolean": {"type": "boolean"}, "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"}, "binary": {"type": "string", "format": "byte"},
    "json": {}, "many2one": {"type": "object", "nullable": True,
                             "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
    "one2many": {"type": "array", "items": {"type": "integer"}},
    "many2many": {"type": "array", "items": {"type": "integer"}},
}
HIDDEN = ("ir.session", "res.users.apikey", "res.users.login")


def document(registry):
    schemas, paths = {}, {}
    for name, model in sorted(registry.models.items()):
        if model._abstract or name in HIDDEN:
            continue
        ref = name.replace(".", "_")
        properties = {}
        for field in model._fields.values():
            schema = dict(TYPES.get(field.type, {}))
            if field.type == "selection" and not callable(field.selection) and not isinstance(field.selection, str):
                schema["enum"] = [key for key, _label in field.selection]
            schema["title"] = field.string
            if field.help:
                schema["description"] = field.help
            if field.readonly or field.compute:
                schema["readOnly"] = True
            properties[field.name] = schema
        schemas[ref] = {"type": "object", "title": model._description or name, "properties": properties,
                        "required": [f.name for f in model._fields.values() if f.required and not f.compute]}
        item_ref = {"$ref": f"#/components/schemas/{ref}"}
        paths[f"/api/v1/{name}"] = {
            "get": {"summary": f"Search {model._description or name}", "parameters": _list_parameters(),
                    "responses": {"200": {"description": "Records", "content": {"application/json": {"schema": {
                        "type": "object", "properties": {"records": {"type": "array", "items": item_ref},
                                                         "count": {"type": "integer", "description": (
                                                             "Matching records, counted up to 1,000 past this page "
                                                             "unless count=exact")},
                                                         "count_exact": {"type": "boolean"},
                                                         "next": {"type": "string", "nullable": True}}}}}}}},
            "post": {"summary": f"Create {model._description or name}",
                     "requestBody": {"content": {"application/json": {"schema": item_ref}}},
                     "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": item_ref}}}}},
        }
        paths[f"/api/v1/{name}/{{id}}"] = {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "get": {"responses": {"200": {"description": "The record", "content": {"application/json": {"schema": item_ref}}}}},
            "patch": {"requestBody": {"content": {"application/json": {"schema": item_ref}}},
                      "responses": {"200": {"description": "Updated"}}},
            "delete": {"responses": {"204": {"description": "Deleted"}}},
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Kesher API", "version": "1"},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": schemas},
        "security": [{"bearer": []}],
        "paths": paths,
    }


def _list_parameters():
    return [
        {"name": "domain", "in": "query", "schema": {"type": "string"}, "description": "A JSON domain"},
        {"name": "fields", "in": "query", "schema": {"type": "string"}, "description": "Comma-separated names"},
        {"name": "order", "in": "query", "schema": {"type": "string"}},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 1000}},
        {"name": "offset", "in": "query", "schema": {"type": "integer"}},
        {"name": "cursor", "in": "query", "schema": {"type": "string"}, "description": "The 'next' of the previous page"},
        {"name": "count", "in": "query", "schema": {"type": "string", "enum": ["exact"]},
         "description": "exact: count every matching record (by default counting stops 1,000 past the page)"},
    ]
