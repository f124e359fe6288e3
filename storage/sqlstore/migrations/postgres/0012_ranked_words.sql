-- Searches by name and company walk the words of the customers most
-- recently active first. The words leave search_keys for word_keys, whose
-- key orders each word's customers by their activity (storage.Rank: the
-- later of the last update and the latest attendance, in microseconds),
-- so that the first page of a common word is the first rows of its range,
-- not a sort of all of them. The field is customer.Field's number (1 the
-- name, 4 the company). Customers keep their words, between spaces, for
-- the other words of a search to be checked on the row a walk reads, and
-- their activity, which orders a walk of the whole tenant. The step in Go
-- fills all three for customers stored before, then empties search_keys
-- of the words.
ALTER TABLE customers ADD COLUMN name_words TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN company_words TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN activity BIGINT NOT NULL DEFAULT 0;
CREATE INDEX customers_activity ON customers (tenant, activity, id);
CREATE TABLE word_keys (
    tenant      TEXT NOT NULL,
    field       SMALLINT NOT NULL,
    word        TEXT COLLATE "C" NOT NULL,
    activity    BIGINT NOT NULL,
    customer_id UUID NOT NULL,
    PRIMARY KEY (tenant, field, word, activity, customer_id),
    FOREIGN KEY (tenant, customer_id) REFERENCES customers (tenant, id) ON DELETE CASCADE
);
CREATE INDEX word_keys_customer ON word_keys (tenant, customer_id);
