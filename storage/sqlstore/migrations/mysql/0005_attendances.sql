-- Attendances, the freshness of each section of a customer's record, and
-- the time of a customer's last attendance. Both tables go with their
-- customer when it is deleted. Freshness starts, for the customers
-- already stored, at their last update.
CREATE TABLE attendances (
    tenant         VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    id             CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    customer_id    CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    at             DATETIME(6) NOT NULL,
    contact        VARCHAR(200) NOT NULL,
    attendant_id   VARCHAR(200) NOT NULL,
    attendant_name VARCHAR(200) NOT NULL,
    channel        VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    reason         VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    outcome        VARCHAR(200) NOT NULL,
    notes          TEXT NOT NULL,
    confirmed      INTEGER NOT NULL,
    agenda_item    CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX attendances_customer ON attendances (tenant, customer_id, at, id);
CREATE TABLE freshness (
    tenant      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    customer_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    section     VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    at          DATETIME(6) NOT NULL,
    PRIMARY KEY (tenant, customer_id, section),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX freshness_section ON freshness (tenant, section, at, customer_id);
ALTER TABLE customers ADD COLUMN last_attendance_at DATETIME(6);
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'profile', updated_at FROM customers;
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'phones', updated_at FROM customers;
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'emails', updated_at FROM customers;
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'addresses', updated_at FROM customers;
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'assets', updated_at FROM customers;
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'references', updated_at FROM customers;
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'contacts', updated_at FROM customers;
INSERT INTO freshness (tenant, customer_id, section, at) SELECT tenant, id, 'info', updated_at FROM customers;
