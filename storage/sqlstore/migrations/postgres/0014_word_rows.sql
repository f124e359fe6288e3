-- Each word row carries all of its customer's words of the field, as the
-- customers row holds them: a search walking one word's rows checks the
-- other words typed on the row it has just read, instead of probing
-- word_keys' key once per candidate and word.
ALTER TABLE word_keys ADD COLUMN words TEXT NOT NULL DEFAULT '';
UPDATE word_keys k SET words = CASE k.field WHEN 1 THEN c.name_words ELSE c.company_words END
FROM customers c WHERE c.tenant = k.tenant AND c.id = k.customer_id;
-- The words ride in the primary key's leaves, so that a walk reads them
-- in an index-only scan: from the table it read a page per key.
ALTER TABLE word_keys DROP CONSTRAINT word_keys_pkey;
ALTER TABLE word_keys ADD PRIMARY KEY (tenant, field, word, activity, customer_id) INCLUDE (words);
