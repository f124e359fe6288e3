-- Merging duplicates: a merged record's ID redirects to the record it was
-- merged into, so that a link that names it still finds the customer; the
-- change log gains the operations of a merge.
CREATE TABLE redirects (
    tenant    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    id        CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    target    CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    merged_at DATETIME(6) NOT NULL,
    PRIMARY KEY (tenant, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX redirects_target ON redirects (tenant, target);
ALTER TABLE changes
    MODIFY op VARCHAR(16) NOT NULL
        CHECK (op IN ('create', 'update', 'delete', 'attend', 'schedule', 'reschedule', 'complete', 'cancel', 'merge', 'merged'));
