-- What each files trigger has handed to the event router (SPEC §2.5): the last size and
-- last-modified time (epoch microseconds) of every file, by its path relative to the trigger's
-- directory. A restarted node compares its directory with this to fire what changed while it was
-- down and nothing else. Written after the event is accepted; a deleted file's row is removed.
CREATE TABLE seen_files (
    trigger_name VARCHAR(200)  NOT NULL,
    path         VARCHAR(1000) NOT NULL,
    size         BIGINT        NOT NULL,
    modified     BIGINT        NOT NULL,
    PRIMARY KEY (trigger_name, path)
);
