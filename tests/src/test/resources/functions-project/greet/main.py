import os


class CardDeclined(Exception):
    pass


def handler(event, context):
    print("charging", event.get("amount"), "for", context.function_name)
    if event.get("amount", 0) > 100:
        raise CardDeclined("card declined for amount %s" % event["amount"])
    return {
        "charged": event.get("amount", 0),
        "currency": os.environ.get("CURRENCY"),
        "key": context.idempotency_key,
        "env": sorted(os.environ.keys()),
    }
