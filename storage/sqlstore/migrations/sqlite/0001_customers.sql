-- Customers and their sub-records, one table per entity, and the index
-- table of search keys. SQLite has no DECIMAL or DATE type: money is kept
-- as exact decimal text ('1234.56') and dates as ISO text ('2026-11-27').
CREATE TABLE customers (
    id          TEXT    NOT NULL PRIMARY KEY,
    tenant      TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('individual', 'company')),
    status      TEXT    NOT NULL CHECK (status IN ('prospect', 'customer')),
    version     INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    trade_name  TEXT    NOT NULL DEFAULT '',
    tax_id      TEXT,
    employer    TEXT    NOT NULL DEFAULT '',
    birth_date  TEXT,
    notes       TEXT    NOT NULL DEFAULT '',
    dms_code    TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    UNIQUE (tenant, tax_id)
);
CREATE INDEX customers_tenant_id ON customers (tenant, id);
CREATE TABLE customer_phones (
    customer_id TEXT    NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    phone       TEXT    NOT NULL,
    PRIMARY KEY (customer_id, position)
);
CREATE TABLE customer_emails (
    customer_id TEXT    NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    email       TEXT    NOT NULL,
    PRIMARY KEY (customer_id, position)
);
CREATE TABLE service_orders (
    customer_id TEXT    NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    code        TEXT    NOT NULL,
    PRIMARY KEY (customer_id, position)
);
CREATE TABLE addresses (
    customer_id    TEXT    NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    cep            TEXT,
    street         TEXT    NOT NULL,
    number         TEXT    NOT NULL,
    complement     TEXT    NOT NULL,
    district       TEXT    NOT NULL,
    city           TEXT    NOT NULL,
    uf             TEXT,
    correspondence INTEGER NOT NULL,
    billing        INTEGER NOT NULL,
    PRIMARY KEY (customer_id, position)
);
CREATE TABLE assets (
    customer_id      TEXT    NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    description      TEXT    NOT NULL,
    kind             TEXT    NOT NULL,
    year             INTEGER,
    value            TEXT    NOT NULL,
    lien_balance     TEXT    NOT NULL,
    lien_creditor    TEXT    NOT NULL,
    lien_payoff_date TEXT,
    vin              TEXT,
    plate            TEXT,
    renavam          TEXT,
    PRIMARY KEY (customer_id, position)
);
CREATE TABLE personal_references (
    customer_id TEXT    NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    phone       TEXT,
    note        TEXT    NOT NULL,
    PRIMARY KEY (customer_id, position)
);
CREATE TABLE bank_references (
    customer_id   TEXT    NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    bank_code     TEXT    NOT NULL,
    branch        TEXT    NOT NULL,
    branch_digit  TEXT    NOT NULL,
    account       TEXT    NOT NULL,
    account_digit TEXT    NOT NULL,
    PRIMARY KEY (customer_id, position)
);
CREATE TABLE cards (
    customer_id  TEXT    NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    brand        TEXT    NOT NULL,
    bin          TEXT    NOT NULL,
    last4        TEXT    NOT NULL,
    holder       TEXT    NOT NULL,
    expiry_month INTEGER,
    expiry_year  INTEGER,
    token        TEXT    NOT NULL,
    PRIMARY KEY (customer_id, position)
);
CREATE TABLE contacts (
    customer_id    TEXT    NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    name           TEXT    NOT NULL,
    role           TEXT    NOT NULL,
    email          TEXT,
    birthday_day   INTEGER,
    birthday_month INTEGER,
    birthday_year  INTEGER,
    fleet_manager  INTEGER NOT NULL,
    preferred_day  INTEGER,
    preferred_hour INTEGER,
    PRIMARY KEY (customer_id, position)
);
CREATE TABLE contact_phones (
    customer_id      TEXT    NOT NULL,
    contact_position INTEGER NOT NULL,
    position         INTEGER NOT NULL,
    phone            TEXT    NOT NULL,
    PRIMARY KEY (customer_id, contact_position, position),
    FOREIGN KEY (customer_id, contact_position) REFERENCES contacts (customer_id, position) ON DELETE CASCADE
);
CREATE TABLE customer_info (
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    info_key    TEXT NOT NULL,
    info_value  TEXT NOT NULL,
    PRIMARY KEY (customer_id, info_key)
);
CREATE TABLE search_keys (
    tenant      TEXT NOT NULL,
    field       TEXT NOT NULL,
    value       TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (tenant, field, value, customer_id)
) WITHOUT ROWID;
CREATE INDEX search_keys_customer ON search_keys (customer_id);
