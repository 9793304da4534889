import base64
import json


def main(args):
    """Each record's data is base64 of {"PartitionKey", "RowKey", "text"}; returns the rows, in record order."""
    rows = []
    for record in args["records"]:
        payload = json.loads(base64.b64decode(record["data"]))
        rows.append({
            "PartitionKey": payload["PartitionKey"],
            "RowKey": payload["RowKey"],
            "text": payload["text"],
            "sequence": record["sequence"],
        })
    print("decoded", len(rows), "records of shard", args["records"][0]["shard"] if rows else "-")
    return rows
