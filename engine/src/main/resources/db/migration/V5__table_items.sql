-- The built-in table connector (SPEC §6): one row per item, addressed by (table, partition key,
-- row key); a partition is read in row-key order. The item is the JSON object as stored (text,
-- with its PartitionKey and RowKey); the etag changes with every write; updated_at is epoch
-- microseconds. Keys are at most 1024 bytes as UTF-8, so the primary key stays within
-- PostgreSQL's index row limit. The ordinal_collation placeholder is COLLATE "C" on PostgreSQL
-- (ordinal order whatever the database's locale); H2 compares strings ordinally already.
CREATE TABLE table_items (
    table_name    VARCHAR(63)   ${ordinal_collation} NOT NULL,
    partition_key VARCHAR(1024) ${ordinal_collation} NOT NULL,
    row_key       VARCHAR(1024) ${ordinal_collation} NOT NULL,
    item          TEXT          NOT NULL,
    etag          VARCHAR(64)   NOT NULL,
    updated_at    BIGINT        NOT NULL,
    PRIMARY KEY (table_name, partition_key, row_key)
);
