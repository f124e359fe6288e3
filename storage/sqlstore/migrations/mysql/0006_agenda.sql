-- The agenda: scheduled contacts, each with its rescheduling history as a
-- JSON list. Items go with their customer when it is deleted. Indexes
-- serve an attendant's days, a customer's open items, and the overdue.
CREATE TABLE agenda_items (
    tenant         VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    id             CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    customer_id    CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    contact        VARCHAR(200) NOT NULL,
    due            DATETIME(6) NOT NULL,
    attendant_id   VARCHAR(200) NOT NULL,
    attendant_name VARCHAR(200) NOT NULL,
    subject        VARCHAR(200) NOT NULL,
    channel        VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    status         VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
    notes          TEXT NOT NULL,
    resolved_by    CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
    reschedules    LONGTEXT NOT NULL,
    version        BIGINT NOT NULL,
    created_at     DATETIME(6) NOT NULL,
    updated_at     DATETIME(6) NOT NULL,
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX agenda_attendant ON agenda_items (tenant, attendant_id, due, id);
CREATE INDEX agenda_customer ON agenda_items (tenant, customer_id, status, due, id);
CREATE INDEX agenda_status ON agenda_items (tenant, status, due, id);
