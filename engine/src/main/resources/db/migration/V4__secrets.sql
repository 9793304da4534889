-- Secrets (SPEC §2.2 secret(name), §5 /secrets): each value sealed with AES-256-GCM under the node's key
-- (<data-dir>/secrets.key, the same file on every node), a fresh 12-byte nonce per write, and the name as
-- associated data, so a sealed value opens only under the name it was written for. The database never
-- holds a value in clear. updated_at is epoch microseconds.
CREATE TABLE secrets (
    name       VARCHAR(128) PRIMARY KEY,
    ciphertext BYTEA        NOT NULL,
    nonce      BYTEA        NOT NULL,
    updated_at BIGINT       NOT NULL
);
