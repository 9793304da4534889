def main(payload):
    repository = payload.get("repository") or {}
    commits = payload.get("commits") or []
    # stdout is the activation's log: `trib activations logs <id>`
    print(f"push to {repository.get('full_name')} {payload.get('ref')}: {len(commits)} commit(s)")
    return repository.get("description")
