"""Stand-in for a payment provider, with the two failures a workflow has to handle.

- The gateway is busy on the first attempt of every charge (`Unavailable`): a passing failure,
  so the workflow's `retry` tries again and the second attempt goes through.
- Stripe's test card 4000 0000 0000 0002 is always declined (`CardDeclined`): no attempt will
  change that, so the workflow does not retry it but `catch`es it.

A real provider would deduplicate on `context.idempotency_key` (`<runId>/charge/<attempt>`).
"""
import uuid

DECLINED_CARDS = {"4000000000000002"}


class Unavailable(Exception):
    pass


class CardDeclined(Exception):
    pass


def handler(event, context):
    card = "".join(ch for ch in str(event.get("card") or "") if ch.isdigit())
    if card in DECLINED_CARDS:
        raise CardDeclined("card ending %s was declined" % card[-4:])
    if context.attempt == 1:
        raise Unavailable("payment gateway busy, try again")
    print("charged %s (attempt %d, key %s)" % (event.get("amount"), context.attempt, context.idempotency_key))
    return "rcpt-" + uuid.uuid4().hex[:12]
