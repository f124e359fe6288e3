-- The change log: one entry per write, numbered per tenant by change_seq
-- in the write's own transaction. It has no foreign key to customers: a
-- deleted customer's history remains.
CREATE TABLE change_seq (
    tenant VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    last   BIGINT NOT NULL
) ENGINE = InnoDB;
CREATE TABLE changes (
    tenant      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    seq         BIGINT      NOT NULL,
    customer_id CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    changed_at  DATETIME(6) NOT NULL,
    op          VARCHAR(16) NOT NULL CHECK (op IN ('create', 'update', 'delete')),
    version     BIGINT      NOT NULL,
    actor_id    VARCHAR(200) NOT NULL,
    actor_name  VARCHAR(200) NOT NULL,
    actor_app   VARCHAR(200) NOT NULL,
    request_id  VARCHAR(200) NOT NULL,
    fields      LONGTEXT    NOT NULL,
    PRIMARY KEY (tenant, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
CREATE INDEX changes_customer ON changes (tenant, customer_id, seq);
