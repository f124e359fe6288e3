-- Merging duplicates: a merged record's ID redirects to the record it was
-- merged into, so that a link that names it still finds the customer; the
-- change log gains the operations of a merge.
CREATE TABLE redirects (
    tenant    TEXT        NOT NULL,
    id        UUID        NOT NULL,
    target    UUID        NOT NULL,
    merged_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE INDEX redirects_target ON redirects (tenant, target);
ALTER TABLE changes DROP CONSTRAINT changes_op_check;
ALTER TABLE changes ADD CONSTRAINT changes_op_check
    CHECK (op IN ('create', 'update', 'delete', 'attend', 'schedule', 'reschedule', 'complete', 'cancel', 'merge', 'merged'));
