-- One row per activation (SPEC §1, §5): every execution of a function, whether a workflow step,
-- a rule or POST /functions/{name}/invoke asked for it. Written in batches by the node's
-- activation recorder; never updated. Instants are epoch microseconds, durations nanoseconds,
-- JSON is text (as in V1).
CREATE TABLE activations (
    id               VARCHAR(64)      PRIMARY KEY,
    function_name    VARCHAR(200)     NOT NULL,
    function_version INTEGER          NOT NULL,
    run_id           VARCHAR(64),
    step             VARCHAR(1000),
    attempt          INTEGER          NOT NULL,
    idempotency_key  TEXT,
    status           VARCHAR(16)      NOT NULL,
    started_at       BIGINT           NOT NULL,
    duration_nanos   BIGINT           NOT NULL,
    memory_mb        INTEGER          NOT NULL,
    gb_seconds       DOUBLE PRECISION NOT NULL,
    cost             DOUBLE PRECISION NOT NULL,
    cold_start       BOOLEAN          NOT NULL,
    result           TEXT,
    error_type       VARCHAR(255),
    error_message    TEXT,
    logs             TEXT
);
-- Listing is newest first with (started_at, id) as the page cursor; usage sums a started_at range.
CREATE INDEX activations_newest_first ON activations (started_at, id);
CREATE INDEX activations_by_function ON activations (function_name, started_at, id);
-- A run's activations, for the run's cost and ?run= listings.
CREATE INDEX activations_by_run ON activations (run_id, started_at, id);
