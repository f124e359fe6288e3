-- The change log also records attendances and the agenda: new operations,
-- and the attendance or agenda item an entry is about (NULL for writes to
-- the customer's record). SQLite cannot change a CHECK in place: the table
-- is rebuilt, copied and renamed.
CREATE TABLE changes_new (
    tenant      TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    customer_id TEXT    NOT NULL,
    changed_at  TEXT    NOT NULL,
    op          TEXT    NOT NULL CHECK (op IN ('create', 'update', 'delete', 'attend', 'schedule', 'reschedule', 'complete', 'cancel')),
    version     INTEGER NOT NULL,
    item_id     TEXT,
    actor_id    TEXT    NOT NULL,
    actor_name  TEXT    NOT NULL,
    actor_app   TEXT    NOT NULL,
    request_id  TEXT    NOT NULL,
    fields      TEXT    NOT NULL,
    PRIMARY KEY (tenant, seq)
);
INSERT INTO changes_new (tenant, seq, customer_id, changed_at, op, version, actor_id, actor_name, actor_app, request_id, fields)
    SELECT tenant, seq, customer_id, changed_at, op, version, actor_id, actor_name, actor_app, request_id, fields FROM changes;
DROP TABLE changes;
ALTER TABLE changes_new RENAME TO changes;
CREATE INDEX changes_customer ON changes (tenant, customer_id, seq);
