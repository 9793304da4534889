-- Function code uploaded with deploys, addressed by the SHA-256 of its archive (64 lowercase hex
-- digits): written once, never changed, shared by every version and function with the same code.
-- BYTEA is PostgreSQL's binary type; H2 in PostgreSQL mode reads it as BINARY VARYING. Both take
-- the deploy body limit's worth (64 MiB by default; BYTEA holds up to 1 GB).
CREATE TABLE function_code (
    sha256    CHAR(64) PRIMARY KEY,
    bytes     BYTEA    NOT NULL,
    size      BIGINT   NOT NULL,
    stored_at BIGINT   NOT NULL
);
