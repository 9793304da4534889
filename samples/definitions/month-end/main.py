from decimal import Decimal


def main(args):
    items = args["items"]
    # Decimal so that 19.99 + 5.01 is 25.0, not 24.999999999999996
    total = sum(Decimal(str(item.get("amount", 0))) for item in items)
    print(f"{len(items)} sale(s), total {total}")
    return {"count": len(items), "total": float(total)}
