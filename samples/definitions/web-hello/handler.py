def main(args):
    """The name comes from ?name=... or from a JSON body {"name": ...}; the query wins."""
    name = (args.get("query") or {}).get("name")
    body = args.get("body")
    if not name and isinstance(body, dict):
        name = body.get("name")
    return "hello world to " + (name or "you")
