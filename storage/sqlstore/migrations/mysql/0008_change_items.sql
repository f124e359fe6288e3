-- The change log also records attendances and the agenda: new operations,
-- and the attendance or agenda item an entry is about (NULL for writes to
-- the customer's record). MariaDB names a column's CHECK after the column
-- and replaces it when the column is redefined.
ALTER TABLE changes
    MODIFY op VARCHAR(16) NOT NULL
        CHECK (op IN ('create', 'update', 'delete', 'attend', 'schedule', 'reschedule', 'complete', 'cancel')),
    ADD COLUMN item_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER version;
