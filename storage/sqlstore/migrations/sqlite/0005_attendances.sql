-- Attendances, the freshness of each section of a customer's record, and
-- the time of a customer's last attendance. Both tables go with their
-- customer when it is deleted. Freshness starts, for the customers
-- already stored, at their last update.
CREATE TABLE attendances (
    tenant         TEXT NOT NULL,
    id             TEXT NOT NULL,
    customer_id    TEXT NOT NULL,
    at             TEXT NOT NULL,
    contact        TEXT NOT NULL,
    attendant_id   TEXT NOT NULL,
    attendant_name TEXT NOT NULL,
    channel        TEXT NOT NULL,
    reason         TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    notes          TEXT NOT NULL,
    confirmed      INTEGER NOT NULL,
    agenda_item    TEXT,
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
CREATE INDEX attendances_customer ON attendances (tenant, customer_id, at, id);
CREATE TABLE freshness (
    tenant      TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    section     TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (tenant, customer_id, section),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
CREATE INDEX freshness_section ON freshness (tenant, section, at, customer_id);
ALTER TABLE customers ADD COLUMN last_attendance_at TEXT;
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'profile', updated_at FROM customers;
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'phones', updated_at FROM customers;
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'emails', updated_at FROM customers;
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'addresses', updated_at FROM customers;
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'assets', updated_at FROM customers;
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'references', updated_at FROM customers;
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'contacts', updated_at FROM customers;
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'info', updated_at FROM customers;
