-- What each event fired: one row per (event, rule), written in the transaction that marks the
-- event routed. A re-route after a crash skips the rules that have a row (an event fires each
-- matching rule once); a rule's workflow run is deduplicated by its idempotency key
-- <event id>/<rule> besides. Listed newest first per trigger for GET /triggers/{name}.
CREATE TABLE rule_firings (
    event_id      VARCHAR(255)  NOT NULL,
    rule          VARCHAR(255)  NOT NULL,
    trigger_name  VARCHAR(200),
    target        VARCHAR(16)   NOT NULL,
    target_name   VARCHAR(200)  NOT NULL,
    run_id        VARCHAR(64),
    activation_id VARCHAR(64),
    error_type    VARCHAR(200),
    error_message VARCHAR(2000),
    fired_at      BIGINT        NOT NULL,
    PRIMARY KEY (event_id, rule)
);
CREATE INDEX rule_firings_by_trigger ON rule_firings (trigger_name, fired_at);
CREATE INDEX rule_firings_by_rule ON rule_firings (rule, fired_at);
