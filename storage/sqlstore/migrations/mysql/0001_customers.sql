-- Customers and their sub-records, one table per entity, and the index
-- table of search keys, in InnoDB with utf8mb4. Identifiers, codes and
-- search keys compare byte by byte (utf8mb4_bin), so that prefix ranges
-- are served by the index.
CREATE TABLE customers (
    id          CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    tenant      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    kind        VARCHAR(16) NOT NULL CHECK (kind IN ('individual', 'company')),
    status      VARCHAR(16) NOT NULL CHECK (status IN ('prospect', 'customer')),
    version     BIGINT  NOT NULL,
    name        VARCHAR(200) NOT NULL,
    trade_name  VARCHAR(200) NOT NULL DEFAULT '',
    tax_id      VARCHAR(14) CHARACTER SET ascii COLLATE ascii_bin,
    employer    VARCHAR(200) NOT NULL DEFAULT '',
    birth_date  DATE,
    notes       TEXT    NOT NULL,
    dms_code    VARCHAR(64) NOT NULL DEFAULT '',
    created_at  DATETIME(6) NOT NULL,
    updated_at  DATETIME(6) NOT NULL,
    UNIQUE (tenant, tax_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX customers_tenant_id ON customers (tenant, id);
CREATE TABLE customer_phones (
    customer_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    position    INTEGER NOT NULL,
    phone       VARCHAR(254) NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, position)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE TABLE customer_emails (
    customer_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    position    INTEGER NOT NULL,
    email       VARCHAR(254) NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, position)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE TABLE service_orders (
    customer_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    position    INTEGER NOT NULL,
    code        VARCHAR(254) NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, position)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE TABLE addresses (
    customer_id    CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    position       INTEGER NOT NULL,
    cep            TEXT,
    street         TEXT    NOT NULL,
    number         TEXT    NOT NULL,
    complement     TEXT    NOT NULL,
    district       TEXT    NOT NULL,
    city           TEXT    NOT NULL,
    uf             TEXT,
    correspondence BOOLEAN NOT NULL,
    billing        BOOLEAN NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, position)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE TABLE assets (
    customer_id      CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    position         INTEGER NOT NULL,
    description      TEXT    NOT NULL,
    kind             TEXT    NOT NULL,
    year             INTEGER,
    value            DECIMAL(15, 2) NOT NULL,
    lien_balance     DECIMAL(15, 2) NOT NULL,
    lien_creditor    TEXT    NOT NULL,
    lien_payoff_date DATE,
    vin              TEXT,
    plate            TEXT,
    renavam          TEXT,
    FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, position)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE TABLE personal_references (
    customer_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    position    INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    phone       TEXT,
    note        TEXT    NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, position)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE TABLE bank_references (
    customer_id   CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    position      INTEGER NOT NULL,
    bank_code     TEXT    NOT NULL,
    branch        TEXT    NOT NULL,
    branch_digit  TEXT    NOT NULL,
    account       TEXT    NOT NULL,
    account_digit TEXT    NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, position)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE TABLE cards (
    customer_id  CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    position     INTEGER NOT NULL,
    brand        TEXT    NOT NULL,
    bin          TEXT    NOT NULL,
    last4        TEXT    NOT NULL,
    holder       TEXT    NOT NULL,
    expiry_month INTEGER,
    expiry_year  INTEGER,
    token        TEXT    NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, position)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE TABLE contacts (
    customer_id    CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    position       INTEGER NOT NULL,
    name           TEXT    NOT NULL,
    role           TEXT    NOT NULL,
    email          TEXT,
    birthday_day   INTEGER,
    birthday_month INTEGER,
    birthday_year  INTEGER,
    fleet_manager  BOOLEAN NOT NULL,
    preferred_day  INTEGER,
    preferred_hour INTEGER,
    FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, position)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE TABLE contact_phones (
    customer_id      CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    contact_position INTEGER NOT NULL,
    position         INTEGER NOT NULL,
    phone            TEXT    NOT NULL,
    PRIMARY KEY (customer_id, contact_position, position),
    FOREIGN KEY (customer_id, contact_position) REFERENCES contacts (customer_id, position) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE TABLE customer_info (
    customer_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    info_key    VARCHAR(64) NOT NULL,
    info_value  TEXT NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, info_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE TABLE search_keys (
    tenant      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    field       VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    value       VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    customer_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (tenant, field, value, customer_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX search_keys_customer ON search_keys (customer_id);
