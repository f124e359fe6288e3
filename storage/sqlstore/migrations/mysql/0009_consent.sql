-- Consent and the data subject's requests (LGPD). consent_entries is the
-- append-only ledger of statements; consent_state holds the statement that
-- stands for each subject (the customer, or a contact named by its folded
-- name), channel and purpose, written in the same transaction as the
-- ledger, with an index for campaign lists. suppressions holds keyed
-- fingerprints of addresses that opted out, never the addresses; it has
-- no foreign key, so that an opt-out outlives the record it came from.
-- data_requests is the register of the requests of art. 18, kept when the
-- customer is anonymised or deleted.
CREATE TABLE consent_entries (
    tenant      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    id          CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    customer_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    contact     VARCHAR(200) COLLATE utf8mb4_bin NOT NULL,
    channel     VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    purpose     VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    state       VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL CHECK (state IN ('granted', 'denied', 'withdrawn')),
    basis       VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    source      VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    notice      TEXT NOT NULL,
    reference   VARCHAR(200) NOT NULL,
    stated_at   DATETIME(6) NOT NULL,
    recorded_at DATETIME(6) NOT NULL,
    actor_id    VARCHAR(200) NOT NULL,
    actor_name  VARCHAR(200) NOT NULL,
    actor_app   VARCHAR(200) NOT NULL,
    request_id  VARCHAR(200) NOT NULL,
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX consent_entries_customer ON consent_entries (tenant, customer_id, stated_at, id);
CREATE TABLE consent_state (
    tenant      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    customer_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    contact     VARCHAR(200) COLLATE utf8mb4_bin NOT NULL,
    channel     VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    purpose     VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    state       VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    basis       VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    stated_at   DATETIME(6) NOT NULL,
    entry_id    CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (tenant, customer_id, channel, purpose, contact),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX consent_state_reach ON consent_state (tenant, channel, purpose, state, customer_id, contact);
CREATE TABLE suppressions (
    tenant      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel     VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    fingerprint CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    since       DATETIME(6) NOT NULL,
    source      VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (tenant, channel, fingerprint)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE TABLE data_requests (
    tenant        VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    id            CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    kind          VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    customer_id   CHAR(36) CHARACTER SET ascii COLLATE ascii_bin,
    received_at   DATETIME(6) NOT NULL,
    due_at        DATETIME(6) NOT NULL,
    answered_at   DATETIME(6),
    outcome       VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    note          TEXT NOT NULL,
    received_id   VARCHAR(200) NOT NULL,
    received_name VARCHAR(200) NOT NULL,
    answered_id   VARCHAR(200) NOT NULL,
    answered_name VARCHAR(200) NOT NULL,
    version       BIGINT NOT NULL,
    PRIMARY KEY (tenant, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX data_requests_received ON data_requests (tenant, received_at, id);
CREATE INDEX data_requests_due ON data_requests (tenant, answered_at, due_at, id);
-- Personal references' phones become search keys of their own field, which
-- no query searches: the data subject's export finds by them the records
-- that name the person as a reference.
INSERT INTO search_keys (tenant, field, value, customer_id)
    SELECT DISTINCT tenant, 'reference', SUBSTRING_INDEX(phone, ';', 1), customer_id
    FROM personal_references WHERE phone IS NOT NULL AND phone <> '';
