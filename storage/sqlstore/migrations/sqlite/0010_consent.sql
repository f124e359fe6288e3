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
    tenant      TEXT NOT NULL,
    id          TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    contact     TEXT NOT NULL,
    channel     TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('granted', 'denied', 'withdrawn')),
    basis       TEXT NOT NULL,
    source      TEXT NOT NULL,
    notice      TEXT NOT NULL,
    reference   TEXT NOT NULL,
    stated_at   TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    actor_id    TEXT NOT NULL,
    actor_name  TEXT NOT NULL,
    actor_app   TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    PRIMARY KEY (tenant, id),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
CREATE INDEX consent_entries_customer ON consent_entries (tenant, customer_id, stated_at, id);
CREATE TABLE consent_state (
    tenant      TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    contact     TEXT NOT NULL,
    channel     TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    state       TEXT NOT NULL,
    basis       TEXT NOT NULL,
    stated_at   TEXT NOT NULL,
    entry_id    TEXT NOT NULL,
    PRIMARY KEY (tenant, customer_id, channel, purpose, contact),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
CREATE INDEX consent_state_reach ON consent_state (tenant, channel, purpose, state, customer_id, contact);
CREATE TABLE suppressions (
    tenant      TEXT NOT NULL,
    channel     TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    since       TEXT NOT NULL,
    source      TEXT NOT NULL,
    PRIMARY KEY (tenant, channel, fingerprint)
);
CREATE TABLE data_requests (
    tenant        TEXT NOT NULL,
    id            TEXT NOT NULL,
    kind          TEXT NOT NULL,
    customer_id   TEXT,
    received_at   TEXT NOT NULL,
    due_at        TEXT NOT NULL,
    answered_at   TEXT,
    outcome       TEXT NOT NULL,
    note          TEXT NOT NULL,
    received_id   TEXT NOT NULL,
    received_name TEXT NOT NULL,
    answered_id   TEXT NOT NULL,
    answered_name TEXT NOT NULL,
    version       INTEGER NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE INDEX data_requests_received ON data_requests (tenant, received_at, id);
CREATE INDEX data_requests_due ON data_requests (tenant, answered_at, due_at, id);
-- Personal references' phones become search keys of their own field, which
-- no query searches: the data subject's export finds by them the records
-- that name the person as a reference.
INSERT INTO search_keys (tenant, field, value, customer_id)
    SELECT DISTINCT tenant, 'reference', CASE WHEN instr(phone, ';') > 0 THEN substr(phone, 1, instr(phone, ';') - 1) ELSE phone END, customer_id
    FROM personal_references WHERE phone IS NOT NULL AND phone <> '';
