import json
import sys

args = json.load(sys.stdin)
print("counting", file=sys.stderr)
if args.get("fail"):
    print("asked to fail", file=sys.stderr)
    sys.exit(3)
print(json.dumps({"words": len(str(args.get("text", "")).split())}))
