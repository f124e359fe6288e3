-- Each word row carries all of its customer's words of the field, as the
-- customers row holds them: a search walking one word's rows checks the
-- other words typed on the row it has just read (InnoDB keeps it in the
-- clustered key's leaf), instead of reading each candidate's customer.
ALTER TABLE word_keys ADD COLUMN words TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '';
UPDATE word_keys k JOIN customers c ON c.tenant = k.tenant AND c.id = k.customer_id
SET k.words = CASE k.field WHEN 1 THEN c.name_words ELSE c.company_words END;
