-- The change log also records attendances and the agenda: new operations,
-- and the attendance or agenda item an entry is about (NULL for writes to
-- the customer's record).
ALTER TABLE changes ADD COLUMN item_id UUID;
ALTER TABLE changes DROP CONSTRAINT changes_op_check;
ALTER TABLE changes ADD CONSTRAINT changes_op_check
    CHECK (op IN ('create', 'update', 'delete', 'attend', 'schedule', 'reschedule', 'complete', 'cancel'));
