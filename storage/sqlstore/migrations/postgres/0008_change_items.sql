-- The change log also records attendances and the agenda: new operations,
-- and the attendance or agenda item an entry is about (NULL for writes to
-- the customer's record).
ALTER TABLE changes ADD COLUMN item_id UUID;
ALTER TABLE changes DROP CONSTRAINT changes_op_check;
ALTER TABLE changes ADD CONSTRAINT changes_op_check
    CHECK (op IN ('create', 'update', 'delete', 'attend', 'schedule', 'reschedule', 'complete', 'cancel'));
-- Entries' fields keep the text they were written with (jsonb respaced
-- and reordered their objects): every adapter reads back the same bytes,
-- and the feed reads them without re-serialising.
ALTER TABLE changes ALTER COLUMN fields TYPE JSON USING fields::json;
