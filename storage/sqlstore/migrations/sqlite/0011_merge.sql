-- Merging duplicates: a merged record's ID redirects to the record it was
-- merged into, so that a link that names it still finds the customer; the
-- change log gains the operations of a merge, which SQLite can only add to
-- its CHECK by rebuilding the table.
CREATE TABLE redirects (
    tenant    TEXT NOT NULL,
    id        TEXT NOT NULL,
    target    TEXT NOT NULL,
    merged_at TEXT NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE INDEX redirects_target ON redirects (tenant, target);
CREATE TABLE changes_new (
    tenant      TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    customer_id TEXT    NOT NULL,
    changed_at  TEXT    NOT NULL,
    op          TEXT    NOT NULL CHECK (op IN ('create', 'update', 'delete', 'attend', 'schedule', 'reschedule', 'complete', 'cancel', 'merge', 'merged')),
    version     INTEGER NOT NULL,
    item_id     TEXT,
    actor_id    TEXT    NOT NULL,
    actor_name  TEXT    NOT NULL,
    actor_app   TEXT    NOT NULL,
    request_id  TEXT    NOT NULL,
    fields      TEXT    NOT NULL,
    PRIMARY KEY (tenant, seq)
);
INSERT INTO changes_new SELECT tenant, seq, customer_id, changed_at, op, version, item_id, actor_id, actor_name, actor_app, request_id, fields FROM changes;
DROP TABLE changes;
ALTER TABLE changes_new RENAME TO changes;
CREATE INDEX changes_history ON changes (tenant, customer_id, seq, changed_at, op, version, item_id, actor_id, actor_name, actor_app, request_id, fields);
