-- The change log: one entry per write, numbered per tenant by change_seq
-- in the write's own transaction. It has no foreign key to customers: a
-- deleted customer's history remains.
CREATE TABLE change_seq (
    tenant TEXT   NOT NULL PRIMARY KEY,
    last   BIGINT NOT NULL
);
CREATE TABLE changes (
    tenant      TEXT        NOT NULL,
    seq         BIGINT      NOT NULL,
    customer_id UUID        NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    op          TEXT        NOT NULL CHECK (op IN ('create', 'update', 'delete')),
    version     BIGINT      NOT NULL,
    actor_id    TEXT        NOT NULL,
    actor_name  TEXT        NOT NULL,
    actor_app   TEXT        NOT NULL,
    request_id  TEXT        NOT NULL,
    fields      JSONB       NOT NULL,
    PRIMARY KEY (tenant, seq)
);
CREATE INDEX changes_customer ON changes (tenant, customer_id, seq);
