-- Customer IDs are unique within a tenant, not across tenants: a tenant
-- that brings its own ID must get the same answer whether another tenant
-- holds that ID or nobody does. Every table keyed by a customer now carries
-- the tenant, and every key and foreign key starts with it.
-- SQLite cannot change a key in place: each table is rebuilt, copied and
-- renamed, with foreign keys off (the migrator turns them off and checks
-- every one before it commits).

CREATE TABLE customers_new (
    id          TEXT    NOT NULL,
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
    PRIMARY KEY (tenant, id),
    UNIQUE (tenant, tax_id)
);
INSERT INTO customers_new (id, tenant, kind, status, version, name, trade_name, tax_id, employer, birth_date, notes, dms_code, created_at, updated_at) SELECT id, tenant, kind, status, version, name, trade_name, tax_id, employer, birth_date, notes, dms_code, created_at, updated_at FROM customers;
CREATE TABLE customer_phones_new (
    tenant      TEXT    NOT NULL,
    customer_id TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    phone       TEXT    NOT NULL,
    PRIMARY KEY (tenant, customer_id, position),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
INSERT INTO customer_phones_new (tenant, customer_id, position, phone) SELECT c.tenant, x.customer_id, x.position, x.phone FROM customer_phones x JOIN customers c ON c.id = x.customer_id;
CREATE TABLE customer_emails_new (
    tenant      TEXT    NOT NULL,
    customer_id TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    email       TEXT    NOT NULL,
    PRIMARY KEY (tenant, customer_id, position),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
INSERT INTO customer_emails_new (tenant, customer_id, position, email) SELECT c.tenant, x.customer_id, x.position, x.email FROM customer_emails x JOIN customers c ON c.id = x.customer_id;
CREATE TABLE service_orders_new (
    tenant      TEXT    NOT NULL,
    customer_id TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    code        TEXT    NOT NULL,
    PRIMARY KEY (tenant, customer_id, position),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
INSERT INTO service_orders_new (tenant, customer_id, position, code) SELECT c.tenant, x.customer_id, x.position, x.code FROM service_orders x JOIN customers c ON c.id = x.customer_id;
CREATE TABLE addresses_new (
    tenant      TEXT    NOT NULL,
    customer_id    TEXT    NOT NULL,
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
    PRIMARY KEY (tenant, customer_id, position),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
INSERT INTO addresses_new (tenant, customer_id, position, cep, street, number, complement, district, city, uf, correspondence, billing) SELECT c.tenant, x.customer_id, x.position, x.cep, x.street, x.number, x.complement, x.district, x.city, x.uf, x.correspondence, x.billing FROM addresses x JOIN customers c ON c.id = x.customer_id;
CREATE TABLE assets_new (
    tenant      TEXT    NOT NULL,
    customer_id      TEXT    NOT NULL,
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
    PRIMARY KEY (tenant, customer_id, position),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
INSERT INTO assets_new (tenant, customer_id, position, description, kind, year, value, lien_balance, lien_creditor, lien_payoff_date, vin, plate, renavam) SELECT c.tenant, x.customer_id, x.position, x.description, x.kind, x.year, x.value, x.lien_balance, x.lien_creditor, x.lien_payoff_date, x.vin, x.plate, x.renavam FROM assets x JOIN customers c ON c.id = x.customer_id;
CREATE TABLE personal_references_new (
    tenant      TEXT    NOT NULL,
    customer_id TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    phone       TEXT,
    note        TEXT    NOT NULL,
    PRIMARY KEY (tenant, customer_id, position),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
INSERT INTO personal_references_new (tenant, customer_id, position, name, phone, note) SELECT c.tenant, x.customer_id, x.position, x.name, x.phone, x.note FROM personal_references x JOIN customers c ON c.id = x.customer_id;
CREATE TABLE bank_references_new (
    tenant      TEXT    NOT NULL,
    customer_id   TEXT    NOT NULL,
    position      INTEGER NOT NULL,
    bank_code     TEXT    NOT NULL,
    branch        TEXT    NOT NULL,
    branch_digit  TEXT    NOT NULL,
    account       TEXT    NOT NULL,
    account_digit TEXT    NOT NULL,
    PRIMARY KEY (tenant, customer_id, position),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
INSERT INTO bank_references_new (tenant, customer_id, position, bank_code, branch, branch_digit, account, account_digit) SELECT c.tenant, x.customer_id, x.position, x.bank_code, x.branch, x.branch_digit, x.account, x.account_digit FROM bank_references x JOIN customers c ON c.id = x.customer_id;
CREATE TABLE cards_new (
    tenant      TEXT    NOT NULL,
    customer_id  TEXT    NOT NULL,
    position     INTEGER NOT NULL,
    brand        TEXT    NOT NULL,
    bin          TEXT    NOT NULL,
    last4        TEXT    NOT NULL,
    holder       TEXT    NOT NULL,
    expiry_month INTEGER,
    expiry_year  INTEGER,
    token        TEXT    NOT NULL,
    PRIMARY KEY (tenant, customer_id, position),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
INSERT INTO cards_new (tenant, customer_id, position, brand, bin, last4, holder, expiry_month, expiry_year, token) SELECT c.tenant, x.customer_id, x.position, x.brand, x.bin, x.last4, x.holder, x.expiry_month, x.expiry_year, x.token FROM cards x JOIN customers c ON c.id = x.customer_id;
CREATE TABLE contacts_new (
    tenant      TEXT    NOT NULL,
    customer_id    TEXT    NOT NULL,
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
    PRIMARY KEY (tenant, customer_id, position),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
INSERT INTO contacts_new (tenant, customer_id, position, name, role, email, birthday_day, birthday_month, birthday_year, fleet_manager, preferred_day, preferred_hour) SELECT c.tenant, x.customer_id, x.position, x.name, x.role, x.email, x.birthday_day, x.birthday_month, x.birthday_year, x.fleet_manager, x.preferred_day, x.preferred_hour FROM contacts x JOIN customers c ON c.id = x.customer_id;
CREATE TABLE contact_phones_new (
    tenant      TEXT    NOT NULL,
    customer_id      TEXT    NOT NULL,
    contact_position INTEGER NOT NULL,
    position         INTEGER NOT NULL,
    phone            TEXT    NOT NULL,
    PRIMARY KEY (tenant, customer_id, contact_position, position),
    FOREIGN KEY (tenant, customer_id, contact_position) REFERENCES contacts (tenant, customer_id, position) ON DELETE CASCADE
);
INSERT INTO contact_phones_new (tenant, customer_id, contact_position, position, phone) SELECT c.tenant, x.customer_id, x.contact_position, x.position, x.phone FROM contact_phones x JOIN customers c ON c.id = x.customer_id;
CREATE TABLE customer_info_new (
    tenant      TEXT    NOT NULL,
    customer_id TEXT NOT NULL,
    info_key    TEXT NOT NULL,
    info_value  TEXT NOT NULL,
    PRIMARY KEY (tenant, customer_id, info_key),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
INSERT INTO customer_info_new (tenant, customer_id, info_key, info_value) SELECT c.tenant, x.customer_id, x.info_key, x.info_value FROM customer_info x JOIN customers c ON c.id = x.customer_id;
CREATE TABLE search_keys_new (
    tenant      TEXT NOT NULL,
    field       TEXT NOT NULL,
    value       TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    PRIMARY KEY (tenant, field, value, customer_id),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO search_keys_new (tenant, field, value, customer_id) SELECT x.tenant, x.field, x.value, x.customer_id FROM search_keys x;
DROP TABLE customers;
ALTER TABLE customers_new RENAME TO customers;
DROP TABLE customer_phones;
ALTER TABLE customer_phones_new RENAME TO customer_phones;
DROP TABLE customer_emails;
ALTER TABLE customer_emails_new RENAME TO customer_emails;
DROP TABLE service_orders;
ALTER TABLE service_orders_new RENAME TO service_orders;
DROP TABLE addresses;
ALTER TABLE addresses_new RENAME TO addresses;
DROP TABLE assets;
ALTER TABLE assets_new RENAME TO assets;
DROP TABLE personal_references;
ALTER TABLE personal_references_new RENAME TO personal_references;
DROP TABLE bank_references;
ALTER TABLE bank_references_new RENAME TO bank_references;
DROP TABLE cards;
ALTER TABLE cards_new RENAME TO cards;
DROP TABLE contacts;
ALTER TABLE contacts_new RENAME TO contacts;
DROP TABLE contact_phones;
ALTER TABLE contact_phones_new RENAME TO contact_phones;
DROP TABLE customer_info;
ALTER TABLE customer_info_new RENAME TO customer_info;
DROP TABLE search_keys;
ALTER TABLE search_keys_new RENAME TO search_keys;
CREATE INDEX search_keys_customer ON search_keys (customer_id, tenant);
