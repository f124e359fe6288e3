-- The agenda: scheduled contacts, each with its rescheduling history as a
-- JSON list. Items go with their customer when it is deleted. Indexes
-- serve an attendant's days, a customer's open items, and the overdue.
CREATE TABLE agenda_items (
    tenant         TEXT NOT NULL,
    id             TEXT NOT NULL,
    customer_id    TEXT NOT NULL,
    contact        TEXT NOT NULL,
    due            TEXT NOT NULL,
    attendant_id   TEXT NOT NULL,
    attendant_name TEXT NOT NULL,
    subject        TEXT NOT NULL,
    channel        TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
    notes          TEXT NOT NULL,
    resolved_by    TEXT,
    reschedules    TEXT NOT NULL,
    version        INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
CREATE INDEX agenda_attendant ON agenda_items (tenant, attendant_id, due, id);
CREATE INDEX agenda_customer ON agenda_items (tenant, customer_id, status, due, id);
CREATE INDEX agenda_status ON agenda_items (tenant, status, due, id);
